/*
 * Recovery takes simulated time (the cost model, src/os/kernel/cost.ts):
 * the restart, each byte of data section transferred to the clone, each
 * undo-log entry rolled back. Charged to the clock where recovery happens,
 * so the disruption measurement (Fig. 3) sees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { Policy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';
import { COST, dataSectionBytes, recoveryCostNs } from '../src/os/kernel/cost';
import { DS } from '../src/os/proto/endpoints';

function recoverDs(policy: Policy, fill: number) {
  const sim = Sim.boot({ variant: 'osiris', policy });
  const world = sim.world;
  // Give the undo log entries to roll back, as a request's stores would have.
  const st = world.servers.get(DS)!.ctx.st as Record<string, unknown>;
  const log = sim.undoLog(DS)!;
  log.reset();
  const scratch = { n: 0 };
  for (let i = 0; i < fill; i++) { log.record(scratch, 'n'); scratch.n = i + 1; }
  const k = world.kernel;
  const t0 = k.now;
  k.recovery!.recover(DS, 'test');
  const rec = sim.recoveries()[0];
  assert.ok(rec, 'DS was recovered');
  return { dt: k.now - t0, rec, bytes: dataSectionBytes(world.servers.get(DS)!.ctx.st), st };
}

test('a recovery with state transfer costs restart + bytes transferred + entries rolled back', () => {
  const a = recoverDs(builtin('enhanced'), 0);
  const b = recoverDs(builtin('enhanced'), 50);
  assert.equal(b.rec.rolledBack, 50);
  assert.ok(a.bytes > 1000, `DS's data section: ${a.bytes} bytes`);
  assert.equal(a.dt, COST.recoveryRestart + COST.stateTransferPerByte * a.bytes);
  assert.equal(b.dt - a.dt, 50 * COST.rollbackPerEntry, 'each rolled-back entry adds its cost');
  assert.equal(b.dt, recoveryCostNs(b.bytes, 50));
});

test('the data section size is the same for equal states, however their numbers came about', () => {
  const a = { n: 1.5 - 0.5, t: new Uint8Array(4), s: 'ab', l: [true, null], m: { k: 2 } };
  const b = { n: 1, t: new Uint8Array(4), s: 'ab', l: [true, null], m: { k: 2 } };
  assert.equal(dataSectionBytes(a), dataSectionBytes(b));
  assert.equal(dataSectionBytes(b), 8 + 8 + (8 + 4) + (8 + 2 * 2) + (8 + 1 + 1) + (8 + 8));
});

test('a stateless restart transfers nothing: it costs the restart only', () => {
  const s = recoverDs(builtin('stateless'), 20);
  assert.equal(s.rec.rolledBack, 0);
  assert.equal(s.dt, COST.recoveryRestart);
});
