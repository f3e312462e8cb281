/*
 * Process, signal, identity, time and memory calls (PM and VM).
 * Message fields here are the protocol: PM and VM read the same names.
 *
 * The entry points into this file are:
 *   LibcProc            fork, exec, exit, wait, signals, ids, time, brk/mmap, ...
 *   ForkBody            the child's continuation given to fork
 *   SigAction, Times    the records of sigaction and times
 *   Main                re-exported from core.ts
 */
import { Co } from '../kernel/types';
import { PM, VM } from '../proto/endpoints';
import * as C from '../proto/calls';
import { EINVAL, ENOMEM } from '../proto/errno';
import { SIG_DFL, SIG_IGN, SIG_FIRST_HANDLER } from '../proto/signals';
import { PAGE_SIZE } from '../proto/vm';
import { LibcCore, Main, SigHandler } from './core';

export type ForkBody = (u: any) => Co<number>;

export interface SigAction { handler: SigHandler | number; mask: number; flags: number }

export interface Times { utime: number; stime: number; cutime: number; cstime: number; now: number }

export class LibcProc extends LibcCore {
  /** fork(): the child runs `child` and exits with its result; the parent gets the child's pid. */
  *fork(child: ForkBody): Co<number> {
    return this.result((yield* this.call(PM, { type: C.PM_FORK }, child)).type);
  }

  /** execv(): only returns on failure (-1, errno). */
  exec(path: string, argv: string[] = [path]): Co<number> {
    return this.intcall(PM, { type: C.PM_EXEC, path, argv: argv.join('\0') });
  }

  /** _exit(): never returns. */
  *exit(status: number): Co<never> {
    yield* this.call(PM, { type: C.PM_EXIT, status: status & 0xff });
    throw new Error('exit returned');
  }

  /** waitpid(): returns [pid, status]; pid -1 with errno on error, 0 with WNOHANG and nothing to reap. */
  *waitpid(pid: number, options = 0): Co<[number, number]> {
    const r = yield* this.call(PM, { type: C.PM_WAITPID, pid, options });
    return [this.result(r.type), r.status ?? 0];
  }

  wait(): Co<[number, number]> { return this.waitpid(-1, 0); }

  kill(pid: number, sig: number): Co<number> { return this.intcall(PM, { type: C.PM_KILL, pid, sig }); }

  /** sigaction(): install a handler (function), SIG_DFL or SIG_IGN; returns the old action or null on error. */
  *sigaction(sig: number, act: SigAction | null): Co<SigAction | null> {
    let handler = -1;
    if (act) handler = typeof act.handler === 'number' ? act.handler : this.handlerId(act.handler);
    const r = yield* this.call(PM, { type: C.PM_SIGACTION, sig, handler, mask: act?.mask ?? 0, flags: act?.flags ?? 0 });
    if (r.type < 0) { this.result(r.type); return null; }
    const old = r.oldHandler as number;
    return { handler: old >= SIG_FIRST_HANDLER ? (this.handlers[old] ?? old) : old, mask: r.oldMask, flags: r.oldFlags };
  }

  /** signal(): the simple form; returns 0 or -1. */
  *signal(sig: number, handler: SigHandler | typeof SIG_DFL | typeof SIG_IGN): Co<number> {
    return (yield* this.sigaction(sig, { handler, mask: 0, flags: 0 })) ? 0 : -1;
  }

  private handlerId(h: SigHandler): number {
    const i = this.handlers.indexOf(h);
    if (i >= SIG_FIRST_HANDLER) return i;
    this.handlers.push(h);
    return this.handlers.length - 1;
  }

  /** sigprocmask(): how 0 only queries. Returns the old mask, or -1. */
  *sigprocmask(how: number, mask: number): Co<number> {
    const r = yield* this.call(PM, { type: C.PM_SIGPROCMASK, how, mask });
    return r.type < 0 ? this.result(r.type) : r.old >>> 0;
  }

  *sigpending(): Co<number> {
    const r = yield* this.call(PM, { type: C.PM_SIGPENDING });
    return r.type < 0 ? this.result(r.type) : r.mask >>> 0;
  }

  /** sigsuspend(): always returns -1 with EINTR after a handler ran. */
  sigsuspend(mask: number): Co<number> { return this.intcall(PM, { type: C.PM_SIGSUSPEND, mask }); }

  pause(): Co<number> { return this.intcall(PM, { type: C.PM_SIGSUSPEND, mask: -1 }); }

  /** alarm(seconds): returns the seconds left of the previous alarm. */
  *alarm(seconds: number): Co<number> {
    const r = yield* this.call(PM, { type: C.PM_ALARM, ns: seconds * 1e9 });
    return r.type < 0 ? this.result(r.type) : Math.ceil(r.remaining / 1e9);
  }

  /** ualarm-like: an alarm in simulated nanoseconds; returns the nanoseconds left of the previous one. */
  *alarmNs(ns: number): Co<number> {
    const r = yield* this.call(PM, { type: C.PM_ALARM, ns });
    return r.type < 0 ? this.result(r.type) : r.remaining;
  }

  *getpid(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETPID })).type; }
  *getppid(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETPID })).ppid; }
  *getuid(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETUID })).type; }
  *geteuid(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETUID })).euid; }
  *getgid(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETGID })).type; }
  *getegid(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETGID })).egid; }
  setuid(uid: number): Co<number> { return this.intcall(PM, { type: C.PM_SETUID, uid }); }
  setgid(gid: number): Co<number> { return this.intcall(PM, { type: C.PM_SETGID, gid }); }
  seteuid(uid: number): Co<number> { return this.intcall(PM, { type: C.PM_SETEUID, uid }); }
  setegid(gid: number): Co<number> { return this.intcall(PM, { type: C.PM_SETEGID, gid }); }
  getpgrp(): Co<number> { return this.intcall(PM, { type: C.PM_GETPGRP }); }
  setsid(): Co<number> { return this.intcall(PM, { type: C.PM_SETSID }); }
  setpgid(pid: number, pgid: number): Co<number> { return this.intcall(PM, { type: C.PM_SETPGID, pid, pgid }); }
  getpriority(): Co<number> { return this.intcall(PM, { type: C.PM_GETPRIORITY }); }
  setpriority(prio: number): Co<number> { return this.intcall(PM, { type: C.PM_SETPRIORITY, prio }); }

  *times(): Co<Times | null> {
    const r = yield* this.call(PM, { type: C.PM_TIMES });
    if (r.type < 0) { this.result(r.type); return null; }
    return { utime: r.utime, stime: r.stime, cutime: r.cutime, cstime: r.cstime, now: r.now };
  }

  /** gettimeofday() in simulated nanoseconds since boot. */
  *clock(): Co<number> { return (yield* this.call(PM, { type: C.PM_GETTIMEOFDAY })).now; }

  /* ---- memory (VM) ---- */

  *brk(addr: number): Co<number> {
    const r = yield* this.intcall(VM, { type: C.VM_BRK, addr });
    if (r === 0) this.brkAddr = addr;
    return r;
  }

  /** sbrk(): returns the old break, or -1 with ENOMEM. */
  *sbrk(incr: number): Co<number> {
    const old = this.brkAddr;
    if (incr === 0) return old;
    if ((yield* this.brk(old + incr)) < 0) return -1;
    return old;
  }

  /** malloc() on top of sbrk (no free list: test programs are short-lived). */
  *malloc(n: number): Co<number> {
    const a = yield* this.sbrk((n + 15) & ~15);
    return a < 0 ? this.fail(ENOMEM) : a;
  }

  /** mmap(anonymous): returns the address or -1. */
  *mmap(len: number, addr = 0): Co<number> {
    if (len <= 0) return this.fail(EINVAL);
    const r = yield* this.call(VM, { type: C.VM_MMAP, addr, len });
    return r.type < 0 ? this.result(r.type) : r.addr;
  }

  munmap(addr: number, len: number): Co<number> { return this.intcall(VM, { type: C.VM_MUNMAP, addr, len }); }

  *vminfo(): Co<{ free: number; total: number; pageSize: number }> {
    const r = yield* this.call(VM, { type: C.VM_INFO });
    return { free: r.free, total: r.total, pageSize: PAGE_SIZE };
  }
}

export type { Main };
