/*
 * The microkernel: process table, IPC, scheduling, simulated time, faults.
 * Processes are coroutines; the kernel resumes one at a time and handles the
 * trap it yields. Everything is deterministic: the same inputs make the same
 * run, message for message.
 *
 * The entry points into this file are:
 *   Kernel.run()           run until init waits for the harness, or the run ends
 *   Kernel.spawnServer()   put a system process in its boot slot
 *   Kernel.kcall()         a kernel call on behalf of the current process (see syscalls.ts)
 */
import { ANY, CLOCK, GEN_SPAN, KERNEL, NONE, NR_SLOTS, PM, RS, slotOf } from '../proto/endpoints';
import { SIGSEGV, sigbit } from '../proto/signals';
import { EDEADSRCDST, ELOCKED, ENOTREADY, OK } from '../proto/errno';
import { NOTIFY_MESSAGE } from '../proto/calls';
import { COST } from './cost';
import { HangDetected, KernelPanic, SegFault, ServerPanic } from './errors';
import { PhysMem, VPAGES } from './memory';
import {
  F_CRASHED, F_FREE, F_HARNESS, F_NOSTART, F_RECEIVING, F_SENDING, NR_PRIOS, PRIO_USER, Proc,
} from './proc';
import { Trace } from './trace';
import { Co, Msg, Outgoing, Trap, T_CPU, T_HARNESS, T_NOTIFY, T_RECEIVE, T_SEND, T_SENDA, T_SENDNB, T_SENDREC } from './types';

/** Steps (traps, kernel calls, loop iterations) one server handler may take. */
export const STEP_BUDGET = 200_000;

export type HaltKind = 'idle' | 'deadlock' | 'timeout' | 'panic' | 'crash' | 'shutdown';

export interface Halt { kind: HaltKind; reason: string }

/** Why a process died of a fault. */
export interface CrashInfo { endpoint: number; name: string; reason: 'exception' | 'hang' | 'panic' | 'segfault'; message: string; time: number }

/** The OSIRIS hooks the kernel calls (no-ops until the recovery layer installs them). */
export interface KernelHooks {
  /** Every outgoing IPC or kernel call of a server passes here (the SEEP hook). */
  seep(p: Proc, kind: 'ipc' | 'kcall', dst: number, type: number): void;
  /** A server died of a fault; return true when the recovery layer takes over. */
  serverCrashed(k: Kernel, p: Proc, info: CrashInfo): boolean;
}

const NO_HOOKS: KernelHooks = { seep() {}, serverCrashed() { return false; } };

/** What RS asks of the recovery layer through the kernel. */
export interface RecoveryPort {
  /** Recover the crashed (or hung) server at `slot`; returns the action taken. */
  recover(slot: number, reason: string): string;
}

/** Creates user-space coroutines: supplied by libc, so the kernel knows no program. */
export interface UserLand {
  exec(k: Kernel, p: Proc, program: string, argv: string[]): Co<unknown> | null;
  fork(k: Kernel, parent: Proc, child: Proc): void;
}

/** The simulation harness as init and test programs see it: a side channel, not IPC. */
export interface HarnessPort {
  /** The next command for init, or null to stop the run loop (quiescent). */
  next(): unknown;
  /** One check made by a test program. */
  check(): void;
  /** A test program's check failed (the process exits with status 1). */
  checkFailed(pid: number, message: string): void;
  /** One housekeeping call made by a test program; `failed`: it got an error (see test-api.ts). */
  housekeeping(failed: boolean): void;
  /** How test programs judge housekeeping calls: 'strict' checks them, 'minix' absorbs their errors. */
  checking(): CheckingMode;
}

/** A campaign's checking discipline (test-api.ts): 'strict' checks every call, 'minix' leaves housekeeping unchecked. */
export type CheckingMode = 'strict' | 'minix';

export class Kernel {
  readonly procs: Proc[] = [];
  readonly mem: PhysMem;
  readonly trace = new Trace();
  now = 0;
  /** Instrumentation overhead (undo logging etc.), kept apart so it never perturbs the schedule. */
  overheadNs = 0;
  hooks: KernelHooks = NO_HOOKS;
  /** The recovery layer RS calls (SYS_PRIVCTL-level "restart"); null when recovery is not installed. */
  recovery: RecoveryPort | null = null;
  current: Proc | null = null;
  halted: Halt | null = null;
  crashes: CrashInfo[] = [];
  /** While a server is being recovered, user processes are not scheduled. */
  recovering = 0;
  /** Simulated-time limit of this run (ns); past it the run is a timeout. */
  timeLimit = Infinity;
  messageLimit = Infinity;
  nextAlarm = Infinity;
  /** Called when this kernel starts running (the instrumentation hooks follow the running world). */
  onRun: (() => void) | null = null;
  private ready: Proc[][] = [];
  private lastRun: Proc | null = null;

  /** `memImage`: start with a copy of this physical memory (a snapshot's) instead of zeroed memory. */
  constructor(readonly userland: UserLand, readonly harness: HarnessPort, memImage?: Uint8Array) {
    this.mem = new PhysMem(memImage);
    // One buffer for all page tables: a world is created at every snapshot restore.
    const pts = new Int32Array(NR_SLOTS * VPAGES);
    for (let i = 0; i < NR_SLOTS; i++) this.procs.push(new Proc(i, VPAGES, pts.subarray(i * VPAGES, (i + 1) * VPAGES)));
    for (let i = 0; i < NR_PRIOS; i++) this.ready.push([]);
  }

  /* ------------------------------------------------------------------ */
  /* process table                                                        */

  /** The live process behind an endpoint, or null for a stale or free one. */
  proc(ep: number): Proc | null {
    if (ep < 0) return null;
    const p = this.procs[slotOf(ep)];
    if (!p || p.flags & F_FREE || p.endpoint !== ep) return null;
    return p;
  }

  spawnServer(slot: number, name: string, prio: number, co: Co<unknown>, callMask: number): Proc {
    const p = this.procs[slot];
    p.reset();
    p.endpoint = slot; p.gen = 0; p.name = name; p.kind = 'server'; p.prio = prio;
    p.flags = 0; p.co = co; p.callMask = callMask;
    this.makeReady(p, false);
    return p;
  }

  /** Create a user process in a free slot with the next generation; it starts as given by `flags`. */
  allocUser(slot: number, name: string): Proc | null {
    const p = this.procs[slot];
    if (!p || !(p.flags & F_FREE)) return null;
    const gen = p.gen + 1;
    p.reset();
    p.gen = gen; p.endpoint = gen * GEN_SPAN + slot; p.name = name; p.kind = 'user'; p.prio = PRIO_USER;
    p.flags = F_NOSTART;
    return p;
  }

  /** Remove a process: wake whoever waits on it with EDEADSRCDST, drop its queues and state. */
  freeProc(p: Proc): void {
    this.unready(p);
    if (p.flags & F_SENDING) {
      const dst = this.proc(p.sendTo);
      if (dst) dst.sendq = dst.sendq.filter((q) => q !== p);
    }
    for (const q of p.sendq) this.wakeWithError(q, EDEADSRCDST);
    for (const q of this.procs) {
      if (q !== p && q.flags & F_RECEIVING && q.recvFrom === p.endpoint) this.wakeWithError(q, EDEADSRCDST);
    }
    const gen = p.gen;
    p.reset();
    p.gen = gen;
  }

  /* ------------------------------------------------------------------ */
  /* scheduling                                                           */

  makeReady(p: Proc, front: boolean): void {
    if (p.inReady) return;
    p.inReady = true;
    if (front) this.ready[p.prio].unshift(p); else this.ready[p.prio].push(p);
  }

  unready(p: Proc): void {
    if (!p.inReady) return;
    const q = this.ready[p.prio];
    const i = q.indexOf(p);
    if (i >= 0) q.splice(i, 1);
    p.inReady = false;
  }

  private pick(): Proc | null {
    const levels = this.recovering > 0 ? PRIO_USER : NR_PRIOS;
    for (let l = 0; l < levels; l++) {
      const q = this.ready[l];
      while (q.length > 0) {
        const p = q.shift()!;
        p.inReady = false;
        if (p.flags === 0) return p;
      }
    }
    return null;
  }

  /* ------------------------------------------------------------------ */
  /* the run loop                                                         */

  /** Run until init waits for the harness with nothing else to do, or the run halts. */
  run(): Halt {
    this.halted = null;
    if (this.onRun) this.onRun();
    try {
      while (!this.halted) {
        if (this.now >= this.nextAlarm) this.fireDueAlarms();
        const p = this.pick();
        if (p) { this.resume(p); continue; }
        this.idle();
      }
    } catch (e) {
      if (e instanceof KernelPanic) this.halt('panic', e.message);
      else throw e;
    }
    return this.halted!;
  }

  halt(kind: HaltKind, reason: string): void {
    if (!this.halted) this.halted = { kind, reason };
  }

  /**
   * Nothing is runnable. With init waiting for the harness the system is
   * quiescent; otherwise time jumps to the next alarm. When only watchdog
   * alarms (heartbeats) remain, nothing can ever unblock a user process: a
   * deadlock.
   */
  private idle(): void {
    let init: Proc | undefined;
    for (const p of this.procs) if (p.flags & F_HARNESS) { init = p; break; }
    if (init) {
      const cmd = this.harness.next();
      if (cmd === null) { this.halt('idle', 'waiting for the harness'); return; }
      init.flags &= ~F_HARNESS;
      init.resumeVal = cmd;
      this.makeReady(init, false);
      return;
    }
    let progress = false;
    for (const p of this.procs) if (p.alarmAt >= 0 && !p.alarmWatchdog) progress = true;
    if (!progress) { this.halt('deadlock', this.describeBlocked()); return; }
    if (this.nextAlarm > this.now) this.now = this.nextAlarm;
    if (this.now > this.timeLimit) { this.halt('timeout', `simulated time limit of ${this.timeLimit} ns reached`); return; }
    this.fireDueAlarms();
  }

  describeBlocked(): string {
    const parts: string[] = [];
    for (const p of this.procs) {
      if (p.flags & F_FREE) continue;
      if (p.flags & F_SENDING) parts.push(`${p.name} sending to ${this.nameOf(p.sendTo)}`);
      else if (p.flags & F_RECEIVING && p.kind === 'user') parts.push(`${p.name} waiting for ${this.nameOf(p.recvFrom)}`);
      else if (p.flags & F_CRASHED) parts.push(`${p.name} crashed`);
    }
    return `no runnable process: ${parts.join('; ') || 'all servers idle'}`;
  }

  nameOf(ep: number): string {
    if (ep === ANY) return 'ANY';
    if (ep === KERNEL) return 'kernel';
    if (ep === CLOCK) return 'clock';
    return this.proc(ep)?.name ?? `ep${ep}`;
  }

  private resume(p: Proc): void {
    if (p !== this.lastRun) { this.now += COST.contextSwitch; this.lastRun = p; }
    this.current = p;
    const v = p.resumeVal;
    p.resumeVal = undefined;
    let r: IteratorResult<Trap, unknown>;
    try {
      r = p.co!.next(v);
    } catch (e) {
      this.current = null;
      if (e instanceof KernelPanic) throw e;
      this.processFault(p, e);
      return;
    }
    this.current = null;
    if (this.halted) return;
    if (r.done) { this.processFault(p, new Error(`${p.name} returned from its main loop`)); return; }
    this.trap(p, r.value);
  }

  /** Count one step of the running server; past the budget it is a hang. */
  step(): void {
    const p = this.current;
    if (p && p.kind === 'server' && ++p.steps > STEP_BUDGET) throw new HangDetected(p.steps);
  }

  private trap(p: Proc, t: Trap): void {
    this.now += COST.trap;
    if (p.kind === 'server') {
      if (++p.steps > STEP_BUDGET) { this.processFault(p, new HangDetected(p.steps)); return; }
      if (t.op !== T_RECEIVE && t.op !== T_CPU && t.op !== T_HARNESS) this.hooks.seep(p, 'ipc', t.ep, t.msg ? t.msg.type : NOTIFY_MESSAGE);
    }
    if (this.now > this.timeLimit) { this.halt('timeout', `simulated time limit of ${this.timeLimit} ns reached`); return; }
    switch (t.op) {
      case T_SEND: return this.doSend(p, t.ep, t.msg!, false, false);
      case T_SENDREC:
        if (t.extra !== undefined) p.forkBody = t.extra;
        return this.doSend(p, t.ep, t.msg!, true, false);
      case T_SENDNB: return this.doSend(p, t.ep, t.msg!, false, true);
      case T_RECEIVE: return this.doReceive(p, t.ep);
      case T_NOTIFY: return this.doNotify(p.endpoint, t.ep, p);
      case T_SENDA: return this.doAsynsend(p, t.ep, t.msg!);
      case T_CPU:
        this.now += t.ep; p.userTime += t.ep;
        p.resumeVal = OK; this.makeReady(p, false);
        return;
      case T_HARNESS: p.flags |= F_HARNESS; return;
      default: throw new KernelPanic(`bad trap ${t.op} from ${p.name}`);
    }
  }

  /* ------------------------------------------------------------------ */
  /* IPC                                                                  */

  private wants(q: Proc, src: number): boolean {
    return (q.flags & F_RECEIVING) !== 0 && (q.recvFrom === ANY || q.recvFrom === src);
  }

  /** Notifications and asynchronous messages are never taken as the reply of a sendrec. */
  private wantsUnsolicited(q: Proc, src: number): boolean {
    return !q.replyPending && this.wants(q, src);
  }

  private deliver(dst: Proc, m: Outgoing, src: number, replyable: boolean): void {
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
    this.now += COST.deliver;
    this.trace.message(this.now, src, dst.endpoint, c);
    if (this.trace.messages > this.messageLimit) this.halt('timeout', `message limit of ${this.messageLimit} reached`);
    this.makeReady(dst, false);
  }

  private doSend(p: Proc, dstEp: number, m: Outgoing, isSendrec: boolean, nonblocking: boolean): void {
    const dst = this.proc(dstEp);
    if (!dst) return this.ipcResult(p, isSendrec, EDEADSRCDST);
    if (this.wants(dst, p.endpoint) && !(dst.flags & F_CRASHED)) {
      this.deliver(dst, m, p.endpoint, isSendrec);
      if (isSendrec) { p.flags |= F_RECEIVING; p.recvFrom = dstEp; p.replyPending = true; return; }
      return this.ipcResult(p, false, OK);
    }
    if (nonblocking) return this.ipcResult(p, false, ENOTREADY);
    if (this.wouldDeadlock(p, dst)) return this.ipcResult(p, isSendrec, ELOCKED);
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
      const next = this.proc(on);
      if (!next) return false;
      x = next;
    }
    return false;
  }

  private ipcResult(p: Proc, isSendrec: boolean, err: number): void {
    p.resumeVal = isSendrec ? { type: err === OK ? OK : -err, source: KERNEL, ipcError: err } : (err === OK ? OK : -err);
    this.makeReady(p, true);
  }

  private wakeWithError(q: Proc, err: number): void {
    const wasSendrec = q.flags & F_SENDING ? q.outIsSendrec : (q.flags & F_RECEIVING) !== 0;
    q.flags &= ~(F_SENDING | F_RECEIVING);
    q.sendTo = NONE; q.outMsg = null; q.recvFrom = NONE; q.replyPending = false;
    this.ipcResult(q, wasSendrec, err);
  }

  private doReceive(p: Proc, src: number): void {
    if (p.kind === 'server') { p.steps = 0; this.now += COST.dispatch; }
    // 1. pending notifications
    for (let i = 0; i < p.notifyPending.length; i++) {
      const from = p.notifyPending[i];
      if (src === ANY || src === from) {
        p.notifyPending.splice(i, 1);
        p.flags |= F_RECEIVING; p.recvFrom = src;
        this.deliver(p, this.notifyMessage(), from, false);
        return;
      }
    }
    // 2. blocked senders, in arrival order
    for (let i = 0; i < p.sendq.length; i++) {
      const s = p.sendq[i];
      if (src !== ANY && src !== s.endpoint) continue;
      p.sendq.splice(i, 1);
      const m = s.outMsg!;
      s.flags &= ~F_SENDING; s.sendTo = NONE; s.outMsg = null;
      p.flags |= F_RECEIVING; p.recvFrom = src;
      this.deliver(p, m, s.endpoint, s.outIsSendrec);
      if (s.outIsSendrec) { s.flags |= F_RECEIVING; s.recvFrom = p.endpoint; s.replyPending = true; }
      else { s.resumeVal = OK; this.makeReady(s, false); }
      return;
    }
    // 3. asynchronous messages
    for (let i = 0; i < p.asyncq.length; i++) {
      const m = p.asyncq[i];
      if (src !== ANY && src !== m.source) continue;
      p.asyncq.splice(i, 1);
      p.flags |= F_RECEIVING; p.recvFrom = src;
      this.deliver(p, m, m.source, false);
      return;
    }
    p.flags |= F_RECEIVING;
    p.recvFrom = src;
  }

  private notifyMessage(): Outgoing {
    return { type: NOTIFY_MESSAGE, timestamp: this.now };
  }

  /** Post a notification from `from` (a process, KERNEL or CLOCK) to `dstEp`. */
  doNotify(from: number, dstEp: number, sender: Proc | null): void {
    const dst = this.proc(dstEp);
    if (dst) {
      if (this.wantsUnsolicited(dst, from) && !(dst.flags & F_CRASHED)) this.deliver(dst, this.notifyMessage(), from, false);
      else addPending(dst.notifyPending, from);
    }
    if (sender) { sender.resumeVal = dst ? OK : -EDEADSRCDST; this.makeReady(sender, true); }
  }

  private doAsynsend(p: Proc, dstEp: number, m: Outgoing): void {
    const dst = this.proc(dstEp);
    if (!dst) return this.ipcResult(p, false, EDEADSRCDST);
    if (this.wantsUnsolicited(dst, p.endpoint) && !(dst.flags & F_CRASHED)) this.deliver(dst, m, p.endpoint, false);
    else {
      const c = { ...m } as Msg;
      c.source = p.endpoint;
      dst.asyncq.push(c);
    }
    this.ipcResult(p, false, OK);
  }

  /** Send a reply on behalf of the kernel or the recovery layer (not from a process). */
  replyFromKernel(dstEp: number, fromEp: number, m: Outgoing): boolean {
    const dst = this.proc(dstEp);
    if (!dst || !this.wants(dst, fromEp)) return false;
    this.deliver(dst, m, fromEp, false);
    return true;
  }

  /* ------------------------------------------------------------------ */
  /* timers                                                               */

  lastRunSlot(): number { return this.lastRun ? this.lastRun.slot : -1; }
  setLastRunSlot(slot: number): void { this.lastRun = slot >= 0 ? this.procs[slot] : null; }
  refreshAlarms(): void { this.recomputeNextAlarm(); }

  /** Set (at >= 0) or cancel (at < 0) the alarm of p. */
  setAlarm(p: Proc, at: number, watchdog: boolean): void {
    p.alarmAt = at;
    p.alarmWatchdog = watchdog;
    this.recomputeNextAlarm();
  }

  private recomputeNextAlarm(): void {
    let next = Infinity;
    for (const p of this.procs) if (p.alarmAt >= 0 && p.alarmAt < next) next = p.alarmAt;
    this.nextAlarm = next;
  }

  private fireDueAlarms(): void {
    for (const p of this.procs) {
      if (p.alarmAt >= 0 && p.alarmAt <= this.now) {
        p.alarmAt = -1;
        this.doNotify(CLOCK, p.endpoint, null);
      }
    }
    this.recomputeNextAlarm();
  }

  /* ------------------------------------------------------------------ */
  /* faults                                                               */

  /** Stop a live server that was declared hung (its coroutine is dropped, as a kill would). */
  killServer(p: Proc, message: string): void {
    if (p.flags & F_CRASHED) return;
    const info: CrashInfo = { endpoint: p.endpoint, name: p.name, reason: 'hang', message, time: this.now };
    this.crashes.push(info);
    this.trace.event(this.now, `killed hung ${p.name}: ${message}`);
    this.detachIpc(p);
    this.unready(p);
    p.co = null;
    p.flags |= F_CRASHED;
  }

  /** Clear a crashed server's own IPC state so a clone can take over the slot. */
  detachCrashed(p: Proc): void {
    this.detachIpc(p);
    this.unready(p);
    p.flags = 0;
    p.steps = 0;
    p.resumeVal = undefined;
  }

  private detachIpc(p: Proc): void {
    if (p.flags & F_SENDING) {
      const dst = this.proc(p.sendTo);
      if (dst) dst.sendq = dst.sendq.filter((q) => q !== p);
    }
    p.flags &= ~(F_SENDING | F_RECEIVING);
    p.sendTo = NONE; p.outMsg = null; p.recvFrom = NONE; p.replyPending = false;
  }

  /** Is `q` blocked waiting for a reply from `fromEp`? */
  awaitsReplyFrom(q: Proc, fromEp: number): boolean {
    return (q.flags & F_RECEIVING) !== 0 && q.recvFrom === fromEp && q.replyPending;
  }

  /** An exception escaped a process: the analog of a trap in a process. */
  processFault(p: Proc, e: unknown): void {
    const reason: CrashInfo['reason'] = e instanceof HangDetected ? 'hang' : e instanceof ServerPanic ? 'panic'
      : e instanceof SegFault ? 'segfault' : 'exception';
    const info: CrashInfo = { endpoint: p.endpoint, name: p.name, reason, message: e instanceof Error ? e.message : String(e), time: this.now };
    this.crashes.push(info);
    this.trace.event(this.now, `fault in ${p.name}: ${info.message}`);
    this.unready(p);
    p.co = null;
    p.flags |= F_CRASHED;
    if (p.kind === 'user') {
      // A user trap becomes a signal death that PM handles (MINIX's SIGKSIG path).
      p.ksigs |= sigbit(SIGSEGV);
      this.doNotify(KERNEL, PM, null);
      return;
    }
    if (this.hooks.serverCrashed(this, p, info)) return;
    if (this.recovery) { this.recovering++; }
    if (p.endpoint === RS) { this.halt('crash', `RS crashed: ${info.message}`); return; }
    this.doNotify(KERNEL, RS, null);
  }
}

/** Insert `from` into the ascending set `q` (the pending notifications), unless present. */
function addPending(q: number[], from: number): void {
  let i = q.length;
  while (i > 0 && q[i - 1] > from) i--;
  if (i > 0 && q[i - 1] === from) return;
  q.splice(i, 0, from);
}
