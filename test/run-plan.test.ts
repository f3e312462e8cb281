/*
 * The run planner: the campaign runner and `inject` get their programs,
 * seed and budgets from the one planRun; test names and patterns resolve
 * in one place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRun, selectTests } from '../src/experiment/run-plan';
import type { GoldenProfile } from '../src/experiment/golden';
import { PRETEST_NAMES } from '../src/sim/programs';
import { builtin } from './helpers/builtin-policy';

const profile: GoldenProfile = {
  buildHash: 'h', bootBlocks: [],
  tests: [
    { name: 't1', status: 'pass', simTime: 10, messages: 50, blocks: [1, 2] },
    { name: 't2', status: 'pass', simTime: 10, messages: 60, blocks: [2] },
    { name: 't3', status: 'pass', simTime: 10, messages: 70, blocks: [1, 2] },
    { name: 't4', status: 'pass', simTime: 100, messages: 80, blocks: [3, 2] },
  ],
};
const base = { block: { index: 2 }, nullPointer: true, policy: builtin('enhanced'), seed: 's' };

test('a campaign run: the pre-tests, the covering tests within the golden budget, budgets from their golden runs', () => {
  const spec = planRun(profile, { ...base, tests: { select: 'covering' }, pretests: true })!;
  // mean + 2 sigma of (10, 10, 10, 100) is about 110: t4 does not fit after t1..t3.
  assert.deepEqual(spec.programs, [...PRETEST_NAMES, 't1', 't2', 't3']);
  assert.equal(spec.timeBudgetNs, 2 * 30 + 1e9);
  assert.equal(spec.messageBudget, 4 * 180 + 20_000);
  assert.deepEqual([spec.block, spec.nullPointer, spec.seed, spec.policy.name], [2, true, 's', 'enhanced']);
});

test('an inject run: every covering test (no budget on the choice), or the programs named; budgets can be set', () => {
  const all = planRun(profile, { ...base, tests: { select: 'covering', budgetNs: Infinity }, pretests: false })!;
  assert.deepEqual(all.programs, ['t1', 't2', 't3', 't4']);
  const named = planRun(profile, { ...base, tests: { names: ['t4', 't1'] }, pretests: true, budget: { messages: 7 } })!;
  assert.deepEqual(named.programs, [...PRETEST_NAMES, 't4', 't1']);
  assert.equal(named.messageBudget, 7);
  assert.equal(named.timeBudgetNs, 2 * 110 + 1e9);
});

test('test names and patterns resolve against the installed programs; unknown ones are reported', () => {
  const { names, unknown } = selectTests('pipe_*, smoke_fork, nope, zz_*');
  assert.ok(names.length > 2 && names.every((n) => n.startsWith('pipe_') || n === 'smoke_fork'), names.join(', '));
  assert.deepEqual(unknown, ['nope', 'zz_*']);
  assert.equal(selectTests(undefined).names.length, 89);
  assert.ok(selectTests(undefined, true).names.length > 89);
});
