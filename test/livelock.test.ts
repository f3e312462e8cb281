/*
 * Ending livelocks early (os/kernel/livelock.ts, experiment/livelock-bound.ts):
 * a run that can no longer make progress ends at once as a timeout, with
 * the outcome it has when it spends its whole message budget; a loop that
 * RS's heartbeat still ends is not cut; runs the detector does not end are
 * unchanged (the fault-free suite keeps its trace hash); the window's bound
 * still holds on this build; the campaign field switches it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { bootSnapshot, restoreRun, runOne, RunSpec, RunResult } from '../src/experiment/run-one';
import { loadBlockMap } from '../src/sim/variants';
import { BUILTIN_POLICIES } from '../src/osiris/policies';
import { PRETEST_NAMES, testNames } from '../src/sim/programs';
import { LIVELOCK_FACTOR, LIVELOCK_WINDOW, measureQuietBound, QUIET_BOUND } from '../src/experiment/livelock-bound';
import { CampaignError, campaignIdentity, loadCampaign, parseCampaign } from '../src/experiment/campaign-spec';
import { planCampaign } from '../src/experiment/runner';
import { defaultCacheDir } from '../src/cli/shared';

const ROOT = path.resolve(__dirname, '..', '..');
const BLOCKS = loadBlockMap('osiris+edfi').blocks;
const snap = bootSnapshot();
/** The fault-free suite's trace hash (npm run bench; every variant makes the same run). */
const SUITE_TRACE = '58355ef6196493a7';

/** A run as the paper campaigns plan it (prototype methodology), with a shorter program list. */
function spec(id: string, faultType: string, policy: string, programs: string[]): RunSpec {
  const b = BLOCKS.find((x) => x.id === id);
  assert.ok(b, `block ${id}`);
  return {
    block: b.index, nullPointer: faultType === 'null-pointer', policy: BUILTIN_POLICIES[policy]!, programs,
    seed: `osiris-2016|${id}|${faultType}`, timeBudgetNs: 1_147_176_327, messageBudget: 86_524, checking: 'minix', serviceFi: 'prototype',
  };
}

const budget = (s: RunSpec): RunSpec => ({ ...s, livelock: 'budget' });
const plain = (r: RunResult) => JSON.parse(JSON.stringify(r)) as unknown;

test('a livelocked run ends at once as a timeout, far below its message budget, with the outcome it has at the budget', () => {
  // VFS's worker loop fails stop: VFS and MFS ping-pong an error for ever, every service answering its heartbeat.
  const s = spec('vfs:sef/loop.ts:workerLoop#35', 'null-pointer', 'stateless', ['fd_append', 'proc_pgrp', 'dir_chdir']);
  const on = runOne(snap, s);
  const off = runOne(snap, budget(s));
  assert.equal(off.halt?.kind, 'timeout');
  assert.match(off.halt!.reason, /^message limit of \d+ reached$/);
  assert.equal(off.messages, s.messageBudget + 1, 'without the detector the run spends its whole budget');
  assert.equal(on.halt?.kind, 'timeout');
  assert.match(on.halt!.reason, /^livelock: no system call of a user process returned and no process crashed in the last \d+ messages/);
  assert.deepEqual([on.outcome, on.detail], [off.outcome, off.detail]);
  assert.deepEqual([on.outcome, on.detail], ['crash', 'timeout']);
  assert.ok(on.messages < off.messages - 20_000, `ended after ${on.messages} messages, the budget is ${s.messageBudget}`);
  assert.ok(on.messages > LIVELOCK_WINDOW, 'not before the window');
  assert.deepEqual(on.programs.map((p) => [p.name, p.status]), off.programs.map((p) => [p.name, p.status]));
});

test('a loop that RS\'s heartbeat ends is not cut: the starved server is found hung and recovered, as without the detector', () => {
  // PM takes a request for RS's `service fi` request and ping-pongs with RS: nobody gets an answer,
  // MFS (lower priority) never runs to answer its ping and is declared hung at the second heartbeat,
  // and pessimistic recovery shuts down. The detector must wait for that, not call it a livelock.
  const s = spec('pm:sef/loop.ts:isFiRequest#0', 'rnd-load', 'pessimistic', [...PRETEST_NAMES, 'time_clock', 'proc_kill']);
  const on = runOne(snap, s);
  const off = runOne(snap, budget(s));
  assert.equal(off.detail, 'shutdown');
  assert.ok(off.recoveries.some((r) => r.server === 'mfs' && r.reason === 'hang'), 'MFS was found hung');
  assert.deepEqual(plain(on), plain(off));
});

test('the detector changes no run it does not end: the fault-free suite keeps its trace hash, every quick-campaign run its result', () => {
  for (const programs of [testNames(), [...PRETEST_NAMES, ...testNames()]]) {
    const hashes = (['detect', 'budget'] as const).map((mode) => {
      const sim = restoreRun(snap, {
        block: -1, nullPointer: false, policy: BUILTIN_POLICIES.enhanced!, programs, seed: 'x', timeBudgetNs: 10e9, messageBudget: 1e6, livelock: mode,
      });
      const res = sim.run(programs);
      assert.equal(sim.halt(), null);
      assert.ok(res.every((r) => r.status === 'pass'), res.filter((r) => r.status !== 'pass').map((r) => r.name).join(', '));
      const h = sim.traceHash();
      sim.dispose();
      return h;
    });
    assert.equal(hashes[0], hashes[1]);
    if (programs.length === testNames().length) assert.equal(hashes[0], SUITE_TRACE);
  }
  const plan = planCampaign(loadCampaign(path.join(ROOT, 'campaigns', 'quick.json')), defaultCacheDir());
  assert.ok(plan.tasks.length > 0);
  for (const t of plan.tasks) {
    assert.equal(t.spec.livelock, undefined, 'detect is the default, absent from the spec');
    assert.deepEqual(plain(runOne(snap, t.spec)), plain(runOne(snap, budget(t.spec))), t.key);
  }
});

test('the window is LIVELOCK_FACTOR x the longest quiet run of the fault-free runs, and the recorded bound still holds', () => {
  assert.equal(LIVELOCK_WINDOW, QUIET_BOUND * LIVELOCK_FACTOR);
  const m = measureQuietBound();
  assert.ok(m.runs.length > testNames().length, 'every program alone, the suite, the pre-tests under every policy and service fi mode');
  assert.ok(m.bound <= QUIET_BOUND, `measured ${m.bound} (${m.worst}) > recorded QUIET_BOUND ${QUIET_BOUND}: re-derive it (npm run livelock-bound)`);
  assert.ok(m.bound > 0);
});

test('the livelock field: "detect" by default (identity unchanged), "budget" in the identity and every run spec, others refused', () => {
  const raw = { name: 'c', seed: 1, faultModel: 'failstop', faults: { sample: 2 }, modes: ['enhanced'] };
  const d = parseCampaign(raw, 'c.json', ROOT);
  assert.equal(d.livelock, 'detect');
  assert.equal('livelock' in campaignIdentity(d), false, 'campaigns without the field keep their identity and results directory');
  assert.deepEqual(campaignIdentity(parseCampaign({ ...raw, livelock: 'detect' }, 'c.json', ROOT)), campaignIdentity(d));
  const b = parseCampaign({ ...raw, livelock: 'budget' }, 'c.json', ROOT);
  assert.equal(campaignIdentity(b).livelock, 'budget');
  assert.throws(() => parseCampaign({ ...raw, livelock: 'never' }, 'c.json', ROOT), (e: unknown) => e instanceof CampaignError && /field "livelock"/.test((e as Error).message));
  const quick = loadCampaign(path.join(ROOT, 'campaigns', 'quick.json'));
  const plan = planCampaign({ ...quick, livelock: 'budget' }, defaultCacheDir());
  assert.ok(plan.tasks.every((t) => t.spec.livelock === 'budget'));
  assert.equal(plan.manifest.campaign.identity.livelock, 'budget');
});
