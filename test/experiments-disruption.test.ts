/*
 * `osiris-fi disruption` (Fig. 3): every run completes however often PM
 * crashes, each crash is answered with ECRASH inside the window, and the
 * libc retry is confined to the worlds that asked for it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { disruptionCsv, runDisruption } from '../src/experiment/disruption';
import { Sim } from '../src/sim/sim';
import { builtin } from './helpers/builtin-policy';

const r = runDisruption({ startNs: 100_000, steps: 3, programs: ['syscall', 'spawn', 'dhry2reg'] });

test('the undisturbed run, then intervals halving', () => {
  assert.equal(r.policy, 'enhanced');
  assert.equal(r.server, 'pm');
  assert.deepEqual(r.intervals.map((s) => s.intervalNs), [null, 100_000, 50_000, 25_000]);
  for (const p of r.intervals[0]!.programs) {
    assert.equal(p.crashes, 0);
    assert.equal(p.relative, 1);
  }
  assert.ok(r.intervals[3]!.crashes > r.intervals[1]!.crashes, 'more crashes at a shorter interval');
  const syscall = r.intervals.map((s) => s.programs.find((p) => p.name === 'syscall')!);
  assert.ok(syscall[3]!.crashes > 0 && syscall[3]!.relative < 1, 'crashes cost the PM-heavy program time');
  assert.equal(disruptionCsv(r).rows.length, 4 * 3);
});

test('disruption runs all complete, every crash answered with ECRASH', () => {
  assert.equal(r.allCompleted, true);
  for (const s of r.intervals) {
    for (const p of s.programs) {
      assert.equal(p.completed, true, `${p.name} at ${s.intervalNs}: ${p.failure}`);
      assert.equal(p.replies, p.crashes, `${p.name}: one ECRASH reply per crash`);
      assert.equal(p.otherActions, 0);
    }
  }
});

test('worlds that did not ask for the retry still see ECRASH (the PM pre-test expects it)', () => {
  const sim = Sim.boot({ variant: 'osiris', policy: builtin('enhanced') });
  const [res] = sim.run(['pre_pm']);
  assert.ok(res, 'pre_pm ran');
  assert.equal(res.status, 'pass', res.failure);
});

test('the command prints scores against the interval', () => {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
  const out = spawnSync(process.execPath, [bin, 'disruption', '--steps', '2', '--start', '50000', '--programs', 'syscall'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^program\s+none\s+50 us\s+25 us$/m);
  assert.match(out.stdout, /^syscall\s+1\.000\s+0\.\d{3} \(\d+\)/m);
  assert.match(out.stdout, /every run completed/);
});
