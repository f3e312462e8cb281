/* The pure statistics of the reports: Wilson intervals, survivability tallies, transitions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from '../src/experiment/journal';
import { wilson } from '../src/report/wilson';
import { survivability, tableColumn, modesOf } from '../src/report/survivability';
import { defaultPair, movements, transitions } from '../src/report/transitions';
import { paperTableFor } from '../src/report/paper';

const near = (actual: number, expected: number, what: string, tol = 5e-5) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);

test('Wilson intervals match published values', () => {
  // Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson, no continuity correction).
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [k, n, lo, hi] of cases) {
    const w = wilson(k, n);
    near(w.lo, lo, `${k}/${n} lower`);
    near(w.hi, hi, `${k}/${n} upper`);
    near(w.p, k / n, `${k}/${n} point`, 1e-12);
  }
  // Symmetry and the edges.
  const half = wilson(5, 10);
  near(half.lo, 0.2366, '5/10 lower');
  near(half.lo + half.hi, 1, '5/10 symmetric', 1e-12);
  const all = wilson(10, 10);
  assert.equal(all.hi, 1);
  near(all.lo, 1 - wilson(0, 10).hi, '10/10 mirrors 0/10', 1e-12);
  assert.deepEqual(wilson(0, 0), { p: NaN, lo: 0, hi: 1 });
  assert.throws(() => wilson(3, 2), RangeError);
  assert.throws(() => wilson(1.5, 4), RangeError);
});

function rec(block: string, mode: string, outcome: RunRecord['outcome'], detail: RunRecord['detail'] = outcome, over: Partial<RunRecord> = {}): RunRecord {
  return {
    key: `${block}|swap|${mode}`, mode, block, server: block.split('/')[0]!, faultType: 'swap', outcome, detail,
    activations: 1, recoveries: 0, recoveryActions: [], oracleViolations: 0, failedTests: [], programs: 3,
    simTimeNs: 10, messages: 5, halt: null, error: null, wallMs: 1, ...over,
  };
}

const RUNS: RunRecord[] = [
  rec('pm/a.ts:f#0', 'naive', 'crash', 'deadlock', { recoveries: 1 }),
  rec('pm/a.ts:f#0', 'enhanced', 'shutdown', 'shutdown', { recoveries: 1 }),
  rec('pm/a.ts:f#1', 'naive', 'crash', 'timeout', { recoveries: 2 }),
  rec('pm/a.ts:f#1', 'enhanced', 'shutdown', 'shutdown', { recoveries: 1 }),
  rec('vm/b.ts:g#0', 'naive', 'pass', 'pass', { recoveries: 1, oracleViolations: 2 }),
  rec('vm/b.ts:g#0', 'enhanced', 'pass'),
  rec('vm/b.ts:g#1', 'naive', 'crash', 'incomplete'),
  rec('vm/b.ts:g#1', 'enhanced', 'fail', 'fail', { recoveries: 1, oracleViolations: 1 }),
  rec('ds/c.ts:h#0', 'naive', 'crash', 'panic'),
  // Only under one mode: an unfinished campaign.
  rec('ds/c.ts:h#1', 'enhanced', 'pass'),
];

test('survivability tallies counts, percentages, intervals and the crash breakdown', () => {
  const [naive, enhanced] = survivability(RUNS, ['naive', 'enhanced']);
  assert.ok(naive && enhanced, 'one row per mode asked for');
  assert.equal(naive.runs, 5);
  assert.deepEqual([naive.cells.pass.count, naive.cells.fail.count, naive.cells.shutdown.count, naive.cells.crash.count], [1, 0, 0, 4]);
  assert.equal(naive.cells.crash.pct, 80);
  const w = wilson(4, 5);
  assert.equal(naive.cells.crash.lo, 100 * w.lo);
  assert.equal(naive.cells.crash.hi, 100 * w.hi);
  assert.deepEqual(naive.crashes, { crash: 0, panic: 1, 'simulator-error': 0, timeout: 1, deadlock: 1, incomplete: 1, other: 0 });
  assert.equal(naive.recovered, 3);
  assert.equal(naive.oracleUnhappy, 1);
  assert.deepEqual(naive.oracleUnhappyBy, { pass: 1, fail: 0, shutdown: 0, crash: 0 });
  assert.equal(enhanced.runs, 5);
  assert.deepEqual([enhanced.cells.pass.count, enhanced.cells.fail.count, enhanced.cells.shutdown.count, enhanced.cells.crash.count], [2, 1, 2, 0]);
  assert.equal(enhanced.cells.crash.lo, 0);
  assert.equal(enhanced.oracleUnhappy, 1);
  assert.deepEqual(enhanced.oracleUnhappyBy, { pass: 0, fail: 1, shutdown: 0, crash: 0 });
  // A mode with no runs: no percentage, the whole range.
  const [none] = survivability(RUNS, ['stateless']);
  assert.ok(none, 'a row for a mode with no runs');
  assert.equal(none.runs, 0);
  assert.ok(Number.isNaN(none.cells.pass.pct));
  // Timeouts are Crash even when spelt as an outcome; unknown outcomes are refused.
  assert.equal(tableColumn({ outcome: 'timeout' as RunRecord['outcome'], detail: 'timeout' }), 'crash');
  assert.throws(() => tableColumn({ outcome: 'weird' as RunRecord['outcome'], detail: 'pass' }), RangeError);
  assert.deepEqual(modesOf(['naive'], RUNS), ['naive', 'enhanced']);
});

test('transitions pair each fault across two modes', () => {
  const t = transitions(RUNS, 'naive', 'enhanced');
  assert.equal(t.paired, 4);
  assert.equal(t.matrix.crash.shutdown, 2);
  assert.equal(t.matrix.pass.pass, 1);
  assert.equal(t.matrix.crash.fail, 1);
  assert.deepEqual(t.faults.crash.shutdown, ['pm/a.ts:f#0|swap', 'pm/a.ts:f#1|swap']);
  assert.deepEqual(t.onlyFrom, ['ds/c.ts:h#0|swap']);
  assert.deepEqual(t.onlyTo, ['ds/c.ts:h#1|swap']);
  let sum = 0;
  for (const a of Object.values(t.matrix)) for (const n of Object.values(a)) sum += n;
  assert.equal(sum, t.paired);
  assert.deepEqual(movements(t), [{ from: 'crash', to: 'fail', count: 1 }, { from: 'crash', to: 'shutdown', count: 2 }].sort((a, b) => b.count - a.count));
  // The reverse direction transposes the matrix.
  const r = transitions(RUNS, 'enhanced', 'naive');
  assert.equal(r.matrix.shutdown.crash, 2);
  assert.throws(() => transitions(RUNS, 'naive', 'naive'), RangeError);
  assert.deepEqual(defaultPair(['stateless', 'naive', 'pessimistic', 'enhanced']), ['naive', 'enhanced']);
  assert.deepEqual(defaultPair(['pessimistic', 'mine']), ['pessimistic', 'mine']);
  assert.equal(defaultPair(['enhanced']), null);
});

test('the paper table follows the fault model', () => {
  assert.equal(paperTableFor('failstop')!.paper.table, 'II');
  assert.equal(paperTableFor('edfi')!.paper.table, 'III');
  assert.deepEqual([paperTableFor(['null-pointer'])!.paper.table, paperTableFor(['null-pointer'])!.exact], ['II', true]);
  assert.deepEqual([paperTableFor(['swap', 'null-pointer'])!.paper.table, paperTableFor(['swap'])!.exact], ['III', false]);
  assert.equal(paperTableFor(undefined), null);
});
