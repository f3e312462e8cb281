/*
 * What RS does about a crashed (or hung) service. Recovery proper — restart
 * with a spare clone, rollback, reconciliation — replaces this body; until
 * then every crash ends the run as an uncontrolled crash.
 *
 * The entry points into this file are:
 *   handleCrash(ctx, label, reason, message)   decide and act on one crash
 */
import { Co } from '../../kernel/types';
import { ServerCtx } from '../../sef/server';
import { RsState } from './state';

export function* handleCrash(ctx: ServerCtx<RsState>, label: string, reason: string, message: string): Co<void> {
  ctx.sys.abort('crash', `${label} crashed (${reason}): ${message}`);
}
