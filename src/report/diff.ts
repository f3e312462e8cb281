/*
 * Two campaigns compared fault by fault (a policy change, a new build, a
 * new seed of values): runs are paired by fault (block and fault type) and
 * mode name; for each mode shared, the faults whose table column changed,
 * and McNemar's test of whether the share survived (pass) changed, on the
 * faults run under that mode in both (and the same test for the share
 * completed, pass or fail). Faults or modes of one side only are
 * counted, never paired.
 *
 * The entry points into this file are:
 *   DiffReport   what `osiris-fi diff` shows (and --json prints)
 *   diffResults  pair two campaigns' runs; refuses pairs that share no faults
 */
import type { Outcome } from '../experiment/classify';
import type { RunRecord } from '../experiment/journal';
import { campaignInfo, faultKeyOf, ResultsError, type Results } from './load-results';
import { mcnemar, type McNemar } from './mcnemar';
import { modesOf, tableColumn } from './survivability';
import { wilson } from './wilson';

export interface DiffSide {
  campaign: string;
  seed: string | null;
  build: string;
  dirs: string[];
  runs: number;
  faults: number;
  modes: string[];
}

export interface ModeDiff {
  mode: string;
  /** Faults run under this mode in both campaigns. */
  paired: number;
  /** Survived (pass) under A and under B, as counts and % with 95% Wilson intervals. */
  survivedA: number;
  survivedB: number;
  pctA: [number, number, number];
  pctB: [number, number, number];
  /** The 2x2 table: both survived, A only (b), B only (c), neither. */
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  test: McNemar;
  /**
   * The same test on "completed" (pass or fail: the suite ran to its end)
   * vs not (shutdown or crash) — informative where almost nothing passes,
   * as under fail-stop faults. b, c as for survival.
   */
  completed: { a: number; b: number; onlyA: number; onlyB: number; test: McNemar };
  /** Faults whose column changed (any column, not only survival). */
  changed: number;
  /** True when the two campaigns give this mode different policies. */
  policyDiffers: boolean;
}

export interface FaultChange {
  fault: string;
  mode: string;
  server: string;
  from: Outcome;
  to: Outcome;
  fromDetail: string;
  toDetail: string;
}

export interface DiffReport {
  a: DiffSide;
  b: DiffSide;
  sharedFaults: number;
  onlyInA: number;
  onlyInB: number;
  sharedModes: string[];
  modesOnlyInA: string[];
  modesOnlyInB: string[];
  modes: ModeDiff[];
  /** Every paired run whose column changed, in A's plan order. */
  changes: FaultChange[];
}

function side(r: Results): DiffSide {
  return {
    campaign: r.manifest.campaign.name, seed: campaignInfo(r.manifest).seed ?? null, build: r.manifest.variantHash, dirs: r.dirs,
    // Modes with runs (a --mode filter, or an unfinished campaign, leaves some without).
    runs: r.runs.length, faults: new Set(r.runs.map(faultKeyOf)).size, modes: modesOf(r.manifest.modes, r.runs).filter((m) => r.runs.some((x) => x.mode === m)),
  };
}

function policies(r: Results): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of campaignInfo(r.manifest).modes ?? []) out.set(m.name, JSON.stringify(m.policy));
  return out;
}

const pctOf = (k: number, n: number): [number, number, number] => {
  const w = wilson(k, n);
  return [100 * w.p, 100 * w.lo, 100 * w.hi];
};

export function diffResults(a: Results, b: Results): DiffReport {
  const sa = side(a), sb = side(b);
  const faultsA = new Set(a.runs.map(faultKeyOf));
  const faultsB = new Set(b.runs.map(faultKeyOf));
  const shared = [...faultsA].filter((f) => faultsB.has(f));
  if (shared.length === 0) {
    throw new ResultsError(`${sa.campaign} and ${sb.campaign} share no faults (block and fault type); diff pairs runs fault by fault, so it needs campaigns over the same fault locations`);
  }
  const sharedModes = sa.modes.filter((m) => sb.modes.includes(m));
  if (sharedModes.length === 0) {
    throw new ResultsError(`${sa.campaign} (modes ${sa.modes.join(', ')}) and ${sb.campaign} (modes ${sb.modes.join(', ')}) share no mode; diff pairs runs by fault and mode name`);
  }
  const byKeyB = new Map<string, RunRecord>();
  for (const r of b.runs) byKeyB.set(`${faultKeyOf(r)}|${r.mode}`, r);
  const pa = policies(a), pb = policies(b);
  const changes: FaultChange[] = [];
  const modes: ModeDiff[] = sharedModes.map((mode) => {
    let both = 0, onlyA = 0, onlyB = 0, neither = 0, changed = 0;
    let compA = 0, compB = 0, compOnlyA = 0, compOnlyB = 0;
    for (const ra of a.runs) {
      if (ra.mode !== mode) continue;
      const rb = byKeyB.get(`${faultKeyOf(ra)}|${mode}`);
      if (!rb) continue;
      const x = tableColumn(ra), y = tableColumn(rb);
      const sx = x === 'pass', sy = y === 'pass';
      if (sx && sy) both++; else if (sx) onlyA++; else if (sy) onlyB++; else neither++;
      const cx = x === 'pass' || x === 'fail', cy = y === 'pass' || y === 'fail';
      if (cx) compA++;
      if (cy) compB++;
      if (cx && !cy) compOnlyA++;
      if (cy && !cx) compOnlyB++;
      if (x !== y) {
        changed++;
        changes.push({ fault: faultKeyOf(ra), mode, server: ra.server, from: x, to: y, fromDetail: ra.detail, toDetail: rb.detail });
      }
    }
    const paired = both + onlyA + onlyB + neither;
    return {
      mode, paired, survivedA: both + onlyA, survivedB: both + onlyB, pctA: pctOf(both + onlyA, paired), pctB: pctOf(both + onlyB, paired),
      both, onlyA, onlyB, neither, test: mcnemar(onlyA, onlyB), changed,
      completed: { a: compA, b: compB, onlyA: compOnlyA, onlyB: compOnlyB, test: mcnemar(compOnlyA, compOnlyB) },
      policyDiffers: pa.has(mode) && pb.has(mode) && pa.get(mode) !== pb.get(mode),
    };
  });
  // Changes in A's plan order (fault-major), whatever the mode loop's order.
  const rank = new Map<string, number>();
  a.runs.forEach((r, i) => rank.set(`${faultKeyOf(r)}|${r.mode}`, i));
  changes.sort((x, y) => rank.get(`${x.fault}|${x.mode}`)! - rank.get(`${y.fault}|${y.mode}`)!);
  return {
    a: sa, b: sb, sharedFaults: shared.length, onlyInA: faultsA.size - shared.length, onlyInB: faultsB.size - shared.length,
    sharedModes, modesOnlyInA: sa.modes.filter((m) => !sb.modes.includes(m)), modesOnlyInB: sb.modes.filter((m) => !sa.modes.includes(m)),
    modes, changes,
  };
}
