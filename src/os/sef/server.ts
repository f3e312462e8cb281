/*
 * What a server is to the rest of the system: its definition (call table,
 * data section factory, startup) and the context its handlers get. Handlers
 * are `do_*` generator functions: they may do IPC by yielding traps, and
 * return the reply, or null for "no reply now" (the reply is sent later).
 *
 * The entry points into this file are:
 *   ServerDef            a server: name, slot, priority, kernel calls, data section, startup, call table
 *   ServerCtx            what a handler gets: the data section, its own endpoint, kernel calls
 *   Handler, CallEntry   a call table's handler and entry
 *   entry                a call table line: `entry('fork', do_fork)`
 *   BootParams           what the boot image tells every server
 */
import { Co, Msg, Outgoing } from '../kernel/types';
import { SysCalls } from '../kernel/syscalls';
import type { Proc } from '../kernel/proc';
import type { SefHooks } from './hooks';
import type { ThreadPool } from './threads';

/** What the SEF loop of a server runs with (the world builds it). */
export interface SefEnv {
  proc: Proc;
  hooks: () => SefHooks;
  /** A multithreaded server's workers: kept across a restart (the paper keeps inactive threads). */
  pool?: ThreadPool;
}

/** fresh: boot; restart: a clone taking over; resume: continue a snapshot at the top of the loop. */
export type StartMode = 'fresh' | 'restart' | 'resume';

/** What the boot image tells every server. */
export interface BootParams {
  /** Programs installed in /bin (one file per program naming it). */
  programs: string[];
}

export interface ServerCtx<S> {
  /** The data section: all of the server's state. */
  st: S;
  readonly self: number;
  readonly name: string;
  readonly sys: SysCalls;
  /** Whether the request being handled can be replied to (decided by the kernel). */
  replyable(): boolean;
}

export type Handler<S> = (ctx: ServerCtx<S>, m: Msg) => Co<Outgoing | null>;

export interface CallEntry<S> {
  /** The POSIX or protocol name beside the handler, as in MINIX's table.c. */
  name: string;
  handler: Handler<S>;
}

export interface ServerDef<S> {
  name: string;
  slot: number;
  prio: number;
  /** Kernel calls this server may make (bit per SYS_* number). */
  callMask: number;
  /** A fresh data section, as at boot. */
  initialState(params: BootParams): S;
  /** SEF "init fresh": run once at boot before the first receive. */
  initFresh?(ctx: ServerCtx<S>): Co<void>;
  /** SEF "init restart": run when a clone takes over (or after a snapshot restore). */
  initRestart?(ctx: ServerCtx<S>): Co<void>;
  /** The call table: message type -> handler. */
  table: Record<number, CallEntry<S>>;
  /** Notifications (alarms, kernel signals); heartbeats are answered by SEF itself. */
  notify?(ctx: ServerCtx<S>, m: Msg): Co<void>;
  /** Number of cooperative worker threads (VFS); 0 or absent for a single-threaded server. */
  workers?: number;
  /** The SEF loop linked into this server's build (an instrumented variant's own copy); absent: the plain one. */
  main?: (def: ServerDef<S>, ctx: ServerCtx<S>, env: SefEnv, mode: StartMode) => Co<never>;
}

/** Helper for call tables: `entry('fork', do_fork)`. */
export function entry<S>(name: string, handler: Handler<S>): CallEntry<S> {
  return { name, handler };
}
