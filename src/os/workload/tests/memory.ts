/* Test programs: memory (to be written). */
import { TestProgram } from '../test-api';

export const memoryTests: TestProgram[] = [];
