/*
 * `osiris-fi coverage` (Table I): the result's shape, and invariants of
 * counting real block executions — a handler that sends nothing runs
 * wholly inside the window, one that sends first runs partly outside it;
 * enhanced keeps every window at least as long as pessimistic; a window
 * that never closes covers all the server's own code. These fail when
 * every statement is counted inside (coverage 100) and when none is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { COVERAGE_SERVERS, ModeCoverage, coverageCsv, runCoverage } from '../src/experiment/coverage';
import { readSources } from '../src/instrument/build';
import { sanityFunctions } from '../src/instrument/sanity';
import { builtin } from './helpers/builtin-policy';

const r = runCoverage([builtin('pessimistic'), builtin('enhanced'), builtin('naive')]);
function modeOf(name: string): ModeCoverage {
  const m = r.modes.find((x) => x.mode === name);
  assert.ok(m, `the result has a ${name} entry`);
  return m;
}
const [pess, enh, naive] = [modeOf('pessimistic'), modeOf('enhanced'), modeOf('naive')];

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

test('a handler that sends before its reply runs partly outside the pessimistic window (PM do_fork after VM_FORK)', () => {
  const f = pess.functions.find((x) => x.server === 'pm' && x.function === 'do_fork');
  assert.ok(f && f.inside > 0, 'do_fork starts inside the window');
  assert.ok(f.outside > 0, 'and goes on outside it once VM_FORK closed it');
  // Between requests (after the reply closed it) the receive loop runs outside the window.
  const loop = pess.functions.find((x) => x.server === 'pm' && x.file === 'sef/loop.ts' && x.function === 'requestLoop');
  assert.ok(loop && loop.outside > 0 && loop.inside > 0, 'PM\'s receive loop runs both inside and outside');
  for (const m of [pess, enh]) {
    assert.ok(m.weighted > 0 && m.weighted < 100, `${m.mode}: weighted ${m.weighted} strictly between 0 and 100`);
    for (const s of m.servers) assert.ok(s.outside > 0 && s.inside > 0, `${m.mode}/${s.server}: both tallies counted`);
  }
});

test('the measured build counts no self-check (SANITYCHECKS 0)', () => {
  const scans = sanityFunctions(readSources(path.resolve(__dirname, '..', '..')).map((u) => u.sf));
  assert.ok(scans.size >= 2);
  for (const m of r.modes) assert.deepEqual(m.functions.filter((f) => scans.has(f.function)), [], m.mode);
});

test('the policies see the same execution; enhanced windows contain pessimistic ones; naive never closes', () => {
  for (let i = 0; i < COVERAGE_SERVERS.length; i++) {
    const [p, e, n] = [pess.servers[i]!, enh.servers[i]!, naive.servers[i]!];
    assert.equal(p.executed, e.executed, `${p.server}: same statements executed`);
    assert.equal(p.executed, n.executed);
    assert.ok(e.inside >= p.inside, `${p.server}: enhanced ${e.inside} >= pessimistic ${p.inside}`);
  }
  // Naive's window never closes: all of the servers' own code runs inside; only the linked loop's first
  // statements after counting starts (each server waiting in receive, before its first request) are outside.
  for (const f of naive.functions) {
    if (!f.file.startsWith('sef/')) assert.equal(f.outside, 0, `naive: ${f.server}/${f.file}:${f.function} ran outside`);
  }
  for (const s of naive.servers) assert.ok(s.outside < 40, `naive/${s.server}: ${s.outside} outside`);
  assert.ok(COVERAGE_SERVERS.some((_, i) => enh.servers[i]!.inside > pess.servers[i]!.inside), 'enhanced keeps some window open longer');
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
