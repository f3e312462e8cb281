/*
 * The consistency oracle: clean after boot and after the whole suite; and
 * each cross-server invariant, broken on purpose in one data section of a
 * booted world (and only that one), is reported by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { testNames } from '../src/sim/programs';
import type { World } from '../src/os/world';
import { checkConsistency } from '../src/osiris/oracle';
import { DS, FIRST_USER_SLOT, INIT, MFS, NONE, NR_SLOTS, PM, RS, VFS, VM, makeEndpoint } from '../src/os/proto/endpoints';
import { F_FREE } from '../src/os/kernel/proc';
import * as K from '../src/os/proto/kcalls';
import { PmState, ZOMBIE } from '../src/os/servers/pm/state';
import { VmState } from '../src/os/servers/vm/state';
import { VfsState } from '../src/os/servers/vfs/state';
import { DsState } from '../src/os/servers/ds/state';
import { RsState } from '../src/os/servers/rs/state';
import { MfsState } from '../src/os/servers/mfs/state';

const booted = Sim.boot().world;
const snap = booted.snapshot();

/** A fresh copy of the booted world (each corruption gets its own). */
function world(): World {
  return Sim.restore(snap).world;
}

function st<S>(w: World, slot: number): S {
  return w.servers.get(slot)!.ctx.st as S;
}

/** The invariants violated, sorted, one entry per invariant name. */
function broken(w: World): string[] {
  return [...new Set(checkConsistency(w).map((v) => v.invariant))].sort();
}

/** An endpoint that names no process: a free user slot. */
function deadEndpoint(w: World): number {
  for (let s = FIRST_USER_SLOT; s < NR_SLOTS; s++) if (w.kernel.procs[s].flags & F_FREE) return makeEndpoint(3, s);
  throw new Error('no free slot');
}

/** A frame mapped by init's page table. */
function mappedFrame(w: World): number {
  const f = [...w.kernel.procs[INIT].pt].find((x) => x >= 0);
  assert.ok(f !== undefined && f >= 0, 'init has memory mapped');
  return f;
}

test('clean after boot', () => {
  assert.deepEqual(checkConsistency(booted), []);
  assert.deepEqual(checkConsistency(world()), [], 'and after a snapshot restore');
});

test('clean after the whole suite', () => {
  const w = world();
  const results = w.runPrograms(testNames());
  assert.deepEqual(results.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.failure}`), []);
  assert.deepEqual(checkConsistency(w), []);
});

test('PM forgetting a process the kernel runs', () => {
  const w = world();
  st<PmState>(w, PM).mproc[INIT].flags |= ZOMBIE;
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['processes: kernel = PM']);
  assert.match(v[0].detail, new RegExp(`PM lacks \\[${w.kernel.procs[INIT].endpoint}\\]`));
});

test('VM forgetting an address space', () => {
  const w = world();
  st<VmState>(w, VM).vmproc[INIT].inUse = false;
  assert.deepEqual(broken(w), ['processes: kernel = VM']);
});

test('VFS knowing a process the kernel does not', () => {
  const w = world();
  const vfs = st<VfsState>(w, VFS);
  const ghost = deadEndpoint(w);
  const f = vfs.fproc.find((x) => !x.inUse)!;
  f.inUse = true; f.endpoint = ghost; f.cwd = -1; f.root = -1;
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['processes: kernel = VFS']);
  assert.match(v[0].detail, new RegExp(`has extra \\[${ghost}\\]`));
});

test('a filp count that no descriptor accounts for', () => {
  const w = world();
  const vfs = st<VfsState>(w, VFS);
  const i = vfs.filp.findIndex((f) => f.count === 0 && f.vnode < 0);
  vfs.filp[i].count += 1;
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['filp count = descriptors']);
  assert.equal(v[0].detail, `filp ${i}: count 1, referenced by 0 descriptors`);
});

test('a descriptor pointing at a filp whose count does not include it', () => {
  const w = world();
  const vfs = st<VfsState>(w, VFS);
  const i = vfs.filp.findIndex((f) => f.count === 0 && f.vnode < 0);
  vfs.fproc[INIT].fd[5] = i;
  assert.deepEqual(broken(w), ['filp count = descriptors']);
});

test('a vnode reference count off by one', () => {
  const w = world();
  const vfs = st<VfsState>(w, VFS);
  const i = vfs.vnode.findIndex((x) => x.refs > 0);
  vfs.vnode[i].refs += 1;
  assert.deepEqual(broken(w), ['vnode refs = references']);
});

test('an MFS inode held that VFS does not reference', () => {
  const w = world();
  st<MfsState>(w, MFS).inodes[1].count += 1;
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['MFS inode count = VFS references']);
  assert.equal(v[0].detail, 'inode 1: count 1, VFS holds 0');
});

test('a VM frame freed while still mapped', () => {
  const w = world();
  const vm = st<VmState>(w, VM);
  const f = mappedFrame(w);
  vm.frames[f].refs = 0;
  vm.freeFrames += 1; // keep the free count in step: only the mapping invariant breaks
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['frames in use = frames mapped']);
  assert.equal(v[0].detail, `frames mapped but free in VM: [${f}]`);
});

test('a VM frame in use that nothing maps (a leak)', () => {
  const w = world();
  const vm = st<VmState>(w, VM);
  const f = vm.frames.findIndex((x) => x.refs === 0);
  vm.frames[f].refs = 1;
  vm.freeFrames -= 1;
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['frames in use = frames mapped']);
  assert.equal(v[0].detail, `frames in use but mapped nowhere: [${f}]`);
});

test("VM's free-frame count disagreeing with its frame table", () => {
  const w = world();
  st<VmState>(w, VM).freeFrames += 1;
  assert.deepEqual(broken(w), ['VM free-frame count']);
});

test('a DS subscription of a dead endpoint', () => {
  const w = world();
  const ghost = deadEndpoint(w);
  const s = st<DsState>(w, DS).subs.find((x) => !x.inUse)!;
  s.inUse = true; s.owner = ghost; s.pattern = 'oracle.*'; s.prefix = true; s.match = 'oracle.';
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['DS subscribers are alive']);
  assert.equal(v[0].detail, `subscription "oracle.*" of dead endpoint ${ghost}`);
});

test('a kernel call mask that RS did not grant', () => {
  const w = world();
  const p = w.kernel.procs[VM];
  p.callMask = (p.callMask ^ (1 << K.SYS_ABORT)) >>> 0;
  const v = checkConsistency(w);
  assert.deepEqual(v.map((x) => x.invariant), ['RS table = kernel privileges']);
  assert.match(v[0].detail, /^vm: RS says 0x[0-9a-f]+, kernel 0x[0-9a-f]+$/);
});

test("RS's table naming an endpoint that is gone", () => {
  const w = world();
  const svc = st<RsState>(w, RS).services.find((s) => s.inUse && s.label === 'ds')!;
  svc.endpoint = NONE;
  assert.deepEqual(broken(w), ['RS table = kernel']);
});

test('the oracle reads state only: checking twice gives the same answer and changes nothing', () => {
  const w = world();
  st<VmState>(w, VM).freeFrames += 2;
  const before = JSON.stringify(st<VmState>(w, VM).frames);
  assert.deepEqual(checkConsistency(w), checkConsistency(w));
  assert.equal(JSON.stringify(st<VmState>(w, VM).frames), before);
});
