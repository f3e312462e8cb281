/* Test programs: pipe (to be written). */
import { TestProgram } from '../test-api';

export const pipeTests: TestProgram[] = [];
