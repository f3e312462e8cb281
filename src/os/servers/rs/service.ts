/*
 * Requests to RS from users and services: `service fi`, lookups, status and
 * init reports.
 *
 * The entry points into this file are:
 *   do_service_fi   RS_SERVICE_FI: make a service crash (at its next request, or handling RS's request)
 *   do_lookup       RS_LOOKUP: a service's endpoint by label
 *   do_status       RS_STATUS: a service's heartbeat and restart counts
 *   do_init         RS_INIT: a service reports that its initialization is done
 */
import { Co } from '../../kernel/types';
import { asynsend } from '../../kernel/ipc-api';
import { COMMON_REQ_FI_CTL } from '../../proto/calls';
import { EINVAL, ESRCH, OK } from '../../proto/errno';
import { ServerCtx } from '../../sef/server';
import { RSF_ALIVE, RSF_INIT_DONE, RsState } from './state';
import { findByEndpoint, findByLabel, isLive } from './services';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

/** The slot of the service named by m.label, or a negated errno. */
function labelSlot(st: RsState, m: Req<typeof C.RS_SERVICE_FI | typeof C.RS_LOOKUP | typeof C.RS_STATUS>): number {
  if (typeof m.label !== 'string' || m.label.length === 0) return -EINVAL;
  const slot = findByLabel(st, m.label);
  return slot >= 0 ? slot : -ESRCH;
}

export function* do_service_fi(ctx: ServerCtx<RsState>, m: Req<typeof C.RS_SERVICE_FI>): Co<Reply<typeof C.RS_SERVICE_FI> | null> {
  const slot = labelSlot(ctx.st, m);
  if (slot < 0) return { type: slot };
  const s = ctx.st.services[slot]!;
  if (!isLive(s)) return { type: -ESRCH };
  if (ctx.sys.serviceFiDelivery() === 'request') {
    // MINIX's fi_service: an asynchronous request the service crashes handling; RS does not wait for it.
    yield asynsend(s.endpoint, { type: COMMON_REQ_FI_CTL });
  } else {
    const r = ctx.sys.fiArm(s.endpoint);
    if (r < 0) return { type: r };
  }
  ctx.st.counters.fiRequests += 1;
  return { type: OK };
}

export function* do_lookup(ctx: ServerCtx<RsState>, m: Req<typeof C.RS_LOOKUP>): Co<Reply<typeof C.RS_LOOKUP> | null> {
  const slot = labelSlot(ctx.st, m);
  if (slot < 0) return { type: slot };
  return { type: ctx.st.services[slot]!.endpoint };
}

export function* do_status(ctx: ServerCtx<RsState>, m: Req<typeof C.RS_STATUS>): Co<Reply<typeof C.RS_STATUS> | null> {
  const slot = labelSlot(ctx.st, m);
  if (slot < 0) return { type: slot };
  const s = ctx.st.services[slot]!;
  return { type: OK, restarts: s.restarts, pings: s.pings, pongs: s.pongs, alive: isLive(s) ? 1 : 0 };
}

export function* do_init(ctx: ServerCtx<RsState>, m: Req<typeof C.RS_INIT>): Co<Reply<typeof C.RS_INIT> | null> {
  const slot = findByEndpoint(ctx.st, m.source);
  if (slot < 0) return { type: -ESRCH };
  const s = ctx.st.services[slot]!;
  s.flags |= RSF_INIT_DONE | RSF_ALIVE;
  ctx.st.counters.inits += 1;
  return { type: OK };
}
