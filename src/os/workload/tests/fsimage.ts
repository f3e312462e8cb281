/* Test programs: fsimage (to be written). */
import { TestProgram } from '../test-api';

export const fsimageTests: TestProgram[] = [];
