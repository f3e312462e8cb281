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
 * A service that keeps crashing is not restarted forever: past this many
 * restarts RS gives up (MINIX's RS backs off the same way), and the run ends
 * as an uncontrolled crash.
 */
export const MAX_RESTARTS = 32;

export function* handleCrash(ctx: ServerCtx<RsState>, label: string, reason: string, message: string): Co<void> {
  const slot = findByLabel(ctx.st, label);
  if (slot >= 0 && ctx.st.services[slot].restarts >= MAX_RESTARTS) {
    ctx.sys.abort('crash', `${label} crashed ${MAX_RESTARTS + 1} times (${reason}): RS gives up`);
    return;
  }
  const r = slot >= 0 ? ctx.sys.recover(ctx.st.services[slot].endpoint, reason) : -1;
  if (typeof r === 'number') {
    ctx.sys.abort('crash', `${label} crashed (${reason}): ${message}`);
    return;
  }
  const svc = ctx.st.services[slot];
  svc.restarts++;
  svc.flags = (svc.flags | RSF_ALIVE) & ~(RSF_CRASHED | RSF_PING_PENDING);
}
