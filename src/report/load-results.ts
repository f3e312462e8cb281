/*
 * Reading finished (or interrupted) campaigns for the reports: one or more
 * results directories (a whole campaign, or the shards of one not merged
 * yet) become one set of run records in plan order. A torn last line of a
 * journal (a kill in mid-write) is left out; directories of different
 * campaigns or builds are refused, as merge refuses them.
 *
 * The entry points into this file are:
 *   Results          what the reports work on
 *   loadResults      read and combine results directories
 *   faultKeyOf       a run's fault identity ("<blockId>|<faultType>")
 *   campaignInfo     the campaign settings the manifest records
 *   ResultsError     the one-line error for unusable directories
 */
import fs from 'node:fs';
import path from 'node:path';
import { OUTCOMES } from '../experiment/classify';
import { JournalError, Manifest, readManifest, readRuns, RunRecord, RUNS, sameCampaign } from '../experiment/journal';
import { ToolError } from '../tool-error';

export class ResultsError extends ToolError {
  constructor(message: string) { super('results', message); }
}

export interface Results {
  /** The directories read, absolute. */
  dirs: string[];
  /** The first directory's manifest (shard cleared when several were combined). */
  manifest: Manifest;
  /** Every recorded run once, in plan order (faults as in the manifest, then modes). */
  runs: RunRecord[];
  /** Runs of the whole campaign. */
  expected: number;
  /** Directories whose journal ended in a torn line (left out). */
  torn: string[];
}

export function faultKeyOf(r: Pick<RunRecord, 'block' | 'faultType'>): string {
  return `${r.block}|${r.faultType}`;
}

/** The settings a manifest's campaign identity holds (absent ones undefined). */
export interface CampaignInfo {
  name: string;
  seed?: string;
  faultModel?: unknown;
  faults?: unknown;
  tests?: unknown;
  pretests?: unknown;
  budget?: unknown;
  /** The campaign's fault selection (absent: every eligible fault). */
  select?: unknown;
  modes?: { name: string; policy: unknown }[];
}

export function campaignInfo(m: Manifest): CampaignInfo {
  const id = (m.campaign.identity ?? {}) as Record<string, unknown>;
  return {
    name: m.campaign.name,
    seed: typeof id.seed === 'string' ? id.seed : undefined,
    faultModel: id.faultModel, faults: id.faults, tests: id.tests, pretests: id.pretests, budget: id.budget, select: id.select,
    modes: Array.isArray(id.modes) ? (id.modes as { name: string; policy: unknown }[]) : undefined,
  };
}

const STRING_FIELDS = ['key', 'mode', 'block', 'faultType', 'detail'] as const;

function checkRecord(file: string, r: RunRecord): void {
  for (const f of STRING_FIELDS) {
    if (typeof r[f] !== 'string') throw new ResultsError(`${file}: run ${r.key ?? '?'} has no "${f}"; the journal is not of this tool's format`);
  }
  if (!(OUTCOMES as readonly string[]).includes(r.outcome)) {
    throw new ResultsError(`${file}: run ${r.key} has outcome "${String(r.outcome)}"; expected one of ${OUTCOMES.join(', ')}`);
  }
}

function endsTorn(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const size = fs.statSync(file).size;
  if (size === 0) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, size - 1);
    return b[0] !== 0x0a;
  } finally { fs.closeSync(fd); }
}

/** Two records of one run agree when everything but the wall-clock time does. */
function sameRun(a: RunRecord, b: RunRecord): boolean {
  return JSON.stringify({ ...a, wallMs: 0 }) === JSON.stringify({ ...b, wallMs: 0 });
}

export function loadResults(dirs: string[]): Results {
  if (dirs.length === 0) throw new ResultsError('expected at least one results directory');
  const abs = dirs.map((d) => path.resolve(d));
  let manifests: Manifest[];
  try { manifests = abs.map((d) => readManifest(d)); } catch (e) {
    if (e instanceof JournalError) throw new ResultsError(e.message);
    throw e;
  }
  manifests.forEach((m, i) => {
    if (m.format !== 1) throw new ResultsError(`${dirs[i]}: results format ${String(m.format)} is not supported by this version (expected 1)`);
  });
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    if (i === 0) return;
    const why = sameCampaign(first, m);
    if (why) throw new ResultsError(`cannot combine ${dirs[i]} with ${dirs[0]}: ${why}`);
  });
  const byKey = new Map<string, RunRecord>();
  const torn: string[] = [];
  abs.forEach((d, i) => {
    const file = path.join(d, RUNS);
    let recs: RunRecord[];
    try { recs = readRuns(d); } catch (e) {
      if (e instanceof JournalError) throw new ResultsError(e.message);
      throw e;
    }
    if (endsTorn(file)) torn.push(dirs[i]!);
    for (const r of recs) {
      checkRecord(file, r);
      const had = byKey.get(r.key);
      if (had && !sameRun(had, r)) throw new ResultsError(`run ${r.key} has different results in two directories (${dirs[i]}); they cannot be combined`);
      if (!had) byKey.set(r.key, r);
    }
  });
  const faultRank = new Map<string, number>();
  first.faults.forEach((f, i) => faultRank.set(faultKeyOf(f), i));
  const modeRank = new Map<string, number>();
  first.modes.forEach((m, i) => modeRank.set(m, i));
  const rank = (r: RunRecord): [number, number] => [faultRank.get(faultKeyOf(r)) ?? Infinity, modeRank.get(r.mode) ?? Infinity];
  const runs = [...byKey.values()].sort((a, b) => {
    const [fa, ma] = rank(a), [fb, mb] = rank(b);
    if (fa !== fb) return fa < fb ? -1 : 1;
    if (ma !== mb) return ma < mb ? -1 : 1;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const manifest: Manifest = abs.length > 1 ? { ...first, shard: null } : first;
  return { dirs: abs, manifest, runs, expected: first.runs, torn };
}
