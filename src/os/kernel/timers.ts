/*
 * Alarms on the simulated clock: each process has at most one (SYS_SETALARM;
 * RS's heartbeat watchdogs are marked), and a due alarm becomes a CLOCK
 * notification. The clock itself is Kernel.now, advanced by the cost model.
 */
import { CLOCK } from '../proto/endpoints';
import type { Proc } from './proc';
import type { LivelockWatch } from './livelock';

/** What the alarms need of the kernel. */
export interface AlarmHost {
  readonly procs: readonly Proc[];
  readonly now: number;
  readonly livelock: LivelockWatch;
  doNotify(from: number, dstEp: number, sender: Proc | null): void;
}

export class Timers {
  /** Time of the earliest pending alarm (Infinity: none). */
  nextAlarm = Infinity;

  constructor(private readonly k: AlarmHost) {}

  /** Set (at >= 0) or cancel (at < 0) the alarm of p. */
  setAlarm(p: Proc, at: number, watchdog: boolean): void {
    p.alarmAt = at;
    p.alarmWatchdog = watchdog;
    this.refresh();
  }

  /** Recompute the earliest alarm (after alarms were loaded from a snapshot). */
  refresh(): void {
    let next = Infinity;
    for (const p of this.k.procs) if (p.alarmAt >= 0 && p.alarmAt < next) next = p.alarmAt;
    this.nextAlarm = next;
  }

  /** Deliver every alarm that is due now. */
  fireDue(): void {
    for (const p of this.k.procs) {
      if (p.alarmAt >= 0 && p.alarmAt <= this.k.now) {
        p.alarmAt = -1;
        if (p.alarmWatchdog) this.k.livelock.watchdog(p);
        this.k.doNotify(CLOCK, p.endpoint, null);
      }
    }
    this.refresh();
  }

  /** Do alarms remain that could unblock a process (watchdogs cannot)? */
  progressPossible(): boolean {
    for (const p of this.k.procs) if (p.alarmAt >= 0 && !p.alarmWatchdog) return true;
    return false;
  }
}
