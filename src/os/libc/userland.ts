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

  exec(k: Kernel, p: Proc, program: string, argv: string[]): Co<unknown> | null {
    const main = this.programs.get(program);
    if (!main) return null;
    const u = new Libc(k, p);
    p.user = u;
    return this.start(u, main, argv);
  }

  fork(k: Kernel, parent: Proc, child: Proc): void {
    const pu = parent.user as Libc;
    const cu = pu.forkClone(child);
    child.user = cu;
    const body = parent.forkBody as ForkBody;
    child.co = this.startChild(cu, body);
  }

  // start and startChild each catch a failed check themselves (rather than
  // through a shared helper generator): every trap of the program passes
  // through each generator level between it and the kernel.
  private *start(u: Libc, main: Main, argv: string[]): Co<never> {
    let status: number;
    try {
      // A test program (workload/test-api.ts asProgram) ends without a value: exit status 0.
      status = (yield* main(u, argv)) ?? 0;
    } catch (e) {
      status = this.checkFailed(u, e);
    }
    return yield* u.exit(status);
  }

  private *startChild(u: Libc, body: ForkBody): Co<never> {
    // The first resume carries PM's fork reply (0 in the child): a generator ignores it.
    let status: number;
    try {
      status = yield* body(u);
    } catch (e) {
      status = this.checkFailed(u, e);
    }
    return yield* u.exit(status);
  }

  /** A failed check ends the program with status 1; anything else is a fault of the process. */
  private checkFailed(u: Libc, e: unknown): number {
    if (e instanceof CheckFailed) { this.onCheckFailed(u.k, u.p, e.message); return 1; }
    throw e;
  }
}
