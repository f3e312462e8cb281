/*
 * Publishing, retrieving and deleting entries, with owner-based access
 * control. Each handler reads its key first, checks everything, and only
 * then changes the table; subscribers are woken last.
 *
 * The entry points into this file are:
 *   do_publish    DS_PUBLISH: create or overwrite a typed value
 *   do_retrieve   DS_RETRIEVE: read a typed value
 *   do_delete     DS_DELETE: remove an entry
 */
import { Co } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { DS_MAX_STRLEN, DSF_OVERWRITE, DSF_PRIVATE, DSF_TYPE_MASK, DSF_TYPE_MEM, DSF_TYPE_STR, DSF_TYPE_U32 } from '../../proto/ds';
import { E2BIG, EAGAIN, EEXIST, EINVAL, ENOENT, EPERM, OK } from '../../proto/errno';
import { ServerCtx } from '../../sef/server';
import { DsState, MAX_MEM, NR_DS_KEYS } from './state';
import { allocKey, findKey, freeKey, isValidKey, oneType, readKey, readMem, storeValue, visibleTo } from './keys';
import { markSubscribers, notifySubscribers } from './subs';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

const PUBLISH_FLAGS = DSF_TYPE_MASK | DSF_OVERWRITE | DSF_PRIVATE;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** The value fields of a publish request, checked against the type: 0 or a negated errno. */
function checkValue(type: number, m: Req<typeof C.DS_PUBLISH>): number {
  switch (type) {
    case DSF_TYPE_U32:
      return typeof m.u32 === 'number' && Number.isInteger(m.u32) ? OK : -EINVAL;
    case DSF_TYPE_STR:
      if (typeof m.str !== 'string') return -EINVAL;
      return m.str.length > DS_MAX_STRLEN ? -E2BIG : OK;
    case DSF_TYPE_MEM:
      if (!isCount(m.len)) return -EINVAL;
      return m.len > MAX_MEM ? -E2BIG : OK;
    default:
      return -EINVAL;
  }
}

export function* do_publish(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_PUBLISH>): Co<Reply<typeof C.DS_PUBLISH> | null> {
  const key = readKey(ctx, m);
  if (typeof key === 'number') return { type: key };
  const st = ctx.st;
  const flags = m.flags;
  if (!isCount(flags) || (flags & ~PUBLISH_FLAGS) !== 0) return { type: -EINVAL };
  const type = oneType(flags);
  if (type === 0 || !isValidKey(key)) return { type: -EINVAL };
  const bad = checkValue(type, m);
  if (bad < 0) return { type: bad };

  const slot = findKey(st, key);
  if (slot >= 0) {
    const e = st.keys[slot]!;
    if (e.owner !== m.source) return { type: -EPERM };
    if ((flags & DSF_OVERWRITE) === 0) return { type: -EEXIST };
    if ((e.flags & DSF_TYPE_MASK) !== type) return { type: -EINVAL };
  } else if (st.nKeys >= NR_DS_KEYS) {
    return { type: -EAGAIN };
  }

  let mem: Uint8Array | null = null;
  if (type === DSF_TYPE_MEM && m.len! > 0) {
    const r = ctx.sys.safecopyFrom(m.source, m.valGrant, 0, m.len!);
    if (typeof r === 'number') return { type: r };
    mem = r;
  }

  const target = slot >= 0 ? slot : allocKey(st, key, m.source);
  if (target < 0) panic('ds', `table full with ${st.nKeys} of ${NR_DS_KEYS} entries counted`);
  storeValue(st.keys[target]!, flags, m, mem);
  st.stats.publishes += 1;
  const owners = markSubscribers(st, target, m.source);
  yield* notifySubscribers(ctx, owners);
  return { type: OK };
}

export function* do_retrieve(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_RETRIEVE>): Co<Reply<typeof C.DS_RETRIEVE> | null> {
  const key = readKey(ctx, m);
  if (typeof key === 'number') return { type: key };
  const st = ctx.st;
  const flags = m.flags;
  if (!isCount(flags) || (flags & ~DSF_TYPE_MASK) !== 0) return { type: -EINVAL };
  const type = oneType(flags);
  if (type === 0) return { type: -EINVAL };
  if (type === DSF_TYPE_MEM && !isCount(m.len)) return { type: -EINVAL };
  const slot = findKey(st, key);
  if (slot < 0) return { type: -ENOENT };
  const e = st.keys[slot]!;
  if (!visibleTo(e, m.source)) return { type: -EPERM };
  if ((e.flags & DSF_TYPE_MASK) !== type) return { type: -EINVAL };
  st.stats.retrieves += 1;

  if (type === DSF_TYPE_U32) return { type: OK, u32: e.u32 };
  if (type === DSF_TYPE_STR) return { type: OK, str: e.str };
  const n = Math.min(m.len!, e.memLen);
  if (n > 0) {
    const r = ctx.sys.safecopyTo(m.source, m.valGrant, 0, readMem(e, n));
    if (r < 0) return { type: r };
  }
  return { type: OK, len: n };
}

export function* do_delete(ctx: ServerCtx<DsState>, m: Req<typeof C.DS_DELETE>): Co<Reply<typeof C.DS_DELETE> | null> {
  const key = readKey(ctx, m);
  if (typeof key === 'number') return { type: key };
  const st = ctx.st;
  const flags = m.flags ?? 0;
  if (!isCount(flags) || (flags & ~DSF_TYPE_MASK) !== 0) return { type: -EINVAL };
  // The type is optional; when given it must name exactly one type.
  const type = flags & DSF_TYPE_MASK;
  if (type !== 0 && oneType(type) === 0) return { type: -EINVAL };
  const slot = findKey(st, key);
  if (slot < 0) return { type: -ENOENT };
  const e = st.keys[slot]!;
  if (e.owner !== m.source) return { type: -EPERM };
  if (type !== 0 && (e.flags & DSF_TYPE_MASK) !== type) return { type: -EINVAL };

  const owners = markSubscribers(st, slot, m.source);
  freeKey(st, slot);
  st.stats.deletes += 1;
  yield* notifySubscribers(ctx, owners);
  return { type: OK };
}
