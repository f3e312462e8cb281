/*
 * Recovery scenarios end to end (DESIGN §4, the paper §III-C/§IV-C): one
 * armed fault in the osiris+edfi build, one policy, real programs, and the
 * run's observed story — the recovery record (window, decision, action),
 * the errno a program sees, the halt, the oracle's verdict.
 *
 * Blocks are found by what their code does (the source line that starts
 * them), not by a hard-coded index, so edits elsewhere do not move them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootSnapshot, runOne, RunResult } from '../src/experiment/run-one';
import { loadBlockMap } from '../src/sim/variants';
import type { BlockInfo } from '../src/edfi/block-map';
import { Policy, parsePolicy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';
import type { RecoveryRecord } from '../src/osiris/recovery';
import type { Snapshot } from '../src/sim/sim';
import { testNames } from '../src/sim/programs';
import { PRETEST_NAMES } from '../src/os/workload/pretests';
import { asProgram, T, TestBody } from '../src/os/workload/test-api';
import { Libc } from '../src/os/libc/libc';
import { Main } from '../src/os/libc/core';
import { Co } from '../src/os/kernel/types';
import { ECRASH, ENOENT, ESRCH } from '../src/os/proto/errno';
import { O_CREAT, O_RDWR } from '../src/os/proto/fs';
import { DSF_TYPE_U32 } from '../src/os/proto/ds';
import { INIT, PM } from '../src/os/proto/endpoints';
import { SIGKILL, SIGUSR1, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../src/os/proto/signals';

/** The programs this file adds to /bin (installed at boot: see bootSnapshot). */
const EXTRA: Record<string, () => TestBody> = {
  rcv_setuid: () => rcvSetuid,
  rcv_publish: () => rcvPublish,
  rcv_lookup: () => rcvLookup,
  rcv_selfkill: () => rcvSelfKill,
  rcv_killother: () => rcvKillOther,
};
let extraMap: Map<string, Main> | null = null;
let extraSnap: Snapshot | null = null;
let plainSnap: Snapshot | null = null;
const BLOCKS = loadBlockMap('osiris+edfi').blocks;
const SERVERS_SRC = path.resolve(__dirname, '..', '..', 'src', 'os', 'servers');
const [stateless, naive, pessimistic, enhanced, optimistic] = [builtin('stateless'), builtin('naive'), builtin('pessimistic'), builtin('enhanced'), builtin('optimistic')];

/* ---- finding blocks ---- */

const sources = new Map<string, string[]>();

function sourceLines(server: string, file: string): string[] {
  const key = `${server}/${file}`;
  let lines = sources.get(key);
  if (!lines) { lines = fs.readFileSync(path.join(SERVERS_SRC, server, file), 'utf8').split('\n'); sources.set(key, lines); }
  return lines;
}

/** The straight-line block of `fn` whose first line matches `re` (exactly one must). */
function blockAt(server: string, file: string, fn: string, re: RegExp): BlockInfo {
  const lines = sourceLines(server, file);
  const hits = BLOCKS.filter((x) => x.server === server && x.file === file && x.function === fn && x.kind === 'run' && re.test(lines[x.line - 1] ?? ''));
  assert.equal(new Set(hits.map((b) => b.line)).size, 1, `exactly one block of ${server}/${file}:${fn} starts at a line matching ${re}`);
  const b = hits[0]!;
  assert.equal(b.excluded, undefined, `${b.id} takes faults`);
  return b;
}

/** A block looked up when a test first needs it (a missing block fails that test, not the file). */
function lazy(find: () => BlockInfo): () => BlockInfo {
  let b: BlockInfo | null = null;
  return () => (b ??= find());
}

/* ---- running ---- */

interface Opts {
  /** Fail-stop (default) or the block's compiled EDFI fault. */
  nullPointer?: boolean;
  /** Run on the campaigns' own snapshot, without this file's programs in /bin. */
  plain?: boolean;
}

function run(block: BlockInfo | null, policy: Policy, programs: string[], o: Opts = {}): RunResult {
  let snap: Snapshot;
  let extraPrograms: Map<string, Main> | undefined;
  if (o.plain) snap = plainSnap ??= bootSnapshot();
  else {
    extraMap ??= new Map(Object.entries(EXTRA).map(([name, body]) => [name, asProgram(body())]));
    snap = extraSnap ??= bootSnapshot(extraMap);
    extraPrograms = extraMap;
  }
  return runOne(snap, {
    block: block ? block.index : -1, nullPointer: o.nullPointer ?? true, policy, programs, seed: 'recovery-scenarios',
    timeBudgetNs: 2e9, messageBudget: 500_000, extraPrograms,
  });
}

/** The record's fields that identify a recovery (time and counts aside). */
function story(r: RecoveryRecord): Partial<RecoveryRecord> {
  return { server: r.server, reason: r.reason, windowOpen: r.windowOpen, closedBy: r.closedBy, request: r.request, replyable: r.replyable, decision: r.decision, action: r.action };
}

/** The run's i-th recovery record (the test fails if there were not that many). */
function recovery(r: RunResult, i = 0): RecoveryRecord {
  const rec = r.recoveries[i];
  assert.ok(rec, `recovery ${i} happened (the run had ${r.recoveries.length})`);
  return rec;
}

function statuses(r: RunResult): string[] {
  return r.programs.map((p) => `${p.name}:${p.status}`);
}

/** fork + wait still work after a recovery: PM, VM and VFS cooperate. */
function* processesWork(t: T, u: Libc): Co<void> {
  const pid = yield* u.fork(function* (): Co<number> { return 9; });
  t.ok(pid > 0, 'fork after recovery');
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, 'waitpid after recovery');
  t.ok(WIFEXITED(status) && WEXITSTATUS(status) === 9, 'child exit status after recovery');
}

/* ---- 1. a fail-stop fault in PM inside the window ---- */

// do_setuid changes the caller's three uids, then tells VFS: the fault hits in between.
const setuidTellVfs = lazy(() => blockAt('pm', 'getset.ts', 'tellVfsUid', /yield sendrec\(VFS, \{ type: VFS_PM_SETUID/));

const rcvSetuid: TestBody = function* (t, u) {
  t.eq(yield* u.getuid(), 0, 'runs as root');
  t.err(yield* u.setuid(4242), ECRASH, 'PM crashed in setuid: recovery answers ECRASH');
  t.eq(yield* u.getuid(), 0, 'rollback undid the real uid set before the crash');
  t.eq(yield* u.geteuid(), 0, 'and the effective uid');
  t.ok((yield* u.getpid()) > 1, 'PM answers getpid');
  yield* processesWork(t, u);
  const fd = t.okCall(yield* u.open('/tmp/rcv_setuid.f', O_CREAT | O_RDWR, 0o644), 'open');
  t.eq((yield* u.fstat(fd))?.uid, 0, 'VFS never heard of uid 4242');
  t.eq(yield* u.close(fd), 0, 'close');
  t.eq(yield* u.unlink('/tmp/rcv_setuid.f'), 0, 'unlink');
};

for (const policy of [enhanced, pessimistic]) {
  test(`1. PM crashes inside the window (setuid, before telling VFS): ${policy.name} rolls back and replies ECRASH; the run goes on`, () => {
    const r = run(setuidTellVfs(), policy, ['rcv_setuid', 'proc_fork_wait']);
    assert.equal(r.activations, 1);
    assert.equal(r.recoveries.length, 1);
    const rec = recovery(r);
    assert.deepEqual(story(rec), {
      server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'PM_SETUID', replyable: true, decision: 'IDEMPOTENT', action: 'reply',
    });
    assert.ok(rec.rolledBack >= 3, `the three uid stores are undone (${rec.rolledBack} entries)`);
    assert.deepEqual(statuses(r), ['rcv_setuid:pass', 'proc_fork_wait:pass']);
    assert.equal(r.halt, null);
    assert.deepEqual(r.oracle, { checked: true, violations: [] });
    assert.deepEqual([r.outcome, r.detail], ['pass', 'pass']);
  });
}

test('1. stateless restarts PM fresh and never replies: the requester waits forever', () => {
  const r = run(setuidTellVfs(), stateless, ['rcv_setuid', 'proc_fork_wait']);
  assert.deepEqual(story(recovery(r)), {
    server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'PM_SETUID', replyable: true, decision: 'IDEMPOTENT', action: 'no-reply',
  });
  assert.equal(recovery(r).rolledBack, 0);
  assert.deepEqual([r.outcome, r.detail], ['crash', 'deadlock']);
  assert.match(r.halt!.reason, /rcv_setuid waiting for pm/);
});

/* ---- 2. a fault after a state-modifying SEEP ---- */

// do_fork: VM has created the child (VM_FORK) when PM's fault hits.
const forkAfterVmFork = lazy(() => blockAt('pm', 'forkexit.ts', 'do_fork', /const parent = st\.mproc\[ps\]!?;/));
// exitProc: VFS has closed the process's files (VFS_PM_EXIT) when PM's fault hits.
const exitAfterVfsExit = lazy(() => blockAt('pm', 'forkexit.ts', 'exitProc', /const t = ctx\.sys\.times\(ep\);/));

for (const policy of [pessimistic, enhanced]) {
  test(`2. PM crashes after VM_FORK: ${policy.name} shuts down (the window closed at VM_FORK)`, () => {
    const r = run(forkAfterVmFork(), policy, ['proc_ids', 'proc_pgrp']);
    assert.equal(r.recoveries.length, 1);
    assert.deepEqual(story(recovery(r)), {
      server: 'pm', reason: 'exception', windowOpen: false, closedBy: 'VM_FORK (GLOBAL_CHANGE)', request: 'PM_FORK', replyable: true, decision: 'window closed', action: 'shutdown',
    });
    assert.equal(recovery(r).requester, INIT, 'init, forking the first program, is the requester');
    assert.deepEqual(r.halt, { kind: 'shutdown', reason: 'controlled shutdown: pm crashed after VM_FORK (GLOBAL_CHANGE)' });
    assert.deepEqual([r.outcome, r.detail], ['shutdown', 'shutdown']);
    assert.deepEqual(statuses(r), ['proc_ids:incomplete', 'proc_pgrp:incomplete']);
    assert.equal(r.oracle.checked, false);
  });

  test(`2. PM crashes after VFS_PM_EXIT: ${policy.name} shuts down`, () => {
    const r = run(exitAfterVfsExit(), policy, ['proc_ids']);
    assert.deepEqual(story(recovery(r)), {
      server: 'pm', reason: 'exception', windowOpen: false, closedBy: 'VFS_PM_EXIT (GLOBAL_CHANGE)', request: 'PM_EXIT', replyable: true, decision: 'window closed', action: 'shutdown',
    });
    assert.deepEqual([r.outcome, r.detail], ['shutdown', 'shutdown']);
  });
}

test('2. naive rolls PM back after VM_FORK and never replies: the forking init waits forever', () => {
  const r = run(forkAfterVmFork(), naive, ['proc_ids', 'proc_pgrp']);
  assert.deepEqual(story(recovery(r)), {
    server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'PM_FORK', replyable: true, decision: 'IDEMPOTENT', action: 'no-reply',
  });
  assert.equal(r.halt?.kind, 'deadlock');
  assert.match(r.halt!.reason, /init waiting for pm/);
  assert.deepEqual([r.outcome, r.detail], ['crash', 'deadlock']);
  assert.deepEqual(statuses(r), ['proc_ids:incomplete', 'proc_pgrp:incomplete']);
});

test('2. naive after VFS_PM_EXIT: the exit never completes, the parent waits forever', () => {
  const r = run(exitAfterVfsExit(), naive, ['proc_ids']);
  assert.equal(recovery(r).action, 'no-reply');
  assert.ok(['deadlock', 'timeout'].includes(r.detail), r.detail);
  assert.equal(r.outcome, 'crash');
});

test('2. stateless after VM_FORK: the fresh PM never replies', () => {
  const r = run(forkAfterVmFork(), stateless, ['proc_ids']);
  assert.deepEqual(story(recovery(r)), {
    server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'PM_FORK', replyable: true, decision: 'IDEMPOTENT', action: 'no-reply',
  });
  assert.deepEqual([r.outcome, r.detail], ['crash', 'deadlock']);
});

test('2. stateless after VFS_PM_EXIT of a signal death: the fresh PM no longer knows the processes', () => {
  // mem_segv's child faults: the kernel tells PM (a notification, nothing to reply to), PM crashes in exitProc.
  const r = run(exitAfterVfsExit(), stateless, ['mem_segv']);
  assert.deepEqual(r.recoveries.map(story), [
    { server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'NOTIFY_MESSAGE', replyable: false, decision: 'not replyable', action: 'no-reply' },
    // The parent's next request comes from a process the boot-time PM never saw.
    { server: 'pm', reason: 'panic', windowOpen: true, closedBy: null, request: 'PM_WAITPID', replyable: true, decision: 'IDEMPOTENT', action: 'no-reply' },
  ]);
  assert.deepEqual([r.outcome, r.detail], ['crash', 'deadlock']);
});

/* ---- 3. a fault after only non-state-modifying SEEPs ---- */

// do_publish has read the key (SYS_SAFECOPYFROM: IDEMPOTENT) and allocated a table slot; the value is stored next.
const publishStore = lazy(() => blockAt('ds', 'store.ts', 'do_publish', /^\s*storeValue\(st\.keys\[target\]/));

const rcvPublish: TestBody = function* (t, u) {
  t.err(yield* u.dsPublishU32('rcv.publish', 7), ECRASH, 'DS crashed in publish: recovery answers ECRASH');
  t.err(yield* u.dsRetrieve('rcv.publish', DSF_TYPE_U32), ENOENT, 'rollback freed the slot allocated before the crash');
  t.err(yield* u.dsPublishU32('rcv.publish', 8), ECRASH, 'the fault is persistent; DS survives it again');
  t.err(yield* u.dsDelete('rcv.publish', DSF_TYPE_U32), ENOENT, 'DS answers other requests');
  yield* processesWork(t, u);
};

test('3. DS crashes after a read-only safecopy: enhanced keeps the window open, rolls back and replies ECRASH', () => {
  const r = run(publishStore(), enhanced, ['rcv_publish', 'proc_ids']);
  assert.equal(r.activations, 2);
  assert.equal(r.recoveries.length, 2);
  for (const rec of r.recoveries) {
    assert.deepEqual(story(rec), {
      server: 'ds', reason: 'exception', windowOpen: true, closedBy: null, request: 'DS_PUBLISH', replyable: true, decision: 'IDEMPOTENT', action: 'reply',
    });
    assert.ok(rec.rolledBack > 0, 'the slot allocation is undone');
  }
  assert.deepEqual(statuses(r), ['rcv_publish:pass', 'proc_ids:pass']);
  assert.deepEqual(r.oracle, { checked: true, violations: [] });
  assert.equal(r.outcome, 'pass');
});

test('3. the same fault under pessimistic: the safecopy closed the window, controlled shutdown', () => {
  const r = run(publishStore(), pessimistic, ['rcv_publish', 'proc_ids']);
  assert.equal(r.recoveries.length, 1);
  assert.deepEqual(story(recovery(r)), {
    server: 'ds', reason: 'exception', windowOpen: false, closedBy: 'SYS_SAFECOPYFROM (IDEMPOTENT)', request: 'DS_PUBLISH', replyable: true, decision: 'window closed', action: 'shutdown',
  });
  assert.equal(recovery(r).rolledBack, 0, 'logging stopped when the window closed');
  assert.deepEqual(r.halt, { kind: 'shutdown', reason: 'controlled shutdown: ds crashed after SYS_SAFECOPYFROM (IDEMPOTENT)' });
  assert.deepEqual([r.outcome, r.detail], ['shutdown', 'shutdown']);
});

/* ---- 3b. a PROCESS_SPECIFIC passage: the requester is killed ---- */

// sigProc has made the kernel run a handler in the target (SYS_SIGSEND) when the fault hits.
const afterSigsend = lazy(() => blockAt('pm', 'signal.ts', 'sigProc', /^\s*rmp\.sigPending = \(rmp\.sigPending & ~bit\) >>> 0;/));

const rcvSelfKill: TestBody = function* (t, u) {
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    t.eq(yield* c.signal(SIGUSR1, function* () { /* caught */ }), 0, 'handler installed');
    yield* c.kill(yield* c.getpid(), SIGUSR1);
    return 0;
  });
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, 'the child is reaped');
  t.ok(WIFSIGNALED(status) && WTERMSIG(status) === SIGKILL, `the child, which signalled itself, was killed (status ${status})`);
  yield* processesWork(t, u);
};

const rcvKillOther: TestBody = function* (t, u) {
  const fds = yield* u.pipe();
  t.ok(fds !== null, 'pipe');
  const [rfd, wfd] = fds!;
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    yield* c.signal(SIGUSR1, function* () { /* caught */ });
    yield* c.close(rfd);
    yield* c.write(wfd, 'r');
    yield* c.pause();
    return 0;
  });
  yield* u.close(wfd);
  t.eq(yield* u.readStr(rfd, 1), 'r', 'the child is ready');
  yield* u.kill(pid, SIGUSR1);
  t.fail('not reached: PM crashes in the kill');
};

test('3b. enhanced: a crash after SYS_SIGSEND to the requester itself kills the requester', () => {
  const r = run(afterSigsend(), enhanced, ['rcv_selfkill', 'proc_ids']);
  assert.deepEqual(r.recoveries.map(story), [{
    server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'PM_KILL', replyable: true, decision: 'PROCESS_SPECIFIC', action: 'kill-requester',
  }]);
  assert.deepEqual(statuses(r), ['rcv_selfkill:pass', 'proc_ids:pass']);
  assert.deepEqual(r.oracle, { checked: true, violations: [] });
});

test('3b. a SYS_SIGSEND to another process is a global change: enhanced shuts down instead of killing the requester', () => {
  const r = run(afterSigsend(), enhanced, ['rcv_killother']);
  assert.equal(r.recoveries.length, 1);
  const rec = recovery(r);
  assert.deepEqual([rec.request, rec.windowOpen, rec.decision, rec.action], ['PM_KILL', false, 'window closed', 'shutdown']);
  assert.match(rec.closedBy ?? '', /^SYS_SIGSEND on .* \(GLOBAL_CHANGE\)$/);
  assert.deepEqual([r.outcome, r.detail], ['shutdown', 'shutdown']);
});

test('3b. pessimistic: SYS_SIGSEND closed the window, controlled shutdown', () => {
  const r = run(afterSigsend(), pessimistic, ['rcv_selfkill']);
  assert.deepEqual(story(recovery(r)), {
    server: 'pm', reason: 'exception', windowOpen: false, closedBy: 'SYS_SIGSEND (PROCESS_SPECIFIC)', request: 'PM_KILL', replyable: true, decision: 'window closed', action: 'shutdown',
  });
  assert.equal(r.outcome, 'shutdown');
});

/* ---- 4. a hang ---- */

// VFS's exit handler: its descriptor loop, compiled with a stuck-at-loop fault, never ends.
const exitLoop = BLOCKS.find((b) => b.server === 'vfs' && b.file === 'pm-calls.ts' && b.function === 'pm_exit' && b.kind === 'loop');

test('4. a hang is detected and recovered like a crash', () => {
  assert.ok(exitLoop, 'VFS pm_exit has a loop block');
  assert.equal(exitLoop.fault?.type, 'stuck-at-loop');
  const hang = run(exitLoop, enhanced, ['proc_ids'], { nullPointer: false });
  const crash = run(exitLoop, enhanced, ['proc_ids'], { nullPointer: true });
  assert.ok(hang.activations > 1000, `the loop spun (${hang.activations} iterations)`);
  const vfsHang = { server: 'vfs', windowOpen: true, closedBy: null, request: 'VFS_PM_EXIT', replyable: true, decision: 'IDEMPOTENT', action: 'reply' };
  assert.deepEqual(story(recovery(hang)), { ...vfsHang, reason: 'hang' });
  assert.equal(recovery(hang).requester, PM, 'PM, the requester, gets the ECRASH reply');
  // A crash at the same place is recovered the same way; only the reason differs.
  assert.deepEqual(story(recovery(crash)), { ...vfsHang, reason: 'exception' });
  // PM cannot complete an exit VFS failed: it panics after VFS_PM_EXIT closed its window, and both runs shut down alike.
  const pmPanic = { server: 'pm', reason: 'panic', windowOpen: false, closedBy: 'VFS_PM_EXIT (GLOBAL_CHANGE)', request: 'PM_EXIT', replyable: true, decision: 'window closed', action: 'shutdown' };
  assert.deepEqual(hang.recoveries.slice(1).map(story), [pmPanic]);
  assert.deepEqual(crash.recoveries.slice(1).map(story), [pmPanic]);
  assert.deepEqual([hang.outcome, crash.outcome], ['shutdown', 'shutdown']);
});

test('4. naive recovers the hung VFS but never replies: PM waits forever', () => {
  assert.ok(exitLoop);
  const r = run(exitLoop, naive, ['proc_ids'], { nullPointer: false });
  assert.deepEqual(story(recovery(r)), {
    server: 'vfs', reason: 'hang', windowOpen: true, closedBy: null, request: 'VFS_PM_EXIT', replyable: true, decision: 'IDEMPOTENT', action: 'no-reply',
  });
  assert.equal(recovery(r).requester, PM);
  assert.deepEqual([r.outcome, r.detail], ['crash', 'deadlock']);
});

/* ---- 5. RS itself ---- */

for (const policy of [enhanced, pessimistic]) {
  test(`5. a crash of RS is recovered (pre_rs, ${policy.name})`, () => {
    const r = run(null, policy, ['pre_rs'], { plain: true });
    assert.deepEqual(r.recoveries.map(story), [
      { server: 'rs', reason: 'exception', windowOpen: true, closedBy: null, request: 'RS_LOOKUP', replyable: true, decision: 'IDEMPOTENT', action: 'reply' },
    ]);
    assert.deepEqual(statuses(r), ['pre_rs:pass']);
    assert.deepEqual(r.oracle, { checked: true, violations: [] });
  });
}

// do_lookup's success path: the label was found.
const lookupFound = lazy(() => blockAt('rs', 'service.ts', 'do_lookup', /return \{ type: ctx\.st\.services\[slot\]!?\.endpoint \};/));

const rcvLookup: TestBody = function* (t, u) {
  t.err(yield* u.serviceLookup('vfs'), ECRASH, 'RS crashed in a lookup: recovery answers ECRASH');
  t.err(yield* u.serviceLookup('no-such-service'), ESRCH, 'the recovered RS answers (its error path is not faulty)');
  t.eq(yield* u.serviceFi('vfs'), 0, 'RS still arms faults in other services');
  t.err(yield* u.access('/', 0), ECRASH, 'and recovers them');
  yield* processesWork(t, u);
};

test('5. a fault in an RS handler (RS_LOOKUP) is recovered by the kernel, and RS then recovers others', () => {
  const r = run(lookupFound(), enhanced, ['rcv_lookup', 'proc_ids']);
  assert.equal(r.activations, 1);
  assert.deepEqual(r.recoveries.map(story), [
    { server: 'rs', reason: 'exception', windowOpen: true, closedBy: null, request: 'RS_LOOKUP', replyable: true, decision: 'IDEMPOTENT', action: 'reply' },
    { server: 'vfs', reason: 'exception', windowOpen: true, closedBy: null, request: 'VFS_ACCESS', replyable: true, decision: 'IDEMPOTENT', action: 'reply' },
  ]);
  assert.deepEqual(statuses(r), ['rcv_lookup:pass', 'proc_ids:pass']);
  assert.deepEqual(r.oracle, { checked: true, violations: [] });
  assert.equal(r.outcome, 'pass');
});

test('5. naive leaves the RS lookup unanswered', () => {
  const r = run(lookupFound(), naive, ['rcv_lookup']);
  assert.equal(recovery(r).action, 'no-reply');
  assert.match(r.halt!.reason, /rcv_lookup waiting for rs/);
  assert.deepEqual([r.outcome, r.detail], ['crash', 'deadlock']);
});

/* ---- 6. unsafe recovery, caught by the oracle ---- */

function assertPmForgotChild(r: RunResult): void {
  assert.equal(r.oracle.checked, true, 'the run reached the oracle');
  const inv = r.oracle.violations.map((v) => v.invariant);
  // VM and the kernel made the child; PM rolled it back and VFS never heard of it.
  assert.deepEqual(inv, ['processes: kernel = PM', 'processes: kernel = VFS']);
  assert.match(r.oracle.violations[0]!.detail, /^PM lacks \[\d+\], has extra \[\]$/);
}

test('6. optimistic rolls PM back after VM_FORK and replies: the oracle sees a process PM does not know', () => {
  const r = run(forkAfterVmFork(), optimistic, ['proc_ids', 'proc_pgrp']);
  assert.deepEqual(story(recovery(r)), {
    server: 'pm', reason: 'exception', windowOpen: true, closedBy: null, request: 'PM_FORK', replyable: true, decision: 'IDEMPOTENT', action: 'reply',
  });
  assertPmForgotChild(r);
  // Init's forks fail from then on (VM still holds the slot PM thinks is free): the programs never run.
  assert.deepEqual(statuses(r), ['proc_ids:fail', 'proc_pgrp:fail']);
  assert.equal(r.outcome, 'fail');
});

test('6. a user policy that rolls back and replies but never shuts down is just as unsafe', () => {
  const reckless = parsePolicy({
    name: 'reckless', stateTransfer: true, rollback: true, closeOn: [], replyOnRecovery: true, shutdownOutsideWindow: false,
  }, 'recovery-scenarios');
  const r = run(forkAfterVmFork(), reckless, ['proc_ids']);
  assert.equal(recovery(r).action, 'reply');
  assertPmForgotChild(r);
});

/* ---- 7. no fault: pre-tests, then the whole suite ---- */

for (const policy of [pessimistic, enhanced]) {
  test(`7. ${policy.name}: the pre-tests recover each server, then the whole suite passes with a clean oracle`, () => {
    const suite = testNames();
    const r = run(null, policy, [...PRETEST_NAMES, ...suite], { plain: true });
    assert.equal(r.activations, 0);
    assert.deepEqual(r.recoveries.map((x) => `${x.server}:${x.request}:${x.windowOpen}:${x.action}`), [
      'pm:PM_GETPGRP:true:reply', 'vm:VM_BRK:true:reply', 'vfs:VFS_ACCESS:true:reply', 'ds:DS_PUBLISH:true:reply', 'rs:RS_LOOKUP:true:reply',
    ]);
    assert.deepEqual(r.programs.filter((p) => p.status !== 'pass').map((p) => `${p.name}: ${p.failure}`), []);
    assert.equal(r.programs.length, PRETEST_NAMES.length + suite.length);
    assert.deepEqual(r.oracle, { checked: true, violations: [] });
    assert.deepEqual([r.outcome, r.detail, r.halt, r.error], ['pass', 'pass', null, null]);
  });
}

test('a run is a pure function of its spec', () => {
  const a = run(publishStore(), enhanced, ['rcv_publish']);
  const b = run(publishStore(), enhanced, ['rcv_publish']);
  assert.deepEqual(a, b);
});
