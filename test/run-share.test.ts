/*
 * Sharing runs between modes (run-share.ts): a policy changes nothing
 * before the first server crash (the trace up to it is the same under
 * every policy, and a crash-free run gives the same record), nor at a
 * crash that another policy would have recovered alike (a `service fi`
 * crash under the prototype's rule among policies that transfer state
 * alike; the same window and decision: shadow-policies.ts); a campaign
 * that shares, checking every shared run under its own mode, finishes; and
 * a shared run that differs from its own run stops it.
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
import { BUILTIN_POLICIES, Policy } from '../src/osiris/policies';
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
    const modes = p.manifest.modes;
    for (const r of shared) assert.ok(modes.indexOf(r.sharedFrom!) < modes.indexOf(r.mode), `${r.key}: shared from ${r.sharedFrom}, a mode before its own`);
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
  assert.throws(() => executeGroup(snap, broken), (e: unknown) => e instanceof SharingError && /differs from the run under/.test(e.message));
  // Unbroken, the same group gives one record per run.
  assert.equal(executeGroup(snap, g).length, g.emit.length);
});

/** quick.json under the prototype's methodology: pre-tests for the modes that transfer state, `service fi` with no recovery decision. */
function prototypePlan(modes: string[]) {
  const c = parseCampaign({
    ...JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns', 'quick.json'), 'utf8')),
    name: 'share-service-fi', faults: { sample: 16 }, modes, pretests: 'stateful', checking: 'minix', serviceFi: 'prototype',
  }, 'c.json', ROOT);
  return planCampaign(c, defaultCacheDir());
}

test('runs are shared after crashes their policies recover alike (`service fi` under the prototype rule, or the same window and decision), and are their runs', () => {
  const p = prototypePlan(['stateless', 'naive', 'pessimistic', 'enhanced-prototype', 'enhanced']);
  // Every shared run is also run under its own mode: executeGroup throws on a difference.
  const groups = groupRuns(p.tasks, new Set(p.tasks.map((t) => t.key)), { verifyFraction: 1 });
  let afterServiceFi = 0, afterDecided = 0, ranItself = 0;
  for (const g of groups) {
    assert.ok(g.tasks.every((t) => t.spec.policy.stateTransfer) || g.tasks.length === 1, 'stateless (no pre-tests) is a class of its own');
    for (const r of executeGroup(snap, g)) {
      if (r.sharedFrom === undefined) { if (r.mode !== g.tasks[0]!.mode) ranItself++; continue; }
      if (r.recoveryActions.every((a) => a.includes(':service fi->'))) afterServiceFi++; else afterDecided++;
    }
  }
  assert.ok(afterServiceFi > 0 && afterDecided > 0 && ranItself > 0,
    `all kinds are tried (${afterServiceFi} shared after the pre-tests' crashes only, ${afterDecided} after a crash a policy decided on, ${ranItself} run under their own mode)`);
});

test('a run with `service fi` crashes does not stand for a policy that restarts one of those servers from a spare', () => {
  const p = prototypePlan(['naive', 'pessimistic']);
  const fresh: Policy = { ...BUILTIN_POLICIES.pessimistic!, name: 'pessimistic, fresh pm', servers: { pm: { stateTransfer: false, rollback: false } } };
  const first = p.tasks[0]!;
  const r = runOne(snap, first.spec, { alsoFor: [BUILTIN_POLICIES.pessimistic!, fresh] });
  assert.ok(r.serverCrashes > 0 && r.recoveries.every((x) => x.decision === 'service fi'), 'the pre-tests crash servers, and no policy decides on it');
  assert.deepEqual(r.standsFor, [true, false], 'pm restarts with its data section in one, from a spare in the other');
  // In a group, the run under that policy runs itself.
  const g = { tasks: [first, { ...p.tasks[1]!, mode: 'fresh-pm', key: 'x|fresh-pm', spec: { ...p.tasks[1]!.spec, policy: fresh } }], emit: [first.key, 'x|fresh-pm'], verify: [] };
  const recs = executeGroup(snap, g);
  assert.equal(recs[1]!.sharedFrom, undefined);
});
