/*
 * The end of a request: a crash after the requester got its reply and
 * before the server's next receive. The fault sits in DS's own copy of the
 * SEF loop (the block that ends the request), so it fires right after each
 * reply (DS: only the test program and PM's exit notice ask it anything). Recovery must neither roll the answered request back nor answer
 * it a second time; pessimistic and enhanced treat the crash as outside
 * the window (the reply closed it) and shut down.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootSnapshot, runOne, RunResult } from '../src/experiment/run-one';
import { loadBlockMap } from '../src/sim/variants';
import type { BlockInfo } from '../src/instrument/blocks';
import { Policy, parsePolicy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';
import type { Snapshot } from '../src/sim/sim';
import { asProgram, TestBody } from '../src/os/workload/test-api';
import type { Main } from '../src/os/libc/core';
import { DSF_TYPE_U32 } from '../src/os/proto/ds';

const LOOP_SRC = fs.readFileSync(path.resolve(__dirname, '..', '..', 'src', 'os', 'sef', 'loop.ts'), 'utf8').split('\n');

/** DS's copy of the block of the SEF loop that starts at the requestEnd hook. */
function requestEndBlock(): BlockInfo {
  const hits = loadBlockMap('osiris+edfi').blocks.filter((b) => b.server === 'ds' && b.shared && b.file === 'sef/loop.ts' &&
    b.function === 'requestLoop' && /env\.hooks\(\)\.requestEnd/.test(LOOP_SRC[b.line - 1] ?? ''));
  assert.equal(hits.length, 1, 'one block of ds:sef/loop.ts:requestLoop starts at requestEnd');
  const b = hits[0]!;
  assert.ok(b.id.startsWith('ds:sef/loop.ts:requestLoop#'), b.id);
  return b;
}

const publishThenAsk: TestBody = function* (t, u) {
  t.eq(yield* u.dsPublishU32('rcv.end', 7), 0, 'publish is answered once, with its own result');
  t.eq((yield* u.dsRetrieve('rcv.end', DSF_TYPE_U32))?.u32, 7, 'the answered publish was not rolled back');
};

let snap: Snapshot | null = null;
let extra: Map<string, Main> | null = null;

function run(policy: Policy): RunResult {
  extra ??= new Map([['rcv_reply_end', asProgram(publishThenAsk)]]);
  snap ??= bootSnapshot(extra);
  return runOne(snap, {
    block: requestEndBlock().index, nullPointer: true, policy, programs: ['rcv_reply_end'], seed: 'reply-end',
    timeBudgetNs: 2e9, messageBudget: 200_000, extraPrograms: extra,
  });
}

for (const policy of [builtin('pessimistic'), builtin('enhanced'), builtin('enhanced-prototype')]) {
  test(`${policy.name}: a crash after the reply is outside the window: shutdown, nothing rolled back, no second reply`, () => {
    const r = run(policy);
    assert.equal(r.recoveries.length, 1);
    const rec = r.recoveries[0]!;
    assert.equal(rec.server, 'ds');
    assert.equal(rec.request, 'DS_PUBLISH');
    assert.equal(rec.decision, 'replied');
    assert.equal(rec.windowOpen, false, 'the reply closed the window');
    if (policy.name === 'enhanced') assert.equal(rec.closedBy, 'the reply (GLOBAL_CHANGE)', 'enhanced keeps the window open up to the reply');
    assert.equal(rec.rolledBack, 0);
    assert.equal(rec.action, 'shutdown');
    assert.equal(r.halt?.kind, 'shutdown');
    assert.match(r.halt!.reason, /ds crashed after its reply/);
  });
}

test('a policy that carries on: every request answered once with its result, none rolled back', () => {
  // Never closes the window, replies on recovery, never shuts down: without the end-of-request rule it would roll back and reply again.
  const carryOn = parsePolicy({
    name: 'carry-on', stateTransfer: true, rollback: true, closeOn: [], replyOnRecovery: true, shutdownOutsideWindow: false,
  }, 'test');
  const r = run(carryOn);
  assert.ok(r.recoveries.length >= 2, `DS crashed after each of its requests (${r.recoveries.length})`);
  for (const rec of r.recoveries) {
    assert.equal(rec.decision, 'replied');
    assert.equal(rec.rolledBack, 0, 'an answered request is not rolled back');
    assert.equal(rec.action, 'no-reply', 'and not answered again');
  }
  assert.deepEqual(r.programs.map((p) => `${p.name}:${p.status}`), ['rcv_reply_end:pass']);
  assert.equal(r.halt, null);
});

test('naive too keeps an answered request', () => {
  const r = run(builtin('naive'));
  assert.ok(r.recoveries.length >= 2);
  assert.ok(r.recoveries.every((x) => x.rolledBack === 0 && x.action === 'no-reply'));
  assert.deepEqual(r.programs.map((p) => `${p.name}:${p.status}`), ['rcv_reply_end:pass']);
});
