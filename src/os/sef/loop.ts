/*
 * The System Event Framework: a server's startup and its receive loop.
 * Every server runs `serverMain`: init (fresh at boot, restart when a clone
 * takes over), then receive a message at the top of the loop, checkpoint,
 * dispatch through the call table, reply. Heartbeats from RS are answered
 * here, outside the server's own code.
 */
import { RS, ANY } from '../proto/endpoints';
import { ENOSYS } from '../proto/errno';
import { NOTIFY_MESSAGE } from '../proto/calls';
import { receive, send, sendnb, notify } from '../kernel/ipc-api';
import { Proc } from '../kernel/proc';
import { Co, Msg, Outgoing, Trap } from '../kernel/types';
import { SefHooks } from './hooks';
import { ServerCtx, ServerDef } from './server';
import { ThreadPool, workerLoop } from './threads';

export interface SefEnv {
  proc: Proc;
  hooks: () => SefHooks;
  /** A multithreaded server's workers: kept across a restart (the paper keeps inactive threads). */
  pool?: ThreadPool;
}

/** fresh: boot; restart: a clone taking over; resume: continue a snapshot at the top of the loop. */
export type StartMode = 'fresh' | 'restart' | 'resume';

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
