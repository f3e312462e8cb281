/*
 * Per-fault transitions between two recovery modes: the same fault (block
 * and fault type) was run under both, so each fault moves from one table
 * column to another — e.g. the faults that crash under naive but shut down
 * under enhanced. Faults recorded under only one of the two modes (an
 * unfinished campaign) are listed apart, never guessed.
 *
 * The entry points into this file are:
 *   Transitions      the matrix, the faults in each cell, the unpaired faults
 *   transitions      build it for two modes
 *   defaultPair      naive vs enhanced when both ran, else the first two modes
 *   movements        the off-diagonal cells, largest first
 */
import type { Outcome } from '../experiment/classify';
import type { RunRecord } from '../experiment/journal';
import { faultKeyOf } from './load-results';
import { COLUMNS, tableColumn } from './survivability';

export type Matrix<T> = Record<Outcome, Record<Outcome, T>>;

export interface Transitions {
  from: string;
  to: string;
  /** matrix[a][b]: faults in column a under `from` and column b under `to`. */
  matrix: Matrix<number>;
  /** The fault keys of each cell, in plan order. */
  faults: Matrix<string[]>;
  /** Faults run under both modes. */
  paired: number;
  /** Faults recorded under only one of the two. */
  onlyFrom: string[];
  onlyTo: string[];
}

function square<T>(make: () => T): Matrix<T> {
  const row = (): Record<Outcome, T> => ({ pass: make(), fail: make(), shutdown: make(), crash: make() });
  return { pass: row(), fail: row(), shutdown: row(), crash: row() };
}

export function transitions(runs: readonly RunRecord[], from: string, to: string): Transitions {
  if (from === to) throw new RangeError(`transitions: expected two different modes, got ${from} twice`);
  // Insertion order follows `runs` (plan order), so every list below is deterministic.
  const a = new Map<string, Outcome>();
  const b = new Map<string, Outcome>();
  const order: string[] = [];
  const seen = new Set<string>();
  for (const r of runs) {
    if (r.mode !== from && r.mode !== to) continue;
    const f = faultKeyOf(r);
    if (!seen.has(f)) { seen.add(f); order.push(f); }
    (r.mode === from ? a : b).set(f, tableColumn(r));
  }
  const matrix = square(() => 0);
  const faults = square<string[]>(() => []);
  const onlyFrom: string[] = [];
  const onlyTo: string[] = [];
  let paired = 0;
  for (const f of order) {
    const x = a.get(f), y = b.get(f);
    if (x && y) { matrix[x][y]++; faults[x][y].push(f); paired++; }
    else if (x) onlyFrom.push(f);
    else onlyTo.push(f);
  }
  return { from, to, matrix, faults, paired, onlyFrom, onlyTo };
}

export function defaultPair(modes: readonly string[]): [string, string] | null {
  if (modes.includes('naive') && modes.includes('enhanced')) return ['naive', 'enhanced'];
  return modes.length >= 2 ? [modes[0]!, modes[1]!] : null;
}

/** Faults that changed column between the modes, largest movement first (ties in column order). */
export function movements(t: Transitions): { from: Outcome; to: Outcome; count: number }[] {
  const out: { from: Outcome; to: Outcome; count: number }[] = [];
  for (const x of COLUMNS) for (const y of COLUMNS) if (x !== y && t.matrix[x][y] > 0) out.push({ from: x, to: y, count: t.matrix[x][y] });
  // Array.prototype.sort is stable, so equal counts keep column order.
  return out.sort((p, q) => q.count - p.count);
}
