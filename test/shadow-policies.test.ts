/*
 * Other policies' windows kept beside a run's own (shadow-policies.ts): fed
 * the same passages and request events, each closes where its policy's own
 * run would close it, and windows that closed at the same passage — and
 * only those — read the same closedAt, which recovery compares (a window
 * closed earlier logged fewer stores, so a rollback would differ).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { Checkpointing } from '../src/osiris/checkpoint';
import { seepHook } from '../src/osiris/seep-hook';
import { ShadowPolicies, withShadows } from '../src/osiris/shadow-policies';
import { RECOVERABLE_SLOTS } from '../src/osiris/checkpoint';
import { BUILTIN_POLICIES } from '../src/osiris/policies';
import { INIT, PM, VM } from '../src/os/proto/endpoints';
import { PM_GETPID, VM_BRK, VM_FORK } from '../src/os/proto/calls';
import type { Msg } from '../src/os/kernel/types';

const k = Sim.boot({ variant: 'osiris' }).world.kernel;
const pessimistic = BUILTIN_POLICIES.pessimistic!, enhanced = BUILTIN_POLICIES.enhanced!;

/** PM handling a request from init under pessimistic, with pessimistic and enhanced kept beside; `sends`: its messages to VM. */
function pmRequest(sends: number[]) {
  const ckpt = new Checkpointing(k, { logging: true });
  const shadows = new ShadowPolicies(k, ckpt.windows, RECOVERABLE_SLOTS, [pessimistic, enhanced]);
  const hook = withShadows(seepHook(ckpt, pessimistic), shadows);
  const sef = shadows.sefHooks();
  const p = k.procs[PM]!;
  const m = { type: PM_GETPID, source: INIT } as Msg;
  ckpt.checkpoint(p, m, true);
  sef.requestStart(p, m, true);
  for (const type of sends) hook(p, 'ipc', VM, type);
  return { own: ckpt.windows, shadows };
}

test('a shadow closes where its policy closes, and reads the passage it closed at', () => {
  // VM_BRK is PROCESS_SPECIFIC (pessimistic closes at it), VM_FORK a GLOBAL_CHANGE (enhanced closes there).
  const { own, shadows } = pmRequest([VM_BRK, VM_FORK]);
  assert.equal(own.open[PM], false);
  assert.equal(own.closedAt[PM], 1);
  const [same, other] = shadows.atCrash(PM, false);
  assert.deepEqual([same!.open, same!.closedAt, same!.info?.closedBy], [false, 1, own.info[PM]!.closedBy], 'the same policy: the same window');
  assert.deepEqual([other!.open, other!.closedAt], [false, 2], 'enhanced closed one passage later: another closedAt');
  assert.equal(other!.info?.processSpecific, true, 'and it saw the PROCESS_SPECIFIC passage with its window open');
});

test('a shadow still open when the run crashes, and one that disagreed, are told apart; crashes clear the shadows', () => {
  const { shadows } = pmRequest([VM_BRK]);
  const [, open] = shadows.atCrash(PM, false);
  assert.deepEqual([open!.open, open!.closedAt], [true, -1], 'enhanced is still open after a PROCESS_SPECIFIC passage');
  shadows.disagree(open!.index);
  assert.deepEqual(shadows.agrees, [true, false]);
  assert.equal(shadows.atCrash(PM, false).length, 1, 'a shadow that disagreed is judged no more');
  assert.equal(shadows.atCrash(PM, false)[0]!.info, null, 'recovery cleared the window');
});

test('an undo log that fills up closes the run\'s window after the passage, not at it', () => {
  const { own } = pmRequest([]);
  own.clock.n = 7;
  own.overflow(PM);
  assert.equal(own.closedAt[PM], 7.5);
  own.close(PM, 'later');
  assert.equal(own.closedAt[PM], 7.5, 'the first close stands');
});
