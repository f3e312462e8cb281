/* Test programs: ds (to be written). */
import { TestProgram } from '../test-api';

export const dsTests: TestProgram[] = [];
