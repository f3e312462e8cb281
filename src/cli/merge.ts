/*
 * `osiris-fi merge <dirs…> --out <dir>`: join the results directories of a
 * campaign's shards into one, refusing shards of different campaigns or
 * builds; then print the survivability table.
 *
 * The entry points into this file are:
 *   runMergeCommand   the command
 */
import { JournalError, readManifest, readRuns } from '../experiment/journal';
import { mergeShards, ShardError } from '../experiment/shard';
import { tally } from '../experiment/tally';
import { UsageError } from './errors';
import { survivabilityTable } from './run';

export interface MergeOptions { out: string; json?: boolean }

export function runMergeCommand(dirs: string[], opts: MergeOptions): number {
  let res;
  try { res = mergeShards(dirs, opts.out); } catch (e) {
    if (e instanceof ShardError || e instanceof JournalError) throw new UsageError(e.message);
    throw e;
  }
  const t = tally(readRuns(res.dir), readManifest(res.dir).modes);
  if (opts.json) {
    const perMode: Record<string, unknown> = {};
    for (const [m, x] of t) perMode[m] = x;
    process.stdout.write(JSON.stringify({ ...res, perMode }, null, 2) + '\n');
  } else {
    process.stdout.write(`merged ${dirs.length} director${dirs.length > 1 ? 'ies' : 'y'}: ${res.runs}/${res.expected} runs in ${res.dir}` +
      `${res.missing ? ` (${res.missing} missing: a shard is incomplete)` : ''}\n\n${survivabilityTable(t)}\n`);
  }
  return res.missing ? 1 : 0;
}
