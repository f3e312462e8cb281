/*
 * The SEEP audit (`osiris-fi seep-audit`): the table survives a run of the
 * whole suite; a misclassification planted in a copy of the table is
 * reported with the handler, the field and a run that shows it (among them
 * the MFS lookup that took an inode reference while classified read-only);
 * values decide, not stores; VFS's interleaved workers get their own
 * changes; boot is watched too; an audited run is the run it would have
 * been; a campaign's runs; the command's exit status and JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { auditSuite, AuditReport } from '../src/experiment/seep-audit';
import { auditRuns } from '../src/experiment/seep-audit-runs';
import { bootSnapshot, restoreRun, RunSpec } from '../src/experiment/run-one';
import { loadBlockMap } from '../src/sim/variants';
import type { RunTask } from '../src/experiment/worker';
import { builtin } from './helpers/builtin-policy';
import { SeepObserver, SeepTables } from '../src/experiment/seep-observer';
import { KCALL_SEEPS, MESSAGE_SEEPS, Seep } from '../src/osiris/seep-table';
import { MESSAGE_TYPES, VFS_PWRITE, VFS_STAT } from '../src/os/proto/calls';
import { KERNEL_CALLS } from '../src/os/proto/kcalls';
import { Sim } from '../src/sim/sim';
import { PRETEST_NAMES, testNames } from '../src/sim/programs';
import { asProgram, T } from '../src/os/workload/test-api';
import { Libc } from '../src/os/libc/libc';
import { Main } from '../src/os/libc/core';
import { Co } from '../src/os/kernel/types';
import { O_CREAT, O_RDWR } from '../src/os/proto/fs';
import { WEXITSTATUS } from '../src/os/proto/signals';
import { MFS, VFS } from '../src/os/proto/endpoints';

const readOnly = (s: Seep, why: string): Seep => ({ ...s, modifies: false, decision: 'IDEMPOTENT', reason: why });

/** A copy of the SEEP table with some entries declared read-only. */
function planted(messages: Record<string, string>, kcalls: Record<string, string> = {}): SeepTables {
  const m = { ...MESSAGE_SEEPS };
  const k = { ...KCALL_SEEPS };
  for (const [n, why] of Object.entries(messages)) {
    const t = MESSAGE_TYPES[n];
    assert.ok(t !== undefined, `${n} is a message type`);
    const s = m[t];
    assert.ok(s, `${n} is in the SEEP table`);
    m[t] = readOnly(s, why);
  }
  for (const [n, why] of Object.entries(kcalls)) {
    const nr = KERNEL_CALLS[n];
    assert.ok(nr !== undefined, `${n} is a kernel call`);
    const s = k[nr];
    assert.ok(s, `${n} is in the SEEP table`);
    k[nr] = readOnly(s, why);
  }
  return { messages: m, kcalls: k };
}

function contradiction(r: AuditReport, name: string) {
  const c = r.contradictions.find((x) => x.name === name);
  assert.ok(c, `${name} reported (reported: ${r.contradictions.map((x) => x.name).join(', ') || 'none'})`);
  return c;
}

test('the SEEP table survives the audit of the whole suite', () => {
  const r = auditSuite();
  // The five recovery pre-tests (each crashes a server through RS) and the 89 programs.
  assert.deepEqual(r.programs, { run: 94, passed: 94 });
  assert.deepEqual(r.contradictions.map((c) => `${c.name}: ${c.example.handler}: ${c.example.changes.map((x) => x.field).join(', ')}`), []);
  assert.ok(r.checked > 100, `${r.checked} entries exercised`);
  assert.ok(r.compared.requests > 500 && r.compared.kernelCalls > 1000, JSON.stringify(r.compared));
  // Unexercised entries are listed, and none of them is also counted as checked.
  const total = Object.keys(MESSAGE_SEEPS).length + Object.keys(KCALL_SEEPS).length;
  assert.equal(r.checked + r.unexercised.length, total);
  assert.ok(r.unexercised.some((u) => u.name === 'PM_REBOOT'), 'the suite never reboots');
  assert.ok(!r.unexercised.some((u) => u.name === 'RS_SERVICE_FI'), 'the pre-tests use service fi');
});

test('planted misclassifications are reported with handler, field and run; values decide, not stores', () => {
  const r = auditSuite({
    tables: planted(
      // The MFS lookup fix reverted: the classification the oracle once caught.
      { REQ_LOOKUP: 'resolves a path (the reference taken is returned with the vnode)', PM_SIGACTION: 'planted', VFS_LSEEK: 'planted' },
      { SYS_VMCTL: 'planted', SYS_SETALARM: 're-arming the server alarm is harmless: the server recomputes it' },
    ),
  });
  const suite = new Set([...PRETEST_NAMES, ...testNames()]);
  const lookup = contradiction(r, 'REQ_LOOKUP');
  assert.equal(lookup.example.handler, 'mfs: req_lookup (do_lookup)');
  assert.equal(lookup.example.source, 'vfs');
  assert.ok(suite.has(lookup.example.run), lookup.example.run);
  const ref = lookup.example.changes.find((c) => /^inodes\[\d+\]\.count$/.test(c.field));
  assert.ok(ref, `an inode reference count changed: ${JSON.stringify(lookup.example.changes)}`);
  assert.equal(Number(ref.new), Number(ref.old) + 1, 'the lookup took a reference');
  // Lookups that take no reference (a failed one, or VFS already holds the vnode) do not count.
  assert.ok(lookup.changed > 0 && lookup.changed < lookup.compared, `${lookup.changed} of ${lookup.compared}`);

  const sig = contradiction(r, 'PM_SIGACTION');
  assert.equal(sig.example.handler, 'pm: sigaction (do_sigaction)');
  assert.ok(sig.example.changes.some((c) => /^mproc\[\d+\]\.sigHandler\[\d+\]$/.test(c.field)), JSON.stringify(sig.example.changes));

  const vmctl = contradiction(r, 'SYS_VMCTL');
  assert.equal(vmctl.example.receiver, 'kernel');
  assert.equal(vmctl.example.handler, 'kernel: vmctl');
  assert.ok(vmctl.example.changes.some((c) => /^proc\[\d+\] .*\.pt\[\d+\]$/.test(c.field)), JSON.stringify(vmctl.example.changes));
  const alarm = contradiction(r, 'SYS_SETALARM');
  assert.ok(alarm.example.changes.some((c) => /\.alarm$/.test(c.field)), JSON.stringify(alarm.example.changes));

  // An lseek to where the offset already is stores the same value: not a change.
  const seek = contradiction(r, 'VFS_LSEEK');
  assert.ok((r.compared.unchangedStores.VFS_LSEEK ?? 0) > 0, JSON.stringify(r.compared.unchangedStores));
  assert.equal(seek.changed + (r.compared.unchangedStores.VFS_LSEEK ?? 0) <= seek.compared, true);
  // Nothing else is reported: the planted entries are the only wrong ones.
  assert.deepEqual(r.contradictions.map((c) => c.name).sort(), ['PM_SIGACTION', 'REQ_LOOKUP', 'SYS_SETALARM', 'SYS_VMCTL', 'VFS_LSEEK']);
});

test('the audit watches boot: the kernel calls the servers make while they start are compared', () => {
  // No program at all: what is seen is the servers' startup (VM setting up page tables, RS the privileges).
  const r = auditSuite({ tests: [], pretests: false, tables: planted({}, { SYS_VMCTL: 'planted' }) });
  assert.deepEqual(r.programs, { run: 0, passed: 0 });
  const vmctl = contradiction(r, 'SYS_VMCTL');
  assert.equal(vmctl.example.run, 'boot');
  // Named by the kernel call's own method: the servers' kernel calls are watched from their first one.
  assert.equal(vmctl.example.handler, 'kernel: vmctl');
  assert.ok(vmctl.example.changes.some((c) => /^proc\[\d+\] .*\.pt\[\d+\]$/.test(c.field)), JSON.stringify(vmctl.example.changes));
  assert.ok(!r.unexercised.some((u) => u.name === 'SYS_PRIVCTL'), 'RS installs the privileges at boot');
});

/*
 * One process's fsync holds MFS at the disk; meanwhile another's write
 * waits for MFS on a second worker and a third process's stat starts on a
 * third. When MFS answers, the write's worker updates the vnode: that is the
 * write's change, made after the stat's request started.
 */
const interleave = function* (t: T, u: Libc): Co<void> {
  const f = '/tmp/audit_interleave';
  const fd = t.okCall(yield* u.open(f, O_CREAT | O_RDWR, 0o644), 'open');
  t.eq(yield* u.write(fd, 'x'), 1, 'write');
  const go = t.okCall(yield* u.pipe(), 'pipe')!;
  const syncer = yield* u.fork(function* (c: Libc): Co<number> {
    if ((yield* c.readStr(go[0], 1)) !== 's') return 2;
    return (yield* c.fsync(fd)) === 0 ? 0 : 3;
  });
  const writer = yield* u.fork(function* (c: Libc): Co<number> {
    if ((yield* c.readStr(go[0], 1)) !== 'w') return 2;
    for (let i = 0; i < 2; i++) yield* c.compute(1000);
    return (yield* c.pwrite(fd, 'grown by the writer', 1)) === 19 ? 0 : 3;
  });
  t.eq(yield* u.write(go[1], 'sw'), 2, 'start both');
  for (let i = 0; i < 6; i++) yield* u.compute(1000);
  const s = yield* u.stat(f);
  t.ok(s !== null, 'stat');
  for (const pid of [syncer, writer]) t.eq(WEXITSTATUS((yield* u.waitpid(pid))[1]), 0, 'child status');
  t.eq((yield* u.stat(f))!.size, 20, 'the write grew the file');
  for (const d of [fd, go[0], go[1]]) yield* u.close(d);
  t.eq(yield* u.unlink(f), 0, 'unlink');
};

test("VFS's interleaved workers: each change goes to the request whose worker made it", () => {
  const programs = new Map<string, Main>([['audit_interleave', asProgram(interleave)]]);
  // The write planted read-only: its change must be found, and found on the write, not on the stat.
  const obs = new SeepObserver(planted({ VFS_PWRITE: 'planted' }));
  const sim = Sim.boot({ variant: 'ckpt', extraPrograms: programs, trace: true, observer: obs });
  obs.run = 'audit_interleave';
  const booted = sim.traceLines().length;
  const [r] = sim.run(['audit_interleave']);
  assert.ok(r, 'audit_interleave ran');
  assert.equal(r.status, 'pass', r.failure);
  // The stat reached VFS after the write and before the write was answered: the two workers interleaved.
  const lines = sim.traceLines().slice(booted).map((l) => l.text);
  const pw = lines.findIndex((l) => l.endsWith(`-> ${VFS} VFS_PWRITE`));
  const writerEp = lines[pw]?.split(' ')[0];
  const stat = lines.findIndex((l, i) => i > pw && l.endsWith(`-> ${VFS} VFS_STAT`));
  const answered = lines.findIndex((l, i) => i > pw && l.startsWith(`${VFS} -> ${writerEp} `));
  assert.ok(pw >= 0 && stat > pw && answered > stat, `VFS_PWRITE at ${pw}, VFS_STAT at ${stat}, the write answered at ${answered}`);
  assert.ok(lines.slice(stat, answered).some((l) => l.startsWith(`${MFS} -> ${VFS}`)), 'MFS answered VFS in between');
  const pwrite = obs.messages.get(VFS_PWRITE)!;
  assert.equal(pwrite.changed, 1, 'the write changed VFS');
  assert.ok(pwrite.first!.changes.some((c) => /^vnode\[\d+\]\.size$/.test(c.field)), JSON.stringify(pwrite.first!.changes));
  const st = obs.messages.get(VFS_STAT)!;
  assert.ok(st.compared >= 2, 'the stats were compared');
  assert.equal(st.changed, 0, `the stat was not blamed: ${JSON.stringify(st.first)}`);
});

test('the audit only watches: an audited run is the run it would have been', () => {
  const names = [...PRETEST_NAMES, 'proc_uid', 'file_sparse', 'sig_alarm', 'ds_types'];
  const run = (watch: boolean) => {
    // Watched from boot on: boot too must be the boot it would have been.
    const sim = Sim.boot({ variant: 'ckpt', policy: builtin('enhanced'), observer: watch ? new SeepObserver({ messages: MESSAGE_SEEPS, kcalls: KCALL_SEEPS }) : undefined });
    const booted = { hash: sim.traceHash(), reading: sim.reading() };
    const results = sim.run(names);
    return { booted, results, hash: sim.traceHash(), reading: sim.reading(), recoveries: sim.recoveries().length };
  };
  const plain = run(false);
  assert.ok(plain.results.every((r) => r.status === 'pass'));
  assert.deepEqual(run(true), plain);
});

test('the audit only watches a restored run too: a fault, its recovery and the rest of the run are the same', () => {
  const snap = bootSnapshot();
  const block = loadBlockMap('osiris+edfi').blocks.find((b) => b.id === 'pm/getset.ts:do_setuid#0')!;
  const spec: RunSpec = {
    block: block.index, nullPointer: true, policy: builtin('enhanced'), programs: ['proc_uid', 'file_sparse'],
    seed: 'audit', timeBudgetNs: 5e9, messageBudget: 1e6,
  };
  const run = (watch: boolean) => {
    const sim = restoreRun(snap, spec, watch ? new SeepObserver({ messages: MESSAGE_SEEPS, kcalls: KCALL_SEEPS }, { exclude: 'pm' }) : undefined);
    // Counted from the restore, as a campaign's record counts them: the first restore of a process also
    // charges the spare clones' instrumented initialState to the overhead ledger (osiris/recovery.ts spareTemplate).
    const r0 = sim.reading();
    const results = sim.run(spec.programs);
    const r1 = sim.reading();
    const reading = { now: r1.now - r0.now, messages: r1.messages - r0.messages, overheadNs: r1.overheadNs - r0.overheadNs };
    return { results, halt: sim.halt(), hash: sim.traceHash(), reading, fault: sim.faultActivity(), recoveries: sim.recoveries() };
  };
  const plain = run(false);
  assert.ok(plain.fault.activations > 0 && plain.recoveries.length > 0, `the fault fired and PM was recovered: ${JSON.stringify(plain.fault)}`);
  assert.deepEqual(run(true), plain);
});

test("over a campaign's runs: runs on the osiris+edfi build are audited, the faulty server left out", () => {
  const snap = bootSnapshot();
  const spec: RunSpec = {
    block: -1, nullPointer: false, policy: builtin('enhanced'), programs: ['proc_uid', 'file_sparse'],
    seed: 'audit', timeBudgetNs: 5e9, messageBudget: 1e6,
  };
  const task = (key: string, server: string): RunTask => ({ key, mode: 'enhanced', block: '-', server, faultType: '-', variantHash: '-', spec });
  const tables = planted({ REQ_LOOKUP: 'planted' });
  const r = auditRuns(snap, [task('a|x|enhanced', 'pm'), task('b|x|enhanced', 'pm')], { tables });
  assert.deepEqual(r.programs, { run: 2, passed: 2 });
  const lookup = contradiction(r, 'REQ_LOOKUP');
  assert.equal(lookup.example.run, 'a|x|enhanced', 'the run is named by its key');
  assert.ok(lookup.example.changes.some((c) => /^inodes\[\d+\]\.count$/.test(c.field)));
  // With the fault (had there been one) in MFS, MFS's requests are not compared.
  const none = auditRuns(snap, [task('c|x|enhanced', 'mfs')], { tables });
  assert.equal(none.contradictions.find((c) => c.name === 'REQ_LOOKUP'), undefined);
  assert.ok(!none.unexercised.some((u) => u.name === 'REQ_LOOKUP'), 'still exercised');
});

test('osiris-fi seep-audit: exit status and --json', () => {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
  const r = spawnSync(process.execPath, [bin, 'seep-audit', '--tests', 'proc_uid,file_sparse', '--no-pretests', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as AuditReport;
  assert.deepEqual(Object.keys(j).slice(0, 3), ['checked', 'contradictions', 'unexercised']);
  assert.deepEqual(j.contradictions, []);
  assert.ok(j.checked > 10 && j.unexercised.length > 0);
  assert.deepEqual(j.programs, { run: 2, passed: 2 });
  const bad = spawnSync(process.execPath, [bin, 'seep-audit', '--tests', 'no_such_test'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown test: no_such_test/);
});
