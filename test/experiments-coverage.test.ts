/*
 * `osiris-fi coverage` (Table I): the result's shape, and invariants of
 * counting real block executions — a handler that sends nothing runs
 * wholly inside the window; enhanced keeps every window at least as long
 * as pessimistic; a window that never closes covers everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BUILTIN_POLICIES } from '../src/osiris/policies';
import { COVERAGE_SERVERS, coverageCsv, runCoverage } from '../src/experiment/coverage';

const r = runCoverage([BUILTIN_POLICIES.pessimistic, BUILTIN_POLICIES.enhanced, BUILTIN_POLICIES.naive]);
const [pess, enh, naive] = r.modes;

test('one entry per policy, the five servers in the paper order, percentages of counted statements', () => {
  assert.equal(r.programs, 89);
  assert.deepEqual(r.modes.map((m) => m.mode), ['pessimistic', 'enhanced', 'naive']);
  for (const m of r.modes) {
    assert.equal(m.passed, 89, `${m.mode}: the fault-free suite passes`);
    assert.deepEqual(m.servers.map((s) => s.server), [...COVERAGE_SERVERS]);
    let inside = 0, executed = 0;
    for (const s of m.servers) {
      assert.ok(s.executed > 0 && s.blocks > 0, `${m.mode}/${s.server} executed`);
      assert.equal(s.inside + s.outside, s.executed);
      assert.ok(s.coverage >= 0 && s.coverage <= 100);
      assert.ok(Math.abs(s.coverage - (100 * s.inside) / s.executed) < 0.01);
      inside += s.inside;
      executed += s.executed;
    }
    assert.ok(Math.abs(m.weighted - (100 * inside) / executed) < 0.01, 'weighted by statements executed per server');
    const fnSum = m.functions.reduce((a, f) => a + f.inside + f.outside, 0);
    assert.equal(fnSum, executed, 'per-function tallies add up to the servers');
  }
  const csv = coverageCsv(r);
  assert.deepEqual(csv.columns, ['mode', 'server', 'inside', 'outside', 'executed', 'coverage_pct']);
  assert.equal(csv.rows.length, 3 * 6);
});

test('a handler that sends nothing before its reply runs wholly inside the window (PM do_getpid)', () => {
  for (const m of [pess, enh]) {
    const f = m.functions.find((x) => x.server === 'pm' && x.function === 'do_getpid');
    assert.ok(f && f.inside > 0, `${m.mode}: do_getpid executed`);
    assert.equal(f.outside, 0, `${m.mode}: no statement of do_getpid ran outside the window`);
  }
});

test('the policies see the same execution; enhanced windows contain pessimistic ones; naive never closes', () => {
  for (let i = 0; i < COVERAGE_SERVERS.length; i++) {
    const [p, e, n] = [pess.servers[i], enh.servers[i], naive.servers[i]];
    assert.equal(p.executed, e.executed, `${p.server}: same statements executed`);
    assert.equal(p.executed, n.executed);
    assert.ok(e.inside >= p.inside, `${p.server}: enhanced ${e.inside} >= pessimistic ${p.inside}`);
    assert.equal(n.outside, 0, `${p.server}: naive's window never closes`);
  }
  for (const f of pess.functions) {
    const g = enh.functions.find((x) => x.server === f.server && x.file === f.file && x.function === f.function)!;
    assert.ok(g.inside >= f.inside, `${f.server}/${f.function}`);
  }
});

test('the command prints the table (and --json its data)', () => {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
  const out = spawnSync(process.execPath, [bin, 'coverage', '--modes', 'enhanced'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^server\s+enhanced$/m);
  assert.match(out.stdout, /^DS\s+\d+\.\d$/m);
  assert.match(out.stdout, /^weighted average\s+\d+\.\d$/m);
  const bad = spawnSync(process.execPath, [bin, 'coverage', '--modes', 'nosuch'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown policy "nosuch"/);
});
