/* Test programs: signal (to be written). */
import { TestProgram } from '../test-api';

export const signalTests: TestProgram[] = [];
