/* The programs installed in /bin of every simulated system: the 89-program suite, the extended programs, the pre-tests. */
import { buildRegistry, EXTENDED_PROGRAMS, TEST_PROGRAMS } from '../os/workload/registry';
import type { Main } from '../os/libc/core';

import { PRETEST_NAMES } from '../os/workload/pretests';

export { PRETEST_NAMES };

let registry: Map<string, Main> | null = null;

/** The programs in /bin (built once: the registry is immutable). */
export function programs(): Map<string, Main> {
  if (!registry) registry = buildRegistry();
  return registry;
}

/** The 89-program suite. */
export function testNames(): string[] {
  return TEST_PROGRAMS.map((t) => t.name);
}

/** Installed test programs outside the suite (runnable by name or pattern). */
export function extendedNames(): string[] {
  return EXTENDED_PROGRAMS.map((t) => t.name);
}

/**
 * A run's programs as harness commands: leading pre-tests are a command of
 * their own, the tests another — as the prototype's recovery scripts ran
 * apart from, and before, the test suite.
 */
export function runCommands(programs: readonly string[]): string[][] {
  const n = PRETEST_NAMES.length;
  const lead = programs.length > n && PRETEST_NAMES.every((name, i) => programs[i] === name);
  return lead ? [programs.slice(0, n), programs.slice(n)] : [[...programs]];
}
