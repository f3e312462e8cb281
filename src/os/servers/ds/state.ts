/*
 * The data section of DS: a fixed table of published entries and a fixed
 * table of subscriptions, each subscription with one "changed since last
 * check" bit per entry slot.
 *
 * The entry points into this file are:
 *   initialState()   a fresh data section, as at boot
 */
import { DS_MAX_MEM } from '../../proto/ds';
import { NONE } from '../../proto/endpoints';
import { BootParams } from '../../sef/server';

export const NR_DS_KEYS = 64;
export const NR_DS_SUBS = 32;
export const MAX_MEM = DS_MAX_MEM;

export interface DsEntry {
  inUse: boolean;
  /** The key; kept after a delete so a subscriber's check can still name it. */
  key: string;
  /** One DSF_TYPE_* bit, plus DSF_PRIVATE. */
  flags: number;
  owner: number;
  u32: number;
  str: string;
  mem: Uint8Array;
  memLen: number;
  /** Updates of this entry since it was created. */
  seq: number;
}

export interface DsSub {
  inUse: boolean;
  owner: number;
  /** The pattern as the subscriber gave it. */
  pattern: string;
  /** True: `match` is a key prefix; false: `match` is an exact key. */
  prefix: boolean;
  match: string;
  /** pending[slot] = 1: entry slot changed since the owner last checked. */
  pending: Uint8Array;
}

export interface DsStats {
  publishes: number;
  retrieves: number;
  deletes: number;
  checks: number;
  notifies: number;
}

export interface DsState {
  keys: DsEntry[];
  subs: DsSub[];
  /** Entries in use (kept in step with keys[].inUse). */
  nKeys: number;
  /** Subscriptions in use (kept in step with subs[].inUse). */
  nSubs: number;
  stats: DsStats;
}

function emptyEntry(): DsEntry {
  return { inUse: false, key: '', flags: 0, owner: NONE, u32: 0, str: '', mem: new Uint8Array(MAX_MEM), memLen: 0, seq: 0 };
}

function emptySub(): DsSub {
  return { inUse: false, owner: NONE, pattern: '', prefix: false, match: '', pending: new Uint8Array(NR_DS_KEYS) };
}

export function initialState(_params: BootParams): DsState {
  const keys: DsEntry[] = new Array(NR_DS_KEYS);
  for (let i = 0; i < NR_DS_KEYS; i++) keys[i] = emptyEntry();
  const subs: DsSub[] = new Array(NR_DS_SUBS);
  for (let i = 0; i < NR_DS_SUBS; i++) subs[i] = emptySub();
  return { keys, subs, nKeys: 0, nSubs: 0, stats: { publishes: 0, retrieves: 0, deletes: 0, checks: 0, notifies: 0 } };
}
