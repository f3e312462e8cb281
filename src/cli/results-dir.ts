/*
 * What `run` does with the results directory before and after the work,
 * kept apart from the planning: the early check that the output can be a
 * directory (before minutes of profiling), what an existing directory
 * means for a new run (finished: show it; unfinished: resume it; --force:
 * start over), and finding a bundled campaign by name.
 *
 * The entry points into this file are:
 *   checkOutput        refuse at once an --out or --resume that cannot work
 *   existingResults    what a directory already holds for this campaign
 *   clearResults       --force: remove a directory's results (under its lock)
 *   resolveCampaign    a campaign file, or a bundled campaign's name
 *   bundledCampaigns   the names of the bundled campaigns
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureDirectory, fsError } from '../experiment/durable-file';
import { lockDirectory, lockHolder } from '../experiment/dir-lock';
import { Manifest, MANIFEST, readManifest, readRuns, RunRecord, RUNS, sameCampaign } from '../experiment/journal';
import { Shard, shardSlice } from '../experiment/shard';
import { ToolError } from '../tool-error';
import { UsageError } from './errors';

/** The campaigns shipped with the tool (campaigns/ beside dist/). */
export const CAMPAIGN_DIR = path.resolve(__dirname, '..', '..', '..', 'campaigns');

export function bundledCampaigns(): string[] {
  try {
    return fs.readdirSync(CAMPAIGN_DIR).filter((f) => f.endsWith('.json') && !f.includes('policy')).map((f) => f.slice(0, -5)).sort();
  } catch { return []; }
}

/** A path to a campaign file, or the name of a bundled one ("quick" -> campaigns/quick.json). */
export function resolveCampaign(arg: string): string {
  if (fs.existsSync(arg)) return arg;
  if (!arg.includes('/') && !arg.includes(path.sep)) {
    const name = arg.endsWith('.json') ? arg.slice(0, -5) : arg;
    const bundled = path.join(CAMPAIGN_DIR, `${name}.json`);
    if (bundledCampaigns().includes(name)) return bundled;
    throw new ToolError('campaign', `${arg}: no such campaign file, and no bundled campaign of that name (bundled: ${bundledCampaigns().join(', ')})`);
  }
  return arg;
}

/** Refuse before any work an output that cannot be a results directory. */
export function checkOutput(opts: { out?: string; resume?: string; force?: boolean }): void {
  if (opts.resume !== undefined && opts.out !== undefined) throw new UsageError('--resume and --out both name the results directory; give one');
  if (opts.resume !== undefined && opts.force) throw new UsageError('--force starts over and --resume continues; give one');
  if (opts.resume !== undefined) {
    ensureDirectory(opts.resume, '--resume', false);
    const m = path.join(opts.resume, MANIFEST);
    if (!fs.existsSync(m)) throw new ToolError('results', `--resume ${opts.resume}: no ${MANIFEST}; not a results directory (start it with --out)`);
    for (const f of [m, path.join(opts.resume, RUNS)]) {
      if (!fs.existsSync(f)) continue;
      if (fs.statSync(f).isDirectory()) throw new ToolError('io', `--resume ${opts.resume}: ${f} is a directory, expected a file; the results directory is damaged`);
    }
    try { fs.accessSync(opts.resume, fs.constants.W_OK); } catch (e) { throw fsError(e, opts.resume, '; --resume needs to write there'); }
    const runs = path.join(opts.resume, RUNS);
    if (fs.existsSync(runs)) try { fs.accessSync(runs, fs.constants.W_OK); } catch (e) { throw fsError(e, runs, '; --resume needs to append to it'); }
    return;
  }
  ensureDirectory(opts.out ?? 'results', opts.out !== undefined ? '--out' : 'results directory');
}

export type Existing =
  | { kind: 'none' }
  | { kind: 'finished'; manifest: Manifest; records: RunRecord[] }
  | { kind: 'unfinished'; done: number; total: number }
  | { kind: 'other'; why: string };

/** What `dir` already holds, judged against the manifest a new run would write. */
export function existingResults(dir: string, manifest: Manifest, keys: string[], shard: Shard | null, force = false): Existing {
  const busy = lockHolder(dir);
  if (busy !== null) throw new ToolError('busy', `${dir} is in use by another osiris-fi (pid ${busy}); wait for it to finish, or stop it first`);
  if (!fs.existsSync(path.join(dir, MANIFEST)) && !fs.existsSync(path.join(dir, RUNS))) return { kind: 'none' };
  // --force replaces whatever is there, even results too damaged to read.
  if (force) return { kind: 'other', why: 'replaced with --force' };
  const had = readManifest(dir);
  const why = sameCampaign(had, manifest);
  if (why) return { kind: 'other', why };
  if ((had.shard?.index ?? 0) !== (shard?.index ?? 0) || (had.shard?.count ?? 0) !== (shard?.count ?? 0)) {
    return { kind: 'other', why: `it holds shard ${had.shard ? `${had.shard.index}/${had.shard.count}` : 'none'}` };
  }
  const mine = shard ? shardSlice(keys, shard) : keys;
  const byKey = new Map(readRuns(dir).map((r) => [r.key, r]));
  const records = mine.filter((k) => byKey.has(k)).map((k) => byKey.get(k)!);
  return records.length === mine.length ? { kind: 'finished', manifest: had, records } : { kind: 'unfinished', done: records.length, total: mine.length };
}

/** --force: remove the results in `dir` (refused while another process holds it). */
export function clearResults(dir: string): void {
  const release = lockDirectory(dir);
  try {
    for (const f of [RUNS, MANIFEST]) {
      try { fs.unlinkSync(path.join(dir, f)); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, path.join(dir, f)); }
    }
  } finally { release(); }
}
