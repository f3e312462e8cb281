/*
 * The checks a test program makes. Each check is counted through the
 * harness side channel; the first failed check ends the process with exit
 * status 1 (MINIX's INSTANTDEATH), reporting what was expected.
 * `t` is shared by a test and the children it forks.
 *
 * Checking discipline. MINIX's tests (minix/tests/common.c and the tests
 * built on it) check the calls a test is about and leave the housekeeping
 * around them unchecked: start() checks making and entering its scratch
 * directory but runs sync() and closes every descriptor unchecked; quit()
 * leaves and removes the directory unchecked; tests call close, unlink,
 * rmdir, wait, alarm, umask, signal and getpid on their set-up and clean-up
 * paths without looking at the result. `t.hk` marks such a call. Under the
 * 'strict' discipline (the default) `t.hk.eq/ok/call` are exactly `t.eq/ok/
 * okCall`; under 'minix' the result is counted as housekeeping, an error is
 * absorbed (never fails the program) and the value is still returned.
 *
 * The one rule for what is housekeeping. A call is housekeeping when it
 * prepares or tidies the ground around the behaviour the program tests and
 * the program's verdict does not depend on its result:
 *   - clean-up: closing descriptors, unlinking files, removing directories,
 *     leaving a directory, once nothing later in the program observes them;
 *   - restoring at clean-up what set-up changed (signal dispositions and
 *     masks, umask, alarm, the working directory);
 *   - set-up of the process's surroundings that the program is not about:
 *     umask, alarm watchdogs, signal dispositions and masks;
 *   - waiting for (and killing at clean-up) helper children whose own exit
 *     is not what the program tests;
 *   - getpid/getppid used only to name things.
 * A call stays checked when
 *   - the program is about it: the call under test, its error paths (every
 *     `t.err`), and the state it leaves that the program then observes
 *     (an unlink followed by a check that the name is gone, a close followed
 *     by a check that the descriptor is free);
 *   - a later check or call uses what it produced (a descriptor, a pid, an
 *     address, the data or value it returned);
 *   - it makes or enters the ground the program then works on (common.c's
 *     start() checks mkdir and chdir of its scratch directory).
 * When in doubt, a call stays checked. The marking follows this rule alone,
 * program by program in file order; it is never revised after looking at
 * what a campaign's outcomes do.
 *
 * The entry points into this file are:
 *   test                      declare a test program: test('name', 'topic', function* (t, u) { ... })
 *   T                         the checks: ok, eq, err, okCall, fail, and t.hk (housekeeping)
 *   TestProgram, TestBody     a declared program and its body
 *   asProgram                 a test body as an exec'able program
 */
import { Co } from '../kernel/types';
import { Libc } from '../libc/libc';
import { CheckFailed } from '../libc/userland';
import { errnoName } from '../proto/errno';
import { Main } from '../libc/core';
import type { CheckingMode } from '../kernel/kernel';

export class T {
  /** The housekeeping forms of the checks (see the rule above). */
  readonly hk: Housekeeping;

  constructor(readonly u: Libc) { this.hk = new Housekeeping(this); }

  private count(): void { this.u.k.harness.check(); }

  /** errno of the process making the check (a forked child shares `t` with its parent). */
  private errno(): number {
    const cur = this.u.k.current?.user as { errno?: number } | null | undefined;
    return cur && typeof cur.errno === 'number' ? cur.errno : this.u.errno;
  }

  /** A condition that must hold. */
  ok(cond: unknown, what: string): void {
    this.count();
    if (!cond) throw new CheckFailed(what);
  }

  /** Strict equality. */
  eq<V>(actual: V, expected: V, what: string): void {
    this.count();
    if (actual !== expected) throw new CheckFailed(`${what}: expected ${fmt(expected)}, got ${fmt(actual)}`);
  }

  /** A call that must fail with -1 and the given errno. */
  err(result: unknown, errno: number, what: string): void {
    this.count();
    const e = this.errno();
    if (!((result === -1 || result === null) && e === errno)) {
      throw new CheckFailed(`${what}: expected -1/${errnoName(errno)}, got ${result}/${errnoName(e)}`);
    }
  }

  /** A call that must succeed (result >= 0, or non-null). */
  okCall<V>(result: V, what: string): V {
    this.count();
    if (result === null || (typeof result === 'number' && result < 0)) {
      throw new CheckFailed(`${what}: failed with ${errnoName(this.errno())}`);
    }
    return result;
  }

  /** Unconditional failure. */
  fail(what: string): never {
    this.count();
    throw new CheckFailed(what);
  }
}

/**
 * Housekeeping calls: under 'strict' the check they stand for; under
 * 'minix' counted apart, an error absorbed. Either way the harness counts
 * them (and their errors), so the marking can be reviewed.
 */
export class Housekeeping {
  constructor(private readonly t: T) {}

  private mode(): CheckingMode { return this.t.u.k.harness.checking(); }
  private note(failed: boolean): void { this.t.u.k.harness.housekeeping(failed); }

  /** `t.ok` of a housekeeping call's outcome. */
  ok(cond: unknown, what: string): void {
    this.note(!cond);
    if (this.mode() === 'strict') this.t.ok(cond, what);
  }

  /** `t.eq` of a housekeeping call's result. */
  eq<V>(actual: V, expected: V, what: string): void {
    this.note(actual !== expected);
    if (this.mode() === 'strict') this.t.eq(actual, expected, what);
  }

  /** `t.okCall` of a housekeeping call: the result is returned in both modes, an error value included. */
  call<V>(result: V, what: string): V {
    this.note(result === null || (typeof result === 'number' && result < 0));
    return this.mode() === 'strict' ? this.t.okCall(result, what) : result;
  }
}

function fmt(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (v instanceof Uint8Array) return `bytes[${v.length}]`;
  return String(v);
}

/** What check helpers take: `t`, or `t.hk` when the helper's calls are housekeeping. */
export type Checker = Pick<T, 'ok' | 'eq'>;

/** A test program body: makes checks; returning normally means it passed. */
export type TestBody = (t: T, u: Libc, argv: string[]) => Co<void>;

export interface TestProgram {
  name: string;
  /** Topic, for grouping (process, signal, memory, file, dir, pipe, fd, perm, time, ds, shell, fsimage). */
  topic: string;
  body: TestBody;
}

/**
 * Turn a test body into a program entry point: the body's own coroutine,
 * whose end without a value SimUserLand.start takes as exit status 0. No
 * generator of its own wraps the body: every trap of the program passes
 * through each generator level between it and the kernel.
 */
export function asProgram(body: TestBody): Main {
  return (u: Libc, argv: string[]) => body(new T(u), u, argv) as Co<unknown> as Co<number>;
}

export function test(name: string, topic: string, body: TestBody): TestProgram {
  return { name, topic, body };
}
