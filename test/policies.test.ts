/*
 * Recovery policies as data: the built-ins resolve by name, a user policy
 * file loads, and every invalid policy is refused with one line naming the
 * field at fault.
 */
import { policyError } from './helpers/policy-error';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_POLICIES, POLICY_NAMES, Policy, parsePolicy, resolvePolicy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osiris-policies-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function writePolicy(name: string, data: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
}

const VALID = {
  name: 'keep-going', description: 'roll back, reply, never shut down',
  stateTransfer: true, rollback: true, closeOn: ['GLOBAL_CHANGE'], replyOnRecovery: true, killProcessSpecific: false, shutdownOutsideWindow: false,
};


test('each built-in policy resolves by name to itself', () => {
  for (const n of POLICY_NAMES) {
    const p = resolvePolicy(n);
    assert.equal(p, BUILTIN_POLICIES[n]);
    assert.equal(p.name, n);
    assert.ok(p.description.length > 0);
    // Every built-in is itself a valid policy object.
    assert.deepEqual(parsePolicy(JSON.parse(JSON.stringify(p)), n), p);
  }
});

test('the built-ins are the modes of DESIGN §1', () => {
  const b = { stateless: builtin('stateless'), naive: builtin('naive'), pessimistic: builtin('pessimistic'), enhanced: builtin('enhanced'), optimistic: builtin('optimistic') };
  // stateless: fresh state, no reply, no shutdown.
  assert.deepEqual([b.stateless.stateTransfer, b.stateless.rollback, b.stateless.replyOnRecovery, b.stateless.shutdownOutsideWindow], [false, false, false, false]);
  // naive: roll back, never reply, never shut down, window never closes.
  assert.deepEqual([b.naive.stateTransfer, b.naive.rollback, b.naive.replyOnRecovery, b.naive.shutdownOutsideWindow], [true, true, false, false]);
  assert.deepEqual(b.naive.closeOn, []);
  // pessimistic and enhanced: roll back, error reply, shutdown outside the window.
  for (const p of [b.pessimistic, b.enhanced]) assert.deepEqual([p.stateTransfer, p.rollback, p.replyOnRecovery, p.shutdownOutsideWindow], [true, true, true, true]);
  assert.equal(b.pessimistic.closeOn, 'ALL');
  assert.deepEqual(b.enhanced.closeOn, ['GLOBAL_CHANGE']);
  assert.equal(b.enhanced.killProcessSpecific, true);
  // optimistic: window never closes, always an error reply.
  assert.deepEqual(b.optimistic.closeOn, []);
  assert.equal(b.optimistic.replyOnRecovery, true);
});

test('a user policy file loads; omitted optional fields take their defaults', () => {
  const p = resolvePolicy(writePolicy('keep-going.json', VALID));
  assert.deepEqual(p, VALID);
  const minimal = { name: 'min', stateTransfer: true, rollback: false, closeOn: 'ALL', replyOnRecovery: false, shutdownOutsideWindow: true };
  const q: Policy = resolvePolicy(writePolicy('min.json', minimal));
  assert.equal(q.description, 'user-defined policy');
  assert.equal(q.killProcessSpecific, false);
  assert.equal(q.closeOn, 'ALL');
  // A file is recognised by its existence too, not only by the .json suffix.
  assert.deepEqual(resolvePolicy(writePolicy('no-suffix', VALID)), VALID);
});

test('a missing field is named', () => {
  const { stateTransfer: _s, ...rest } = VALID;
  const msg = policyError(() => resolvePolicy(writePolicy('missing.json', rest)));
  assert.match(msg, /missing\.json: field "stateTransfer": /);
  const { closeOn: _c, ...rest2 } = VALID;
  assert.match(policyError(() => parsePolicy(rest2, 'inline')), /^inline: field "closeOn": /);
});

test('a field of the wrong type is named', () => {
  assert.match(policyError(() => parsePolicy({ ...VALID, rollback: 'yes' }, 'p')), /^p: field "rollback": .*boolean/);
  assert.match(policyError(() => parsePolicy({ ...VALID, name: '' }, 'p')), /^p: field "name": /);
  assert.equal(policyError(() => parsePolicy({ ...VALID, closeOn: 'SOME' }, 'p')),
    'p: field "closeOn": expected "ALL" or a list of decisions (IDEMPOTENT, REQUEST_SPECIFIC, PROCESS_SPECIFIC, GLOBAL_CHANGE)');
  assert.match(policyError(() => parsePolicy([], 'p')), /^p: field "\(policy\)": /);
});

test('an unknown decision name is named with its position', () => {
  const msg = policyError(() => resolvePolicy(writePolicy('decision.json', { ...VALID, closeOn: ['GLOBAL_CHANGE', 'SOMETIMES'] })));
  assert.match(msg, /decision\.json: field "closeOn\.1": /);
  assert.match(msg, /"IDEMPOTENT"\|"REQUEST_SPECIFIC"\|"PROCESS_SPECIFIC"\|"GLOBAL_CHANGE"/, 'the message lists the valid decisions');
});

test('rollback without state transfer is refused', () => {
  assert.equal(policyError(() => parsePolicy({ ...VALID, stateTransfer: false, rollback: true }, 'p')), 'p: field "rollback": rollback needs stateTransfer');
  // Without rollback, a fresh restart is fine.
  assert.equal(parsePolicy({ ...VALID, stateTransfer: false, rollback: false }, 'p').stateTransfer, false);
});

test('an unknown field is refused (a misspelt option must not be ignored)', () => {
  assert.match(policyError(() => parsePolicy({ ...VALID, shutdownOutsideWindo: true }, 'p')), /shutdownOutsideWindo/);
});

test('an unknown policy name lists the built-ins', () => {
  assert.equal(policyError(() => resolvePolicy('hopeful')),
    'unknown policy "hopeful" (built-in: stateless, naive, pessimistic, enhanced, enhanced-prototype, optimistic; or a policy .json file)');
});

test('an unreadable or malformed policy file is one line naming the file', () => {
  const absent = path.join(dir, 'absent.json');
  assert.match(policyError(() => resolvePolicy(absent)), new RegExp(`^${absent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read policy file: `));
  assert.match(policyError(() => resolvePolicy(writePolicy('broken.json', '{ "name": '))), /broken\.json: cannot read policy file: /);
});
