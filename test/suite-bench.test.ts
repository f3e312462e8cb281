/*
 * npm run bench: the bare baseline moves whole request-reply pairs of
 * copied messages (the checksum sees each reply's fields and the source
 * the copy stamped), and one bench round reports the suite's run, the
 * baseline and their ratio coherently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bareMessages } from '../src/perf/bare-baseline';
import { BARE_MESSAGES, main, runBench } from '../src/perf/suite-bench';

/** What the client must have received: per round i, the server's answer nbytes + fd, from source 1 (the server). */
function expectedChecksum(rounds: number): number {
  let sum = 0;
  for (let i = 0; i < rounds; i++) sum = (sum + (i & 1023) + 4 + 1) | 0;
  return sum;
}

test('the bare baseline exchanges request-reply pairs, each message copied with its sender stamped', () => {
  assert.deepEqual(bareMessages(10), { messages: 10, checksum: expectedChecksum(5) });
  assert.deepEqual(bareMessages(7), { messages: 8, checksum: expectedChecksum(4) }, 'rounded up to whole pairs');
  assert.deepEqual(bareMessages(5000), { messages: 5000, checksum: expectedChecksum(2500) });
});

test('one bench round: the suite run, the bare baseline and their ratio', () => {
  const r = runBench(1);
  assert.equal(r.variant, 'plain');
  assert.equal(r.traceHash, '58355ef6196493a7');
  assert.equal(r.bare.messagesPerRun, BARE_MESSAGES);
  assert.ok(r.bare.messagesPerSec > 0 && r.messagesPerSec > 0);
  assert.ok(Math.abs(r.ratio.suiteOverBare - r.messagesPerSec / r.bare.messagesPerSec) < 1e-4);
  assert.ok(Math.abs(r.ratio.oneIn * r.ratio.suiteOverBare - 1) < 0.01, `${r.ratio.oneIn} x ${r.ratio.suiteOverBare}`);
});

test('the bench refuses a variant it does not know', () => {
  assert.throws(() => main(['--variant', 'osiris+nothing']), /--variant needs/);
  assert.throws(() => main(['--variant']), /--variant needs/);
});
