/* Test programs: fd (to be written). */
import { TestProgram } from '../test-api';

export const fdTests: TestProgram[] = [];
