/*
 * Shards (issue 5): `--shard i/n` runs a deterministic slice of a campaign
 * (runs sorted by a hash of their key, then cut in n contiguous pieces), so
 * any job engine's array index can pick one; `merge` joins the shards'
 * directories, refusing shards of different campaigns or builds.
 *
 * The entry points into this file are:
 *   parseShard    "i/n" (1-based) -> { index, count }
 *   shardSlice    the keys shard i of n runs
 *   mergeShards   join shard directories into one results directory
 *   ShardError    the one-line error
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createJournal, Manifest, readManifest, readRuns, RunRecord, sameCampaign } from './journal';
import { ToolError } from '../tool-error';

export class ShardError extends ToolError {
  constructor(message: string) { super('shard', message); }
}

export interface Shard { index: number; count: number }

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ShardError(`--shard "${s}": expected i/n with 1 <= i <= n (e.g. 2/8)`);
  }
  return { index, count };
}

function keyHash(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

/** The keys of shard `index` of `count` (1-based), in hash order; every key lands in exactly one shard. */
export function shardSlice(keys: readonly string[], shard: Shard): string[] {
  const sorted = keys.map((k) => ({ k, h: keyHash(k) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const from = Math.floor(((shard.index - 1) * sorted.length) / shard.count);
  const to = Math.floor((shard.index * sorted.length) / shard.count);
  return sorted.slice(from, to).map((x) => x.k);
}

export interface MergeResult { dir: string; runs: number; expected: number; missing: number }

/** Join shard directories into `out`; refuses mixed campaigns or builds and conflicting duplicate runs. */
export function mergeShards(dirs: string[], out: string): MergeResult {
  if (dirs.length === 0) throw new ShardError('merge: expected at least one results directory');
  const manifests = dirs.map((d) => readManifest(d));
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    const why = sameCampaign(first, m);
    if (why) throw new ShardError(`merge: ${dirs[i]} does not belong with ${dirs[0]}: ${why}`);
  });
  const runs = new Map<string, RunRecord>();
  const strip = (r: RunRecord) => JSON.stringify({ ...r, wallMs: 0 });
  dirs.forEach((d) => {
    for (const r of readRuns(d)) {
      const had = runs.get(r.key);
      if (had && strip(had) !== strip(r)) throw new ShardError(`merge: run ${r.key} has different results in two directories (${d}); were they run on different builds?`);
      if (!had) runs.set(r.key, r);
    }
  });
  const manifest: Manifest = { ...first, shard: null };
  const j = createJournal(out, manifest);
  try {
    j.appendAll([...runs.keys()].sort().map((k) => runs.get(k)!));
  } finally { j.close(); }
  return { dir: path.resolve(out), runs: runs.size, expected: first.runs, missing: Math.max(0, first.runs - runs.size) };
}

export function isResultsDir(d: string): boolean {
  return fs.existsSync(path.join(d, 'manifest.json'));
}
