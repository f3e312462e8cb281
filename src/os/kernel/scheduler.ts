/*
 * The scheduler: one ready queue per priority (kernel tasks > servers >
 * user processes), round robin within a level. While a server is being
 * recovered, user processes are not scheduled.
 */
import { NR_PRIOS, PRIO_USER, Proc } from './proc';

export class Scheduler {
  /** Servers being recovered: while above zero, only system processes run. */
  recovering = 0;
  private readonly ready: Proc[][] = [];

  constructor() {
    for (let i = 0; i < NR_PRIOS; i++) this.ready.push([]);
  }

  makeReady(p: Proc, front: boolean): void {
    if (p.inReady) return;
    p.inReady = true;
    if (front) this.ready[p.prio]!.unshift(p); else this.ready[p.prio]!.push(p);
  }

  unready(p: Proc): void {
    if (!p.inReady) return;
    const q = this.ready[p.prio]!;
    const i = q.indexOf(p);
    if (i >= 0) q.splice(i, 1);
    p.inReady = false;
  }

  /** The next process to run (taken off its queue), or null when none is runnable. */
  pick(): Proc | null {
    const levels = this.recovering > 0 ? PRIO_USER : NR_PRIOS;
    for (let l = 0; l < levels; l++) {
      const q = this.ready[l]!;
      while (q.length > 0) {
        const p = q.shift()!;
        p.inReady = false;
        if (p.flags === 0) return p;
      }
    }
    return null;
  }
}
