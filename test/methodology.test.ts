/*
 * The methodology switches of a campaign, each both ways: profiling
 * (isolated | sequential), test picking (suite order | the prototype's
 * shuffled whole-run first fit), pre-tests (on | off | only for modes that
 * transfer state), `service fi` (next-request | prototype), and what
 * `compare` shows of activation and of runs that failed only in pre-tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CampaignError, campaignIdentity, parseCampaign } from '../src/experiment/campaign-spec';
import { goldenProfile, GoldenProfile } from '../src/experiment/golden';
import { pickTests, runBudgetOf, PROTOTYPE_RUN_SHARE, PROTOTYPE_STDEVS } from '../src/experiment/test-picker';
import { planCampaign } from '../src/experiment/runner';
import { defaultCacheDir } from '../src/cli/shared';
import { Sim } from '../src/sim/sim';
import { PRETEST_NAMES, testNames } from '../src/sim/programs';
import { builtin } from './helpers/builtin-policy';
import { loadBlockMap } from '../src/sim/variants';
import { COMMON_REQ_FI_CTL, messageName } from '../src/os/proto/calls';
import { survivability } from '../src/report/survivability';
import type { RunRecord } from '../src/experiment/journal';

const ROOT = path.resolve(__dirname, '..', '..');
const base = { name: 'm', seed: 's', faultModel: 'failstop', faults: { sample: 3 }, modes: ['stateless', 'enhanced'] };

test('campaign files accept the methodology fields and reject bad values with one line naming the field', () => {
  const c = parseCampaign({
    ...base, profiling: 'sequential', serviceFi: 'prototype', pretests: 'stateful', checking: 'minix',
    tests: { select: 'covering', order: 'shuffled' },
  }, 'c.json', ROOT);
  assert.equal(c.profiling, 'sequential');
  assert.equal(c.serviceFi, 'prototype');
  assert.equal(c.pretests, 'stateful');
  assert.deepEqual(c.tests, { select: 'covering', order: 'shuffled', runShare: PROTOTYPE_RUN_SHARE, stdevs: PROTOTYPE_STDEVS });
  const d = parseCampaign(base, 'c.json', ROOT);
  assert.equal(d.profiling, 'isolated');
  assert.equal(d.serviceFi, 'next-request');
  // Defaults leave the identity as it was before the fields existed (strict campaigns keep their manifests).
  assert.deepEqual(Object.keys(campaignIdentity(d)).sort(), ['budget', 'faultModel', 'faults', 'modes', 'name', 'pretests', 'seed', 'tests']);
  for (const [field, value] of [['profiling', 'parallel'], ['serviceFi', 'always'], ['pretests', 'some'], ['checking', 'lax'],
    ['tests', { select: 'covering', order: 'random' }], ['tests', { select: 'covering', order: 'shuffled', runShare: 2 }],
    ['tests', { select: 'covering', order: 'shuffled', budgetNs: 5 }]] as const) {
    assert.throws(() => parseCampaign({ ...base, [field]: value }, 'c.json', ROOT), (e: Error) => {
      assert.ok(e instanceof CampaignError);
      assert.match(e.message, new RegExp(`^c\\.json: field "${field}(\\.[a-zA-Z]+)?": `));
      assert.equal(e.message.includes('\n'), false);
      return true;
    });
  }
});

test('a sequentially profiled test set differs from an isolated one where background work exists (RS heartbeats)', () => {
  const iso = goldenProfile(defaultCacheDir(), undefined, 'isolated');
  // Not from the cache: the mechanism under test is the profiling code itself.
  const seq = goldenProfile(null, undefined, 'sequential');
  assert.equal(iso.mode, 'isolated');
  assert.equal(seq.mode, 'sequential');
  assert.deepEqual(seq.tests.map((t) => t.name), testNames(), 'one run of the suite in order');
  assert.equal(seq.gapsNs!.length, testNames().length - 1, 'a gap between each two tests');
  assert.ok(seq.bootNs! > 0 && seq.bootNs === iso.bootNs);
  const blocks = loadBlockMap('osiris+prof').blocks;
  // RS's heartbeat runs on a period of simulated time: a short test alone from the snapshot never sees it;
  // in one long run it falls inside some tests, and their profile gets its blocks.
  const heartbeat = blocks.filter((b) => b.function === 'do_heartbeat').map((b) => b.index);
  assert.ok(heartbeat.length > 0);
  const with_ = (p: GoldenProfile) => p.tests.filter((t) => t.simTime < 1e8 && t.blocks.some((b) => heartbeat.includes(b))).map((t) => t.name);
  assert.deepEqual(with_(iso), [], 'no short test alone reaches the heartbeat');
  assert.ok(with_(seq).length > 0, 'some short tests of the sequential run hold heartbeat blocks');
  // Other differences exist too (a test's coverage is between its marks only); the two profiles are distinct.
  assert.notDeepEqual(seq.tests.map((t) => t.blocks), iso.tests.map((t) => t.blocks));
});

function fixture(): GoldenProfile {
  return {
    buildHash: 'h', mode: 'sequential', bootBlocks: [], bootNs: 10, gapsNs: [1, 3],
    tests: [
      { name: 'a', status: 'pass', simTime: 30, messages: 1, blocks: [7] },
      { name: 'b', status: 'pass', simTime: 50, messages: 1, blocks: [7] },
      { name: 'c', status: 'pass', simTime: 20, messages: 1, blocks: [7] },
      { name: 'd', status: 'pass', simTime: 5, messages: 1, blocks: [8] },
      { name: 'e', status: 'pass', simTime: 200, messages: 1, blocks: [7, 9] },
    ],
    pretests: {
      'next-request': PRETEST_NAMES.map((name) => ({ name, status: 'pass', simTime: 2 })),
      prototype: PRETEST_NAMES.map((name) => ({ name, status: 'pass', simTime: 1 })),
    },
  };
}

test('shuffled picking: seeded order, whole-run budget less boot, one gap and the pre-tests, first fit, none that fits -> no run', () => {
  const p = fixture();
  const sel = { select: 'covering' as const, order: 'shuffled' as const, pretests: false, runBudgetNs: 10 + 2 + 1 + 60, stdevs: 0 };
  // z = 0: 73 less boot (10) and one gap (mean 2) leaves 61 ns; the covering tests are a(30), b(50), c(20), e(200).
  const orders = new Map<string, string>();
  for (let i = 0; i < 40; i++) {
    const r = pickTests(p, { index: 7 }, { ...sel, seed: `seed-${i}` })!;
    assert.deepEqual(pickTests(p, { index: 7 }, { ...sel, seed: `seed-${i}` }), r, 'the same seed, the same pick');
    assert.ok(!r.includes('e') && !r.includes('d'), 'never a test that does not fit, never an uncovering one');
    const cost = r.reduce((a, n) => a + p.tests.find((t) => t.name === n)!.simTime, 0);
    assert.ok(cost <= 61, `within the budget: ${r.join(',')}`);
    // First fit: after the pick, no covering test left out would still fit.
    for (const t of p.tests) if (t.blocks.includes(7) && !r.includes(t.name)) assert.ok(t.simTime > 61 - cost, `first fit leaves out ${t.name}`);
    orders.set(r.join(','), `seed-${i}`);
  }
  assert.ok(orders.size >= 3, `shuffled: several orders across seeds (${[...orders.keys()].join(' | ')})`);
  // The pre-tests' golden time is reserved: with it, less fits.
  const withPre = pickTests(p, { index: 7 }, { ...sel, seed: 'x', pretests: true, serviceFi: 'next-request', runBudgetNs: 10 + 2 + 10 + 20 })!;
  assert.deepEqual(withPre, [...PRETEST_NAMES, 'c']);
  // z = 1: the gap's estimate is 2 + 1 = 3.
  assert.equal(pickTests(p, { index: 7 }, { ...sel, seed: 'x', stdevs: 1, runBudgetNs: 10 + 2 + 20 }), null);
  assert.deepEqual(pickTests(p, { index: 7 }, { ...sel, seed: 'x', stdevs: 0, runBudgetNs: 10 + 2 + 20 }), ['c']);
  // Only e covers block 9 and it never fits: the fault gets no run.
  assert.equal(pickTests(p, { index: 9 }, { ...sel, seed: 'x' }), null);
  // Suite order, as before: in order, stop at the first that does not fit.
  assert.deepEqual(pickTests(p, { index: 7 }, { select: 'covering', budgetNs: 60, pretests: false }), ['a']);
  // The whole-run budget is a share of boot + every test + every gap.
  assert.equal(runBudgetOf(p, 0.5), (10 + 305 + 4) / 2);
});

test('pretests "stateful" runs them for modes that transfer state only; a shuffled campaign plans from the sequential profile', () => {
  const plan = planCampaign(parseCampaign({
    ...base, modes: ['stateless', 'naive', 'enhanced'], pretests: 'stateful', profiling: 'sequential', tests: { select: 'covering', order: 'shuffled' },
  }, 'c.json', ROOT), defaultCacheDir());
  assert.equal(plan.profile.mode, 'sequential');
  for (const t of plan.tasks) {
    const pre = t.spec.programs.filter((n) => PRETEST_NAMES.includes(n));
    assert.deepEqual(pre, t.mode === 'stateless' ? [] : PRETEST_NAMES, t.key);
  }
  const naive = plan.tasks.filter((t) => t.mode === 'naive').map((t) => t.spec.programs.slice(PRETEST_NAMES.length));
  const enh = plan.tasks.filter((t) => t.mode === 'enhanced').map((t) => t.spec.programs.slice(PRETEST_NAMES.length));
  assert.deepEqual(naive, enh, 'a fault\'s shuffle is the same under every mode');
  const always = planCampaign(parseCampaign({ ...base, pretests: true }, 'c.json', ROOT), defaultCacheDir());
  for (const t of always.tasks) assert.deepEqual(t.spec.programs.slice(0, PRETEST_NAMES.length), PRETEST_NAMES);
});

test('service fi: next-request interrupts a user request (ECRASH); prototype crashes the server in RS\'s request and only restarts it', () => {
  const snap = Sim.boot({ variant: 'osiris+edfi' }).snapshot();
  for (const policy of ['enhanced', 'pessimistic'] as const) {
    const next = Sim.restore(snap, { variant: 'osiris+edfi', policy: builtin(policy) });
    const r1 = next.run([...PRETEST_NAMES]);
    assert.deepEqual(r1.map((r) => r.status), PRETEST_NAMES.map(() => 'pass'), `${policy}, next-request: ${r1.map((r) => r.failure).join('; ')}`);
    assert.equal(next.recoveries().length, 5);
    for (const x of next.recoveries()) assert.equal(x.action, 'reply', `${x.server}: the interrupted user request is answered`);

    const proto = Sim.restore(snap, { variant: 'osiris+edfi', policy: builtin(policy), serviceFi: 'prototype' });
    const r2 = proto.run([...PRETEST_NAMES]);
    assert.equal(proto.halt(), null, `${policy}, prototype: no shutdown`);
    assert.deepEqual(r2.map((r) => r.status), PRETEST_NAMES.map(() => 'pass'), `${policy}, prototype: ${r2.map((r) => r.failure).join('; ')}`);
    assert.deepEqual(proto.recoveries().map((x) => x.server).sort(), ['ds', 'pm', 'rs', 'vfs', 'vm']);
    for (const x of proto.recoveries()) {
      assert.equal(x.request, messageName(COMMON_REQ_FI_CTL), `${x.server} crashed handling RS's request`);
      assert.equal(x.decision, 'service fi');
      assert.equal(x.action, 'no-reply');
      assert.equal(x.rolledBack, 0);
    }
  }
  // Without the prototype's rule the same crash is one in a request that cannot be replied to: a controlled shutdown.
  const bare = Sim.restore(snap, { variant: 'osiris+edfi', policy: builtin('pessimistic'), serviceFi: 'prototype' });
  (bare as unknown as { osiris: { recovery: { noRecoveryOnServiceFi: boolean } } }).osiris.recovery.noRecoveryOnServiceFi = false;
  bare.run(['pre_pm']);
  assert.equal(bare.halt()?.kind, 'shutdown');
});

test('compare counts runs whose fault never fired and fail runs in which only pre-tests failed', () => {
  const rec = (over: Partial<RunRecord>): RunRecord => ({
    key: 'k', mode: 'enhanced', block: 'b', server: 'pm', faultType: 'null-pointer', outcome: 'pass', detail: 'pass', activations: 1,
    recoveries: 0, recoveryActions: [], oracleViolations: 0, failedTests: [], programs: 6, simTimeNs: 1, messages: 1, halt: null, error: null, wallMs: 0, ...over,
  });
  const runs = [
    rec({ activations: 0 }),
    rec({ activations: 0, outcome: 'fail', detail: 'fail', failedTests: ['pre_vm:fail'] }),
    rec({ outcome: 'fail', detail: 'fail', failedTests: ['pre_pm:fail', 'proc_fork:fail'] }),
    rec({ outcome: 'fail', detail: 'fail', failedTests: ['pre_pm:fail'] }),
    rec({}),
  ];
  const [m] = survivability(runs, ['enhanced']);
  assert.ok(m, 'a row for enhanced');
  assert.equal(m.notActivated, 2);
  assert.deepEqual(m.notActivatedBy, { pass: 1, fail: 1, shutdown: 0, crash: 0 });
  assert.equal(m.failedOnlyInPretests, 2);
  for (const n of PRETEST_NAMES) assert.ok(n.startsWith('pre_'));
  for (const n of testNames()) assert.ok(!n.startsWith('pre_'), n);
});
