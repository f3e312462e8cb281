/*
 * What RS does about a crashed (or hung) service: ask the recovery layer
 * (through the kernel) to restart it with its spare clone, transfer and roll
 * back its state and reconcile the interrupted request. Without a recovery
 * layer every crash ends the run as an uncontrolled crash.
 *
 * The entry points into this file are:
 *   handleCrash(ctx, label, reason, message)   decide and act on one crash
 */
import { Co } from '../../kernel/types';
import { ServerCtx } from '../../sef/server';
import { RSF_ALIVE, RSF_CRASHED, RSF_PING_PENDING, RsState } from './state';
import { findByLabel } from './services';

/**
 * A crash loop is not restarted forever: when this many restarts in a row
 * answered no requester (the service crashes again before serving anyone,
 * e.g. declared hung at every heartbeat), RS gives up and the run ends as an
 * uncontrolled crash. A crash that ends in an error reply to its requester
 * is progress: a persistent fault met by one request after another is not
 * a loop.
 */
const MAX_RESTARTS = 32;

export function* handleCrash(ctx: ServerCtx<RsState>, label: string, reason: string, message: string): Co<void> {
  const slot = findByLabel(ctx.st, label);
  if (slot >= 0 && ctx.st.services[slot]!.unanswered >= MAX_RESTARTS) {
    ctx.sys.abort('crash', `${label} crashed ${MAX_RESTARTS + 1} times in a row without serving a request (${reason}): RS gives up`);
    return;
  }
  const r = slot >= 0 ? ctx.sys.recover(ctx.st.services[slot]!.endpoint, reason) : -1;
  if (typeof r === 'number') {
    ctx.sys.abort('crash', `${label} crashed (${reason}): ${message}`);
    return;
  }
  const svc = ctx.st.services[slot]!;
  svc.restarts++;
  svc.unanswered = r === 'reply' || r === 'kill-requester' ? 0 : svc.unanswered + 1;
  svc.flags = (svc.flags | RSF_ALIVE) & ~(RSF_CRASHED | RSF_PING_PENDING);
}
