/*
 * The entry table of DS: reading a key from the caller, finding, allocating
 * and freeing entries, and copying values in and out of an entry.
 *
 * The entry points into this file are:
 *   readKey(ctx, m)               the key (or pattern) of a request, by grant
 *   isValidKey(key)               may this string name an entry
 *   oneType(flags)                the single DSF_TYPE_* bit of flags, or 0
 *   visibleTo(e, ep)              may ep read entry e
 *   findKey(st, key)              the slot holding key, or -1
 *   allocKey(st, key, owner)      claim the lowest free slot for a new entry
 *   freeKey(st, slot)             release an entry (its name is kept)
 *   storeValue(e, flags, m, mem)  put a published value into an entry
 *   readMem(e, len)               a copy of the first len bytes of a MEM value
 */
import { DS_MAX_KEYLEN, DSF_PRIVATE, DSF_TYPE_MASK, DSF_TYPE_MEM, DSF_TYPE_STR, DSF_TYPE_U32 } from '../../proto/ds';
import { EINVAL } from '../../proto/errno';
import { NONE } from '../../proto/endpoints';
import type { Req } from '../../proto/messages';
import type * as C from '../../proto/calls';
import { panic } from '../../kernel/errors';
import { ServerCtx } from '../../sef/server';
import { DsEntry, DsState, MAX_MEM, NR_DS_KEYS, NR_DS_SUBS } from './state';

/** The requests that name a key or a pattern by grant. */
type DsKeyed = typeof C.DS_PUBLISH | typeof C.DS_RETRIEVE | typeof C.DS_DELETE | typeof C.DS_SUBSCRIBE | typeof C.DS_UNSUBSCRIBE;

/** fatal: a key that is not valid UTF-8 is the caller's error, not a garbled name. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request's key, read from the caller through its grant. This read-only
 * copy is the first thing every keyed request does, before any check that
 * could change state. Returns the key or a negated errno.
 */
export function readKey(ctx: ServerCtx<DsState>, m: Req<DsKeyed>): string | number {
  const len = m.keyLen;
  if (typeof len !== 'number' || !Number.isInteger(len) || len < 0) return -EINVAL;
  const bytes = ctx.sys.safecopyFrom(m.source, m.keyGrant, 0, len);
  if (typeof bytes === 'number') return bytes;
  if (bytes.length !== len) panic('ds', `safecopy returned ${bytes.length} of ${len} key bytes`);
  if (len === 0 || len > DS_MAX_KEYLEN) return -EINVAL;
  try {
    return utf8.decode(bytes);
  } catch {
    return -EINVAL;
  }
}

/** Entry names may not contain the pattern wildcard or NUL. */
export function isValidKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0 || c === 0x2a /* '*' */) return false;
  }
  return true;
}

export function oneType(flags: number): number {
  const t = flags & DSF_TYPE_MASK;
  return t === DSF_TYPE_U32 || t === DSF_TYPE_STR || t === DSF_TYPE_MEM ? t : 0;
}

export function visibleTo(e: DsEntry, ep: number): boolean {
  return (e.flags & DSF_PRIVATE) === 0 || e.owner === ep;
}

export function findKey(st: DsState, key: string): number {
  for (let i = 0; i < NR_DS_KEYS; i++) {
    const e = st.keys[i]!;
    if (e.inUse && e.key === key) return i;
  }
  return -1;
}

export function allocKey(st: DsState, key: string, owner: number): number {
  for (let i = 0; i < NR_DS_KEYS; i++) {
    const e = st.keys[i]!;
    if (e.inUse) continue;
    dropPending(st, i);
    e.inUse = true;
    e.key = key;
    e.flags = 0;
    e.owner = owner;
    e.u32 = 0;
    e.str = '';
    e.memLen = 0;
    e.seq = 0;
    st.nKeys += 1;
    return i;
  }
  if (st.nKeys !== NR_DS_KEYS) panic('ds', `no free entry but only ${st.nKeys} in use`);
  return -1;
}

export function freeKey(st: DsState, slot: number): void {
  const e = st.keys[slot]!;
  if (!e.inUse) panic('ds', `freeing free entry ${slot}`);
  if (st.nKeys <= 0) panic('ds', 'entry count underflow');
  copyValue(e, new Uint8Array(0), 0);
  e.inUse = false;
  e.flags = 0;
  e.owner = NONE;
  e.u32 = 0;
  e.str = '';
  st.nKeys -= 1;
}

/** Called when a slot is reused: a notice about its previous key would now name the new one. */
function dropPending(st: DsState, slot: number): void {
  for (let i = 0; i < NR_DS_SUBS; i++) {
    const s = st.subs[i]!;
    if (s.inUse && s.pending[slot] !== 0) s.pending[slot] = 0;
  }
}

/** Replace the MEM value; the stale tail is cleared so no old bytes survive. */
function copyValue(e: DsEntry, src: Uint8Array, len: number): void {
  if (len < 0 || len > MAX_MEM || len > src.length) panic('ds', `bad value copy of ${len} bytes`);
  for (let i = 0; i < len; i++) e.mem[i] = src[i]!;
  for (let i = len; i < e.memLen; i++) e.mem[i] = 0;
  e.memLen = len;
}

/** Store a checked value: `flags` carries one type bit (and maybe DSF_PRIVATE). */
export function storeValue(e: DsEntry, flags: number, m: Req<typeof C.DS_PUBLISH>, mem: Uint8Array | null): void {
  const type = oneType(flags);
  e.flags = type | (flags & DSF_PRIVATE);
  e.u32 = 0;
  e.str = '';
  if (type === DSF_TYPE_U32) e.u32 = m.u32! >>> 0;
  else if (type === DSF_TYPE_STR) e.str = m.str!;
  else if (type === DSF_TYPE_MEM) copyValue(e, mem ?? new Uint8Array(0), mem ? mem.length : 0);
  else panic('ds', `storing a value of no type (flags 0x${flags.toString(16)})`);
  if (type !== DSF_TYPE_MEM) copyValue(e, new Uint8Array(0), 0);
  e.seq += 1;
}

export function readMem(e: DsEntry, len: number): Uint8Array {
  if (len < 0 || len > e.memLen) panic('ds', `reading ${len} of ${e.memLen} value bytes`);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = e.mem[i]!;
  return out;
}
