/*
 * The System Event Framework: a server's startup and its receive loop.
 * Every server runs `serverMain`: init (fresh at boot, restart when a clone
 * takes over), then receive a message at the top of the loop, checkpoint,
 * dispatch through the call table, reply. Heartbeats from RS are answered
 * here, outside the server's own code.
 *
 * A multithreaded server (VFS) runs workerLoop instead: the main loop
 * receives; a new request goes to an idle worker (threads.ts); a worker's
 * sendrec becomes an asynchronous send and the worker waits while the
 * main loop takes other requests. Replies from a server come back in the
 * order the requests were sent to it. Window rule (OSIRIS §IV-E): a
 * worker's window opens when it starts a request and is closed as soon as
 * another worker has run in between.
 *
 * The entry points into this file are:
 *   serverMain                  a server's coroutine (boot, restart, or resume from a snapshot)
 *   SefEnv, StartMode           the environment the world gives it, and how it starts
 *   isHeartbeat, dispatch, reply, serviceFiCrash   the steps of handling one request
 */
import { RS, ANY } from '../proto/endpoints';
import { ENOSYS } from '../proto/errno';
import { COMMON_REQ_FI_CTL, NOTIFY_MESSAGE } from '../proto/calls';
import { receive, send, sendnb, notify, asynsend } from '../kernel/ipc-api';
import { Co, Msg, Outgoing, Trap, T_RECEIVE, T_SENDREC } from '../kernel/types';
import { ServerPanic } from '../kernel/errors';
import { ServerCtx, ServerDef, SefEnv, StartMode } from './server';
import type { NotifyMsg } from '../proto/messages';
import type { ThreadPool, Worker } from './threads';

export type { SefEnv, StartMode } from './server';

/** A server's coroutine: the single-threaded loop, or the worker threads' loop. */
export function serverMain<S>(def: ServerDef<S>, ctx: ServerCtx<S>, env: SefEnv, mode: StartMode): Co<never> {
  return def.workers ? workerLoop(def, ctx, env, mode) : requestLoop(def, ctx, env, mode);
}

function* requestLoop<S>(def: ServerDef<S>, ctx: ServerCtx<S>, env: SefEnv, mode: StartMode): Co<never> {
  if (mode === 'fresh' && def.initFresh) yield* def.initFresh(ctx);
  if (mode === 'restart' && def.initRestart) yield* def.initRestart(ctx);
  while (true) {
    const m: Msg = yield receive(ANY);
    if (isHeartbeat(ctx, m)) { yield notify(RS); continue; }
    const replyable = env.proc.lastReplyable;
    env.hooks().requestStart(env.proc, m, replyable);
    if ((env.proc.fiArmed && m.type !== NOTIFY_MESSAGE) || isFiRequest(m)) serviceFiCrash(env);
    if (m.type === NOTIFY_MESSAGE) {
      if (def.notify) yield* def.notify(ctx, m as NotifyMsg);
    } else {
      const r = yield* dispatch(def, ctx, m);
      if (r) yield reply(m.source, r, replyable);
    }
    env.hooks().requestEnd(env.proc);
  }
}

/**
 * The main loop of a multithreaded server. It is one generator (rather than
 * the main loop delegating to a generator per started request and per
 * resumed worker): every trap of every worker passes through it, so each
 * level of generators between a worker and the kernel would cost on every
 * IPC. `w` is the worker being run (null: start a pending request or
 * receive), `v` the value it is resumed with.
 */
function* workerLoop<S>(def: ServerDef<S>, ctx: ServerCtx<S>, env: SefEnv, mode: StartMode): Co<never> {
  if (mode === 'fresh' && def.initFresh) yield* def.initFresh(ctx);
  if (mode === 'restart' && def.initRestart) yield* def.initRestart(ctx);
  if (!env.pool) {
    env.pool = { workers: [], pending: [], waiting: new Map(), windowOwner: null, running: null };
    for (let i = 0; i < (def.workers ?? 1); i++) env.pool.workers.push({ id: i, co: null, requester: -1, replyable: false, request: null });
  }
  const pool = env.pool;
  let w: Worker | null = null;
  let v: unknown = undefined;
  while (true) {
    if (w === null) {
      // Requests that arrived while no worker was free may be waiting: start them first.
      w = pool.pending.length > 0 ? idleWorker(pool) : null;
      if (w !== null) {
        const { m, replyable } = pool.pending.shift()!;
        w.requester = m.source;
        w.replyable = replyable;
        w.request = m;
        w.co = dispatch(def, ctx, m);
        pool.windowOwner = w;
        pool.running = w;
        env.hooks().requestStart(env.proc, m, replyable);
        if (env.proc.fiArmed || isFiRequest(m)) serviceFiCrash(env);
        v = undefined;
      } else {
        const m: Msg = yield receive(ANY);
        if (isHeartbeat(ctx, m)) { yield notify(RS); continue; }
        const q = pool.waiting.get(m.source);
        if (q && q.length > 0) {
          w = q.shift()!;
          v = m;
        } else if (m.type === NOTIFY_MESSAGE) {
          env.hooks().requestStart(env.proc, m, false);
          if (def.notify) yield* def.notify(ctx, m as NotifyMsg);
          env.hooks().requestEnd(env.proc);
          pool.windowOwner = null;
          continue;
        } else {
          pool.pending.push({ m, replyable: env.proc.lastReplyable });
          continue;
        }
      }
      // Run w until it finishes its request or waits for a reply.
      if (pool.windowOwner !== w) {
        env.hooks().workerSwitch(env.proc, w.request!, w.replyable);
        pool.windowOwner = w;
      }
    }
    pool.running = w;
    const r = w.co!.next(v);
    pool.running = null;
    if (r.done) {
      const out = r.value;
      w.co = null;
      w.request = null;
      if (out) yield reply(w.requester, out, w.replyable);
      env.hooks().requestEnd(env.proc);
      w = null;
      continue;
    }
    const t = r.value;
    if (t.op === T_RECEIVE) throw new ServerPanic(env.proc.name, 'a worker may not receive');
    if (t.op === T_SENDREC) {
      yield asynsend(t.ep, t.msg!);
      let q = pool.waiting.get(t.ep);
      if (!q) { q = []; pool.waiting.set(t.ep, q); }
      q.push(w);
      w = null;
      continue;
    }
    v = yield t;
  }
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

/** MINIX's `service fi` request from RS (sef_fi.c: the server panics handling it). */
function isFiRequest(m: Msg): boolean {
  return m.type === COMMON_REQ_FI_CTL && m.source === RS;
}

/** `service fi`: the armed server faults inside its next request (or RS's request), as an injected crash would. */
export function serviceFiCrash(env: SefEnv): never {
  env.proc.fiArmed = false;
  throw new Error(`service fi: injected crash of ${env.proc.name}`);
}

function idleWorker(pool: ThreadPool): Worker | null {
  for (const x of pool.workers) if (x.co === null) return x;
  return null;
}
