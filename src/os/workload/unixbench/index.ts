/*
 * The Unixbench-like programs, in Unixbench's order.
 *
 * The entry points into this file are:
 *   BENCH_PROGRAMS  every benchmark (each is also a /bin program of the same name)
 */
import { BenchProgram } from './bench-api';
import { dhry2reg, whetstoneDouble } from './compute';
import { context1, execl, pipe, spawn, syscall } from './proc';
import { fsbuffer, fsdisk, fstime } from './fs';
import { shell1, shell8 } from './shell';

export const BENCH_PROGRAMS: BenchProgram[] = [
  dhry2reg, whetstoneDouble, execl, fstime, fsbuffer, fsdisk, pipe, context1, spawn, syscall, shell1, shell8,
];
