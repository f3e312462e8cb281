/*
 * Restores reuse what finished worlds gave back (sim.dispose): physical
 * memory (only the frames a run wrote are copied back from the image) and
 * the typed arrays of the restored state. A run on reused buffers is the
 * run on fresh ones; the spare templates of stateless restarts stay as
 * they were built.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhysMem, NR_FRAMES, PAGE_SIZE, VPAGES } from '../src/os/kernel/memory';
import { Proc } from '../src/os/kernel/proc';
import { cloneSnapshotData, releaseCopies } from '../src/os/snapshot-copy';
import { bootSnapshot, restoreRun, runOne, RunSpec } from '../src/experiment/run-one';
import { BUILTIN_POLICIES } from '../src/osiris/policies';
import { loadBlockMap, loadVariant } from '../src/sim/variants';
import { PM, VFS } from '../src/os/proto/endpoints';

function image(seed: number): Uint8Array {
  const b = new Uint8Array(NR_FRAMES * PAGE_SIZE);
  let x = seed;
  for (let i = 0; i < b.length; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

test('memory released after writes comes back as the image, copying back only what was written', () => {
  const img = image(1);
  const p = new Proc(0, VPAGES);
  for (let v = 0; v < VPAGES; v++) p.pt[v] = (v * 7 + 3) % NR_FRAMES;
  const m = new PhysMem(img);
  const bytes = m.bytes;
  m.write(p, 5 * PAGE_SIZE - 10, new Uint8Array(30).fill(0xee)); // across two pages (two frames far apart)
  m.write(p, 9 * PAGE_SIZE + 1, new Uint8Array(4).fill(0xdd));
  m.write(p, 11 * PAGE_SIZE + 0.5, new Uint8Array(PAGE_SIZE).fill(0xcc)); // a fault's non-integral address
  m.copyFrame(1, 40);
  m.zeroFrame(41);
  assert.notDeepEqual(m.bytes, img);
  m.release();
  assert.equal(m.bytes.length, 0, 'a released memory keeps none of its bytes');
  const again = new PhysMem(img);
  assert.equal(again.bytes, bytes, 'the released buffer is reused');
  assert.deepEqual(again.bytes, img);

  // A frame number that is no frame may write anywhere: the whole image comes back.
  again.zeroFrame(2.5);
  again.release();
  const third = new PhysMem(img);
  assert.equal(third.bytes, bytes);
  assert.deepEqual(third.bytes, img);

  // Another image: copied whole.
  third.write(p, 3 * PAGE_SIZE, new Uint8Array([1, 2, 3]));
  third.release();
  const other = image(2);
  const fourth = new PhysMem(other);
  assert.equal(fourth.bytes, bytes);
  assert.deepEqual(fourth.bytes, other);
  assert.deepEqual(new PhysMem().bytes, new Uint8Array(NR_FRAMES * PAGE_SIZE), 'boot memory is zeroed, never reused');
});

test('typed arrays given back are refilled by later copies of the same type and length only', () => {
  const tpl = { disk: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), t: [{ pt: new Int32Array([1, -1]) }, { pt: new Int32Array([2, -2]) }], n: 1 };
  const made: ArrayBufferView[] = [];
  const a = cloneSnapshotData(tpl, made);
  assert.deepEqual(a, structuredClone(tpl));
  assert.equal(made.length, 3);
  a.disk.fill(0xff); a.t[0]!.pt.fill(7);
  const disk = a.disk;
  releaseCopies(made);
  assert.equal(made.length, 0);
  const b = cloneSnapshotData(tpl);
  assert.equal(b.disk, disk, 'the released disk is reused');
  assert.deepEqual(b, structuredClone(tpl));
  // An Int32Array of two is 8 bytes, as the disk: a Uint8Array copy never takes it.
  releaseCopies([b.t[0]!.pt, b.t[1]!.pt]);
  const c = cloneSnapshotData({ d: new Uint8Array(8).fill(3) });
  assert.ok(c.d instanceof Uint8Array);
  assert.deepEqual(c.d, new Uint8Array(8).fill(3));
});

const snap = bootSnapshot();
const blocks = loadBlockMap('osiris+edfi').blocks;

function blockOf(id: string): number {
  const i = blocks.findIndex((b) => b.id === id);
  assert.ok(i >= 0, `block ${id}`);
  return i;
}

function spec(policy: string, block: number, programs: string[]): RunSpec {
  return {
    block, nullPointer: true, policy: BUILTIN_POLICIES[policy]!, programs, seed: 'reuse', timeBudgetNs: 5e9, messageBudget: 200_000,
    checking: 'minix', serviceFi: 'prototype',
  };
}

test('a run on buffers a disposed run gave back is the run on fresh buffers', () => {
  const getpid = blockOf('pm/getset.ts:do_getpid#0');
  const busy = spec('enhanced', -1, ['mem_brk', 'mem_mmap', 'mem_fork', 'file_large', 'pipe_basic', 'ds_types']);
  const runs = [spec('enhanced', getpid, ['proc_ids', 'mem_exec', 'file_rw_seek']), spec('stateless', getpid, ['proc_ids', 'file_rw_seek', 'fd_dup'])];
  // On fresh buffers: restored, run, never disposed.
  const fresh = runs.map((s) => {
    const sim = restoreRun(snap, s);
    const r0 = sim.reading();
    const programs = sim.run(s.programs, { checking: s.checking });
    const r1 = sim.reading();
    return { programs, recoveries: [...sim.recoveries()], now: r1.now - r0.now, messages: r1.messages - r0.messages };
  });
  for (const [i, s] of runs.entries()) {
    runOne(snap, busy); // dirties memory, the disk and the buffers it gives back
    const r = runOne(snap, s);
    assert.ok(r.recoveries.length > 0, `run ${i} recovers`);
    assert.deepEqual(r.programs, fresh[i]!.programs, `run ${i}: programs`);
    assert.deepEqual(r.recoveries, fresh[i]!.recoveries, `run ${i}: recoveries`);
    assert.equal(r.simTimeNs, fresh[i]!.now, `run ${i}: simulated time`);
    assert.equal(r.messages, fresh[i]!.messages, `run ${i}: messages`);
  }
});

test('stateless restarts leave the spare templates as they were built', () => {
  const getpid = blockOf('pm/getset.ts:do_getpid#0');
  const sim = restoreRun(snap, spec('stateless', getpid, ['proc_ids', 'proc_fork_wait', 'file_rw_seek']));
  sim.run(['proc_ids', 'proc_fork_wait', 'file_rw_seek'], { checking: 'minix' });
  assert.ok(sim.recoveries().some((r) => r.server === 'pm'), 'PM restarted from its spare');
  const defs = loadVariant('osiris+edfi');
  for (const slot of [PM, VFS]) {
    const def = defs.find((d) => d.slot === slot)!;
    const spare = sim.spareState(slot);
    assert.deepEqual(spare, def.initialState(sim.world.bootParams()), `slot ${slot}`);
    assert.notEqual(sim.dataSection(slot), spare, 'the server runs on a copy');
  }
});
