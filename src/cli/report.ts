/*
 * `osiris-fi report [--out <dir>] [--results <dir>] [--only <experiments>] [--reuse]`: runs the experiments
 * at their defaults (progress on stderr), reads the latest results of each
 * campaign, and writes one HTML page, its Markdown twin and the charts as
 * SVG files. An experiment that fails leaves a note in its section rather
 * than no report. Each result is kept in <out>/cache (report-cache.ts);
 * with --reuse an unchanged experiment is read from there, not rerun.
 *
 * The entry points into this file are:
 *   runReportCommand   the command
 *   gatherInputs       everything the report is built from
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildReport, findCampaignResults, writeReport, type Got, type ReportInputs } from '../report/build-report';
import { loadResults, type Results } from '../report/load-results';
import { ToolError } from '../tool-error';
import { ensureDirectory, fsError } from '../experiment/durable-file';
import { UsageError } from './errors';
import { cacheKey, readCache, writeCache } from './report-cache';

const pkg = require('../../../package.json') as { name: string; version: string };

export interface ReportOptions { out?: string; results?: string; only?: string; reuse?: boolean }

export const EXPERIMENTS = ['coverage', 'bench', 'memory', 'disruption', 'rcb'] as const;
type Experiment = (typeof EXPERIMENTS)[number];

/** --only: the experiments to run (all of them without it). */
function onlyOf(spec: string | undefined): Set<Experiment> {
  if (spec === undefined) return new Set(EXPERIMENTS);
  const names = spec.split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(EXPERIMENTS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length) throw new UsageError(`--only: unknown ${unknown.join(', ') || '(empty list)'} (one or more of: ${EXPERIMENTS.join(', ')})`);
  return new Set(names as Experiment[]);
}

type Progress = (line: string) => void;

/** The policies of Table I. */
const COVERAGE_MODES = ['pessimistic', 'enhanced'];

/** An experiment's onProgress as a line at each quarter done. */
function steps(name: string, progress: Progress): (done: number, total: number) => void {
  let shown = 0;
  return (done, total) => {
    const q = Math.floor((4 * done) / total);
    if (q > shown && done < total) { shown = q; progress(`${name}: ${done}/${total}`); }
  };
}

/** Where results are cached, whether to reuse them, and which came from the cache (experiment -> when it was computed). */
export interface CacheUse { outDir: string; reuse: boolean; cached: Record<string, string> }

/** What each experiment runs with (the report runs every one at its defaults): part of its cache key. */
const SETTINGS: Record<Experiment, unknown> = { coverage: { modes: COVERAGE_MODES }, bench: {}, memory: {}, disruption: {}, rcb: {} };

async function timed<T>(name: Experiment, progress: Progress, run: () => T | Promise<T>, only: Set<Experiment> = new Set(EXPERIMENTS), cache?: CacheUse): Promise<Got<T>> {
  if (!only.has(name)) return { ok: false, reason: `The ${name} experiment was left out of this report (--only).` };
  const key = cache ? cacheKey(name, pkg.version, SETTINGS[name]) : null;
  if (cache && key && cache.reuse) {
    const hit = readCache<T>(cache.outDir, key);
    if (hit.ok) { progress(`${name}: from the cache (computed ${hit.savedAt})`); cache.cached[name] = hit.savedAt; return { ok: true, value: hit.value }; }
    progress(`${name}: ${hit.why}: recomputing`);
  }
  progress(`${name}...`);
  const t0 = process.hrtime.bigint();
  try {
    const value = await run();
    progress(`${name}: done in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
    // The CLI may read the wall clock: the date only labels the entry, it is not part of any result.
    if (cache && key) writeCache(cache.outDir, key, value, new Date().toISOString());
    return { ok: true, value };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    progress(`${name}: failed: ${msg}`);
    return { ok: false, reason: `The ${name} experiment failed: ${msg}` };
  }
}

function campaigns(root: string): Got<Results>[] {
  return findCampaignResults(root).map((dirs): Got<Results> => {
    try { return { ok: true, value: loadResults(dirs) }; } catch (e) {
      // Any of the tool's errors (an unreadable or foreign journal, a file-system error) becomes a note.
      if (e instanceof ToolError) return { ok: false, reason: `Results in ${dirs.join(', ')} could not be read: ${e.message}` };
      throw e;
    }
  });
}

export async function gatherInputs(resultsRoot: string, progress: Progress, only: Set<Experiment> = new Set(EXPERIMENTS), cache?: CacheUse): Promise<ReportInputs> {
  const timedOnly = <T>(name: Experiment, p: Progress, run: () => T | Promise<T>) => timed(name, p, run, only, cache);
  const found = campaigns(resultsRoot);
  progress(`campaign results: ${found.length === 0 ? `none under ${resultsRoot}` : `${found.length} campaign${found.length === 1 ? '' : 's'}`}`);
  // Experiments run one after another: bench times wall clock, so nothing else may run beside it.
  const coverage = await timedOnly('coverage', progress, () => {
    const { runCoverage } = require('../experiment/coverage') as typeof import('../experiment/coverage');
    const { resolvePolicy } = require('../osiris/policies') as typeof import('../osiris/policies');
    return runCoverage(COVERAGE_MODES.map(resolvePolicy));
  });
  const bench = await timedOnly('bench', progress, () => {
    const { runBench } = require('../experiment/performance') as typeof import('../experiment/performance');
    return runBench({ onProgress: steps('bench', progress) });
  });
  const memory = await timedOnly('memory', progress, () => (require('../experiment/memory') as typeof import('../experiment/memory')).runMemory());
  const disruption = await timedOnly('disruption', progress, () => {
    const { runDisruption } = require('../experiment/disruption') as typeof import('../experiment/disruption');
    return runDisruption({ onProgress: steps('disruption', progress) });
  });
  const rcb = await timedOnly('rcb', progress, () => (require('../experiment/rcb') as typeof import('../experiment/rcb')).runRcb());
  return { tool: { name: pkg.name, version: pkg.version }, campaigns: found, resultsRoot, coverage, bench, memory, disruption, rcb, ...(cache ? { cached: cache.cached } : {}) };
}

export async function runReportCommand(opts: ReportOptions): Promise<number> {
  const out = path.resolve(opts.out ?? path.join('results', 'report'));
  // Kept as given (relative paths read better in the page); directories found are resolved when loaded.
  const root = opts.results ?? 'results';
  const only = onlyOf(opts.only);
  if (opts.results !== undefined && !fs.existsSync(opts.results)) throw new UsageError(`--results ${opts.results}: no such directory`);
  // Before minutes of experiments: the page must have somewhere to go.
  ensureDirectory(out, '--out');
  ensureDirectory(path.join(out, 'charts'), '--out');
  const progress: Progress = (line) => process.stderr.write(`report: ${line}\n`);
  const inputs = await gatherInputs(root, progress, only, { outDir: out, reuse: opts.reuse === true, cached: {} });
  progress('rendering charts...');
  const doc = await buildReport(inputs);
  let written;
  try { written = writeReport(doc, out); } catch (e) {
    throw fsError(e, (e as NodeJS.ErrnoException).path ?? out);
  }
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') || path.isAbsolute(r) ? p : r;
  };
  process.stdout.write(`${rel(written.html)}\n${rel(written.markdown)}\n${written.charts.length} charts in ${rel(path.join(out, 'charts'))}\n`);
  const failed = EXPERIMENTS.filter((k) => only.has(k) && !inputs[k].ok);
  const left = EXPERIMENTS.filter((k) => !only.has(k));
  if (left.length) process.stderr.write(`report: left out (--only): ${left.join(', ')}\n`);
  if (failed.length) process.stderr.write(`report: written without ${failed.join(', ')} (see the notes in the page)\n`);
  return failed.length ? 1 : 0;
}
