/*
 * Composable policies (the paper's future work, §VII, as data): window
 * rules over the SEEP decisions met since the checkpoint, and per-server
 * overrides, on real fault-injected runs — each shown closing (or keeping
 * open) a window where the plain policy would not — and their validation,
 * one line naming the field.
 */
import { policyError } from './helpers/policy-error';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootSnapshot, runOne, RunResult } from '../src/experiment/run-one';
import { loadBlockMap } from '../src/sim/variants';
import { Policy, parsePolicy, policyForServer, resolvePolicy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';
import type { Snapshot } from '../src/sim/sim';

let snap: Snapshot | null = null;
const blocks = loadBlockMap('osiris+edfi').blocks;

/** A fail-stop fault at `blockId`, the programs run under `policy`: the one recovery. */
function recoveryOf(blockId: string, programs: string[], policy: Policy): RunResult['recoveries'][number] {
  snap ??= bootSnapshot();
  const b = blocks.find((x) => x.id === blockId);
  assert.ok(b, `block ${blockId} exists`);
  const r = runOne(snap, { block: b.index, nullPointer: true, policy, programs, seed: 'composable', timeBudgetNs: 2e9, messageBudget: 200_000 });
  assert.equal(r.recoveries.length, 1, `one recovery: ${JSON.stringify(r.recoveries)}`);
  return r.recoveries[0]!;
}

const E = builtin('enhanced');
const P = builtin('pessimistic');
const with_ = (base: Policy, name: string, extra: object): Policy => parsePolicy({ ...base, name, ...extra }, name);

// PM's alarm reset makes SYS_TIMES (IDEMPOTENT) before the fault: enhanced keeps the window open, pessimistic closes it.
const ALARM = 'pm/alarm.ts:resetKernelAlarm#0';
// PM's kill sends SYS_SIGSEND to the requester (PROCESS_SPECIFIC) once before the fault.
const KILL = 'pm/signal.ts:sigProc#19';

test('a rule closes the window at the first IDEMPOTENT passage, where enhanced keeps it open', () => {
  assert.equal(recoveryOf(ALARM, ['sig_alarm'], E).windowOpen, true, 'enhanced: open, an E_CRASH reply');
  const rec = recoveryOf(ALARM, ['sig_alarm'], with_(E, 'close-at-idempotent', { window: { rules: [{ after: { decision: 'IDEMPOTENT' }, close: true }] } }));
  assert.equal(rec.windowOpen, false);
  assert.equal(rec.closedBy, 'SYS_TIMES (IDEMPOTENT, window rule)');
  assert.equal(rec.action, 'shutdown');
});

test('a rule relaxes pessimistic after the first IDEMPOTENT passage: the window stays open', () => {
  assert.equal(recoveryOf(ALARM, ['sig_alarm'], P).closedBy, 'SYS_TIMES (IDEMPOTENT)', 'pessimistic closes at SYS_TIMES');
  const rec = recoveryOf(ALARM, ['sig_alarm'], with_(P, 'relax', { window: { rules: [{ after: { decision: 'IDEMPOTENT' }, closeOn: ['GLOBAL_CHANGE'] }] } }));
  assert.equal(rec.windowOpen, true);
  assert.equal(rec.action, 'reply');
});

test('a rule relaxes after a named kernel call (SYS_TIMES) as after its decision', () => {
  const rec = recoveryOf(ALARM, ['sig_alarm'], with_(P, 'relax-after-times', { window: { rules: [{ after: { message: 'SYS_TIMES' }, closeOn: ['GLOBAL_CHANGE'] }] } }));
  assert.equal(rec.windowOpen, true);
  const other = recoveryOf(ALARM, ['sig_alarm'], with_(P, 'relax-after-fork', { window: { rules: [{ after: { message: 'VM_FORK' }, closeOn: ['GLOBAL_CHANGE'] }] } }));
  assert.equal(other.closedBy, 'SYS_TIMES (IDEMPOTENT)', 'a message not met leaves pessimistic in force');
});

test('the second PROCESS_SPECIFIC closes the window; one does not', () => {
  const twice = with_(E, 'ps-twice', { window: { rules: [{ after: { decision: 'PROCESS_SPECIFIC', count: 2 }, close: true }] } });
  const once = with_(E, 'ps-once', { window: { rules: [{ after: { decision: 'PROCESS_SPECIFIC', count: 1 }, close: true }] } });
  const e = recoveryOf(KILL, ['sig_flags'], E);
  assert.deepEqual([e.windowOpen, e.action], [true, 'kill-requester'], 'enhanced');
  const t = recoveryOf(KILL, ['sig_flags'], twice);
  assert.deepEqual([t.windowOpen, t.action], [true, 'kill-requester'], 'one SYS_SIGSEND: count 2 not reached');
  const o = recoveryOf(KILL, ['sig_flags'], once);
  assert.deepEqual([o.windowOpen, o.closedBy, o.action], [false, 'SYS_SIGSEND (PROCESS_SPECIFIC, window rule)', 'shutdown']);
});

test('a per-server override applies to its server only', () => {
  const pmPess = with_(E, 'pm-pessimistic', { servers: { pm: { closeOn: 'ALL' } } });
  const rec = recoveryOf(KILL, ['sig_flags'], pmPess);
  assert.deepEqual([rec.windowOpen, rec.closedBy, rec.action], [false, 'SYS_SIGSEND (PROCESS_SPECIFIC)', 'shutdown']);
  const vmPess = with_(E, 'vm-pessimistic', { servers: { vm: { closeOn: 'ALL', killProcessSpecific: false } } });
  const v = recoveryOf(KILL, ['sig_flags'], vmPess);
  assert.deepEqual([v.windowOpen, v.action], [true, 'kill-requester'], 'PM keeps enhanced');
  // Reconciliation follows the server's policy too.
  const pmNoKill = with_(E, 'pm-no-kill', { servers: { pm: { killProcessSpecific: false } } });
  assert.equal(recoveryOf(KILL, ['sig_flags'], pmNoKill).action, 'reply');
});

test('policyForServer merges field by field; the base is untouched', () => {
  const p = with_(E, 'm', { servers: { pm: { closeOn: 'ALL' } } });
  const pm = policyForServer(p, 'pm');
  assert.equal(pm.closeOn, 'ALL');
  assert.equal(pm.killProcessSpecific, true);
  assert.equal(pm.servers, undefined);
  assert.deepEqual(p.closeOn, ['GLOBAL_CHANGE']);
  assert.equal(policyForServer(p, 'vm'), p);
});


test('invalid rules and overrides are refused in one line naming the field', () => {
  const bad = (extra: object) => policyError(() => parsePolicy({ ...E, name: 'bad', ...extra }, 'bad.json'));
  assert.match(bad({ window: { rules: [{ after: { decision: 'SOMETIMES' }, close: true }] } }), /^bad\.json: field "window\.rules\.0\.after(\.decision)?": /);
  assert.match(bad({ window: { rules: [{ after: { decision: 'IDEMPOTENT', count: 0 } , close: true }] } }), /field "window\.rules\.0\.after(\.count)?"/);
  assert.match(bad({ window: { rules: [{ after: { message: 'VM_FORK' } }] } }), /field "window\.rules\.0": a rule gives either "close": true or "closeOn"/);
  assert.match(bad({ window: { rules: [{ after: { message: 'VM_FORK' }, close: true, closeOn: [] }] } }), /a rule gives either/);
  assert.match(bad({ window: { rules: [] } }), /field "window\.rules"/);
  assert.match(bad({ window: { rules: [{ after: { message: 'VM_FORK' }, close: true, sometimes: 1 }] } }), /field "window\.rules\.0"/);
  assert.match(bad({ servers: { mfs: { closeOn: 'ALL' } } }), /field "servers\.mfs": .*recoverable server/);
  assert.match(bad({ servers: { pm: { name: 'x' } } }), /field "servers\.pm"/);
  assert.match(bad({ servers: { pm: { stateTransfer: false } } }), /field "servers\.pm\.stateTransfer": rollback needs stateTransfer/);
  assert.match(bad({ servers: { pm: { closeOn: ['NEVER'] } } }), /field "servers\.pm\.closeOn(\.0)?"/);
});

test('the bundled composable policy loads; a file with a UTF-8 byte-order mark is accepted', () => {
  const file = path.resolve(__dirname, '..', '..', 'campaigns', 'composable.policy.json');
  const p = resolvePolicy(file);
  assert.ok(p.window && p.window.rules.length > 0 && p.servers);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osiris-composable-'));
  try {
    const bom = path.join(dir, 'bom.policy.json');
    fs.writeFileSync(bom, '\uFEFF' + fs.readFileSync(file, 'utf8'));
    assert.deepEqual(resolvePolicy(bom), p);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('the bundled composable campaign compares the bundled policy with enhanced, and the policy acts as documented', () => {
  const { loadCampaign } = require('../src/experiment/campaign-spec') as typeof import('../src/experiment/campaign-spec');
  const c = loadCampaign(path.resolve(__dirname, '..', '..', 'campaigns', 'example-composable-policy.json'));
  assert.deepEqual(c.modes.map((m) => m.name), ['enhanced', 'composable']);
  const composable = c.modes[1]!.policy;
  // PM starts pessimistic: a SYS_SIGSEND before any SYS_TIMES closes its window, where enhanced kills the requester.
  const kill = recoveryOf(KILL, ['sig_flags'], composable);
  assert.deepEqual([kill.windowOpen, kill.closedBy, kill.action], [false, 'SYS_SIGSEND (PROCESS_SPECIFIC)', 'shutdown']);
  // ... and relaxes at SYS_TIMES: the alarm reset's window stays open, as under enhanced.
  const alarm = recoveryOf(ALARM, ['sig_alarm'], composable);
  assert.deepEqual([alarm.windowOpen, alarm.action], [true, 'reply']);
});

test('a passage between requests (no request to count for) is judged by the policy\'s closeOn, not a rule', () => {
  // PM's alarm expiry runs outside any request; the composable policy once failed there reading the missing request's counts.
  snap ??= bootSnapshot();
  const b = blocks.find((x) => x.id === 'pm/alarm.ts:expireAlarms#2')!;
  const policy = resolvePolicy(path.resolve(__dirname, '..', '..', 'campaigns', 'composable.policy.json'));
  const r = runOne(snap, { block: b.index, nullPointer: true, policy, programs: ['pre_pm', 'sig_alarm'], seed: 'composable', timeBudgetNs: 2e9, messageBudget: 200_000 });
  assert.equal(r.error, null);
  assert.equal(r.outcome, 'shutdown');
  assert.equal(r.recoveries.at(-1)?.decision, 'not replyable');
});
