/*
 * The one tally of run outcomes: which of the four table columns (Pass,
 * Fail, Shutdown, Crash) a run falls in, and the per-mode counts the
 * campaign runner, `merge` and the survivability report all show.
 *
 * The entry points into this file are:
 *   CRASH_DETAILS   the kinds of run the Crash column holds
 *   tableColumn     the column a run falls in
 *   emptyTally / addRun / tally   counting runs per mode
 */
import { Outcome, OUTCOMES } from './classify';
import type { RunRecord } from './journal';

export const CRASH_DETAILS = ['crash', 'panic', 'simulator-error', 'timeout', 'deadlock', 'incomplete'] as const;
export type CrashDetail = (typeof CRASH_DETAILS)[number];

const CRASHY = new Set<string>(CRASH_DETAILS);

/** Timeouts, deadlocks and incomplete suites are Crash even if a record spelt them as outcomes of their own. */
export function tableColumn(r: Pick<RunRecord, 'outcome' | 'detail'>): Outcome {
  if ((OUTCOMES as readonly string[]).includes(r.outcome)) return r.outcome;
  if (CRASHY.has(r.outcome) || CRASHY.has(r.detail)) return 'crash';
  throw new RangeError(`run outcome "${String(r.outcome)}" is none of ${OUTCOMES.join(', ')}`);
}

/** The Crash column's kind of ending for a run in it ('other': a kind this version does not know). */
export function crashDetail(r: Pick<RunRecord, 'detail'>): CrashDetail | 'other' {
  return CRASHY.has(r.detail) ? (r.detail as CrashDetail) : 'other';
}

export type Tally = Record<Outcome, number> & { total: number };

export function emptyTally(): Tally {
  return { pass: 0, fail: 0, shutdown: 0, crash: 0, total: 0 };
}

export function addRun(t: Tally, r: Pick<RunRecord, 'outcome' | 'detail'>): void {
  t[tableColumn(r)]++;
  t.total++;
}

/** Outcome counts per mode, modes in the given order; runs of other modes are left out. */
export function tally(records: readonly RunRecord[], modes: readonly string[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const m of modes) out.set(m, emptyTally());
  for (const r of records) {
    const t = out.get(r.mode);
    if (t) addRun(t, r);
  }
  return out;
}
