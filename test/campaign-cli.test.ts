/*
 * A tiny campaign end to end through the CLI: the same runs whatever the
 * worker count, across three merged shards, and after a torn, interrupted
 * journal is resumed; bad campaigns get one line and a non-zero exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'osiris-fi');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-cli-'));
const campaign = path.join(tmp, 'tiny.json');
fs.writeFileSync(campaign, JSON.stringify({
  name: 'tiny', seed: 't', faultModel: 'failstop', faults: { sample: 3 }, modes: ['naive', 'enhanced'], tests: 'covering', pretests: true,
}));

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** runs.jsonl as a sorted list of lines without the wall-clock field. */
function runs(dir: string): string[] {
  return fs.readFileSync(path.join(dir, 'runs.jsonl'), 'utf8').trimEnd().split('\n')
    .map((l) => JSON.stringify({ ...JSON.parse(l), wallMs: 0 })).sort();
}

test('a tiny campaign: workers, shards, resume', () => {
  const d1 = path.join(tmp, 'w1');
  const r1 = cli('run', campaign, '--workers', '1', '--out', d1, '--json');
  assert.equal(r1.code, 0, r1.err);
  const s = JSON.parse(r1.out);
  assert.equal(s.total, 6);
  assert.equal(s.finished, 6);
  assert.equal(s.perMode.naive.total + s.perMode.enhanced.total, 6);
  const base = runs(d1);
  assert.equal(base.length, 6);
  for (const l of base) {
    const r = JSON.parse(l);
    assert.ok(['pass', 'fail', 'shutdown', 'crash'].includes(r.outcome));
    assert.equal(r.key, `${r.block}|${r.faultType}|${r.mode}`);
  }

  const d2 = path.join(tmp, 'w2');
  const r2 = cli('run', campaign, '--workers', '2', '--out', d2);
  assert.equal(r2.code, 0, r2.err);
  assert.match(r2.out, /Shutdown %/);
  assert.deepEqual(runs(d2), base);

  const shards = [1, 2, 3].map((i) => {
    const d = path.join(tmp, `s${i}`);
    const r = cli('run', campaign, '--workers', '1', '--shard', `${i}/3`, '--out', d, '--json');
    assert.equal(r.code, 0, r.err);
    return d;
  });
  const merged = path.join(tmp, 'merged');
  const m = cli('merge', ...shards, '--out', merged);
  assert.equal(m.code, 0, m.err);
  assert.deepEqual(runs(merged), base);

  // An interrupted run: two lines lost and the third torn; resume finishes it identically.
  const text = fs.readFileSync(path.join(d2, 'runs.jsonl'), 'utf8').trimEnd().split('\n');
  fs.writeFileSync(path.join(d2, 'runs.jsonl'), text.slice(0, 3).join('\n') + '\n' + text[3]!.slice(0, 25));
  const r3 = cli('run', campaign, '--workers', '2', '--resume', d2, '--json');
  assert.equal(r3.code, 0, r3.err);
  assert.equal(JSON.parse(r3.out).skipped, 3);
  assert.deepEqual(runs(d2), base);

  // Running a finished campaign again shows its table from the results; --force runs it again.
  const again = cli('run', campaign, '--out', d1);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /already finished: 6 runs in .*read from those results/);
  assert.match(again.out, /Shutdown %/);
});

test('a bad campaign is one line and a non-zero exit', () => {
  const bad = path.join(tmp, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ name: 'bad', seed: 1, faultModel: 'edfi', faults: { sample: 0 }, modes: ['naive'] }));
  const r = cli('run', bad);
  assert.equal(r.code, 2);
  assert.equal(r.err.trimEnd().split('\n').length, 1);
  assert.match(r.err, /bad\.json: field "faults(\.sample)?": expected/);
  const sh = cli('run', campaign, '--shard', '4/3');
  assert.equal(sh.code, 2);
  assert.match(sh.err, /--shard <i\/n>' argument '4\/3' is invalid\. expected i\/n/);
  assert.equal(sh.err.trimEnd().split('\n').length, 1);
});
