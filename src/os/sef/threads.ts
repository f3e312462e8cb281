/*
 * The cooperative worker threads of a multithreaded server (VFS), after
 * MINIX's VFS workers on libmthread: each worker's coroutine and the
 * request it handles, the requests waiting for a free worker, and the
 * workers waiting for a reply. This is run-time state (the threads'
 * stacks), not part of the data section; a restart keeps the waiting
 * workers, as the paper does. The loop that runs the workers is
 * workerLoop in loop.ts.
 *
 * The entry points into this file are:
 *   ThreadPool, Worker   the workers and their queues
 *   dropCrashedWorker    after a crash, forget the worker that was running and keep the others
 */
import { Co, Msg, Outgoing } from '../kernel/types';

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

/** After a crash: the worker that was running is gone; the others (waiting for replies) are kept. */
export function dropCrashedWorker(pool: ThreadPool): Worker | null {
  const w = pool.running;
  if (w) { w.co = null; w.request = null; w.requester = -1; }
  pool.running = null;
  pool.windowOwner = null;
  return w;
}
