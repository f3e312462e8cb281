/*
 * Message passing (DESIGN §3.2): send, receive (ANY or one endpoint),
 * sendrec, notify and asynsend between processes. Messages are copied on
 * delivery, so no object is ever shared between two processes; a send that
 * would close a cycle of blocked senders is refused (ELOCKED).
 *
 * The entry points into this file are:
 *   Ipc.send / receive / notify / asynsend   the traps of a process
 *   Ipc.replyFromKernel                      a reply on behalf of the kernel or recovery
 *   Ipc.release / detach                     a process leaves: wake those blocked on it / drop its own IPC state
 */
import { ANY, KERNEL, NONE, NR_SLOTS } from '../proto/endpoints';
import { EDEADSRCDST, ELOCKED, ENOTREADY, OK } from '../proto/errno';
import { NOTIFY_MESSAGE } from '../proto/calls';
import type { Request } from '../proto/messages';
import { COST } from './cost';
import { F_CRASHED, F_RECEIVING, F_SENDING, Proc } from './proc';
import type { Msg, Outgoing } from './types';
import type { Trace } from './trace';
import type { LivelockWatch } from './livelock';

/** What message passing needs of the kernel (kept narrow, so this file does not import kernel.ts). */
export interface IpcHost {
  now: number;
  readonly procs: readonly Proc[];
  readonly trace: Trace;
  readonly messageLimit: number;
  readonly livelock: LivelockWatch;
  proc(ep: number): Proc | null;
  makeReady(p: Proc, front: boolean): void;
  halt(kind: 'timeout', reason: string): void;
}

export class Ipc {
  constructor(private readonly k: IpcHost) {}

  private wants(q: Proc, src: number): boolean {
    return (q.flags & F_RECEIVING) !== 0 && (q.recvFrom === ANY || q.recvFrom === src);
  }

  /** Notifications and asynchronous messages are never taken as the reply of a sendrec. */
  private wantsUnsolicited(q: Proc, src: number): boolean {
    return !q.replyPending && this.wants(q, src);
  }

  private deliver(dst: Proc, m: Outgoing, src: number, replyable: boolean): void {
    const k = this.k;
    // Same fields in the same order as `{ ...m, source: src }`, but a plain
    // clone followed by one store is far cheaper for the many message shapes.
    const c = { ...m } as Msg;
    c.source = src;
    dst.flags &= ~F_RECEIVING;
    dst.recvFrom = NONE;
    dst.replyPending = false;
    dst.lastReplyable = replyable;
    dst.lastRequestSource = src;
    dst.resumeVal = c;
    k.now += COST.deliver;
    const trace = k.trace;
    trace.message(k.now, src, dst.endpoint, c);
    const n = trace.messages;
    if (n > k.messageLimit) k.halt('timeout', `message limit of ${k.messageLimit} reached`);
    // Livelock watch (livelock.ts): a message to a user process is a system call returning.
    const w = k.livelock;
    if (dst.kind === 'user') w.progress(n, true);
    else if (n - w.last > w.window && w.livelocked(k.procs, k.now)) k.halt('timeout', w.reason(n));
    k.makeReady(dst, false);
  }

  send(p: Proc, dstEp: number, m: Outgoing, isSendrec: boolean, nonblocking: boolean): void {
    const dst = this.k.proc(dstEp);
    if (!dst) return this.result(p, isSendrec, EDEADSRCDST);
    if (this.wants(dst, p.endpoint) && !(dst.flags & F_CRASHED)) {
      this.deliver(dst, m, p.endpoint, isSendrec);
      if (isSendrec) { p.flags |= F_RECEIVING; p.recvFrom = dstEp; p.replyPending = true; return; }
      return this.result(p, false, OK);
    }
    if (nonblocking) return this.result(p, false, ENOTREADY);
    if (this.wouldDeadlock(p, dst)) return this.result(p, isSendrec, ELOCKED);
    p.flags |= F_SENDING;
    p.sendTo = dstEp;
    p.outMsg = m as Msg;
    p.outIsSendrec = isSendrec;
    dst.sendq.push(p);
  }

  /** MINIX's deadlock(): follow who each process is blocked on; a cycle back to p is refused. */
  private wouldDeadlock(p: Proc, dst: Proc): boolean {
    let x: Proc = dst;
    for (let i = 0; i < NR_SLOTS; i++) {
      const on = x.flags & F_SENDING ? x.sendTo : (x.flags & F_RECEIVING && x.recvFrom !== ANY ? x.recvFrom : NONE);
      if (on === NONE) return false;
      if (on === p.endpoint) return true;
      const next = this.k.proc(on);
      if (!next) return false;
      x = next;
    }
    return false;
  }

  private result(p: Proc, isSendrec: boolean, err: number): void {
    if (p.kind === 'user') this.k.livelock.progress(this.k.trace.messages, false);
    p.resumeVal = isSendrec ? { type: err === OK ? OK : -err, source: KERNEL, ipcError: err } : (err === OK ? OK : -err);
    this.k.makeReady(p, true);
  }

  private wakeWithError(q: Proc, err: number): void {
    const wasSendrec = q.flags & F_SENDING ? q.outIsSendrec : (q.flags & F_RECEIVING) !== 0;
    q.flags &= ~(F_SENDING | F_RECEIVING);
    q.sendTo = NONE; q.outMsg = null; q.recvFrom = NONE; q.replyPending = false;
    this.result(q, wasSendrec, err);
  }

  receive(p: Proc, src: number): void {
    if (p.kind === 'server') {
      p.steps = 0; this.k.now += COST.dispatch;
      if (src === ANY) { p.topAt = this.k.trace.messages; p.tops++; }
    }
    // 1. pending notifications
    for (let i = 0; i < p.notifyPending.length; i++) {
      const from = p.notifyPending[i]!;
      if (src === ANY || src === from) {
        p.notifyPending.splice(i, 1);
        p.flags |= F_RECEIVING; p.recvFrom = src;
        this.deliver(p, this.notifyMessage(), from, false);
        return;
      }
    }
    // 2. blocked senders, in arrival order
    for (let i = 0; i < p.sendq.length; i++) {
      const s = p.sendq[i]!;
      if (src !== ANY && src !== s.endpoint) continue;
      p.sendq.splice(i, 1);
      const m = s.outMsg!;
      s.flags &= ~F_SENDING; s.sendTo = NONE; s.outMsg = null;
      p.flags |= F_RECEIVING; p.recvFrom = src;
      this.deliver(p, m, s.endpoint, s.outIsSendrec);
      if (s.outIsSendrec) { s.flags |= F_RECEIVING; s.recvFrom = p.endpoint; s.replyPending = true; }
      else { s.resumeVal = OK; this.k.makeReady(s, false); }
      return;
    }
    // 3. asynchronous messages
    for (let i = 0; i < p.asyncq.length; i++) {
      const m = p.asyncq[i]!;
      if (src !== ANY && src !== m.source) continue;
      p.asyncq.splice(i, 1);
      p.flags |= F_RECEIVING; p.recvFrom = src;
      this.deliver(p, m, m.source, false);
      return;
    }
    p.flags |= F_RECEIVING;
    p.recvFrom = src;
  }

  private notifyMessage(): Request<typeof NOTIFY_MESSAGE> {
    return { type: NOTIFY_MESSAGE, timestamp: this.k.now };
  }

  /** Post a notification from `from` (a process, KERNEL or CLOCK) to `dstEp`. */
  notify(from: number, dstEp: number, sender: Proc | null): void {
    const dst = this.k.proc(dstEp);
    if (dst) {
      if (this.wantsUnsolicited(dst, from) && !(dst.flags & F_CRASHED)) this.deliver(dst, this.notifyMessage(), from, false);
      else addPending(dst.notifyPending, from);
    }
    if (sender) { sender.resumeVal = dst ? OK : -EDEADSRCDST; this.k.makeReady(sender, true); }
  }

  asynsend(p: Proc, dstEp: number, m: Outgoing): void {
    const dst = this.k.proc(dstEp);
    if (!dst) return this.result(p, false, EDEADSRCDST);
    if (this.wantsUnsolicited(dst, p.endpoint) && !(dst.flags & F_CRASHED)) this.deliver(dst, m, p.endpoint, false);
    else {
      const c = { ...m } as Msg;
      c.source = p.endpoint;
      dst.asyncq.push(c);
    }
    this.result(p, false, OK);
  }

  /** Send a reply on behalf of the kernel or the recovery layer (not from a process). */
  replyFromKernel(dstEp: number, fromEp: number, m: Outgoing): boolean {
    const dst = this.k.proc(dstEp);
    if (!dst || !this.wants(dst, fromEp)) return false;
    this.deliver(dst, m, fromEp, false);
    return true;
  }

  /** Is `q` blocked waiting for a reply from `fromEp`? */
  awaitsReplyFrom(q: Proc, fromEp: number): boolean {
    return (q.flags & F_RECEIVING) !== 0 && q.recvFrom === fromEp && q.replyPending;
  }

  /** `p` leaves the process table: out of its destination's queue; its blocked senders and those receiving from it get EDEADSRCDST. */
  release(p: Proc): void {
    if (p.flags & F_SENDING) {
      const dst = this.k.proc(p.sendTo);
      if (dst) dst.sendq = dst.sendq.filter((q) => q !== p);
    }
    for (const q of p.sendq) this.wakeWithError(q, EDEADSRCDST);
    for (const q of this.k.procs) {
      if (q !== p && q.flags & F_RECEIVING && q.recvFrom === p.endpoint) this.wakeWithError(q, EDEADSRCDST);
    }
  }

  /** Drop a process's own IPC state (a crashed or killed server): out of its destination's queue, neither sending nor receiving. */
  detach(p: Proc): void {
    if (p.flags & F_SENDING) {
      const dst = this.k.proc(p.sendTo);
      if (dst) dst.sendq = dst.sendq.filter((q) => q !== p);
    }
    p.flags &= ~(F_SENDING | F_RECEIVING);
    p.sendTo = NONE; p.outMsg = null; p.recvFrom = NONE; p.replyPending = false;
  }
}

/** Insert `from` into the ascending set `q` (the pending notifications), unless present. */
function addPending(q: number[], from: number): void {
  let i = q.length;
  while (i > 0 && q[i - 1]! > from) i--;
  if (i > 0 && q[i - 1] === from) return;
  q.splice(i, 0, from);
}
