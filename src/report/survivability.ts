/*
 * Survivability per recovery mode (the paper's Tables II/III): how many
 * runs passed, failed, shut down or crashed, as counts and percentages with
 * 95% Wilson intervals. Crash holds every run that did not end in a
 * completed suite or a controlled shutdown — uncontrolled crashes, panics,
 * simulator errors, timeouts, deadlocks and incomplete suites — as the
 * paper counted them; the breakdown keeps them apart.
 *
 * The entry points into this file are:
 *   COLUMNS           the four table columns, in order
 *   survivability     per mode: the four cells, the crash breakdown, recoveries and the oracle
 *   modesOf           the modes to show: the manifest's, then any others recorded
 */
import { Outcome, OUTCOMES } from '../experiment/classify';
import type { RunRecord } from '../experiment/journal';
import { CrashDetail, crashDetail, tableColumn, tally } from '../experiment/tally';
import { wilson } from './wilson';

// The column of a run and the kinds of crash are the campaign runner's tally (one count for both).
export { CRASH_DETAILS, tableColumn } from '../experiment/tally';
export type { CrashDetail } from '../experiment/tally';

export const COLUMNS: readonly Outcome[] = OUTCOMES;

export interface Cell {
  count: number;
  /** Percent of the mode's runs, and its 95% Wilson interval, in percent (NaN/0/100 with no runs). */
  pct: number;
  lo: number;
  hi: number;
}

export interface ModeSurvivability {
  mode: string;
  runs: number;
  cells: Record<Outcome, Cell>;
  /** The Crash column by kind of ending. */
  crashes: Record<CrashDetail | 'other', number>;
  /** Runs with at least one recovery. */
  recovered: number;
  /** Runs whose recoveries left the consistency oracle unhappy, by table column. */
  oracleUnhappy: number;
  oracleUnhappyBy: Record<Outcome, number>;
  /** Runs whose fault never fired (tabulated as they ended: the prototype counted them as pass), by table column. */
  notActivated: number;
  notActivatedBy: Record<Outcome, number>;
  /** Fail runs in which only recovery pre-tests failed (every suite test passed). */
  failedOnlyInPretests: number;
}

/** The recovery pre-tests are the programs named pre_<server> (os/workload/pretests.ts); no suite test is. */
export function isPretest(program: string): boolean {
  return program.startsWith('pre_');
}

/** A fail run whose failed programs are all pre-tests. */
export function failedOnlyInPretests(r: Pick<RunRecord, 'outcome' | 'detail' | 'failedTests'>): boolean {
  return tableColumn(r) === 'fail' && r.failedTests.length > 0 && r.failedTests.every((f) => isPretest(f.split(':')[0]!));
}

function cell(count: number, n: number): Cell {
  const w = wilson(count, n);
  return { count, pct: 100 * w.p, lo: 100 * w.lo, hi: 100 * w.hi };
}

export function modesOf(manifestModes: readonly string[], runs: readonly RunRecord[]): string[] {
  const known = new Set(manifestModes);
  const extra = [...new Set(runs.map((r) => r.mode).filter((m) => !known.has(m)))].sort();
  return [...manifestModes, ...extra];
}

const zeroOutcomes = (): Record<Outcome, number> => ({ pass: 0, fail: 0, shutdown: 0, crash: 0 });

export function survivability(runs: readonly RunRecord[], modes: readonly string[]): ModeSurvivability[] {
  const tallies = tally(runs, modes);
  return modes.map((mode) => {
    const mine = runs.filter((r) => r.mode === mode);
    const counts = tallies.get(mode)!;
    const unhappyBy = zeroOutcomes();
    const crashes: Record<CrashDetail | 'other', number> = { crash: 0, panic: 0, 'simulator-error': 0, timeout: 0, deadlock: 0, incomplete: 0, other: 0 };
    let recovered = 0;
    let unhappy = 0;
    const notActivatedBy = zeroOutcomes();
    let onlyPre = 0;
    for (const r of mine) {
      const col = tableColumn(r);
      if (r.activations === 0) notActivatedBy[col]++;
      if (failedOnlyInPretests(r)) onlyPre++;
      if (col === 'crash') crashes[crashDetail(r)]++;
      if ((r.recoveries ?? 0) > 0) {
        recovered++;
        if ((r.oracleViolations ?? 0) > 0) { unhappy++; unhappyBy[col]++; }
      }
    }
    const n = counts.total;
    return {
      mode, runs: n,
      cells: { pass: cell(counts.pass, n), fail: cell(counts.fail, n), shutdown: cell(counts.shutdown, n), crash: cell(counts.crash, n) },
      crashes, recovered, oracleUnhappy: unhappy, oracleUnhappyBy: unhappyBy,
      notActivated: COLUMNS.reduce((a, c) => a + notActivatedBy[c], 0), notActivatedBy, failedOnlyInPretests: onlyPre,
    };
  });
}
