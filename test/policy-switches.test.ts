/*
 * The policies' window switches at run time, both ways: a fault in PM's
 * fork after it asked VM for the child (VM_FORK). Pessimistic closes the
 * window at VM_FORK and shuts down; the same policy with VM_FORK listed
 * as an idempotent site (as enhanced-prototype lists its four callers'
 * requests) keeps it open and answers ECRASH. And the pessimistic window
 * closes at SYS_GETINFO unless the policy exempts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootSnapshot, runOne } from '../src/experiment/run-one';
import { loadBlockMap } from '../src/sim/variants';
import { Policy, parsePolicy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';
import { Sim } from '../src/sim/sim';
import { Checkpointing } from '../src/osiris/checkpoint';
import { seepHook } from '../src/osiris/seep-hook';
import { PM } from '../src/os/proto/endpoints';
import { SYS_GETINFO } from '../src/os/proto/kcalls';

const FORKEXIT = fs.readFileSync(path.resolve(__dirname, '..', '..', 'src', 'os', 'servers', 'pm', 'forkexit.ts'), 'utf8').split('\n');
const snap = bootSnapshot();

function forkAfterVmFork() {
  const hits = loadBlockMap('osiris+edfi').blocks.filter((b) => b.server === 'pm' && !b.shared && b.file === 'forkexit.ts' && b.function === 'do_fork' &&
    b.kind === 'run' && /const parent = st\.mproc\[ps\]!?;/.test(FORKEXIT[b.line - 1] ?? ''));
  assert.equal(hits.length, 1);
  return hits[0]!;
}

function run(policy: Policy) {
  return runOne(snap, { block: forkAfterVmFork().index, nullPointer: true, policy, programs: ['proc_ids'], seed: 's', timeBudgetNs: 2e9, messageBudget: 200_000 });
}

test('idempotentSites: off, VM_FORK closes the window (shutdown); on, it stays open (ECRASH reply)', () => {
  const off = run(builtin('pessimistic')).recoveries[0];
  assert.ok(off, 'pessimistic recovers');
  assert.deepEqual([off.windowOpen, off.closedBy, off.action], [false, 'VM_FORK (GLOBAL_CHANGE)', 'shutdown']);
  const open = parsePolicy({ ...builtin('pessimistic'), name: 'pessimistic+vm-fork', idempotentSites: ['VM_FORK'] }, 'test');
  const on = run(open).recoveries[0];
  assert.ok(on, 'pessimistic+vm-fork recovers');
  assert.deepEqual([on.windowOpen, on.closedBy, on.request, on.action], [true, null, 'PM_FORK', 'reply']);
  // enhanced-prototype's own list does not name VM_FORK: it closes there like pessimistic.
  const ep = run(builtin('enhanced-prototype')).recoveries[0];
  assert.ok(ep, 'enhanced-prototype recovers');
  assert.deepEqual([ep.windowOpen, ep.action], [false, 'shutdown']);
});

test('exemptKcalls: SYS_GETINFO closes the pessimistic window, unless the policy exempts it', () => {
  const closedAfter = (policy: Policy) => {
    // The mechanism alone: checkpointing and the SEEP hook of the policy, on a booted kernel.
    const k = Sim.boot({ variant: 'osiris' }).world.kernel;
    const ckpt = new Checkpointing(k, { logging: true });
    const p = k.procs[PM]!;
    ckpt.checkpoint(p, { type: 0, source: 0 } as never, true);
    seepHook(ckpt, policy)(p, 'kcall', 0, SYS_GETINFO);
    return ckpt.windows.open[PM];
  };
  assert.equal(closedAfter(builtin('pessimistic')), false);
  assert.equal(closedAfter(parsePolicy({ ...builtin('pessimistic'), name: 'pg', exemptKcalls: ['SYS_GETINFO'] }, 'test')), true);
});
