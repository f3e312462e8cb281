/*
 * `osiris-fi merge <dirs…> --out <dir>`: join the results directories of a
 * campaign's shards into one, refusing shards of different campaigns or
 * builds; then print the survivability table.
 *
 * The entry points into this file are:
 *   runMergeCommand   the command
 */
import { ensureDirectory } from '../experiment/durable-file';
import { readManifest, readRuns } from '../experiment/journal';
import { mergeShards } from '../experiment/shard';
import { tally } from '../experiment/tally';
import { survivabilityTable } from './shared';

export interface MergeOptions { out: string; json?: boolean }

export function runMergeCommand(dirs: string[], opts: MergeOptions): number {
  ensureDirectory(opts.out, '--out');
  const res = mergeShards(dirs, opts.out);
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
