/*
 * Every program that can be exec'd from /bin: the test suite, the recovery
 * pre-tests and the Unixbench-like programs.
 */
import { Main } from '../libc/core';
import { TestProgram, asProgram } from './test-api';
import { BENCH_PROGRAMS } from './bench/index';
import { benchAsProgram } from './bench/bench-api';
import { smokeTests } from './tests/smoke';
import { processTests } from './tests/process';
import { signalTests } from './tests/signal';
import { timeTests } from './tests/time';
import { memoryTests } from './tests/memory';
import { fileTests } from './tests/file';
import { dirTests } from './tests/dir';
import { permTests } from './tests/perm';
import { pipeTests } from './tests/pipe';
import { fdTests } from './tests/fd';
import { dsTests } from './tests/ds';
import { shellTests } from './tests/shell';
import { fsimageTests } from './tests/fsimage';

/** The test suite, in running order. */
export const TEST_PROGRAMS: TestProgram[] = [
  ...smokeTests, ...processTests, ...signalTests, ...timeTests, ...memoryTests, ...fileTests, ...dirTests,
  ...permTests, ...pipeTests, ...fdTests, ...dsTests, ...shellTests, ...fsimageTests,
];

export function buildRegistry(): Map<string, Main> {
  const m = new Map<string, Main>();
  const add = (name: string, main: Main) => {
    if (m.has(name)) throw new Error(`duplicate program name ${name}`);
    m.set(name, main);
  };
  for (const t of TEST_PROGRAMS) add(t.name, asProgram(t.body));
  for (const b of BENCH_PROGRAMS) add(b.name, benchAsProgram(b));
  return m;
}
