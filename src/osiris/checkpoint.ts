/*
 * Checkpointing for the instrumented variants: an undo log per recoverable
 * server, reset and the window opened at each request (the top-of-loop
 * checkpoint), closed when the server sends a message or makes a kernel
 * call (the pessimistic rule). This is the run-time side the ckpt and
 * osiris passes call into; recovery itself builds on it.
 *
 * The entry points into this file are:
 *   Checkpointing          the undo logs, the windows and the hook context of one world
 *   ckpt.sefHooks()        the checkpoint at each request (SEF loop hooks)
 *   ckpt.kernelHooks()     without a policy: any outgoing message closes the window
 */
import { RECOVERABLE_SLOTS as RECOVERABLE_SERVER_SLOTS } from '../os/servers/index';
import { Proc } from '../os/kernel/proc';
import { Msg } from '../os/kernel/types';
import type { Kernel, KernelHooks } from '../os/kernel/kernel';
import { SefHooks } from '../os/sef/hooks';
import { HookContext } from './hooks';
import { ProfCounters } from './prof-counters';
import { UndoLog } from './undo-log';
import { RecoveryWindows } from './window';

export type { WindowInfo } from './window';

/** The checkpointed servers: the boot image's recoverable ones. */
export const RECOVERABLE_SLOTS = RECOVERABLE_SERVER_SLOTS;

export interface CheckpointOptions {
  /** Keep undo logs (false: no logging at all, e.g. the baseline variant). */
  logging: boolean;
  /** Number of blocks to count (osiris+prof). */
  profBlocks?: number;
  /** Undo-log capacity per server (entries). */
  logLimit?: number;
}

export class Checkpointing {
  /** What the hooks of this world's instrumented code use (activate it while the world runs). */
  readonly ctx: HookContext;
  readonly windows: RecoveryWindows;

  constructor(readonly kernel: Kernel, opts: CheckpointOptions) {
    const logs: (UndoLog | null)[] = kernel.procs.map(() => null);
    if (opts.logging) for (const s of RECOVERABLE_SLOTS) logs[s] = new UndoLog(opts.logLimit);
    this.windows = new RecoveryWindows(kernel.procs.length, RECOVERABLE_SLOTS);
    this.ctx = {
      kernel,
      logs,
      windows: this.windows,
      prof: opts.profBlocks !== undefined ? new ProfCounters(opts.profBlocks) : null,
    };
  }

  /**
   * The SEF hooks: the checkpoint at each request. `closeOnSwitch` says
   * whether a worker switch closes the window (every policy but those whose
   * window never closes).
   */
  sefHooks(closeOnSwitch: boolean | ((slot: number) => boolean) = true): SefHooks {
    const closes = typeof closeOnSwitch === 'function' ? closeOnSwitch : () => closeOnSwitch;
    return {
      requestStart: (p: Proc, m: Msg, replyable: boolean) => this.checkpoint(p, m, replyable),
      workerSwitch: (p: Proc, m: Msg, replyable: boolean) => this.windows.switchWorker(p.slot, m, replyable, closes(p.slot)),
      requestEnd: (p: Proc) => this.windows.end(p.slot),
    };
  }

  /** Kernel hooks without recovery: every outgoing message or kernel call closes the window; a crash is not taken over. */
  kernelHooks(): KernelHooks {
    return { seep: (p) => this.windows.close(p.slot, 'outgoing message'), serverCrashed: () => false };
  }

  checkpoint(p: Proc, m: Msg, replyable: boolean): void {
    const log = this.ctx.logs[p.slot];
    if (log) log.reset();
    this.windows.start(p.slot, m, replyable);
  }

  log(slot: number): UndoLog | null {
    const log = this.ctx.logs[slot];
    if (log === undefined) throw new RangeError(`no process slot ${slot}`);
    return log;
  }

  /** Block counters of the osiris+prof variant (null on other variants). */
  get prof(): ProfCounters | null {
    return this.ctx.prof;
  }
}
