/*
 * Cooperative worker threads for a multithreaded server (VFS), after
 * MINIX's VFS workers on libmthread. The main loop receives; a new request
 * goes to an idle worker; a worker's sendrec becomes an asynchronous send
 * and the worker waits while the main loop takes other requests. Replies
 * from a server come back in the order the requests were sent to it.
 *
 * Window rule (OSIRIS §IV-E): a worker's window opens when it starts a
 * request and is closed as soon as another worker has run in between.
 *
 * The entry points into this file are:
 *   workerLoop          the main loop of a multithreaded server (serverMain starts it)
 *   dropCrashedWorker   after a crash, forget the worker that was running and keep the others
 */
import { ANY, RS } from '../proto/endpoints';
import { receive, asynsend, notify } from '../kernel/ipc-api';
import { Co, Msg, T_RECEIVE, T_SENDREC } from '../kernel/types';
import { ServerPanic } from '../kernel/errors';
import { NOTIFY_MESSAGE } from '../proto/calls';
import { ServerCtx, ServerDef } from './server';
import { SefEnv, StartMode, ThreadPool, Worker, dispatch, isHeartbeat, reply, serviceFiCrash } from './request';

/** After a crash: the worker that was running is gone; the others (waiting for replies) are kept. */
export function dropCrashedWorker(pool: ThreadPool): Worker | null {
  const w = pool.running;
  if (w) { w.co = null; w.request = null; w.requester = -1; }
  pool.running = null;
  pool.windowOwner = null;
  return w;
}

/**
 * The main loop of a multithreaded server. It is one generator (rather than
 * the main loop delegating to a generator per started request and per
 * resumed worker): every trap of every worker passes through it, so each
 * level of generators between a worker and the kernel would cost on every
 * IPC. `w` is the worker being run (null: start a pending request or
 * receive), `v` the value it is resumed with.
 */
export function* workerLoop<S>(def: ServerDef<S>, ctx: ServerCtx<S>, env: SefEnv, mode: StartMode): Co<never> {
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
        if (env.proc.fiArmed) serviceFiCrash(env);
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
          if (def.notify) yield* def.notify(ctx, m);
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

function idleWorker(pool: ThreadPool): Worker | null {
  for (const x of pool.workers) if (x.co === null) return x;
  return null;
}
