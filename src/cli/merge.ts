/*
 * `osiris-fi merge <dirs…> --out <dir>`: join the results directories of a
 * campaign's shards into one, refusing shards of different campaigns or
 * builds; then print the survivability table.
 *
 * The entry points into this file are:
 *   runMergeCommand   the command
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureDirectory } from '../experiment/durable-file';
import { MANIFEST, RUNS, readManifest, readRuns } from '../experiment/journal';
import { ToolError } from '../tool-error';
import { mergeShards } from '../experiment/shard';
import { tally } from '../experiment/tally';
import { survivabilityTable } from './shared';

export interface MergeOptions { out: string; json?: boolean }

export function runMergeCommand(dirs: string[], opts: MergeOptions): number {
  ensureDirectory(opts.out, '--out');
  // A merge writes a new directory; results already there are never continued (that is run --resume).
  if (fs.existsSync(path.join(opts.out, MANIFEST)) || fs.existsSync(path.join(opts.out, RUNS))) {
    throw new ToolError('exists', `--out ${opts.out} already holds results; merge into a new directory`);
  }
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
