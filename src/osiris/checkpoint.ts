/*
 * Checkpointing for the instrumented variants: an undo log per recoverable
 * server, reset and the window opened at each request (the top-of-loop
 * checkpoint), closed when the server sends a message or makes a kernel
 * call (the pessimistic rule). This is the run-time side the ckpt and
 * osiris passes call into; recovery itself builds on it.
 */
import { Proc } from '../os/kernel/proc';
import { Msg } from '../os/kernel/types';
import { Kernel } from '../os/kernel/kernel';
import { DS, PM, RS, VFS, VM } from '../os/proto/endpoints';
import { SefHooks } from '../os/sef/hooks';
import { HookContext, activate } from '../instrument/runtime';
import { EdfiRuntime } from '../edfi/runtime';
import { ProfCounters } from '../instrument/prof-counters';
import { UndoLog } from './undo-log';

export const RECOVERABLE_SLOTS = [PM, VFS, RS, DS, VM];

export interface CheckpointOptions {
  /** Keep undo logs (false: no logging at all, e.g. the baseline variant). */
  logging: boolean;
  /** Seed of the run's generator for fault values; with it, an EDFI runtime is created. */
  edfiSeed?: string;
  /** Number of blocks to count (osiris+prof). */
  profBlocks?: number;
  /** Undo-log capacity per server (entries). */
  logLimit?: number;
}

/** What a server's current recovery window knows (for the recovery decision). */
export interface WindowInfo {
  /** The request being handled: its sender, type and whether it can be replied to. */
  source: number;
  type: number;
  replyable: boolean;
  /** A PROCESS_SPECIFIC SEEP was passed while the window was open. */
  processSpecific: boolean;
  /** The SEEP that closed the window, when one did. */
  closedBy: string | null;
  /** The requester has been sent its reply: the request is over (seep-hook.ts). */
  replied?: boolean;
}

export class Checkpointing {
  readonly ctx: HookContext;
  /** Per slot: the current request's window information (null when idle). */
  readonly windows: (WindowInfo | null)[];

  constructor(readonly kernel: Kernel, opts: CheckpointOptions) {
    const logs: (UndoLog | null)[] = kernel.procs.map(() => null);
    if (opts.logging) for (const s of RECOVERABLE_SLOTS) logs[s] = new UndoLog(opts.logLimit);
    this.ctx = {
      kernel,
      logs,
      windowOpen: kernel.procs.map(() => false),
      edfi: opts.edfiSeed !== undefined ? new EdfiRuntime(opts.edfiSeed) : null,
      prof: opts.profBlocks !== undefined ? new ProfCounters(opts.profBlocks) : null,
    };
    this.windows = kernel.procs.map(() => null);
    kernel.onRun = () => activate(this.ctx);
    activate(this.ctx);
  }

  /**
   * The SEF hooks: the checkpoint at each request. `closeOnSwitch` says
   * whether a worker switch closes the window (every policy but those whose
   * window never closes).
   */
  sefHooks(closeOnSwitch = true): SefHooks {
    return {
      requestStart: (p: Proc, m: Msg, replyable: boolean) => this.checkpoint(p, m, replyable),
      workerSwitch: (p: Proc, m: Msg, replyable: boolean) => {
        this.windows[p.slot] = { source: m.source, type: m.type, replyable, processSpecific: false, closedBy: null };
        if (closeOnSwitch) this.closeWindow(p, 'worker switch');
      },
      requestEnd: (p: Proc) => { this.windows[p.slot] = null; },
    };
  }

  checkpoint(p: Proc, m: Msg, replyable: boolean): void {
    const log = this.ctx.logs[p.slot];
    if (log) log.reset();
    this.ctx.windowOpen[p.slot] = RECOVERABLE_SLOTS.includes(p.slot);
    this.windows[p.slot] = { source: m.source, type: m.type, replyable, processSpecific: false, closedBy: null };
  }

  closeWindow(p: Proc, by: string): void {
    if (!this.ctx.windowOpen[p.slot]) return;
    this.ctx.windowOpen[p.slot] = false;
    const w = this.windows[p.slot];
    if (w && w.closedBy === null) w.closedBy = by;
  }

  log(slot: number): UndoLog | null {
    return this.ctx.logs[slot];
  }
}
