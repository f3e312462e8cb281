/* Campaign files: the bundled ones load; a bad one is one line naming the file, the field and what is expected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CampaignError, loadCampaign, parseCampaign } from '../src/experiment/campaign-spec';

const ROOT = path.resolve(__dirname, '..', '..');
const good = { name: 'x', seed: 1, faultModel: 'edfi', faults: 'all', modes: ['enhanced'] };

function errorOf(raw: unknown): string {
  try { parseCampaign(raw, 'c.json', ROOT); } catch (e) {
    assert.ok(e instanceof CampaignError);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e.message;
  }
  assert.fail('expected a CampaignError');
}

test('bundled campaigns load', () => {
  for (const f of ['quick', 'paper-failstop', 'paper-edfi', 'strict-failstop', 'strict-edfi', 'example-user-policy']) {
    const c = loadCampaign(path.join(ROOT, 'campaigns', `${f}.json`));
    assert.equal(c.name, f);
    assert.ok(c.modes.length >= 2);
  }
  const u = loadCampaign(path.join(ROOT, 'campaigns', 'example-user-policy.json'));
  assert.deepEqual(u.modes.map((m) => m.name), ['enhanced', 'reply-always']);
});

test('defaults and normalisation', () => {
  const c = parseCampaign(good, 'c.json', ROOT);
  assert.equal(c.seed, '1');
  assert.deepEqual(c.tests, { select: 'covering' });
  assert.equal(c.pretests, true);
  assert.deepEqual(c.budget, {});
  const d = parseCampaign({ ...good, faultModel: ['null-pointer', 'swap'], faults: { sample: 3 }, tests: { select: 'covering', budgetNs: 5 } }, 'c.json', ROOT);
  assert.deepEqual(d.faults, { sample: 3, perServer: false });
  assert.equal(d.tests.budgetNs, 5);
});

test('schema errors name the file and the field', () => {
  assert.match(errorOf({ ...good, faultModel: 'bogus' }), /^c\.json: field "faultModel": expected "failstop", "edfi" or a list/);
  assert.match(errorOf({ ...good, faultModel: ['swap', 'nope'] }), /^c\.json: field "faultModel(\.1)?": expected/);
  assert.match(errorOf({ ...good, faults: { sample: -2 } }), /^c\.json: field "faults(\.sample)?": expected/);
  assert.match(errorOf({ ...good, modes: ['enhanced', 'wishful'] }), /^c\.json: field "modes\.1": unknown policy "wishful"/);
  assert.match(errorOf({ ...good, modes: ['missing.json'] }), /^c\.json: field "modes\.0": policy file missing\.json not found/);
  assert.match(errorOf({ ...good, modes: [] }), /^c\.json: field "modes": expected at least one mode/);
  assert.match(errorOf({ ...good, budget: { timeNs: 'soon' } }), /^c\.json: field "budget\.timeNs": expected a time budget/);
  assert.match(errorOf({ ...good, extra: 1 }), /^c\.json: field "\(campaign\)": unknown field\(s\) "extra"/);
  const { name: _n, ...noName } = good;
  assert.match(errorOf(noName), /^c\.json: field "name": expected a name/);
});

test('unreadable and non-JSON files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-'));
  const f = path.join(dir, 'bad.json');
  fs.writeFileSync(f, '{ "name": ');
  assert.throws(() => loadCampaign(f), (e: Error) => e instanceof CampaignError && /bad\.json: not valid JSON/.test(e.message));
  assert.throws(() => loadCampaign(path.join(dir, 'none.json')), (e: Error) => e instanceof CampaignError && /cannot read/.test(e.message));
  fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ name: 'p', stateTransfer: true, rollback: true, closeOn: 'ALL', replyOnRecovery: 'yes', shutdownOutsideWindow: true }));
  fs.writeFileSync(f, JSON.stringify({ ...good, modes: ['p.json'] }));
  assert.throws(() => loadCampaign(f), (e: Error) => e instanceof CampaignError && /field "modes\.0": .*replyOnRecovery/.test(e.message));
});
