/*
 * Livelock detection (issue 13, "end livelocks early"). A run whose servers
 * keep exchanging messages while no user process ever gets an answer can no
 * longer make progress — a server ping-pongs with another or with the clock,
 * a recovered server loops on a request that is never answered — and would
 * otherwise burn its whole message budget before it ends as a timeout.
 *
 * Progress is a system call of a user process (init, a test program, a
 * child of one) returning — a message delivered to a user process (user
 * processes receive nothing but the replies to their sendrecs; the
 * kernel's and recovery's ECRASH replies included), or a sendrec the
 * kernel refuses with an IPC error; init's wait for the harness returning
 * with its next command counts alike — or a process crashing or being
 * killed as hung. A crash counts because it is the system's own fault handling
 * acting: RS restarts the server and the run may go on differently (an
 * ECRASH reply, a controlled shutdown), and a crash loop is ended by RS
 * itself (it gives up after MAX_RESTARTS restarts in a row), which a
 * livelock verdict must not preempt.
 *
 * A run is livelocked at a message when, since the last progress,
 *   1. more than `window` messages were delivered;
 *   2. the watchdog alarm (RS's heartbeat, the only one) fired, its owner
 *      has handled it (it has been back at the top of its loop twice
 *      since: the first receive takes the alarm's notification at the
 *      latest, the second comes after RS pinged every service), and no
 *      process holds a notification from the owner it has not yet taken
 *      (pending, or delivered while it has not run since): every service
 *      has answered the ping, so RS's next check finds none hung. A server
 *      that does not answer — stuck in a request, or starved of the CPU by
 *      higher-priority servers looping — is declared hung at the next
 *      heartbeat and recovered, which is progress: the verdict waits for
 *      it;
 *   3. no other alarm is pending in the future: nothing is scheduled that
 *      could still wake a process (the deadlock rule's criterion,
 *      Timers.progressPossible);
 *   4. every live server has been back at the top of its loop (a receive
 *      from ANY, where it takes pings and requests) or waits there: none is
 *      inside a request that could still end.
 * Then the run halts as a timeout with a reason that says it was a
 * livelock, which classify.ts counts as any timeout (outcome crash,
 * detail timeout). Simulated time is already bounded by the time budget;
 * this watches the message count, where the budget is far away.
 *
 * The window is a run parameter (Sim.setBudgets): off (Infinity) unless a
 * run sets it. What it is set to, and how that number is derived from the
 * fault-free runs, is experiment/livelock-bound.ts's.
 *
 * It is on the message path of every run: a compare per message, a
 * subtraction and two stores per message to a user process, a store per
 * server receive from ANY (Proc.topAt, Proc.tops), a few per heartbeat, no allocation;
 * conditions 2 to 4 are looked at only past the window. It only ever
 * halts a run: one it does not end is unchanged.
 *
 * The entry points into this file are:
 *   LivelockWatch   the counters the kernel keeps (ipc.ts feeds them)
 */
import { ANY } from '../proto/endpoints';
import { F_CRASHED, F_FREE, F_RECEIVING, Proc } from './proc';

/** Does `p` hold a notification from `ep` it has not taken: pending, or delivered while it has not run since? */
function holdsFrom(p: Proc, ep: number): boolean {
  if (p.notifyPending.includes(ep)) return true;
  const v = p.resumeVal as { source?: unknown } | undefined;
  return typeof v === 'object' && v !== null && v.source === ep;
}

export class LivelockWatch {
  /** Quiet messages (none to a user process) allowed in a row; Infinity: off. */
  window = Infinity;
  /** The trace's message count at the last progress (or when the watch was started). */
  last = 0;
  /** The longest run of quiet messages (no progress) since the watch was started (the trailing run not included: see quietNow). */
  longest = 0;
  /** Watchdog alarms (RS's heartbeat) fired since the last progress (timers.ts counts them). */
  watchdogs = 0;
  /** The last watchdog alarm's owner, and its count of receives from ANY when it fired. */
  private owner: Proc | null = null;
  private ownerTops = 0;

  /** Start watching at message count `messages` with this window (Infinity: only measure). */
  start(messages: number, window: number): void {
    this.window = window;
    this.last = messages;
    this.longest = 0;
    this.watchdogs = 0;
    this.owner = null;
  }

  /** A watchdog alarm of `p` fired. */
  watchdog(p: Proc): void {
    this.watchdogs++;
    this.owner = p;
    this.ownerTops = p.tops;
  }

  /** Progress at message count `messages`: a user's system call returned (`delivered`: its reply is message `messages`), or a server crashed (no message). */
  progress(messages: number, delivered: boolean): void {
    const quiet = messages - this.last - (delivered ? 1 : 0);
    if (quiet > this.longest) this.longest = quiet;
    this.last = messages;
    this.watchdogs = 0;
  }

  /** Quiet messages since the last progress, at message count `messages`. */
  quietNow(messages: number): number {
    return messages - this.last;
  }

  /** Past the window (condition 1): do conditions 2 to 4 hold at simulated time `now`? */
  livelocked(procs: readonly Proc[], now: number): boolean {
    const o = this.owner;
    if (this.watchdogs < 1 || o === null || o.tops < this.ownerTops + 2) return false;
    for (const p of procs) {
      if (p.alarmAt > now && !p.alarmWatchdog) return false;
      if (p.flags & F_FREE) continue;
      if (p !== o && holdsFrom(p, o.endpoint)) return false;
      if (p.kind !== 'server') continue;
      if (p.flags & F_CRASHED) return false;
      // Strictly after: a receive at the count of the progress may have come before it (a crash, a harness command).
      if (p.topAt > this.last) continue;
      if (p.flags & F_RECEIVING && p.recvFrom === ANY) continue;
      return false;
    }
    return true;
  }

  /** The halt reason at message count `messages`. */
  reason(messages: number): string {
    return `livelock: no system call of a user process returned and no process crashed in the last ${messages - this.last} messages (window ${this.window}; every service answered the heartbeat, every server back at its receive, no alarm pending)`;
  }
}
