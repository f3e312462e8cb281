/*
 * Subscriptions: a process names a key or a key prefix and is notified
 * when a covered entry changes; DS_CHECK then tells it which one.
 *
 * The entry points into this file are:
 *   do_subscribe     DS_SUBSCRIBE: add (or with DSF_OVERWRITE reset) a subscription
 *   do_unsubscribe   DS_UNSUBSCRIBE: remove a subscription
 *   do_check         DS_CHECK: the next changed entry among the caller's subscriptions
 *   do_pm_exit       DS_PM_EXIT: drop an exited process's subscriptions and entries
 */
import { Co } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { DSF_INITIAL, DSF_OVERWRITE, DSF_TYPE_MASK } from '../../proto/ds';
import { EAGAIN, EEXIST, EINVAL, ENOENT, EPERM, OK } from '../../proto/errno';
import { PM } from '../../proto/endpoints';
import { ServerCtx } from '../../sef/server';
import { DsState, NR_DS_KEYS, NR_DS_SUBS } from './state';
import { freeKey, readKey } from './keys';
import { allocSub, clearPending, findSub, firstPending, freeSub, markInitial, markSubscribers, notifySubscribers, parsePattern, resetSub } from './subs';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

const SUBSCRIBE_FLAGS = DSF_INITIAL | DSF_OVERWRITE;

export function* do_subscribe(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_SUBSCRIBE>): Co<Reply<typeof C.DS_SUBSCRIBE> | null> {
  const pattern = readKey(ctx, m);
  if (typeof pattern === 'number') return { type: pattern };
  const st = ctx.st;
  const flags = m.flags ?? 0;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || (flags & ~SUBSCRIBE_FLAGS) !== 0) return { type: -EINVAL };
  const p = parsePattern(pattern);
  if (!p) return { type: -EINVAL };
  const existing = findSub(st, m.source, p);
  if (existing >= 0 && (flags & DSF_OVERWRITE) === 0) return { type: -EEXIST };
  if (existing < 0 && st.nSubs >= NR_DS_SUBS) return { type: -EAGAIN };

  let slot = existing;
  if (slot >= 0) resetSub(st, slot, pattern);
  else slot = allocSub(st, m.source, pattern, p);
  if (slot < 0) panic('ds', `subscription table full with ${st.nSubs} of ${NR_DS_SUBS} counted`);
  if (flags & DSF_INITIAL) markInitial(st, slot);
  return { type: OK };
}

export function* do_unsubscribe(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_UNSUBSCRIBE>): Co<Reply<typeof C.DS_UNSUBSCRIBE> | null> {
  const pattern = readKey(ctx, m);
  if (typeof pattern === 'number') return { type: pattern };
  const p = parsePattern(pattern);
  if (!p) return { type: -EINVAL };
  const slot = findSub(ctx.st, m.source, p);
  if (slot < 0) return { type: -ENOENT };
  freeSub(ctx.st, slot);
  return { type: OK };
}

/**
 * DS_PM_EXIT: PM reports an exited process; its subscriptions go with it,
 * and so do its entries: nobody else may delete them and the endpoint never
 * comes back. Subscribers learn of those entries as of a delete.
 */
export function* do_pm_exit(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_PM_EXIT>): Co<Reply<typeof C.DS_PM_EXIT> | null> {
  if (m.source !== PM) return { type: -EPERM };
  const st = ctx.st;
  let dropped = 0;
  for (let i = 0; i < NR_DS_SUBS; i++) {
    const s = st.subs[i]!;
    if (s.inUse && s.owner === m.endpoint) {
      freeSub(st, i);
      dropped++;
    }
  }
  const owners: number[] = [];
  for (let i = 0; i < NR_DS_KEYS; i++) {
    const e = st.keys[i]!;
    if (!e.inUse || e.owner !== m.endpoint) continue;
    for (const o of markSubscribers(st, i, m.endpoint)) if (!owners.includes(o)) owners.push(o);
    freeKey(st, i);
    dropped++;
  }
  if (owners.length > 0) yield* notifySubscribers(ctx, owners);
  return { type: dropped };
}

export function* do_check(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_CHECK>): Co<Reply<typeof C.DS_CHECK> | null> {
  const st = ctx.st;
  const slot = firstPending(st, m.source);
  if (slot < 0) return { type: -ENOENT };
  clearPending(st, m.source, slot);
  st.stats.checks += 1;
  const e = st.keys[slot]!;
  // A deleted entry keeps its name, so the subscriber learns which key went away.
  return { type: OK, key: e.key, flags: e.inUse ? e.flags & DSF_TYPE_MASK : 0 };
}
