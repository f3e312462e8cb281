/* The Unixbench-like programs (to be written). */
import { BenchProgram } from './bench-api';

export const BENCH_PROGRAMS: BenchProgram[] = [];
