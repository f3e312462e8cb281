/* Classifying a run, in DESIGN §6's order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../src/experiment/classify';
import type { ProgramResult } from '../src/os/world';

const prog = (status: ProgramResult['status']): ProgramResult => ({ name: 'p', status, exitStatus: 0, checks: 1, housekeeping: 0, housekeepingErrors: 0, messages: 1, simTime: 1 });
const halt = (kind: string) => ({ kind, reason: kind }) as never;

test('deadlock and budget exhaustion come first, as timeout-like crashes', () => {
  assert.deepEqual(classify(halt('deadlock'), [prog('fail'), prog('incomplete')], null), { outcome: 'crash', detail: 'deadlock' });
  assert.deepEqual(classify(halt('timeout'), [prog('pass')], null), { outcome: 'crash', detail: 'timeout' });
});

test('a controlled shutdown beats everything after it', () => {
  assert.deepEqual(classify(halt('shutdown'), [prog('incomplete'), prog('fail')], null), { outcome: 'shutdown', detail: 'shutdown' });
});

test('panics, uncontrolled crashes and simulator faults are crashes', () => {
  assert.deepEqual(classify(halt('panic'), [prog('pass')], null), { outcome: 'crash', detail: 'panic' });
  assert.deepEqual(classify(halt('crash'), [prog('pass')], null), { outcome: 'crash', detail: 'crash' });
  assert.deepEqual(classify(null, [prog('pass')], 'TypeError: boom'), { outcome: 'crash', detail: 'simulator-error' });
});

test('incomplete tests are a crash, a failed test a fail, else pass', () => {
  assert.deepEqual(classify(null, [prog('fail'), prog('incomplete')], null), { outcome: 'crash', detail: 'incomplete' });
  assert.deepEqual(classify(halt('idle'), [prog('pass'), prog('fail')], null), { outcome: 'fail', detail: 'fail' });
  assert.deepEqual(classify(null, [prog('pass'), prog('pass')], null), { outcome: 'pass', detail: 'pass' });
});
