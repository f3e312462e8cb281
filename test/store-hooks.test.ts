/*
 * The store hooks instrumented code calls (src/osiris/hooks.ts): each
 * store is logged with its old value and done as plain JS would do it,
 * whether its key is a number (an element: its own access sites, for
 * speed) or a name; the undo log tells a present key holding undefined
 * from a missing one. Rolling back restores every store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as hooks from '../src/osiris/hooks';
import { UndoLog } from '../src/osiris/undo-log';
import { windowsOf, activateHooks } from './helpers/hook-context';
import type { Kernel } from '../src/os/kernel/kernel';

/** A one-slot hook context whose server (slot 0) is running with its window open; returns its log. */
function logging(): UndoLog {
  const log = new UndoLog();
  const kernel = { current: { slot: 0 }, overheadNs: 0, step() {} } as unknown as Kernel;
  activateHooks({ kernel, logs: [log], windows: windowsOf(true), prof: null });
  return log;
}

const OPS: [string, (a: number, v: number) => number][] = [
  ['+', (a, v) => a + v], ['-', (a, v) => a - v], ['*', (a, v) => a * v], ['/', (a, v) => a / v],
  ['%', (a, v) => a % v], ['**', (a, v) => a ** v], ['<<', (a, v) => a << v], ['>>', (a, v) => a >> v],
  ['>>>', (a, v) => a >>> v], ['&', (a, v) => a & v], ['|', (a, v) => a | v], ['^', (a, v) => a ^ v],
];

test('cset computes every compound operator as JS does, on a named field, an array element and a typed-array element', () => {
  const log = logging();
  for (const [op, f] of OPS) {
    const rec: Record<string, number> = { n: -13 };
    const arr = [5, -13];
    const i32 = new Int32Array([5, -13]);
    assert.equal(hooks.cset(rec, 'n', op, 3), f(-13, 3), `rec.n ${op}= 3`);
    assert.equal(hooks.cset(arr, 1, op, 3), f(-13, 3), `arr[1] ${op}= 3`);
    assert.equal(hooks.cset(i32, 1, op, 3), f(-13, 3), `i32[1] ${op}= 3: the value assigned, as in JS`);
    assert.equal(rec.n, f(-13, 3));
    assert.equal(arr[1], f(-13, 3));
    assert.equal(i32[1], f(-13, 3) | 0, 'stored as an int32');
    assert.equal(log.rollback(), 3);
    assert.deepEqual([rec.n, arr[1], i32[1]], [-13, -13, -13], `${op} rolled back`);
  }
  assert.throws(() => hooks.cset({ n: 1 }, 'n', '??', 1), /unknown operator/);
  activateHooks(null);
});

test('set and inc on number and name keys: the results of plain stores, every old value logged, all rolled back', () => {
  const log = logging();
  const bytes = new Uint8Array([1, 2, 3]);
  const holey: unknown[] = new Array(4);
  holey[0] = 'a';
  const rec: Record<string, unknown> = { a: 1, u: undefined };
  assert.equal(hooks.set(bytes, 1, 300), 300, 'a store returns the value assigned');
  assert.equal(bytes[1], 300 & 0xff);
  assert.equal(hooks.set(holey, 2, 'x'), 'x');
  assert.equal(hooks.set(holey, 6, 'grown'), 'grown');
  assert.equal(holey.length, 7);
  assert.equal(hooks.set(rec, 'u', 5), 5);
  assert.equal(hooks.set(rec, 'n', 6), 6);
  assert.equal(hooks.inc(rec, 'a', 1, false), 1, 'postfix: the old value');
  assert.equal(hooks.inc(bytes, 0, -1, true), 0, 'prefix: the new value');
  assert.equal(hooks.inc(holey, 3, 1, false), NaN, 'a hole counts as undefined');
  log.rollback();
  assert.deepEqual([...bytes], [1, 2, 3]);
  assert.equal(holey.length, 4, 'the grown length comes back');
  assert.deepEqual([0, 1, 2, 3].map((i) => i in holey), [true, false, false, false], 'holes stay holes');
  assert.deepEqual(Object.keys(rec), ['a', 'u'], 'a key that held undefined stays; a new key goes');
  assert.deepEqual([rec.a, rec.u], [1, undefined]);
  activateHooks(null);
});
