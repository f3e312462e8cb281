/*
 * Kernel calls (MINIX's SYS_* calls), bound to the calling system process.
 * Every call is checked against the caller's privileges, charged to
 * simulated time, counted as a step, and passed through the SEEP hook.
 * Calls never block; bad arguments return a negated errno (a faulty server
 * gets an error back, not a kernel panic).
 *
 * The entry points into this file are:
 *   SysCalls   one method per kernel call (ctx.sys in a handler)
 *   ProcInfo   a row of GET_PROCTAB
 */
import { EFAULT, EINVAL, ENOEXEC, EPERM, ESRCH, OK, ECALLDENIED, EAGAIN, ENOSYS } from '../proto/errno';
import { KERNEL, NONE, PM, isSystemSlot } from '../proto/endpoints';
import { sigbit } from '../proto/signals';
import * as K from '../proto/kcalls';
import { COST } from './cost';
import { SegFault } from './errors';
import { CrashInfo, HaltKind, Kernel, ServiceFiDelivery } from './kernel';
import { NR_FRAMES, VPAGES } from './memory';
import { F_CRASHED, F_FREE, F_RECEIVING, Grant, Proc } from './proc';

export interface ProcInfo { slot: number; endpoint: number; name: string; kind: string }

export class SysCalls {
  constructor(private readonly k: Kernel, private readonly self: Proc) {}

  /** Entry of every call: privilege check, accounting, hang detection, SEEP hook. */
  private enter(nr: number, target: number): boolean {
    const p = this.self;
    this.k.now += COST.kernelCall;
    p.sysTime += COST.kernelCall;
    this.k.step();
    this.k.hooks.seep(p, 'kcall', target, nr);
    return (p.callMask & (1 << nr)) !== 0;
  }

  private copied(bytes: number): void {
    const ns = bytes * COST.copyPerByte;
    this.k.now += ns;
    this.self.sysTime += ns;
  }

  private user(ep: number): Proc | null {
    const p = this.k.proc(ep);
    return p && p.kind === 'user' ? p : null;
  }

  /** SYS_FORK: make `childSlot` a copy of `parentEp` (memory is VM's job). Returns the child endpoint. */
  fork(parentEp: number, childSlot: number): number {
    if (!this.enter(K.SYS_FORK, parentEp)) return -ECALLDENIED;
    const parent = this.user(parentEp);
    if (!parent) return -ESRCH;
    if (isSystemSlot(childSlot)) return -EINVAL;
    const child = this.k.allocUser(childSlot, parent.name);
    if (!child) return -EAGAIN;
    child.program = parent.program;
    this.k.userland.fork(this.k, parent, child);
    parent.forkBody = null;
    // The child starts as if it had called fork and waits for PM's reply.
    child.flags = F_RECEIVING;
    child.recvFrom = PM;
    return child.endpoint;
  }

  /** SYS_EXEC: replace the process image with a program from the workload. */
  exec(ep: number, program: string, argv: string[]): number {
    if (!this.enter(K.SYS_EXEC, ep)) return -ECALLDENIED;
    const p = this.user(ep);
    if (!p) return -ESRCH;
    const co = this.k.userland.exec(this.k, p, program, argv);
    if (!co) return -ENOEXEC;
    this.k.unready(p);
    p.co = co;
    p.program = program;
    p.name = program;
    p.flags = 0;
    p.recvFrom = NONE;
    p.grants = [];
    p.resumeVal = undefined;
    this.k.makeReady(p, false);
    return OK;
  }

  /** SYS_EXIT: remove a user process from the kernel. */
  exit(ep: number): number {
    if (!this.enter(K.SYS_EXIT, ep)) return -ECALLDENIED;
    const p = this.user(ep);
    if (!p) return -ESRCH;
    this.k.freeProc(p);
    return OK;
  }

  /** SYS_KILL: raise a signal that PM will handle. */
  kill(ep: number, sig: number): number {
    if (!this.enter(K.SYS_KILL, ep)) return -ECALLDENIED;
    const p = this.user(ep);
    if (!p) return -ESRCH;
    p.ksigs |= sigbit(sig);
    this.k.doNotify(KERNEL, PM, null);
    return OK;
  }

  /** SYS_GETKSIG: the next process with kernel-raised signals, clearing them; null when none. */
  getksig(): { endpoint: number; sigs: number; fault: boolean } | null {
    if (!this.enter(K.SYS_GETKSIG, KERNEL)) return null;
    for (const p of this.k.procs) {
      if (p.kind === 'user' && p.ksigs !== 0) {
        const sigs = p.ksigs;
        p.ksigs = 0;
        return { endpoint: p.endpoint, sigs, fault: (p.flags & F_CRASHED) !== 0 };
      }
    }
    return null;
  }

  /** SYS_SIGSEND: make the process run a caught signal's handler when it next runs. */
  sigsend(ep: number, sig: number, handler: number, mask: number): number {
    if (!this.enter(K.SYS_SIGSEND, ep)) return -ECALLDENIED;
    const p = this.user(ep);
    if (!p || !p.user || p.flags & F_CRASHED) return -ESRCH;
    p.user.pendingCatch.push({ sig, handler, mask });
    return OK;
  }

  /** SYS_SETALARM: notify the caller at absolute simulated time `at` (< 0 cancels). Returns the previous alarm. */
  setalarm(at: number, watchdog = false): number {
    if (!this.enter(K.SYS_SETALARM, KERNEL)) return -ECALLDENIED;
    const prev = this.self.alarmAt;
    this.k.setAlarm(this.self, at, watchdog);
    return prev;
  }

  /** SYS_TIMES: the current simulated time, and a process's user and system time. */
  times(ep: number): { now: number; user: number; sys: number } {
    this.enter(K.SYS_TIMES, ep);
    const p = this.k.proc(ep);
    return { now: this.k.now, user: p ? p.userTime : 0, sys: p ? p.sysTime : 0 };
  }

  /** SYS_VMCTL: change a page-table entry (VM only). */
  vmctl(op: number, ep: number, vpage: number, frame: number): number {
    if (!this.enter(K.SYS_VMCTL, ep)) return -ECALLDENIED;
    const p = this.k.proc(ep);
    if (!p) return -ESRCH;
    if (op === K.VMCTL_CLEAR) { p.pt.fill(-1); return OK; }
    if (vpage < 1 || vpage >= VPAGES) return -EINVAL;
    if (op === K.VMCTL_MAP) {
      if (frame < 0 || frame >= NR_FRAMES) return -EINVAL;
      p.pt[vpage] = frame;
      return OK;
    }
    if (op === K.VMCTL_UNMAP) { p.pt[vpage] = -1; return OK; }
    return -EINVAL;
  }

  physcopy(src: number, dst: number): number {
    if (!this.enter(K.SYS_PHYSCOPY, KERNEL)) return -ECALLDENIED;
    if (src < 0 || src >= NR_FRAMES || dst < 0 || dst >= NR_FRAMES) return -EINVAL;
    this.k.mem.copyFrame(src, dst);
    this.copied(4096);
    return OK;
  }

  physzero(frame: number): number {
    if (!this.enter(K.SYS_PHYSZERO, KERNEL)) return -ECALLDENIED;
    if (frame < 0 || frame >= NR_FRAMES) return -EINVAL;
    this.k.mem.zeroFrame(frame);
    this.copied(1024);
    return OK;
  }

  private grantFor(granterEp: number, gid: number, access: number, off: number, len: number): { g: Grant; owner: Proc } | number {
    const granter = this.k.proc(granterEp);
    if (!granter) return -ESRCH;
    const g = granter.grants[gid];
    if (!g || g.grantee !== this.self.endpoint || (g.access & access) === 0) return -EPERM;
    if (off < 0 || len < 0 || off + len > g.len) return -EINVAL;
    const owner = this.k.proc(g.owner);
    if (!owner) return -ESRCH;
    return { g, owner };
  }

  /** SYS_SAFECOPYFROM: read through a grant. Returns the bytes or a negated errno. */
  safecopyFrom(granterEp: number, gid: number, off: number, len: number): Uint8Array | number {
    if (!this.enter(K.SYS_SAFECOPYFROM, granterEp)) return -ECALLDENIED;
    const r = this.grantFor(granterEp, gid, K.CPF_READ, off, len);
    if (typeof r === 'number') return r;
    this.copied(len);
    return this.guard(() => this.k.mem.read(r.owner, r.g.addr + off, len));
  }

  /** SYS_SAFECOPYTO: write through a grant. */
  safecopyTo(granterEp: number, gid: number, off: number, data: Uint8Array): number {
    if (!this.enter(K.SYS_SAFECOPYTO, granterEp)) return -ECALLDENIED;
    const r = this.grantFor(granterEp, gid, K.CPF_WRITE, off, data.length);
    if (typeof r === 'number') return r;
    this.copied(data.length);
    const res = this.guard(() => { this.k.mem.write(r.owner, r.g.addr + off, data); return OK; });
    return res;
  }

  /** SYS_VIRCOPYFROM: read a user process's memory directly (VFS and PM). */
  vircopyFrom(ep: number, addr: number, len: number): Uint8Array | number {
    if (!this.enter(K.SYS_VIRCOPYFROM, ep)) return -ECALLDENIED;
    const p = this.user(ep);
    if (!p) return -ESRCH;
    this.copied(len);
    return this.guard(() => this.k.mem.read(p, addr, len));
  }

  /** SYS_VIRCOPYTO: write a user process's memory directly. */
  vircopyTo(ep: number, addr: number, data: Uint8Array): number {
    if (!this.enter(K.SYS_VIRCOPYTO, ep)) return -ECALLDENIED;
    const p = this.user(ep);
    if (!p) return -ESRCH;
    this.copied(data.length);
    return this.guard(() => { this.k.mem.write(p, addr, data); return OK; });
  }

  /** SYS_SETGRANT: grant `grantee` access to memory of `owner` (the caller, or for VFS a user process). */
  setgrant(grantee: number, owner: number, addr: number, len: number, access: number): number {
    if (!this.enter(K.SYS_SETGRANT, grantee)) return -ECALLDENIED;
    if (!this.k.proc(owner) || !this.k.proc(grantee)) return -ESRCH;
    const gs = this.self.grants;
    let gid = gs.indexOf(null);
    if (gid < 0) gid = gs.length;
    gs[gid] = { grantee, owner, addr, len, access };
    return gid;
  }

  revoke(gid: number): number {
    if (!this.enter(K.SYS_REVOKE, KERNEL)) return -ECALLDENIED;
    if (!this.self.grants[gid]) return -EINVAL;
    this.self.grants[gid] = null;
    return OK;
  }

  /** SYS_GETINFO: crash information for RS, the process table, boot time. */
  getinfo(what: number): unknown {
    this.enter(K.SYS_GETINFO, KERNEL);
    switch (what) {
      case K.GET_CRASHINFO: return this.k.crashes.length ? { ...this.k.crashes[this.k.crashes.length - 1] } as CrashInfo : null;
      case K.GET_BOOTTIME: return 0;
      case K.GET_PROCTAB: return this.k.procs.filter((p) => !(p.flags & F_FREE)).map((p): ProcInfo => ({ slot: p.slot, endpoint: p.endpoint, name: p.name, kind: p.kind }));
      default: return null;
    }
  }

  /** SYS_PRIVCTL: set or query which kernel calls a system process may make (RS only). */
  privctl(ep: number, op: number, mask: number): number {
    if (!this.enter(K.SYS_PRIVCTL, ep)) return -ECALLDENIED;
    const p = this.k.proc(ep);
    if (!p || p.kind !== 'server') return -ESRCH;
    if (op === K.PRIV_ALLOW) { p.callMask = mask >>> 0; return OK; }
    if (op === K.PRIV_QUERY) return p.callMask;
    return -EINVAL;
  }

  /** SYS_ABORT: stop the system (RS: an unrecoverable crash, or a controlled shutdown). */
  abort(kind: Extract<HaltKind, 'crash' | 'shutdown'>, reason: string): number {
    if (!this.enter(K.SYS_ABORT, KERNEL)) return -ECALLDENIED;
    this.k.halt(kind, reason);
    return OK;
  }

  /** SYS_DIAGCTL: a diagnostic line from a server (its printf). */
  diag(text: string): void {
    this.enter(K.SYS_DIAGCTL, KERNEL);
    this.k.trace.event(this.k.now, `${this.self.name}: ${text}`);
  }

  /** How this system carries out `service fi` (RS asks before it acts). */
  serviceFiDelivery(): ServiceFiDelivery { return this.k.serviceFi; }

  /** `service fi` (SYS_DIAGCTL): make a server crash at its next request (RS only). */
  fiArm(ep: number): number {
    if (!this.enter(K.SYS_DIAGCTL, ep)) return -ECALLDENIED;
    const p = this.k.proc(ep);
    if (!p || p.kind !== 'server') return -ESRCH;
    p.fiArmed = true;
    return OK;
  }

  /** Restart a crashed or hung server through the recovery layer (RS only). Returns the action, or -ENOSYS without recovery. */
  recover(ep: number, reason: string): string | number {
    if (!this.enter(K.SYS_PRIVCTL, ep)) return -ECALLDENIED;
    const k = this.k;
    if (!k.recovery) return -ENOSYS;
    const p = k.proc(ep);
    if (!p || p.kind !== 'server') return -ESRCH;
    if (!(p.flags & F_CRASHED)) k.killServer(p, reason);
    const action = k.recovery.recover(p.slot, reason);
    if (k.recovering > 0) k.recovering--;
    return action;
  }

  private guard<T>(f: () => T): T | number {
    try { return f(); } catch (e) { if (e instanceof SegFault) return -EFAULT; throw e; }
  }
}
