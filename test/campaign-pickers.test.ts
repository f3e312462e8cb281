/* The fault and test pickers: fault models, seeded weighted samples, the time budget. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockInfo } from '../src/edfi/block-map';
import type { FaultType } from '../src/edfi/fault-types';
import type { GoldenProfile } from '../src/experiment/golden';
import { pickFaults } from '../src/experiment/fault-picker';
import { goldenBudget, pickTests } from '../src/experiment/test-picker';
import { PRETEST_NAMES } from '../src/os/workload/pretests';

function block(index: number, server: string, fault: FaultType, ncand: number): BlockInfo {
  const candidates = (['null-pointer', 'swap', 'no-load', 'rnd-load', 'no-store', 'flip-branch'] as FaultType[]).slice(0, ncand);
  return {
    id: `${server}/f.ts:fn#${index}`, hash: index, index, server, file: 'f.ts', line: index, function: 'fn', statements: 1, kind: 'run',
    key: String(index), candidates, fault: { type: fault, site: 0, param: 1 },
  };
}
const SERVERS = ['pm', 'vm', 'vfs', 'ds', 'rs'];
const TYPES: FaultType[] = ['swap', 'null-pointer', 'no-load', 'flip-branch'];
const blocks = Array.from({ length: 200 }, (_, i) => block(i, SERVERS[i % 5]!, TYPES[i % 4]!, 1 + (i % 6)));

test('fault models', () => {
  const fs = pickFaults({ seed: 's', faultModel: 'failstop', faults: 'all' }, blocks);
  assert.equal(fs.length, 200);
  assert.ok(fs.every((f) => f.faultType === 'null-pointer' && f.nullPointer));
  const ed = pickFaults({ seed: 's', faultModel: 'edfi', faults: 'all' }, blocks);
  assert.deepEqual(ed.map((f) => f.faultType), blocks.map((b) => b.fault!.type));
  assert.ok(ed.every((f) => f.nullPointer === (f.faultType === 'null-pointer')));
  const sw = pickFaults({ seed: 's', faultModel: ['swap'], faults: 'all' }, blocks);
  assert.equal(sw.length, 50);
  const np = pickFaults({ seed: 's', faultModel: ['swap', 'null-pointer'], faults: 'all' }, blocks);
  assert.equal(np.length, 250);
});

test('samples are deterministic, seeded, weighted and per server', () => {
  const c = { seed: 'a', faultModel: 'edfi' as const, faults: { sample: 20, perServer: false } };
  const a = pickFaults(c, blocks).map((f) => f.block.id);
  assert.deepEqual(pickFaults(c, blocks).map((f) => f.block.id), a);
  assert.equal(new Set(a).size, 20);
  assert.notDeepEqual(pickFaults({ ...c, seed: 'b' }, blocks).map((f) => f.block.id), a);
  // Weighting: over many seeds, blocks with 6 candidates are drawn far more often than those with 1.
  let heavy = 0, light = 0;
  for (let s = 0; s < 40; s++) {
    for (const f of pickFaults({ ...c, seed: String(s) }, blocks)) {
      if (f.block.candidates.length === 6) heavy++;
      if (f.block.candidates.length === 1) light++;
    }
  }
  assert.ok(heavy > 3 * light, `heavy ${heavy} light ${light}`);
  const per = pickFaults({ ...c, faults: { sample: 3, perServer: true } }, blocks);
  assert.equal(per.length, 15);
  for (const s of SERVERS) assert.equal(per.filter((f) => f.block.server === s).length, 3);
  const sorted = [...per].sort((x, y) => x.block.index - y.block.index);
  assert.deepEqual(per, sorted);
});

test('test picker: pre-tests first, covering tests within budget, at least one', () => {
  const profile: GoldenProfile = {
    buildHash: 'h', bootBlocks: [],
    tests: [
      { name: 't1', status: 'pass', simTime: 10, messages: 50, blocks: [1, 2] },
      { name: 't2', status: 'pass', simTime: 10, messages: 50, blocks: [2] },
      { name: 't3', status: 'pass', simTime: 10, messages: 50, blocks: [1, 2] },
      { name: 't4', status: 'pass', simTime: 100, messages: 50, blocks: [3] },
    ],
  };
  assert.ok(Math.abs(goldenBudget(profile) - (32.5 + 2 * Math.sqrt((3 * 22.5 ** 2 + 67.5 ** 2) / 4))) < 1e-9);
  assert.deepEqual(pickTests(profile, { index: 2 }, { select: 'covering', pretests: true }), [...PRETEST_NAMES, 't1', 't2', 't3']);
  assert.deepEqual(pickTests(profile, { index: 2 }, { select: 'covering', budgetNs: 20, pretests: false }), ['t1', 't2']);
  assert.deepEqual(pickTests(profile, { index: 3 }, { select: 'covering', budgetNs: 1, pretests: false }), ['t4']);
  assert.deepEqual(pickTests(profile, { index: 1 }, { select: 'all', pretests: false }), ['t1', 't2', 't3', 't4']);
});
