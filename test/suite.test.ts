/*
 * The test suite itself, run as a user would (`osiris-fi suite`): the 89
 * programs exercise every server's calls and error paths; all pass on a
 * fault-free system, with at least 1,500 checks, the same way every time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { extendedNames, testNames } from '../src/sim/programs';
import { TEST_PROGRAMS } from '../src/os/workload/registry';

test('the suite has 89 distinct programs covering every topic', () => {
  const names = testNames();
  assert.equal(names.length, 89);
  assert.equal(new Set(names).size, 89);
  const topics = new Set(TEST_PROGRAMS.map((t) => t.topic));
  for (const topic of ['process', 'signal', 'time', 'memory', 'file', 'dir', 'perm', 'pipe', 'fd', 'ds', 'shell', 'fsimage']) {
    assert.ok([...topics].some((t) => t.startsWith(topic)), `topic ${topic} has programs (topics: ${[...topics].join(', ')})`);
  }
});

test('all 89 programs pass on a fault-free system, with at least 1,500 checks, identically from a snapshot', () => {
  const w = Sim.boot().world;
  const snap = w.snapshot();
  const results = w.runPrograms(testNames());
  const failed = results.filter((r) => r.status !== 'pass');
  assert.deepEqual(failed.map((r) => `${r.name}: ${r.failure}`), []);
  const checks = results.reduce((a, r) => a + r.checks, 0);
  assert.ok(checks >= 1500, `${checks} checks`);
  const again = Sim.restore(snap).world;
  assert.deepEqual(again.runPrograms(testNames()), results);
  assert.equal(again.kernel.trace.hash(), w.kernel.trace.hash());
});

test('the extended programs pass too', () => {
  const w = Sim.boot().world;
  const results = w.runPrograms(extendedNames());
  assert.deepEqual(results.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.failure}`), []);
});
