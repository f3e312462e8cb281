/*
 * Periodic `service fi` (the paper's service-disruption experiment): a
 * configured server is made to crash, fail-stop, inside its recovery
 * window at regular intervals of simulated time. The fault runtime arms
 * the server's `service fi` flag (Proc.fiArmed, what RS's SYS_DIAGCTL call
 * sets) at the first request from a user process that reaches the top of
 * the server's loop once the interval has passed since the start or since
 * the server's first request after the previous recovery; the SEF loop then crashes the server right after the
 * checkpoint. So each crash hits a replyable request inside the window,
 * and a retried call is not crashed again before the interval has passed.
 *
 * The entry point into this file is:
 *   PeriodicServiceFi   observes requests through the SEF hooks; counts the crashes it armed
 */
import type { Kernel } from '../os/kernel/kernel';
import type { Proc } from '../os/kernel/proc';
import type { Msg } from '../os/kernel/types';
import type { SefHooks } from '../os/sef/hooks';
import { NOTIFY_MESSAGE } from '../os/proto/calls';

export interface PeriodicCrash {
  /** Slot of the server to crash. */
  server: number;
  /** Simulated time between crashes (ns), counted from when the mechanism is installed. */
  intervalNs: number;
}

export class PeriodicServiceFi implements SefHooks {
  /** Crashes armed so far. */
  crashes = 0;
  private due: number;

  constructor(private readonly kernel: Kernel, readonly config: PeriodicCrash) {
    if (!(config.intervalNs > 0)) throw new RangeError(`periodic crash: the interval must be positive, got ${config.intervalNs}`);
    this.due = kernel.now + config.intervalNs;
  }

  requestStart(p: Proc, m: Msg, replyable: boolean): void {
    const k = this.kernel;
    if (p.slot !== this.config.server || !replyable || m.type === NOTIFY_MESSAGE) return;
    // The interval is one of service: it starts again when the server is back from the last
    // recovery (its first request after it), so a recovery longer than the interval cannot
    // livelock the retried call.
    if (this.due === Infinity) { this.due = k.now + this.config.intervalNs; return; }
    if (k.now < this.due) return;
    const src = k.proc(m.source);
    if (!src || src.kind !== 'user') return;
    p.fiArmed = true;
    this.crashes++;
    this.due = Infinity;
  }

  workerSwitch(): void {}
  requestEnd(): void {}
}
