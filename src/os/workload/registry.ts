/*
 * Every program that can be exec'd from /bin: the test suite, the recovery
 * pre-tests and the Unixbench-like programs.
 *
 * The entry points into this file are:
 *   TEST_PROGRAMS       the 89-program suite, in running order
 *   EXTENDED_PROGRAMS   installed programs outside the suite (`suite --extended`)
 *   buildRegistry       every program by name (what exec finds in /bin)
 */
import { Main } from '../libc/core';
import { TestProgram, asProgram } from './test-api';
import { BENCH_PROGRAMS } from './unixbench/index';
import { benchAsProgram } from './unixbench/bench-api';
import { smokeTests } from './programs/smoke';
import { processTests } from './programs/process';
import { signalTests } from './programs/signal';
import { timeTests } from './programs/time';
import { memoryTests } from './programs/memory';
import { fileTests } from './programs/file';
import { dirTests } from './programs/dir';
import { permTests } from './programs/perm';
import { pipeTests } from './programs/pipe';
import { fdTests } from './programs/fd';
import { dsTests } from './programs/ds';
import { shellTests } from './programs/shell';
import { fsimageTests } from './programs/fsimage';
import { PRETESTS } from './pretests';

/** Every test program, in running order. */
const ALL_TESTS: TestProgram[] = [
  ...smokeTests, ...processTests, ...signalTests, ...timeTests, ...memoryTests, ...fileTests, ...dirTests,
  ...permTests, ...pipeTests, ...fdTests, ...dsTests, ...shellTests, ...fsimageTests,
];

/**
 * Programs installed and runnable by name but outside the 89-program suite:
 * overlapping or slow ones (each topic keeps its own programs in the suite).
 */
const EXTENDED_NAMES: ReadonlySet<string> = new Set([
  'smoke_getpid', 'smoke_fork', 'smoke_file',
  'proc_memory', 'proc_waitpid_pgrp',
  'sig_nested', 'sig_pgrp', 'sig_exec', 'sig_ignore',
  'time_alarm_order', 'mem_malloc',
  'file_creat_trunc', 'file_times', 'file_multi_fd', 'file_append',
  'dir_many', 'dir_tree', 'dir_readdir_bin', 'perm_exec',
  'pipe_checksum', 'pipe_limits', 'pipe_pipeline', 'fd_emfile', 'fd_pread',
  'ds_many', 'sh_shell8', 'sh_pipe3', 'fsimg_rename',
]);

/** The test suite (MINIX's 89 programs' topics), in running order. */
export const TEST_PROGRAMS: TestProgram[] = ALL_TESTS.filter((t) => !EXTENDED_NAMES.has(t.name));

/** The extended programs, in running order. */
export const EXTENDED_PROGRAMS: TestProgram[] = ALL_TESTS.filter((t) => EXTENDED_NAMES.has(t.name));

export function buildRegistry(): Map<string, Main> {
  const m = new Map<string, Main>();
  const add = (name: string, main: Main) => {
    if (m.has(name)) throw new Error(`duplicate program name ${name}`);
    m.set(name, main);
  };
  for (const t of ALL_TESTS) add(t.name, asProgram(t.body));
  for (const t of PRETESTS) add(t.name, asProgram(t.body));
  for (const b of BENCH_PROGRAMS) add(b.name, benchAsProgram(b));
  return m;
}
