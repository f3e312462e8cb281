/*
 * What a server is to the rest of the system: its definition (call table,
 * data section factory, startup) and the context its handlers get. Handlers
 * are `do_*` generator functions: they may do IPC by yielding traps, and
 * return the reply, or null for "no reply now" (the reply is sent later).
 *
 * The entry points into this file are:
 *   ServerDef            a server: name, slot, priority, kernel calls, data section, startup, call table
 *   ServerCtx            what a handler gets: the data section, its own endpoint, kernel calls
 *   Handler, CallEntry   a call table's handler and entry, typed by the message type's layout
 *   CallTable            a call table: message type -> the entry of that type
 *   entry                a call table line: `entry(PM_FORK, 'fork', do_fork)`
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
import type { MsgType, NotifyMsg, Reply, Req } from '../proto/messages';

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

/** A handler of message type T: gets T's request, returns T's reply (or null: no reply now). */
export type Handler<S, T extends MsgType> = (ctx: ServerCtx<S>, m: Req<T>) => Co<Reply<T> | null>;

export interface CallEntry<S, T extends MsgType> {
  /** The message type the entry handles (its key in the table). */
  type: T;
  /** The POSIX or protocol name beside the handler, as in MINIX's table.c. */
  name: string;
  handler: Handler<S, T>;
}

/** What the SEF loop sees of an entry: a handler of whatever type it was looked up by. */
export interface AnyCallEntry<S> {
  type: number;
  name: string;
  handler(ctx: ServerCtx<S>, m: Msg): Co<Outgoing | null>;
}

/** A call table: each message type's entry handles that type's layout; the loop looks entries up by number. */
export type CallTable<S> = { [T in MsgType]?: CallEntry<S, T> } & { readonly [type: number]: AnyCallEntry<S> | undefined };

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
  table: CallTable<S>;
  /** Notifications (alarms, kernel signals); heartbeats are answered by SEF itself. */
  notify?(ctx: ServerCtx<S>, m: NotifyMsg): Co<void>;
  /** Number of cooperative worker threads (VFS); 0 or absent for a single-threaded server. */
  workers?: number;
  /** The SEF loop linked into this server's build (an instrumented variant's own copy); absent: the plain one. */
  main?: (def: ServerDef<S>, ctx: ServerCtx<S>, env: SefEnv, mode: StartMode) => Co<never>;
}

/** Helper for call tables: `entry(PM_FORK, 'fork', do_fork)`; do_fork must take PM_FORK's layout. */
export function entry<S, T extends MsgType>(type: T, name: string, handler: Handler<S, T>): CallEntry<S, T> {
  return { type, name, handler };
}
