/*
 * Other policies' windows, kept beside a run's own, so that one run can say
 * whether it is also the run under those policies (run-share.ts shares it
 * when it is).
 *
 * Why that can be known. A policy acts in two places only: at SEEPs, where
 * it closes the recovery window, and at a crash, where recovery reads the
 * window and decides (recovery.ts). Closing a window changes nothing a run
 * does until a crash reads it (the log it stops keeping is read only by a
 * rollback). So a run under policy A is the run under policy B as long as,
 * at every crash, B would have recovered the same way: B's window is in
 * the same state as A's — open, or closed at the same passage (then both
 * logged the same stores: closedAt), with the same request facts — and B's
 * policy, on that window, transfers state, rolls back and reconciles as A
 * did. Each shadow keeps B's windows with the SEEP hook B's own run would
 * use (seepHook on its own RecoveryWindows, sharing the run's passage
 * clock), fed the same request events; recovery judges every shadow at
 * every crash (RecoveryManager.recover) and a shadow that would have done
 * otherwise is dropped for the rest of the run.
 *
 * What a shadow cannot see makes it disagree, never agree: an undo log
 * that fills up closes only the run's own window (a shadow still open then
 * differs from it).
 *
 * The entry points into this file are:
 *   ShadowPolicies               the shadows of one world
 *   ShadowPolicies.seep          a passage, for every shadow still in agreement
 *   ShadowPolicies.sefHooks      the request events, for every shadow
 *   ShadowPolicies.atCrash       each shadow's window at a crash (then cleared)
 *   ShadowPolicies.disagree      a shadow would have recovered otherwise
 *   ShadowPolicies.agrees        per shadow: every recovery so far was its own
 */
import type { Kernel } from '../os/kernel/kernel';
import type { Proc } from '../os/kernel/proc';
import type { Msg } from '../os/kernel/types';
import type { SefHooks } from '../os/sef/hooks';
import { Policy, windowCloses } from './policies';
import { policiesBySlot, seepHook, SeepHook } from './seep-hook';
import { RecoveryWindows, WindowInfo } from './window';

/** A shadow's window when a server crashed. */
export interface ShadowCrash {
  /** The shadow's index (the order its policy was given in). */
  index: number;
  /** The shadow's policy for the crashed server. */
  policy: Policy;
  open: boolean;
  closedAt: number;
  info: Readonly<WindowInfo> | null;
}

export class ShadowPolicies {
  private readonly windows: RecoveryWindows[];
  private readonly hooks: SeepHook[];
  private readonly bySlot: Policy[][];
  private readonly agreeing: boolean[];
  /** Per shadow: has every recovery so far been the one its policy makes? */
  readonly agrees: readonly boolean[];

  /** `own`: the run's windows (their clock is shared); `policies`: the shadows' policies. */
  constructor(kernel: Kernel, private readonly own: RecoveryWindows, recoverable: readonly number[], policies: readonly Policy[]) {
    const slots = kernel.procs.length;
    this.bySlot = policies.map((p) => policiesBySlot(p, slots));
    this.windows = policies.map(() => new RecoveryWindows(slots, recoverable, own.clock));
    this.hooks = policies.map((p, i) => seepHook({ kernel, windows: this.windows[i]! }, p, this.bySlot[i]));
    this.agreeing = policies.map(() => true);
    this.agrees = this.agreeing;
  }

  /** A passage: the clock advances (before the run's own hook sees it, so both read one value), then each shadow in agreement closes as its policy says. */
  seep(p: Proc, kind: 'ipc' | 'kcall', dst: number, type: number): void {
    for (let i = 0; i < this.hooks.length; i++) if (this.agreeing[i]) this.hooks[i]!(p, kind, dst, type);
  }

  /** Advance the passage clock (call once per passage, before any hook). */
  tick(): void {
    this.own.clock.n++;
  }

  /** The SEF loop's request events, as the run's own checkpoint hooks see them (a worker switch closes as each policy says). */
  sefHooks(): SefHooks {
    return {
      requestStart: (p: Proc, m: Msg, replyable: boolean) => { for (const w of this.windows) w.start(p.slot, m, replyable); },
      workerSwitch: (p: Proc, m: Msg, replyable: boolean) => {
        for (let i = 0; i < this.windows.length; i++) this.windows[i]!.switchWorker(p.slot, m, replyable, windowCloses(this.bySlot[i]![p.slot]!));
      },
      requestEnd: (p: Proc) => { for (const w of this.windows) w.end(p.slot); },
    };
  }

  /** Each agreeing shadow's window of `slot` as recovery would read it (`logOverflowed`: the run's undo log), then cleared as recovery clears the run's. */
  atCrash(slot: number, logOverflowed: boolean): ShadowCrash[] {
    const out: ShadowCrash[] = [];
    for (let i = 0; i < this.windows.length; i++) {
      const w = this.windows[i]!;
      if (this.agreeing[i]) {
        const { open, info } = w.atCrash(slot, logOverflowed);
        out.push({ index: i, policy: this.bySlot[i]![slot]!, open, closedAt: w.closedAt[slot]!, info: info ? { ...info } : null });
      }
      w.clear(slot);
    }
    return out;
  }

  /** Shadow `index` would have recovered otherwise: from here on the run is not its run. */
  disagree(index: number): void {
    this.agreeing[index] = false;
  }
}

/** The kernel's SEEP hook with shadows beside it: the clock ticks, the run's own hook acts, then every shadow's. */
export function withShadows(own: SeepHook, shadows: ShadowPolicies): SeepHook {
  return (p, kind, dst, type) => { shadows.tick(); own(p, kind, dst, type); shadows.seep(p, kind, dst, type); };
}
