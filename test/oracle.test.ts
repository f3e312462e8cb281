/*
 * The consistency oracle: clean after boot, after the whole suite and after
 * each recovery pre-test; its self-test plants every invariant's
 * inconsistency in a fixture world with live processes and the oracle names
 * each (and only it); `osiris-fi oracle --self-test --json` says so; each
 * finding names the invariant, the servers and the object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Sim } from '../src/sim/sim';
import { testNames } from '../src/sim/programs';
import type { World } from '../src/os/world';
import { checkConsistency, INVARIANTS } from '../src/osiris/oracle/index';
import { selfTest } from '../src/osiris/oracle/self-test';
import { PLANTS } from '../src/osiris/oracle/plants';
import { FIXTURE_PROGRAMS, runFixture } from '../src/osiris/oracle/fixture';
import { locate } from '../src/osiris/oracle/locate';
import { bootSnapshot, runOne } from '../src/experiment/run-one';
import { builtin } from './helpers/builtin-policy';
import { PRETEST_NAMES } from '../src/os/workload/pretests';
import { asProgram, T } from '../src/os/workload/test-api';
import type { Libc } from '../src/os/libc/libc';
import type { Co } from '../src/os/kernel/types';
import { ENOENT } from '../src/os/proto/errno';
import { DSF_TYPE_U32 } from '../src/os/proto/ds';
import { PM, VFS } from '../src/os/proto/endpoints';
import { PmState } from '../src/os/servers/pm/state';
import { VfsState } from '../src/os/servers/vfs/state';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
const extraPrograms = new Map(FIXTURE_PROGRAMS);
const booted = Sim.boot({ extraPrograms }).world;
const snap = booted.snapshot();

function fixtureWorld(): World {
  const w = Sim.restore(snap, { extraPrograms }).world;
  runFixture(w);
  return w;
}

test('clean after boot, after a snapshot restore and after the whole suite', () => {
  assert.deepEqual(checkConsistency(booted), []);
  const w = Sim.restore(snap, { extraPrograms }).world;
  assert.deepEqual(checkConsistency(w), [], 'after a restore');
  const results = w.runPrograms(testNames());
  assert.deepEqual(results.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.failure}`), []);
  assert.deepEqual(checkConsistency(w), [], 'after the suite');
});

test('clean after each recovery pre-test (a real crash and recovery of each server), under pessimistic and enhanced', () => {
  const s = bootSnapshot();
  for (const policy of [builtin('pessimistic'), builtin('enhanced')]) {
    for (const name of PRETEST_NAMES) {
      const r = runOne(s, { block: -1, nullPointer: false, policy, programs: [name], seed: 'oracle', timeBudgetNs: 1e12, messageBudget: 1e7 });
      assert.equal(r.recoveries.length, 1, `${policy.name} ${name}: one recovery`);
      assert.deepEqual(r.oracle, { checked: true, violations: [] }, `${policy.name} ${name}`);
    }
  }
});

test('the fixture world holds live state in every server, and is consistent', () => {
  const w = fixtureWorld();
  const o = locate(w);
  assert.equal(w.lastHalt?.kind, 'idle');
  assert.notEqual(o.v.pm.mproc[o.leader]!.alarmAt, -1, 'the leader has an alarm pending');
  assert.ok(o.v.vfs.fproc[o.reader]!.blocked !== 0, 'the reader is suspended in VFS');
  assert.ok(o.v.mfs.inodes.some((x) => x.mode !== 0 && x.nlinks === 0 && x.count > 0), 'an unlinked file is still open');
  assert.deepEqual(checkConsistency(w), []);
});

test('self-test: every invariant has a plant, and each plant is named, alone', () => {
  const planted = PLANTS.map((p) => p.invariant);
  assert.deepEqual([...planted].sort(), Object.values(INVARIANTS).flat().sort(), 'one plant per invariant');
  const r = selfTest(fixtureWorld);
  assert.deepEqual(r.clean, []);
  assert.deepEqual(r.missed, []);
  assert.equal(r.caught, r.cases);
  for (const c of r.results) assert.deepEqual(c.named, [c.invariant], `${c.invariant}: ${c.planted}`);
});

test('the five gaps of the issue: a finding names the invariant, the servers and the object', () => {
  const find = (invariant: string) => {
    const plant = PLANTS.find((p) => p.invariant === invariant)!;
    const w = fixtureWorld();
    const o = locate(w);
    plant.apply(o);
    const v = checkConsistency(w);
    assert.equal(v.length, 1, invariant);
    return { v: v[0]!, o };
  };
  const uid = find('uid: PM = VFS');
  const leader = uid.o.v.pm.mproc[uid.o.leader]!;
  assert.deepEqual(uid.v.servers, ['pm', 'vfs']);
  assert.equal(uid.v.object, `process ${leader.endpoint} (pid ${leader.pid})`);
  assert.equal(uid.v.detail, 'PM says ruid 100 euid 100, VFS ruid 100 euid 0');
  assert.deepEqual(find('PM parent link').v.servers, ['pm']);
  const pt = find('VM page table = kernel page table');
  assert.deepEqual(pt.v.servers, ['vm', 'kernel']);
  assert.match(pt.v.detail, new RegExp(`^pages \\[${pt.o.readerPage}\\] differ \\(page ${pt.o.readerPage}: VM frame \\d+, kernel frame ${pt.o.readerFrame}\\)$`));
  const owner = find('frame owner = mapping process');
  assert.equal(owner.v.object, `frame ${owner.o.readerFrame}`);
  const links = find('link count = directory entries');
  assert.equal(links.v.object, `inode ${links.o.fileIno}`);
  assert.equal(links.v.detail, 'nlinks 3, named by 2 entries');
  const ds = find('DS key owners are alive');
  assert.deepEqual(ds.v.servers, ['ds', 'kernel']);
  assert.equal(ds.v.object, 'DS key "oracle_fixture.key"');
});

test('the oracle reads state only: checking twice gives the same answer and changes nothing', () => {
  const w = fixtureWorld();
  st<PmState>(w, PM).mproc[locate(w).leader]!.euid = 5;
  const before = JSON.stringify([st<PmState>(w, PM), st<VfsState>(w, VFS).fproc]);
  assert.deepEqual(checkConsistency(w), checkConsistency(w));
  assert.equal(JSON.stringify([st<PmState>(w, PM), st<VfsState>(w, VFS).fproc]), before);
});

test('osiris-fi oracle --self-test --json: every plant caught, exit 0', () => {
  const out = execFileSync(process.execPath, [BIN, 'oracle', '--self-test', '--json'], { encoding: 'utf8' });
  const r = JSON.parse(out) as { cases: number; caught: number; missed: string[] };
  assert.equal(r.cases, Object.values(INVARIANTS).flat().length);
  assert.equal(r.caught, r.cases);
  assert.deepEqual(r.missed, []);
});

/* The DS bug the oracle found: a process that exits leaves its entries behind, owned by an endpoint that is gone. */
const dsExit = asProgram(function* (t: T, u: Libc): Co<void> {
  t.eq(yield* u.dsSubscribe('oracle_ds.*'), 0, 'subscribe');
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    t.eq(yield* c.dsPublishU32('oracle_ds.left', 5), 0, 'the child publishes');
    return 0; // and exits without deleting
  });
  t.ok(pid > 0, 'fork');
  t.eq((yield* u.waitpid(pid))[0], pid, 'reap');
  const r = yield* u.dsCheck();
  t.eq(r && `${r.key}:${r.type}`, 'oracle_ds.left:0', 'the subscriber learns the entry went away with its owner');
  t.err(yield* u.dsCheck(), ENOENT, 'one notice');
  t.err(yield* u.dsRetrieve('oracle_ds.left', DSF_TYPE_U32), ENOENT, 'the entry is gone');
  t.eq(yield* u.dsPublishU32('oracle_ds.left', 6), 0, 'anyone may publish the name again');
  t.eq(yield* u.dsDelete('oracle_ds.left', DSF_TYPE_U32), 0, 'and delete it');
  t.eq(yield* u.dsUnsubscribe('oracle_ds.*'), 0, 'unsubscribe');
});

test('DS drops the entries of a process that exits (the oracle found it keeping them)', () => {
  const w = Sim.boot({ extraPrograms: new Map([['oracle_ds_exit', dsExit]]) }).world;
  assert.deepEqual(w.runPrograms(['oracle_ds_exit']).map((r) => `${r.status}${r.failure ? `: ${r.failure}` : ''}`), ['pass']);
  assert.deepEqual(checkConsistency(w), []);
});

function st<S>(w: World, slot: number): S {
  return w.servers.get(slot)!.ctx.st as S;
}
