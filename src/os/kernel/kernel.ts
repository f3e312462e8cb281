/*
 * The microkernel: the process table, the run loop, simulated time and
 * faults. Processes are coroutines; the kernel resumes one at a time and
 * handles the trap it yields. Message passing is ipc.ts, the ready queues
 * scheduler.ts, alarms timers.ts, kernel calls syscalls.ts. Everything is
 * deterministic: the same inputs make the same run, message for message.
 *
 * The entry points into this file are:
 *   Kernel.run()           run until init waits for the harness, or the run ends
 *   Kernel.spawnServer()   put a system process in its boot slot
 *   Kernel.processFault()  an exception escaped a process
 */
import { ANY, CLOCK, GEN_SPAN, KERNEL, NR_SLOTS, PM, RS, slotOf } from '../proto/endpoints';
import { SIGSEGV, sigbit } from '../proto/signals';
import { OK } from '../proto/errno';
import { NOTIFY_MESSAGE } from '../proto/calls';
import { COST } from './cost';
import { HangDetected, KernelPanic, SegFault, ServerPanic } from './errors';
import { PhysMem, VPAGES } from './memory';
import { F_CRASHED, F_FREE, F_HARNESS, F_NOSTART, F_RECEIVING, F_SENDING, PRIO_USER, Proc } from './proc';
import { Trace } from './trace';
import { LivelockWatch } from './livelock';
import { Ipc } from './ipc';
import { Scheduler } from './scheduler';
import { Timers } from './timers';
import { Co, Outgoing, Trap, T_CPU, T_HARNESS, T_NOTIFY, T_RECEIVE, T_SEND, T_SENDA, T_SENDNB, T_SENDREC } from './types';

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
  /**
   * A user process's coroutine (its program, or a forked child's body)
   * returned `value` or threw `thrown`: what the process runs next (its
   * exit), or null when it threw a fault of the process. The program's own
   * generator is the process's coroutine, with no wrapper level between it
   * and the kernel: every trap would pass through one.
   */
  ended(k: Kernel, p: Proc, how: { value: unknown } | { thrown: unknown }): Co<unknown> | null;
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

/**
 * What `service fi` does (RS's do_service_fi): 'next-request' arms the server
 * (SYS_DIAGCTL) to crash inside its next request; 'request' is MINIX's way:
 * RS sends the server a COMMON_REQ_FI_CTL request and the server crashes
 * handling it.
 */
export type ServiceFiDelivery = 'next-request' | 'request';

export class Kernel {
  readonly procs: Proc[] = [];
  readonly mem: PhysMem;
  readonly trace = new Trace();
  readonly ipc: Ipc;
  readonly sched = new Scheduler();
  readonly timers: Timers;
  now = 0;
  /** Instrumentation overhead (undo logging etc.), kept apart so it never perturbs the schedule. */
  overheadNs = 0;
  hooks: KernelHooks = NO_HOOKS;
  /** The recovery layer RS calls (SYS_PRIVCTL-level "restart"); null when recovery is not installed. */
  recovery: RecoveryPort | null = null;
  /** How RS carries out `service fi` (a configuration of the run, not part of a snapshot). */
  serviceFi: ServiceFiDelivery = 'next-request';
  current: Proc | null = null;
  halted: Halt | null = null;
  crashes: CrashInfo[] = [];
  /** Simulated-time limit of this run (ns); past it the run is a timeout. */
  timeLimit = Infinity;
  messageLimit = Infinity;
  /** Halts a run in which no system call of a user process returns for too many messages (livelock.ts); off unless a run sets its window. */
  readonly livelock = new LivelockWatch();
  /** Called when this kernel starts running (the instrumentation hooks follow the running world). */
  onRun: (() => void) | null = null;
  private lastRun: Proc | null = null;

  /** `memImage`: start with a copy of this physical memory (a snapshot's) instead of zeroed memory. */
  constructor(readonly userland: UserLand, readonly harness: HarnessPort, memImage?: Uint8Array) {
    this.mem = new PhysMem(memImage);
    // One buffer for all page tables: a world is created at every snapshot restore.
    const pts = new Int32Array(NR_SLOTS * VPAGES);
    for (let i = 0; i < NR_SLOTS; i++) this.procs.push(new Proc(i, VPAGES, pts.subarray(i * VPAGES, (i + 1) * VPAGES)));
    this.ipc = new Ipc(this);
    this.timers = new Timers(this);
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
    const p = this.procs[slot]!;
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
    this.ipc.release(p);
    const gen = p.gen;
    p.reset();
    p.gen = gen;
  }

  /* ------------------------------------------------------------------ */
  /* what the rest of the system calls (kept here so callers need one object) */

  makeReady(p: Proc, front: boolean): void { this.sched.makeReady(p, front); }
  unready(p: Proc): void { this.sched.unready(p); }
  /** Servers being recovered (user processes wait meanwhile). */
  get recovering(): number { return this.sched.recovering; }
  set recovering(n: number) { this.sched.recovering = n; }
  doNotify(from: number, dstEp: number, sender: Proc | null): void { this.ipc.notify(from, dstEp, sender); }
  replyFromKernel(dstEp: number, fromEp: number, m: Outgoing): boolean { return this.ipc.replyFromKernel(dstEp, fromEp, m); }
  awaitsReplyFrom(q: Proc, fromEp: number): boolean { return this.ipc.awaitsReplyFrom(q, fromEp); }
  setAlarm(p: Proc, at: number, watchdog: boolean): void { this.timers.setAlarm(p, at, watchdog); }
  refreshAlarms(): void { this.timers.refresh(); }
  lastRunSlot(): number { return this.lastRun ? this.lastRun.slot : -1; }
  setLastRunSlot(slot: number): void { this.lastRun = slot >= 0 ? this.procs[slot]! : null; }

  /* ------------------------------------------------------------------ */
  /* the run loop                                                         */

  /** Run until init waits for the harness with nothing else to do, or the run halts. */
  run(): Halt {
    this.halted = null;
    if (this.onRun) this.onRun();
    const timers = this.timers;
    try {
      while (!this.halted) {
        if (this.now >= timers.nextAlarm) timers.fireDue();
        const p = this.sched.pick();
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
      // init's wait for the harness returns: progress, as a system call returning (livelock.ts).
      this.livelock.progress(this.trace.messages, false);
      init.resumeVal = cmd;
      this.makeReady(init, false);
      return;
    }
    const timers = this.timers;
    if (!timers.progressPossible()) { this.halt('deadlock', this.describeBlocked()); return; }
    if (timers.nextAlarm > this.now) this.now = timers.nextAlarm;
    if (this.now > this.timeLimit) { this.halt('timeout', `simulated time limit of ${this.timeLimit} ns reached`); return; }
    timers.fireDue();
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
    let v = p.resumeVal;
    p.resumeVal = undefined;
    let r: IteratorResult<Trap, unknown>;
    for (;;) {
      try {
        r = p.co!.next(v);
      } catch (e) {
        if (e instanceof KernelPanic) { this.current = null; throw e; }
        // A user program's end (a failed check) continues with its exit in the same step, as a wrapper's catch would.
        const then = p.kind === 'user' ? this.userland.ended(this, p, { thrown: e }) : null;
        if (then) { p.co = then; v = undefined; continue; }
        this.current = null;
        this.processFault(p, e);
        return;
      }
      if (r.done && p.kind === 'user') {
        const then = this.userland.ended(this, p, { value: r.value });
        if (then) { p.co = then; v = undefined; continue; }
      }
      break;
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
    const ipc = this.ipc;
    switch (t.op) {
      case T_SEND: return ipc.send(p, t.ep, t.msg!, false, false);
      case T_SENDREC:
        if (t.extra !== undefined) p.forkBody = t.extra;
        return ipc.send(p, t.ep, t.msg!, true, false);
      case T_SENDNB: return ipc.send(p, t.ep, t.msg!, false, true);
      case T_RECEIVE: return ipc.receive(p, t.ep);
      case T_NOTIFY: return ipc.notify(p.endpoint, t.ep, p);
      case T_SENDA: return ipc.asynsend(p, t.ep, t.msg!);
      case T_CPU:
        this.now += t.ep; p.userTime += t.ep;
        p.resumeVal = OK; this.makeReady(p, false);
        return;
      case T_HARNESS: p.flags |= F_HARNESS; return;
      default: throw new KernelPanic(`bad trap ${t.op} from ${p.name}`);
    }
  }

  /* ------------------------------------------------------------------ */
  /* faults                                                               */

  /** Stop a live server that was declared hung (its coroutine is dropped, as a kill would). */
  killServer(p: Proc, message: string): void {
    if (p.flags & F_CRASHED) return;
    const info: CrashInfo = { endpoint: p.endpoint, name: p.name, reason: 'hang', message, time: this.now };
    this.crashes.push(info);
    this.livelock.progress(this.trace.messages, false);
    this.trace.event(this.now, `killed hung ${p.name}: ${message}`);
    this.ipc.detach(p);
    this.unready(p);
    p.co = null;
    p.flags |= F_CRASHED;
  }

  /** Clear a crashed server's own IPC state so a clone can take over the slot. */
  detachCrashed(p: Proc): void {
    this.ipc.detach(p);
    this.unready(p);
    p.flags = 0;
    p.steps = 0;
    p.resumeVal = undefined;
  }

  /** An exception escaped a process: the analog of a trap in a process. */
  processFault(p: Proc, e: unknown): void {
    const reason: CrashInfo['reason'] = e instanceof HangDetected ? 'hang' : e instanceof ServerPanic ? 'panic'
      : e instanceof SegFault ? 'segfault' : 'exception';
    const info: CrashInfo = { endpoint: p.endpoint, name: p.name, reason, message: e instanceof Error ? e.message : String(e), time: this.now };
    this.crashes.push(info);
    this.livelock.progress(this.trace.messages, false);
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
