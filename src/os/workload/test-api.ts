/*
 * The checks a test program makes. Each check is counted through the
 * harness side channel; the first failed check ends the process with exit
 * status 1 (MINIX's INSTANTDEATH), reporting what was expected.
 * `t` is shared by a test and the children it forks.
 *
 * The entry points into this file are:
 *   test                      declare a test program: test('name', 'topic', function* (t, u) { ... })
 *   T                         the checks: ok, eq, err, okCall, fail
 *   TestProgram, TestBody     a declared program and its body
 *   asProgram                 a test body as an exec'able program
 */
import { Co } from '../kernel/types';
import { Libc } from '../libc/libc';
import { CheckFailed } from '../libc/userland';
import { errnoName } from '../proto/errno';
import { Main } from '../libc/core';

export class T {
  constructor(readonly u: Libc) {}

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

function fmt(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (v instanceof Uint8Array) return `bytes[${v.length}]`;
  return String(v);
}

/** A test program body: makes checks; returning normally means it passed. */
export type TestBody = (t: T, u: Libc, argv: string[]) => Co<void>;

export interface TestProgram {
  name: string;
  /** Topic, for grouping (process, signal, memory, file, dir, pipe, fd, perm, time, ds, shell, fsimage). */
  topic: string;
  body: TestBody;
}

/** Turn a test body into a program entry point. */
export function asProgram(body: TestBody): Main {
  return function* (u: Libc, argv: string[]): Co<number> {
    yield* body(new T(u), u, argv);
    return 0;
  };
}

export function test(name: string, topic: string, body: TestBody): TestProgram {
  return { name, topic, body };
}
