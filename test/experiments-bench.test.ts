/*
 * `osiris-fi bench` (Tables IV/V): the result's shape; the baseline's
 * slowdown against itself is 1; every configuration makes the same
 * schedule, so simulated slowdowns come from the instrumentation ledger
 * alone, and enhanced windows (open longer) log at least what pessimistic
 * ones do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BENCH_CONFIGS, benchCsv, runBench } from '../src/experiment/performance';

const r = runBench({ runs: 2, programs: ['syscall', 'pipe'] });

test('two programs, four configurations, scores and slowdowns', () => {
  assert.equal(r.runs, 2);
  assert.deepEqual(r.configs.map((c) => c.name), [...BENCH_CONFIGS]);
  assert.deepEqual(r.programs.map((p) => p.name), ['pipe', 'syscall'], 'in Unixbench order');
  assert.equal(r.sameSchedule, true);
  for (const p of r.programs) {
    assert.ok(p.reps >= 1);
    for (const c of BENCH_CONFIGS) {
      const f = p.configs[c];
      assert.equal(f.completed, true, `${p.name} on ${c}`);
      assert.ok(f.simScore > 0 && f.wallScore > 0);
      assert.ok(f.wallMs.min <= f.wallMs.median && f.wallMs.median <= f.wallMs.max);
      assert.ok(f.wallSpread.min <= f.wallSpread.max);
      assert.ok(Math.abs(f.simScore - p.iterations / ((f.simNs + f.overheadNs) / 1e9)) < 0.1);
    }
  }
  for (const c of BENCH_CONFIGS) assert.ok(r.geomean[c].slowdownSim >= 1);
  const csv = benchCsv(r);
  assert.equal(csv.rows.length, 2 * 4 + 4);
  assert.equal(csv.columns.length, csv.rows[0]!.length);
});

test("the baseline's slowdown against itself is 1", () => {
  for (const p of r.programs) {
    const b = p.configs.baseline;
    assert.equal(b.overheadNs, 0, 'the baseline charges no instrumentation overhead');
    assert.equal(b.slowdownSim, 1);
    assert.equal(b.slowdownWall, 1);
    assert.deepEqual(b.wallSpread, { min: 1, max: 1 });
  }
  assert.equal(r.geomean.baseline.slowdownSim, 1);
  assert.equal(r.geomean.baseline.slowdownWall, 1);
});

test('same simulated run everywhere; enhanced logs at least what pessimistic logs', () => {
  for (const p of r.programs) {
    const sims = BENCH_CONFIGS.map((c) => p.configs[c].simNs);
    assert.ok(sims.every((x) => x === sims[0]), `${p.name}: ${sims.join(', ')}`);
    assert.ok(p.configs['osiris-enhanced'].overheadNs >= p.configs['osiris-pessimistic'].overheadNs, p.name);
    assert.ok(p.configs.ckpt.overheadNs > 0, `${p.name}: ckpt logs stores`);
  }
});

test('the command prints its tables', () => {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
  const out = spawnSync(process.execPath, [bin, 'bench', '--runs', '1', '--programs', 'syscall'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^syscall\s+loop\s+200\s/m);
  assert.match(out.stdout, /^geomean\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}$/m);
  assert.match(out.stdout, /^simulated × \(cost model\)\s+ckpt\s/m, 'the simulated table says it is a cost-model figure');
  assert.match(out.stdout, /every program completed/);
});
