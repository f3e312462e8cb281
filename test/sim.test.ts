/*
 * The composition root's API as experiments use it: configuration decides
 * what the simulated parts do (recovery policy, a periodic `service fi`
 * crash, budgets), and the outcome is read back from the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { builtin } from './helpers/builtin-policy';
import { PM } from '../src/os/proto/endpoints';

const policy = builtin('enhanced');
const snap = Sim.boot({ variant: 'osiris', policy }).snapshot();

test('a periodic crash is the simulation\'s own: PM crashes inside its window at user requests, each answered with ECRASH', () => {
  const sim = Sim.restore(snap, { variant: 'osiris', policy, retryCrashedCalls: true, periodicCrash: { server: PM, intervalNs: 20_000 } });
  const [r] = sim.run(['syscall']);
  assert.ok(r, 'syscall ran');
  assert.equal(r.status, 'pass', r.failure);
  const n = sim.injectedCrashes();
  assert.ok(n >= 3, `${n} crashes`);
  assert.equal(sim.crashes().length, n);
  assert.ok(sim.crashes().every((c) => c.name === 'pm' && /service fi/.test(c.message)));
  const recs = sim.recoveries();
  assert.equal(recs.length, n);
  for (const x of recs) {
    assert.equal(x.server, 'pm');
    assert.equal(x.windowOpen, true);
    assert.equal(x.action, 'reply');
    assert.ok(x.requester !== null && x.requester > PM, 'the requester is a user process');
  }
  // Crashes are at least the interval apart.
  for (let i = 1; i < recs.length; i++) assert.ok(recs[i]!.time - recs[i - 1]!.time >= 20_000, `crash ${i}`);
});

test('without the option nothing crashes, and the same run is the undisturbed one', () => {
  const a = Sim.restore(snap, { variant: 'osiris', policy, retryCrashedCalls: true });
  const b = Sim.restore(snap, { variant: 'osiris', policy });
  assert.deepEqual(a.run(['syscall']), b.run(['syscall']));
  assert.equal(a.injectedCrashes(), 0);
  assert.deepEqual(a.recoveries(), []);
  assert.equal(a.traceHash(), b.traceHash());
});

test('budgets count from when they are set; past one the run halts as a timeout', () => {
  const sim = Sim.restore(snap, { variant: 'osiris', policy });
  const r0 = sim.reading();
  sim.setBudgets({ messages: 10 });
  const res = sim.run(['smoke_fork']);
  assert.equal(sim.halt()?.kind, 'timeout');
  assert.equal(res[0]?.status, 'incomplete');
  assert.equal(sim.reading().messages - r0.messages, 11, 'it halts at the first message past the budget');
});

test('misconfigurations are refused: recovery on the plain servers, a fault on a build without EDFI', () => {
  assert.throws(() => Sim.boot({ policy }), /instrumented variant/);
  assert.throws(() => Sim.restore(snap, { variant: 'osiris', policy }).armFault(0), /osiris\+edfi/);
});
