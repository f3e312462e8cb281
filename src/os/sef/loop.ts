/*
 * The System Event Framework: a server's startup and its receive loop.
 * Every server runs `serverMain`: init (fresh at boot, restart when a clone
 * takes over), then receive a message at the top of the loop, checkpoint,
 * dispatch through the call table, reply. Heartbeats from RS are answered
 * here, outside the server's own code. A multithreaded server runs the
 * worker threads' loop (threads.ts) instead; what both loops share is in
 * request.ts.
 *
 * The entry points into this file are:
 *   serverMain          a server's coroutine, started by the world at boot, restart or resume
 *   SefEnv, StartMode   re-exported from request.ts for the world that starts servers
 */
import { RS, ANY } from '../proto/endpoints';
import { NOTIFY_MESSAGE } from '../proto/calls';
import { receive, notify } from '../kernel/ipc-api';
import { Co, Msg } from '../kernel/types';
import { ServerCtx, ServerDef } from './server';
import { SefEnv, StartMode, dispatch, isHeartbeat, reply, serviceFiCrash } from './request';
import { workerLoop } from './threads';

export type { SefEnv, StartMode } from './request';

/** A server's coroutine: the single-threaded loop, or the worker threads' loop (threads.ts). */
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
    if (env.proc.fiArmed && m.type !== NOTIFY_MESSAGE) serviceFiCrash(env);
    if (m.type === NOTIFY_MESSAGE) {
      if (def.notify) yield* def.notify(ctx, m);
    } else {
      const r = yield* dispatch(def, ctx, m);
      if (r) yield reply(m.source, r, replyable);
    }
    env.hooks().requestEnd(env.proc);
  }
}
