/* Test programs: file (to be written). */
import { TestProgram } from '../test-api';

export const fileTests: TestProgram[] = [];
