/*
 * The OSIRIS paper's own figures (DSN 2016; DESIGN §1), for side-by-side
 * display only. This is the one file that holds them: nothing in the
 * simulator, the runner or the reports may use them as a target.
 *
 * The entry points into this file are:
 *   paperTableFor         which of the two fits a campaign's fault model
 *   PAPER_COVERAGE        Table I, recovery coverage per server
 *   PAPER_BASELINE        Table IV, geomean Unixbench scores vs Linux
 *   PAPER_SLOWDOWN        Table V, geomean slowdown ratios
 *   PAPER_MEMORY          Table VI, memory per server (kB)
 *   PAPER_RCB             the Reliable Computing Base's size
 */

export interface PaperRow { pass: number; fail: number; shutdown: number; crash: number }

export interface PaperSurvivability {
  table: 'II' | 'III';
  title: string;
  /** Faults injected (one run per fault and mode). */
  faults: number;
  /** Percent of runs, by mode name as our built-in policies spell it. */
  rows: Readonly<Record<string, PaperRow>>;
}

const PAPER_SURVIVABILITY: Readonly<Record<'failstop' | 'edfi', PaperSurvivability>> = Object.freeze({
  failstop: {
    table: 'II', title: 'Table II, fail-stop faults', faults: 757,
    rows: {
      stateless: { pass: 19.6, fail: 0.0, shutdown: 0.0, crash: 80.4 },
      naive: { pass: 20.6, fail: 2.4, shutdown: 0.0, crash: 77.0 },
      pessimistic: { pass: 18.5, fail: 0.0, shutdown: 81.3, crash: 0.2 },
      enhanced: { pass: 25.6, fail: 6.5, shutdown: 66.1, crash: 1.9 },
    },
  },
  edfi: {
    table: 'III', title: 'Table III, full EDFI faults', faults: 992,
    rows: {
      stateless: { pass: 47.8, fail: 10.5, shutdown: 0.0, crash: 41.7 },
      naive: { pass: 48.5, fail: 11.9, shutdown: 0.0, crash: 39.6 },
      pessimistic: { pass: 47.3, fail: 10.5, shutdown: 38.2, crash: 4.0 },
      enhanced: { pass: 50.4, fail: 12.0, shutdown: 32.9, crash: 4.8 },
    },
  },
});

/**
 * The paper table for a campaign's fault model ("failstop", "edfi" or a list
 * of fault types); `exact` is false when the model is a custom list that
 * the paper did not run (then Table III, the nearest, is shown).
 */
export function paperTableFor(faultModel: unknown): { paper: PaperSurvivability; exact: boolean } | null {
  if (faultModel === 'failstop') return { paper: PAPER_SURVIVABILITY.failstop, exact: true };
  if (faultModel === 'edfi') return { paper: PAPER_SURVIVABILITY.edfi, exact: true };
  if (Array.isArray(faultModel) && faultModel.length > 0) {
    if (faultModel.every((t) => t === 'null-pointer')) return { paper: PAPER_SURVIVABILITY.failstop, exact: true };
    return { paper: PAPER_SURVIVABILITY.edfi, exact: false };
  }
  return null;
}

/** Table I: % of executed basic blocks inside the recovery window. */
export const PAPER_COVERAGE: Readonly<Record<string, { pessimistic: number; enhanced: number }>> = Object.freeze({
  pm: { pessimistic: 54.9, enhanced: 61.7 },
  vfs: { pessimistic: 72.3, enhanced: 72.3 },
  vm: { pessimistic: 64.6, enhanced: 64.6 },
  ds: { pessimistic: 47.1, enhanced: 92.8 },
  rs: { pessimistic: 49.4, enhanced: 50.5 },
  weighted: { pessimistic: 57.7, enhanced: 68.4 },
});

/** Table IV, geomean row only (the per-benchmark rows of the paper's text are unreliable scans). */
export const PAPER_BASELINE = Object.freeze({ linux: 873.5, osiris: 207.9, slowdown: 4.20 });

/** Table V: geomean slowdown vs the uninstrumented baseline. */
export const PAPER_SLOWDOWN = Object.freeze({ withoutWindowOpt: 1.235, pessimistic: 1.046, enhanced: 1.054 });

/** Table VI: kB per server, base / added by the clone / added by the undo log. */
export const PAPER_MEMORY: Readonly<Record<string, { base: number; clone: number; undoLog: number }>> = Object.freeze({
  pm: { base: 628, clone: 944, undoLog: 1 },
  vfs: { base: 1252, clone: 1600, undoLog: 13 },
  vm: { base: 4532, clone: 18032, undoLog: 24576 },
  ds: { base: 248, clone: 488, undoLog: 1 },
  rs: { base: 1696, clone: 5004, undoLog: 1 },
});

export const PAPER_RCB = Object.freeze({ rcbLoc: 29732, totalLoc: 237270, percent: 12.5 });
