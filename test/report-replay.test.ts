/*
 * `replay`: a run of a tiny campaign, run again from its manifest alone,
 * ends the same way (exit 0); a record that does not match what the run
 * does is reported as different (exit 1); a manifest without the campaign
 * settings is refused with the fields it lacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'osiris-fi');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-replay-'));

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A copy of a results directory with its runs and manifest passed through `edit`. */
function tamper(from: string, name: string, editRun: (r: Record<string, unknown>) => void, editManifest: (m: Record<string, unknown>) => void = () => {}): string {
  const to = path.join(tmp, name);
  fs.mkdirSync(to);
  const m = JSON.parse(fs.readFileSync(path.join(from, 'manifest.json'), 'utf8'));
  editManifest(m);
  fs.writeFileSync(path.join(to, 'manifest.json'), JSON.stringify(m));
  const lines = fs.readFileSync(path.join(from, 'runs.jsonl'), 'utf8').trimEnd().split('\n').map((l) => {
    const r = JSON.parse(l);
    editRun(r);
    return JSON.stringify(r) + '\n';
  });
  fs.writeFileSync(path.join(to, 'runs.jsonl'), lines.join(''));
  return to;
}

test('replay reproduces a recorded run and flags a different one', () => {
  const campaign = path.join(tmp, 'tiny-replay.json');
  fs.writeFileSync(campaign, JSON.stringify({
    name: 'tiny-replay', seed: 'r', faultModel: 'edfi', faults: { sample: 2 }, modes: ['naive', 'enhanced'], tests: 'covering', pretests: true,
  }));
  const dir = path.join(tmp, 'res');
  const run = cli('run', campaign, '--workers', '1', '--out', dir, '--json');
  assert.equal(run.code, 0, run.err);
  const recs = fs.readFileSync(path.join(dir, 'runs.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(recs.length, 4);

  for (const r of recs) {
    const rep = cli('replay', dir, '--run', r.key, '--json');
    assert.equal(rep.code, 0, `${r.key}: ${rep.err}${rep.out}`);
    const j = JSON.parse(rep.out);
    assert.equal(j.same, true);
    assert.deepEqual(j.differing, []);
    assert.equal(j.replayed.outcome, r.outcome);
  }
  const text = cli('replay', dir, '--run', recs[1].key, '--trace');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^same: /m);
  assert.match(text.out, /message trace/);

  const flip = recs[0].outcome === 'pass' ? 'crash' : 'pass';
  const wrong = tamper(dir, 'wrong', (r) => { if (r.key === recs[0].key) { r.outcome = flip; r.detail = flip; } });
  const diff = cli('replay', wrong, '--run', recs[0].key);
  assert.equal(diff.code, 1, diff.err);
  assert.match(diff.out, new RegExp(`DIFFERENT outcome: recorded ${flip}`));
  assert.match(diff.out, /^\* outcome/m);

  const slower = tamper(dir, 'slower', (r) => { if (r.key === recs[0].key) r.simTimeNs = Number(r.simTimeNs) + 1; });
  const s = cli('replay', slower, '--run', recs[0].key);
  assert.equal(s.code, 1);
  assert.match(s.out, /simTimeNs differs: the run is not reproducible/);

  const unknown = cli('replay', dir, '--run', 'no/such.ts:x#0|swap|naive');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no run "no\/such\.ts:x#0\|swap\|naive" recorded/);

  const bare = tamper(dir, 'bare', () => {}, (m) => { m.campaign = { name: 'tiny-replay', file: '', identity: { name: 'tiny-replay' } }; });
  const b = cli('replay', bare, '--run', recs[0].key);
  assert.equal(b.code, 2);
  assert.match(b.err, /lacks "seed", "faultModel", "faults", "modes", "tests", "pretests", "budget"/);

  const otherBuild = tamper(dir, 'otherbuild', () => {}, (m) => { m.variantHash = 'feedface'; });
  const o = cli('replay', otherBuild, '--run', recs[0].key);
  assert.equal(o.code, 2);
  assert.match(o.err, /was run on build feedface, this is build .*; replay needs the same build/);
});
