/*
 * How the kernel starts user code: exec loads a program from the workload
 * registry into a fresh runtime; fork gives the child a copy of the
 * parent's runtime and the continuation the parent passed to fork().
 *
 * The entry points into this file are:
 *   SimUserLand       the kernel's user-land: exec and fork of user runtimes
 *   ProgramRegistry   where exec finds a program by name
 *   CheckFailed       a test program's failed check (ends the process with status 1)
 */
import { Kernel, UserLand } from '../kernel/kernel';
import { Proc } from '../kernel/proc';
import { Co } from '../kernel/types';
import { Main } from './core';
import { Libc } from './libc';
import { ForkBody } from './proc';

export interface ProgramRegistry { get(name: string): Main | undefined }

/** Raised by a test check; ends the process with exit status 1 (see workload/test-api.ts). */
export class CheckFailed extends Error {
  constructor(message: string) { super(message); this.name = 'CheckFailed'; }
}

export class SimUserLand implements UserLand {
  constructor(readonly programs: ProgramRegistry, readonly onCheckFailed: (k: Kernel, p: Proc, message: string) => void) {}

  /*
   * The program's generator (or the forked child's body) is the process's
   * coroutine itself: every trap of the program passes through each
   * generator level between it and the kernel, so there is no wrapper to
   * catch its end. The kernel asks `ended` instead, within the same step:
   * a returned status, or a failed check (status 1), continues with the
   * exit call; anything else thrown is a fault of the process.
   */
  exec(k: Kernel, p: Proc, program: string, argv: string[]): Co<unknown> | null {
    const main = this.programs.get(program);
    if (!main) return null;
    const u = new Libc(k, p);
    p.user = u;
    running.set(p, 'program');
    return main(u, argv);
  }

  fork(k: Kernel, parent: Proc, child: Proc): void {
    const pu = parent.user as Libc;
    const cu = pu.forkClone(child);
    child.user = cu;
    const body = parent.forkBody as ForkBody;
    running.set(child, 'child');
    // The first resume carries PM's fork reply (0 in the child): a generator ignores it.
    child.co = body(cu);
  }

  ended(k: Kernel, p: Proc, how: { value: unknown } | { thrown: unknown }): Co<unknown> | null {
    // Not a program's or child's end (init; the exit call itself returned or threw): a fault of the process.
    const what = running.get(p);
    if (what === undefined || what === 'exiting') return null;
    const u = p.user as Libc;
    let status: number;
    if ('thrown' in how) {
      if (!(how.thrown instanceof CheckFailed)) return null;
      this.onCheckFailed(k, p, how.thrown.message);
      status = 1;
    } else {
      // A test program (workload/test-api.ts asProgram) ends without a value: exit status 0. A fork body returns its status.
      status = what === 'child' ? how.value as number : (how.value as number | undefined) ?? 0;
    }
    running.set(p, 'exiting');
    return u.exit(status);
  }
}

/**
 * What a user process's coroutine is: a program (exec), a forked child's
 * body (fork), or the exit call either ended in (which does not return: PM
 * ends the process). Set whenever a coroutine is given; a process slot's
 * Proc is reused, and every process starts by fork.
 */
const running = new WeakMap<Proc, 'program' | 'child' | 'exiting'>();
