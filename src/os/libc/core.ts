/*
 * The user-side runtime of one process: errno, the system-call mechanism,
 * signal-handler dispatch, and the process's view of its own memory.
 * System calls are messages to servers (sendrec); a caught signal's handler
 * runs when the call returns, as a real signal frame would.
 * Calls that only wrap intcall (libc's file, proc, ...) return its generator
 * rather than being generators themselves: every trap of a program passes
 * through each generator level between it and the kernel.
 *
 * The entry points into this file are:
 *   LibcCore               call/intcall, errno, memory access, the I/O buffer and grants
 *   Main, SigHandler       a program's entry and a signal handler
 *   IOBUF, IOBUF_SIZE      where libc stages call data in the process's memory
 *   retryCrashedCalls      make a world's libc repeat calls answered with ECRASH (service disruption)
 *   encoder, decoder       the shared UTF-8 text codecs
 */
import { Kernel } from '../kernel/kernel';
import { Proc, UserData, UserRuntime } from '../kernel/proc';
import { sendrec, cpu } from '../kernel/ipc-api';
import { Co, Msg } from "../kernel/types";
import { DATA_PAGE, DATA_PAGES, HEAP_PAGE, PAGE_SIZE } from '../proto/vm';
import { CPF_READ } from '../proto/kcalls';
import { ECRASH, EINVAL } from '../proto/errno';
import { PM } from '../proto/endpoints';
import { PM_SIGRETURN } from '../proto/calls';
import type { MsgType, Received, Request } from '../proto/messages';

/** A signal handler: runs as the process, may make system calls. */
export type SigHandler = (u: LibcCore, sig: number) => Co<void>;

/** A program's entry point: returns its exit status. */
export type Main = (u: any, argv: string[]) => Co<number>;

/** The I/O staging buffer libc uses for read/write of JS data: the data segment. */
export const IOBUF = DATA_PAGE * PAGE_SIZE;
export const IOBUF_SIZE = DATA_PAGES * PAGE_SIZE;

/**
 * Worlds whose libc repeats a system call answered with ECRASH. Recovery
 * rolled the request back, so repeating it is safe; the service-disruption
 * experiment uses this so programs run through periodic server crashes.
 */
const retryWorlds = new WeakSet<Kernel>();

export function retryCrashedCalls(k: Kernel): void {
  retryWorlds.add(k);
}

export class LibcCore implements UserRuntime {
  errno = 0;
  pendingCatch: { sig: number; handler: number; mask: number }[] = [];
  /** Handler id -> function; ids are what PM records. */
  handlers: (SigHandler | null)[] = [null, null];
  /** Current program break, as libc tracks it. */
  brkAddr = HEAP_PAGE * PAGE_SIZE;
  inHandler = 0;

  constructor(readonly k: Kernel, public p: Proc) {}

  get endpoint(): number { return this.p.endpoint; }

  /** Copy of the runtime for a forked child (memory itself is copied by VM). */
  forkClone(child: Proc): this {
    const c = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(c, this);
    (c as { p: Proc }).p = child;
    c.pendingCatch = [];
    c.handlers = this.handlers.slice();
    c.inHandler = 0;
    return c;
  }

  toData(): UserData {
    return { errno: this.errno, brkAddr: this.brkAddr, handlers: this.handlers.length };
  }

  /* ---- the system-call mechanism ---- */

  /** Send a request to a server and wait for the reply; then run pending signal handlers. The request and its reply are typed by the message type's layout. */
  *call<T extends MsgType>(dst: number, m: Request<T> & { type: T }, extra?: unknown): Co<Received<T>> {
    let r: Received<T> = yield sendrec<T>(dst, m, extra);
    while (r.type === -ECRASH && retryWorlds.has(this.k)) r = yield sendrec<T>(dst, m, extra);
    if (this.pendingCatch.length > 0) yield* this.runHandlers();
    return r;
  }

  /** A call returning an int: negative results set errno and return -1. (call() inlined: one generator less per system call.) */
  *intcall<T extends MsgType>(dst: number, m: Request<T> & { type: T }): Co<number> {
    let r: Msg = yield sendrec<T>(dst, m);
    while (r.type === -ECRASH && retryWorlds.has(this.k)) r = yield sendrec<T>(dst, m);
    if (this.pendingCatch.length > 0) yield* this.runHandlers();
    return this.result(r.type);
  }

  result(v: number): number {
    if (v < 0) { this.errno = -v; return -1; }
    return v;
  }

  fail(errno: number): number {
    this.errno = errno;
    return -1;
  }

  private *runHandlers(): Co<void> {
    while (this.pendingCatch.length > 0) {
      const c = this.pendingCatch.shift()!;
      const h = this.handlers[c.handler];
      this.inHandler++;
      if (h) yield* h(this, c.sig);
      this.inHandler--;
      const r: Received<typeof PM_SIGRETURN> = yield sendrec(PM, { type: PM_SIGRETURN, mask: c.mask });
      void r;
    }
  }

  /** Burn simulated CPU time (computation). */
  *compute(ns: number): Co<void> {
    yield cpu(ns);
    if (this.pendingCatch.length > 0) yield* this.runHandlers();
  }

  /* ---- own memory ---- */

  poke(addr: number, data: Uint8Array): void { this.k.mem.write(this.p, addr, data); }
  peek(addr: number, len: number): Uint8Array { return this.k.mem.read(this.p, addr, len); }

  /** Little-endian u32 (the bytes a DataView would write, without one). */
  pokeU32(addr: number, v: number): void {
    const x = v >>> 0;
    this.poke(addr, new Uint8Array([x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24]));
  }

  peekU32(addr: number): number {
    const b = this.peek(addr, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  /** Stage JS data in the I/O buffer for a system call; returns its address. */
  stage(data: Uint8Array): number {
    if (data.length > IOBUF_SIZE) throw new RangeError(`libc: ${data.length} bytes exceed the I/O buffer`);
    this.poke(IOBUF, data);
    return IOBUF;
  }

  /** A direct grant of own memory to `grantee` (MINIX's cpf_grant_direct). */
  grant(grantee: number, addr: number, len: number, access = CPF_READ): number {
    const gs = this.p.grants;
    let gid = gs.indexOf(null);
    if (gid < 0) gid = gs.length;
    gs[gid] = { grantee, owner: this.p.endpoint, addr, len, access };
    return gid;
  }

  revoke(gid: number): number {
    if (!this.p.grants[gid]) return this.fail(EINVAL);
    this.p.grants[gid] = null;
    return 0;
  }
}

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();
