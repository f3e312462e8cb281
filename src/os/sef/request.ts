/*
 * What a server's two loops share (the single-threaded loop in loop.ts and
 * the worker threads in threads.ts): the environment the boot image gives
 * a server's coroutine, and the steps of handling one request — telling a
 * heartbeat apart, dispatching through the call table, replying, and the
 * `service fi` crash. Kept apart from both loops so that neither imports
 * the other.
 *
 * The entry points into this file are:
 *   SefEnv, StartMode       a server coroutine's environment and how it starts
 *   Worker, ThreadPool      a multithreaded server's workers (their run-time state)
 *   isHeartbeat             RS's heartbeat, answered by SEF itself
 *   dispatch                a request to its handler in the call table
 *   reply                   the reply to a request (never blocking on a waiting requester)
 *   serviceFiCrash          the injected crash of `service fi`
 */
import { RS } from '../proto/endpoints';
import { ENOSYS } from '../proto/errno';
import { NOTIFY_MESSAGE } from '../proto/calls';
import { send, sendnb } from '../kernel/ipc-api';
import { Proc } from '../kernel/proc';
import { Co, Msg, Outgoing, Trap } from '../kernel/types';
import { SefHooks } from './hooks';
import { ServerCtx, ServerDef } from './server';

export interface SefEnv {
  proc: Proc;
  hooks: () => SefHooks;
  /** A multithreaded server's workers: kept across a restart (the paper keeps inactive threads). */
  pool?: ThreadPool;
}

/** fresh: boot; restart: a clone taking over; resume: continue a snapshot at the top of the loop. */
export type StartMode = 'fresh' | 'restart' | 'resume';

export interface Worker {
  id: number;
  co: Co<Outgoing | null> | null;
  requester: number;
  replyable: boolean;
  /** The request this worker is handling. */
  request: Msg | null;
}

/** The threads' run-time state (their stacks): not part of the data section. */
export interface ThreadPool {
  workers: Worker[];
  /** Requests that found no idle worker, in arrival order. */
  pending: { m: Msg; replyable: boolean }[];
  /** Workers waiting for a reply, per endpoint, in the order they sent. */
  waiting: Map<number, Worker[]>;
  /** The worker whose request opened the current window. */
  windowOwner: Worker | null;
  /** The worker running right now (a crash happens in it). */
  running: Worker | null;
}

export function isHeartbeat<S>(ctx: ServerCtx<S>, m: Msg): boolean {
  return m.type === NOTIFY_MESSAGE && m.source === RS && ctx.self !== RS;
}

export function dispatch<S>(def: ServerDef<S>, ctx: ServerCtx<S>, m: Msg): Co<Outgoing | null> {
  const e = def.table[m.type];
  return e ? e.handler(ctx, m) : unknownCall();
}

function* unknownCall(): Co<Outgoing | null> {
  return { type: -ENOSYS };
}

/**
 * A reply never blocks a server on a requester that is waiting in sendrec;
 * a request that came asynchronously (a VFS worker's) is answered with a
 * blocking send, since its sender is always back at its receive.
 */
export function reply(dst: number, r: Outgoing, replyable: boolean): Trap {
  return replyable ? sendnb(dst, r) : send(dst, r);
}

/** `service fi`: the armed server faults inside its next request, as an injected crash would. */
export function serviceFiCrash(env: SefEnv): never {
  env.proc.fiArmed = false;
  throw new Error(`service fi: injected crash of ${env.proc.name}`);
}
