/*
 * Sharing crash-free runs between modes (run-share.ts): a policy changes
 * nothing before the first server crash (the trace up to it is the same
 * under every policy, and a crash-free run gives the same record); a
 * campaign that shares, checking every shared run under its own mode,
 * finishes; and a shared run that differs from its own run stops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaign, parseCampaign } from '../src/experiment/campaign-spec';
import { planCampaign, runCampaign } from '../src/experiment/runner';
import { bootSnapshot, runOne } from '../src/experiment/run-one';
import { executeGroup, executeTask } from '../src/experiment/worker';
import { groupRuns, sharingDifference, SharingError } from '../src/experiment/run-share';
import { defaultCacheDir } from '../src/cli/shared';

const ROOT = path.resolve(__dirname, '..', '..');
const plan = planCampaign(loadCampaign(path.join(ROOT, 'campaigns', 'quick.json')), defaultCacheDir());
const snap = bootSnapshot();

/** The trace lines before the first server fault (all of them in a run without one). */
function beforeFirstCrash(lines: { time: number; text: string }[]): string[] {
  const i = lines.findIndex((l) => /^(fault in|killed hung) /.test(l.text));
  return (i < 0 ? lines : lines.slice(0, i)).map((l) => `${l.time} ${l.text}`);
}

test('a policy changes nothing before the first server crash', () => {
  let crashFree = 0, crashing = 0;
  for (let i = 0; i < plan.tasks.length; i += plan.manifest.modes.length) {
    const runs = plan.tasks.slice(i, i + plan.manifest.modes.length);
    const traced = runs.map((t) => runOne(snap, { ...t.spec, trace: true }));
    const first = beforeFirstCrash(traced[0]!.trace!);
    assert.ok(first.length > 0);
    for (let m = 1; m < runs.length; m++) assert.deepEqual(beforeFirstCrash(traced[m]!.trace!), first, `${runs[m]!.key}: the trace before the first crash differs from ${runs[0]!.mode}'s`);
    if (traced[0]!.serverCrashes > 0) { crashing++; continue; }
    crashFree++;
    const recs = runs.map((t) => executeTask(snap, t));
    for (let m = 1; m < runs.length; m++) {
      assert.equal(sharingDifference({ ...recs[0]!, key: recs[m]!.key, mode: recs[m]!.mode }, recs[m]!), null, `${runs[m]!.key} differs from ${runs[0]!.mode}'s crash-free run`);
    }
  }
  assert.ok(crashFree > 0 && crashing > 0, `both kinds of runs are tried (${crashFree} crash-free, ${crashing} crashing faults)`);
});

test('a sharing campaign checks shared runs under their own mode and records where each ran', async () => {
  const c = parseCampaign({ ...JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns', 'quick.json'), 'utf8')), name: 'share-check' }, 'c.json', ROOT);
  const p = planCampaign(c, defaultCacheDir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'share-'));
  try {
    const res = await runCampaign(p, { dir: path.join(dir, 'r'), workers: 2, shard: null, resume: false, sharing: { verifyFraction: 1 } });
    assert.equal(res.records.length, p.tasks.length);
    const shared = res.records.filter((r) => r.sharedFrom !== undefined);
    assert.ok(shared.length > 0 && shared.length < res.records.length - p.faults.length, 'some runs are shared, not all');
    for (const r of shared) {
      assert.equal(r.sharedFrom, p.manifest.modes[0], 'shared from the first mode of the campaign');
      assert.equal(r.recoveries, 0);
    }
    // Every record is the one its own mode gives, shared or not.
    for (const r of res.records.slice(0, 8)) {
      const own = executeTask(snap, p.tasks.find((t) => t.key === r.key)!);
      assert.equal(sharingDifference(r, own), null, r.key);
    }
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a shared run that differs from its own run stops with a clear error', () => {
  const groups = groupRuns(plan.tasks, new Set(plan.tasks.map((t) => t.key)), { verifyFraction: 1 });
  // A crash-free group whose second run is given another seed's programs: sharing would be wrong.
  const g = groups.find((x) => x.tasks.length > 1 && executeTask(snap, x.tasks[0]!).recoveries === 0 && runOne(snap, x.tasks[0]!.spec).serverCrashes === 0)!;
  assert.ok(g, 'a crash-free group exists');
  const other = plan.tasks.find((t) => t.spec.programs.join() !== g.tasks[0]!.spec.programs.join())!;
  const broken = { ...g, tasks: [g.tasks[0]!, { ...g.tasks[1]!, spec: { ...g.tasks[1]!.spec, programs: other.spec.programs } }] };
  assert.throws(() => executeGroup(snap, broken), (e: unknown) => e instanceof SharingError && /differs from the crash-free run/.test(e.message));
  // Unbroken, the same group gives one record per run.
  assert.equal(executeGroup(snap, g).length, g.emit.length);
});
