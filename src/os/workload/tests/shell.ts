/* Test programs: shell (to be written). */
import { TestProgram } from '../test-api';

export const shellTests: TestProgram[] = [];
