/* Test programs: perm (to be written). */
import { TestProgram } from '../test-api';

export const permTests: TestProgram[] = [];
