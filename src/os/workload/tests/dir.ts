/* Test programs: dir (to be written). */
import { TestProgram } from '../test-api';

export const dirTests: TestProgram[] = [];
