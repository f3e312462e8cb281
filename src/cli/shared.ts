/*
 * What several commands share, so that no command imports another: the
 * profile cache location, the survivability table, reading results
 * directories, the transition pair, writing an experiment's CSV and the
 * Unixbench-like program list. Commands load this lazily with themselves.
 *
 * The entry points into this file are:
 *   defaultCacheDir     where the golden profile is cached (results/.cache)
 *   survivabilityTable  per mode: runs and Pass/Fail/Shutdown/Crash %
 *   loadForReport       results directories, read and combined
 *   pickPair            the two modes of a transition matrix
 *   writeCsv            write an experiment's CSV, checked
 *   benchPrograms       the --programs list, checked
 *   campaignFromManifest the Campaign a manifest's identity describes (replay, seep-audit --results)
 */
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Tally } from '../experiment/tally';
import { writeFileAtomic } from '../experiment/durable-file';
import { loadResults, Results } from '../report/load-results';
import { defaultPair } from '../report/transitions';
import { BENCH_PROGRAMS } from '../os/workload/unixbench/index';
import { ToolError } from '../tool-error';
import { UsageError } from './errors';
import { Campaign, campaignIdentity } from '../experiment/campaign-spec';
import type { Manifest } from '../experiment/journal';
import type { Policy } from '../osiris/policies';
import { table } from './format';

export function defaultCacheDir(): string {
  return path.resolve(process.cwd(), 'results', '.cache');
}

const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : '-');

export function survivabilityTable(t: Map<string, Tally>): string {
  const rows = [...t.entries()].map(([m, x]) => [m, x.total, pct(x.pass, x.total), pct(x.fail, x.total), pct(x.shutdown, x.total), pct(x.crash, x.total)]);
  return table(['mode', 'runs', 'Pass %', 'Fail %', 'Shutdown %', 'Crash %'], rows, ['l', 'r', 'r', 'r', 'r', 'r']);
}

/** loadResults; its errors are ToolErrors and reach the user as one line. */
export function loadForReport(dirs: string[]): Results {
  return loadResults(dirs);
}

/** `--modes a,b`, or the default pair; null when the results hold fewer than two modes. */
export function pickPair(modes: string[], spec: string | undefined): [string, string] | null {
  if (spec === undefined) return defaultPair(modes);
  const parts = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length !== 2 || parts[0] === parts[1]) throw new UsageError(`--modes "${spec}": expected two different modes, e.g. --modes naive,enhanced`);
  for (const m of parts) if (!modes.includes(m)) throw new UsageError(`--modes: no runs of mode "${m}" here; the results hold ${modes.join(', ')}`);
  return [parts[0]!, parts[1]!];
}

export function writeCsv(file: string, csv: { columns: string[]; rows: (string | number)[][] }, option = '--csv'): void {
  try {
    writeFileAtomic(file, stringify(csv.rows, { header: true, columns: csv.columns }));
  } catch (e) {
    if (e instanceof ToolError) throw new ToolError(e.code, `${option} ${e.message}`);
    throw e;
  }
}

/** The --programs list, checked against the twelve programs. */
export function benchPrograms(spec: string | undefined): string[] | undefined {
  if (spec === undefined) return undefined;
  const names = spec.split(',').map((x) => x.trim()).filter(Boolean);
  const known = BENCH_PROGRAMS.map((b) => b.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (names.length === 0 || unknown.length) throw new UsageError(`--programs: unknown ${unknown.join(', ') || '(empty list)'} (one of: ${known.join(', ')})`);
  return names;
}

/** What the runner's planning needs from a manifest's campaign identity. */
const NEEDED = ['seed', 'faultModel', 'faults', 'modes', 'tests', 'pretests', 'budget'] as const;

export function campaignFromManifest(m: Manifest, where: string): Campaign {
  const id = (m.campaign.identity ?? {}) as Record<string, unknown>;
  const missing = NEEDED.filter((f) => id[f] === undefined);
  if (missing.length) {
    throw new UsageError(`${where}: the manifest's campaign.identity lacks ${missing.map((f) => `"${f}"`).join(', ')}; replay cannot rebuild the run without them`);
  }
  const modes = (id.modes as { name: string; policy: Policy }[]).map((x) => ({ name: x.name, spec: x.name, policy: x.policy }));
  const campaign = {
    name: m.campaign.name, seed: String(id.seed), faultModel: id.faultModel, faults: id.faults, modes,
    tests: id.tests, pretests: id.pretests, budget: id.budget, checking: id.checking ?? 'strict', livelock: id.livelock ?? 'detect', ...(id.select !== undefined ? { select: id.select } : {}),
    profiling: id.profiling ?? 'isolated', serviceFi: id.serviceFi ?? 'next-request', file: m.campaign.file,
  } as Campaign;
  // A manifest written by a different planner would not round-trip; replaying it would prove nothing.
  if (JSON.stringify(campaignIdentity(campaign)) !== JSON.stringify(id)) {
    throw new UsageError(`${where}: the manifest's campaign identity is not in the form this version writes; replay it with the osiris-fi version that ran it (${m.tool.version})`);
  }
  return campaign;
}
