/* Test programs: process (to be written). */
import { TestProgram } from '../test-api';

export const processTests: TestProgram[] = [];
