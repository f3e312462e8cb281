/* Test programs: time (to be written). */
import { TestProgram } from '../test-api';

export const timeTests: TestProgram[] = [];
