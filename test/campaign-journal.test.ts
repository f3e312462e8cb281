/* The journal (resume after a torn write), shard slicing, and merge refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJournal, Manifest, openJournal, readRuns, RunRecord, RUNS } from '../src/experiment/journal';
import { mergeShards, parseShard, shardSlice, ShardError } from '../src/experiment/shard';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));

function manifest(over: Partial<Manifest> = {}): Manifest {
  return {
    format: 1, campaign: { name: 'c', file: '/x/c.json', identity: { name: 'c', seed: '1' } }, tool: { name: 'osiris-fi', version: '0.1.0' },
    variantHash: 'v1', profileHash: 'p1', faults: ['b#0', 'b#1', 'b#2'].map((block) => ({ block, faultType: 'swap' })), modes: ['naive', 'enhanced'], runs: 6, shard: null, ...over,
  };
}

function rec(key: string, outcome: RunRecord['outcome'] = 'pass'): RunRecord {
  const [block, faultType, mode] = key.split('|');
  assert.ok(block !== undefined && faultType !== undefined && mode !== undefined, `${key} is block|faultType|mode`);
  return {
    key, mode, block, server: 'pm', faultType, outcome, detail: outcome, activations: 1, recoveries: 0, recoveryActions: [], oracleViolations: 0,
    failedTests: [], programs: 3, simTimeNs: 10, messages: 5, halt: null, error: null, wallMs: 1.5,
  };
}

const KEYS = ['b#0|swap|naive', 'b#0|swap|enhanced', 'b#1|swap|naive', 'b#1|swap|enhanced', 'b#2|swap|naive', 'b#2|swap|enhanced'] as const;

test('resume repairs a torn last line and skips finished runs', () => {
  const dir = tmp();
  const j = createJournal(dir, manifest());
  j.append(rec(KEYS[0]));
  j.append(rec(KEYS[1], 'crash'));
  j.append(rec(KEYS[1]));
  j.close();
  // A kill -9 in the middle of writing the third line.
  fs.appendFileSync(path.join(dir, RUNS), JSON.stringify(rec(KEYS[2])).slice(0, 40));
  assert.throws(() => createJournal(dir, manifest()), /already holds results/);
  const r = openJournal(dir);
  assert.deepEqual([...r.done.keys()], [KEYS[0], KEYS[1]]);
  assert.equal(r.done.get(KEYS[1])!.outcome, 'crash');
  assert.ok(fs.readFileSync(path.join(dir, RUNS), 'utf8').endsWith('}\n'));
  r.append(rec(KEYS[2]));
  r.append(rec(KEYS[0]));
  r.close();
  const lines = fs.readFileSync(path.join(dir, RUNS), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((l) => JSON.parse(l).key), KEYS.slice(0, 3));
});

test('a damaged line other than the last is refused', () => {
  const dir = tmp();
  createJournal(dir, manifest()).close();
  fs.appendFileSync(path.join(dir, RUNS), 'garbage\n' + JSON.stringify(rec(KEYS[0])) + '\n');
  assert.throws(() => openJournal(dir), /line 1: not valid JSON/);
});

test('shards partition the runs deterministically', () => {
  const keys = Array.from({ length: 103 }, (_, i) => `pm/a.ts:f#${i}|swap|${i % 2 ? 'naive' : 'enhanced'}`);
  const shards = [1, 2, 3].map((i) => shardSlice(keys, { index: i, count: 3 }));
  assert.deepEqual(shards.flat().sort(), [...keys].sort());
  for (const s of shards) assert.ok(s.length === 34 || s.length === 35);
  assert.deepEqual(shardSlice([...keys].reverse(), { index: 2, count: 3 }), shards[1]);
  assert.deepEqual(shardSlice(keys, { index: 1, count: 1 }).sort(), [...keys].sort());
  assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) assert.throws(() => parseShard(bad), ShardError);
});

test('merge joins shards and refuses different campaigns or builds', () => {
  const a = tmp(), b = tmp();
  const ja = createJournal(a, manifest({ shard: { index: 1, count: 2 } }));
  ja.append(rec(KEYS[0])); ja.append(rec(KEYS[1])); ja.append(rec(KEYS[2])); ja.close();
  const jb = createJournal(b, manifest({ shard: { index: 2, count: 2 } }));
  jb.append(rec(KEYS[3])); jb.append(rec(KEYS[4])); jb.append({ ...rec(KEYS[5]), wallMs: 99 }); jb.append({ ...rec(KEYS[2]), wallMs: 7 }); jb.close();
  const out = path.join(tmp(), 'merged');
  const m = mergeShards([a, b], out);
  assert.deepEqual({ runs: m.runs, missing: m.missing }, { runs: 6, missing: 0 });
  assert.deepEqual(readRuns(out).map((r) => r.key), [...KEYS].sort());
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).shard, null);

  const other = (over: Partial<Manifest>) => { const d = tmp(); createJournal(d, manifest(over)).close(); return d; };
  assert.throws(() => mergeShards([a, other({ variantHash: 'v2' })], path.join(tmp(), 'm')), /different builds/);
  assert.throws(() => mergeShards([a, other({ campaign: { name: 'd', file: '', identity: {} } })], path.join(tmp(), 'm')), /different campaigns/);
  assert.throws(() => mergeShards([a, other({ campaign: { name: 'c', file: '', identity: { seed: '2' } } })], path.join(tmp(), 'm')), /was changed/);
  assert.throws(() => mergeShards([a, other({ tool: { name: 'osiris-fi', version: '9' } })], path.join(tmp(), 'm')), /different tool versions/);
  const c = tmp();
  const jc = createJournal(c, manifest()); jc.append(rec(KEYS[0], 'crash')); jc.close();
  assert.throws(() => mergeShards([a, c], path.join(tmp(), 'm')), /different results/);
});
