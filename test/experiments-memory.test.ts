/*
 * `osiris-fi memory` (Table VI): the result's shape, its arithmetic, and
 * that the undo logs the benchmarks fill are those of the servers they use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { memoryCsv, runMemory } from '../src/experiment/memory';
import { UndoLog } from '../src/osiris/undo-log';

const r = runMemory();

test('five servers, bytes and kB, overhead = clone + undo log', () => {
  assert.deepEqual(r.servers.map((s) => s.server), ['pm', 'vfs', 'vm', 'ds', 'rs']);
  assert.equal(r.undoEntryBytes, 24);
  const kb = (b: number) => Math.round((10 * b) / 1024) / 10;
  for (const s of r.servers) {
    assert.ok(s.dataBytes > 0 && s.cloneBytes > 0, s.server);
    assert.equal(s.undoBytes, s.undoEntries * r.undoEntryBytes);
    assert.equal(s.overheadBytes, s.cloneBytes + s.undoBytes);
    assert.equal(s.dataKb, kb(s.dataBytes));
    assert.equal(s.overheadKb, kb(s.overheadBytes));
    assert.ok(s.undoEntries <= new UndoLog().limit && !s.undoOverflowed, `${s.server}: no overflow`);
  }
  assert.equal(r.total.dataKb, kb(r.servers.reduce((a, s) => a + s.dataBytes, 0)));
  assert.ok(r.method.dataSection.includes('v8.serialize'));
  const csv = memoryCsv(r);
  assert.equal(csv.rows.length, 6);
});

test('the programs fill the undo logs of PM, VM and VFS; none of them uses DS', () => {
  const by = (n: string) => r.servers.find((s) => s.server === n)!;
  for (const n of ['pm', 'vm', 'vfs']) assert.ok(by(n).undoEntries > 0 && by(n).undoProgram !== '', n);
  assert.equal(by('ds').undoEntries, 0);
});

test('the command prints the table and the method', () => {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
  const out = spawnSync(process.execPath, [bin, 'memory'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^VFS\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+/m);
  assert.match(out.stdout, /^total\s/m);
  assert.match(out.stdout, /undo log: +largest UndoLog.highWater/);
});
