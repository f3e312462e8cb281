/*
 * The subscription table of DS: patterns, which entries a subscription
 * matches, and the per-entry "changed" bits that DS_CHECK reports.
 *
 * The entry points into this file are:
 *   parsePattern(pattern)           "disk.*" / "disk." -> prefix, otherwise an exact key
 *   findSub(st, owner, p)           the owner's subscription with that pattern, or -1
 *   allocSub(st, owner, pattern, p) claim a free subscription slot
 *   freeSub(st, slot)               release a subscription
 *   resetSub(st, slot, pattern)     clear a subscription's notices (DSF_OVERWRITE)
 *   markInitial(st, slot)           report every entry the subscription already covers
 *   markSubscribers(st, slot, by)   flag an entry change to the other subscribers
 *   notifySubscribers(ctx, owners)  wake the subscribers that got a new notice
 *   firstPending(st, owner)         the lowest entry slot with a notice for owner, or -1
 *   clearPending(st, owner, slot)   the owner has seen the notice
 */
import { notify } from '../../kernel/ipc-api';
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { NONE } from '../../proto/endpoints';
import { ServerCtx } from '../../sef/server';
import { DsState, DsSub, NR_DS_KEYS, NR_DS_SUBS } from './state';
import { isValidKey, visibleTo } from './keys';

export interface Pattern { prefix: boolean; match: string }

/** null when the pattern is malformed (a wildcard anywhere but at the end). */
export function parsePattern(pattern: string): Pattern | null {
  const star = pattern.indexOf('*');
  if (star >= 0 && star !== pattern.length - 1) return null;
  if (star >= 0) return { prefix: true, match: pattern.slice(0, star) };
  if (pattern.endsWith('.')) return { prefix: true, match: pattern };
  if (!isValidKey(pattern)) return null;
  return { prefix: false, match: pattern };
}

function matchPattern(sub: DsSub, key: string): boolean {
  return sub.prefix ? key.startsWith(sub.match) : key === sub.match;
}

export function findSub(st: DsState, owner: number, p: Pattern): number {
  for (let i = 0; i < NR_DS_SUBS; i++) {
    const s = st.subs[i]!;
    if (s.inUse && s.owner === owner && s.prefix === p.prefix && s.match === p.match) return i;
  }
  return -1;
}

export function allocSub(st: DsState, owner: number, pattern: string, p: Pattern): number {
  for (let i = 0; i < NR_DS_SUBS; i++) {
    const s = st.subs[i]!;
    if (s.inUse) continue;
    s.inUse = true;
    s.owner = owner;
    s.pattern = pattern;
    s.prefix = p.prefix;
    s.match = p.match;
    clearAll(s);
    st.nSubs += 1;
    return i;
  }
  if (st.nSubs !== NR_DS_SUBS) panic('ds', `no free subscription but only ${st.nSubs} in use`);
  return -1;
}

export function freeSub(st: DsState, slot: number): void {
  const s = st.subs[slot]!;
  if (!s.inUse) panic('ds', `freeing free subscription ${slot}`);
  if (st.nSubs <= 0) panic('ds', 'subscription count underflow');
  clearAll(s);
  s.inUse = false;
  s.owner = NONE;
  s.pattern = '';
  s.prefix = false;
  s.match = '';
  st.nSubs -= 1;
}

export function resetSub(st: DsState, slot: number, pattern: string): void {
  const s = st.subs[slot]!;
  if (!s.inUse) panic('ds', `resetting free subscription ${slot}`);
  s.pattern = pattern;
  clearAll(s);
}

function clearAll(s: DsSub): void {
  for (let k = 0; k < NR_DS_KEYS; k++) if (s.pending[k] !== 0) s.pending[k] = 0;
}

/** Returns how many entries were flagged. */
export function markInitial(st: DsState, slot: number): number {
  const s = st.subs[slot]!;
  let n = 0;
  for (let k = 0; k < NR_DS_KEYS; k++) {
    const e = st.keys[k]!;
    if (!e.inUse || !matchPattern(s, e.key) || !visibleTo(e, s.owner)) continue;
    s.pending[k] = 1;
    n++;
  }
  return n;
}

/**
 * Flag a change of entry `slot` in every subscription that covers it, except
 * those of `by` (who made the change) and those who may not read it.
 * Returns the owners to wake, each once, in subscription order.
 */
export function markSubscribers(st: DsState, slot: number, by: number): number[] {
  const e = st.keys[slot]!;
  if (!e.inUse) panic('ds', `change notice for free entry ${slot}`);
  const owners: number[] = [];
  for (let i = 0; i < NR_DS_SUBS; i++) {
    const s = st.subs[i]!;
    if (!s.inUse || s.owner === by || !matchPattern(s, e.key) || !visibleTo(e, s.owner)) continue;
    s.pending[slot] = 1;
    if (!owners.includes(s.owner)) owners.push(s.owner);
  }
  return owners;
}

export function* notifySubscribers(ctx: ServerCtx<DsState>, owners: number[]): Co<void> {
  ctx.st.stats.notifies += owners.length;
  // A subscriber that has gone away is not DS's concern: its notice simply stays unread.
  for (const ep of owners) yield notify(ep);
}

export function firstPending(st: DsState, owner: number): number {
  for (let k = 0; k < NR_DS_KEYS; k++) {
    for (let i = 0; i < NR_DS_SUBS; i++) {
      const s = st.subs[i]!;
      if (s.inUse && s.owner === owner && s.pending[k] !== 0) return k;
    }
  }
  return -1;
}

/** Clear the notice in all of the owner's subscriptions, so overlapping patterns report a key once. */
export function clearPending(st: DsState, owner: number, slot: number): void {
  let cleared = 0;
  for (let i = 0; i < NR_DS_SUBS; i++) {
    const s = st.subs[i]!;
    if (!s.inUse || s.owner !== owner || s.pending[slot] === 0) continue;
    s.pending[slot] = 0;
    cleared++;
  }
  if (cleared === 0) panic('ds', `no notice of entry ${slot} to clear for ${owner}`);
}
