/*
 * Runs resumed after their pre-tests (pretest-resume.ts): a run whose
 * pre-tests never checked its fault's site continues from the snapshot
 * after them and gives the record it gives from boot; a run whose fault the
 * pre-tests reach, or that is armed in the code a server runs between
 * requests, runs from boot; a campaign records the same runs with
 * resumption on and off; a resumed run that differs stops the campaign.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCampaign } from '../src/experiment/campaign-spec';
import { planCampaign, runCampaign } from '../src/experiment/runner';
import { bootSnapshot, runOne } from '../src/experiment/run-one';
import { executeTask } from '../src/experiment/worker';
import { PretestImage, PretestImages } from '../src/experiment/pretest-resume';
import { sharingDifference, SharingError } from '../src/experiment/run-share';
import { loadBlockMap } from '../src/sim/variants';
import { PRETEST_NAMES, runCommands } from '../src/sim/programs';
import { defaultCacheDir } from '../src/cli/shared';

const ROOT = path.resolve(__dirname, '..', '..');
/** The quick campaign with the prototype's pre-tests (stateful modes), checking and `service fi`. */
const campaign = parseCampaign({
  ...JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns', 'quick.json'), 'utf8')),
  name: 'pretest-resume', faults: { sample: 24 }, pretests: 'stateful', checking: 'minix', serviceFi: 'prototype',
}, 'c.json', ROOT);
const plan = planCampaign(campaign, defaultCacheDir());
const snap = bootSnapshot();
const images = new PretestImages(snap);
const blocks = loadBlockMap('osiris+edfi').blocks;

test('the pre-tests are a harness command of their own', () => {
  assert.deepEqual(runCommands([...PRETEST_NAMES, 'proc_ids', 'fd_dup2']), [[...PRETEST_NAMES], ['proc_ids', 'fd_dup2']]);
  assert.deepEqual(runCommands(['proc_ids', ...PRETEST_NAMES]), [['proc_ids', ...PRETEST_NAMES]]);
});

test('a run its pre-tests never reach continues after them and gives the record it gives from boot', () => {
  let resumed = 0, fromBoot = 0, recoveredAfter = 0;
  for (const t of plan.tasks) {
    const img = images.for(t.spec);
    if (!img) { fromBoot++; continue; }
    resumed++;
    const own = executeTask(snap, t);
    const res = executeTask(snap, t, { pretests: images, verifyFraction: 0 });
    assert.equal(own.resumedAfterPretests, undefined);
    assert.equal(res.resumedAfterPretests, true, t.key);
    assert.equal(sharingDifference(res, own), null, `${t.key}: resumed after its pre-tests, it differs from its run from boot`);
    if (own.recoveries > img.recoveries.length) recoveredAfter++;
  }
  assert.ok(resumed > 0 && fromBoot > 0, `both kinds are tried (${resumed} resumed, ${fromBoot} from boot)`);
  assert.ok(recoveredAfter > 0, 'some resumed runs recover a server after their pre-tests');
});

/** A stateful mode's run of the plan, re-armed at another block. */
function armedAt(index: number) {
  const t = plan.tasks.find((x) => x.spec.policy.stateTransfer)!;
  return { ...t.spec, block: index, nullPointer: true };
}

test('a run whose fault the pre-tests reach runs from boot: resumed, it would be another run', () => {
  const img = images.for(armedAt(-1))!;
  assert.ok(img, 'a fault-free stateful run resumes');
  // A fail-stop fault in a block the pre-tests ran: from boot it crashes its server inside them.
  const reached = blocks.find((b) => img.reached[b.index] === 1 && b.server === 'pm' && b.function === 'do_fork')!;
  const spec = armedAt(reached.index);
  assert.equal(images.for(spec), null);
  const own = runOne(snap, spec);
  assert.ok(own.firstActivationNs >= 0 && own.firstActivationNs < img.end.now - img.base.now, 'the fault fires during the pre-tests');
  // Without the marks (a watch that saw nothing) the snapshot would skip that crash.
  const blind: PretestImage = { ...img, reached: new Uint8Array(img.reached.length) };
  const wrong = runOne(snap, spec, { pretests: blind });
  assert.notDeepEqual({ ...wrong, resumedAfterPretests: undefined }, own);
});

test('a run armed in the code a server runs between requests is never resumed', () => {
  const loop = blocks.filter((b) => b.file === 'sef/loop.ts' && ['requestLoop', 'workerLoop', 'isHeartbeat', 'idleWorker', 'serverMain'].includes(b.function));
  assert.ok(loop.length > 0);
  for (const b of loop) assert.equal(images.for(armedAt(b.index)), null, b.id);
  const other = blocks.find((b) => images.for(armedAt(b.index)) !== null);
  assert.ok(other, 'other blocks do resume');
});

test('a resumed run that differs from its run from boot stops with a clear error', () => {
  const t = plan.tasks.find((x) => images.for(x.spec) !== null)!;
  const real = images.for(t.spec)!;
  // An image whose pre-test results are not the ones the pre-tests give.
  const broken = Object.assign(Object.create(PretestImages.prototype) as PretestImages, {
    for: () => ({ ...real, programs: real.programs.map((p) => ({ ...p, status: 'fail' as const })) }),
  });
  assert.throws(() => executeTask(snap, t, { pretests: broken, verifyFraction: 1 }),
    (e: unknown) => e instanceof SharingError && /resumed after its pre-tests differs from its run from boot/.test(e.message));
  assert.doesNotThrow(() => executeTask(snap, t, { pretests: images, verifyFraction: 1 }));
});

test('a campaign records the same runs with pre-test resumption on and off', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pretest-resume-'));
  try {
    const shard = { index: 1, count: 2 };
    const on = await runCampaign(plan, { dir: path.join(dir, 'on'), workers: 2, shard, resume: false, pretests: { verifyFraction: 1 } });
    const off = await runCampaign(plan, { dir: path.join(dir, 'off'), workers: 2, shard, resume: false, pretests: { resume: false } });
    assert.ok(on.records.length > 0 && on.records.length === off.records.length);
    assert.ok(on.records.some((r) => r.resumedAfterPretests), 'some runs are resumed');
    assert.ok(off.records.every((r) => r.resumedAfterPretests === undefined), 'none with resumption off');
    for (let i = 0; i < on.records.length; i++) assert.equal(sharingDifference(on.records[i]!, off.records[i]!), null, on.records[i]!.key);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
