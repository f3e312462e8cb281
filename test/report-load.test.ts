/*
 * Reading results for the reports (a torn last line, shards given together,
 * refusal of mixed campaigns or builds) and the compare / export commands
 * on small synthetic results directories.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest, RunRecord } from '../src/experiment/journal';
import { loadResults, ResultsError } from '../src/report/load-results';
import { exportTable } from '../src/cli/export';
import { compareReport } from '../src/cli/compare';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'osiris-fi');
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-'));

const FAULTS = [{ block: 'pm/a.ts:f#0', faultType: 'null-pointer' }, { block: 'pm/a.ts:f#1', faultType: 'null-pointer' }, { block: 'vm/b.ts:g#0', faultType: 'null-pointer' }];
const MODES = ['naive', 'enhanced'];

function manifest(over: Partial<Manifest> = {}): Manifest {
  return {
    format: 1, campaign: { name: 'syn', file: '/x/syn.json', identity: { name: 'syn', seed: 's', faultModel: 'failstop' } },
    tool: { name: 'osiris-fi', version: '0.1.0' }, variantHash: 'v1', profileHash: 'p1', faults: FAULTS, modes: MODES,
    runs: FAULTS.length * MODES.length, shard: null, ...over,
  };
}

function rec(i: number, mode: string, outcome: RunRecord['outcome'], detail: RunRecord['detail'] = outcome, over: Partial<RunRecord> = {}): RunRecord {
  const f = FAULTS[i];
  assert.ok(f, `fault ${i} of FAULTS`);
  return {
    key: `${f.block}|${f.faultType}|${mode}`, mode, block: f.block, server: f.block.split('/')[0]!, faultType: f.faultType, outcome, detail,
    activations: 1, recoveries: 1, recoveryActions: ['pm:IDEMPOTENT->reply'], oracleViolations: 0, failedTests: [], programs: 4,
    simTimeNs: 1000, messages: 50, halt: null, error: null, wallMs: 2.5, ...over,
  };
}

/** A results directory as the runner writes it; `tail` is appended raw (a torn line). */
function writeDir(name: string, m: Manifest, runs: RunRecord[], tail = ''): string {
  const d = path.join(base, name);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
  fs.writeFileSync(path.join(d, 'runs.jsonl'), runs.map((r) => JSON.stringify(r) + '\n').join('') + tail);
  return d;
}

const ALL: [RunRecord, RunRecord, RunRecord, RunRecord, RunRecord, RunRecord] = [
  rec(0, 'naive', 'crash', 'deadlock'), rec(0, 'enhanced', 'shutdown'),
  rec(1, 'naive', 'crash', 'timeout'), rec(1, 'enhanced', 'pass', 'pass', { oracleViolations: 1 }),
  rec(2, 'naive', 'pass'), rec(2, 'enhanced', 'fail', 'fail', { failedTests: ['vm_x:fail', 'vm_y:fail'] }),
];

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('a torn last line is left out and runs come back in plan order', () => {
  // Written out of order (as workers finish), then a kill in the middle of a line.
  const shuffled = [ALL[5], ALL[0], ALL[3], ALL[1], ALL[4]];
  const d = writeDir('torn', manifest(), shuffled, JSON.stringify(ALL[2]).slice(0, 30));
  const res = loadResults([d]);
  assert.deepEqual(res.runs.map((r) => r.key), [ALL[0], ALL[1], ALL[3], ALL[4], ALL[5]].map((r) => r.key));
  assert.equal(res.expected, 6);
  assert.deepEqual(res.torn, [d]);
  // Reading never repairs: the results directory is left as it was.
  assert.ok(!fs.readFileSync(path.join(d, 'runs.jsonl'), 'utf8').endsWith('\n'));
  const clean = loadResults([writeDir('clean', manifest(), ALL)]);
  assert.deepEqual(clean.torn, []);
  assert.equal(clean.runs.length, 6);
});

test('shards given together combine; mixed campaigns or builds are refused in one line', () => {
  const s1 = writeDir('s1', manifest({ shard: { index: 1, count: 2 } }), ALL.slice(0, 3));
  // The same run in both shard directories (a re-run shard): only the wall-clock time may differ.
  const s2 = writeDir('s2', manifest({ shard: { index: 2, count: 2 } }), [...ALL.slice(3), { ...ALL[2], wallMs: 99 }]);
  const both = loadResults([s2, s1]);
  assert.equal(both.runs.length, 6);
  assert.deepEqual(both.runs.map((r) => r.key), ALL.map((r) => r.key));
  assert.equal(both.manifest.shard, null);

  const refuse = (dirs: string[], re: RegExp) => assert.throws(() => loadResults(dirs), (e: unknown) => {
    assert.ok(e instanceof ResultsError, String(e));
    assert.match(e.message, re);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
  refuse([s1, writeDir('otherbuild', manifest({ variantHash: 'v2' }), ALL)], /cannot combine .*otherbuild.* different builds \(v1 vs v2\)/);
  refuse([s1, writeDir('othercamp', manifest({ campaign: { name: 'other', file: '', identity: {} } }), ALL)], /different campaigns \(syn vs other\)/);
  refuse([s1, writeDir('otherprof', manifest({ profileHash: 'p9' }), ALL)], /different profiling builds/);
  refuse([s1, writeDir('otherver', manifest({ tool: { name: 'osiris-fi', version: '9.9.9' } }), ALL)], /different tool versions/);
  refuse([s1, writeDir('conflict', manifest(), [{ ...ALL[0], outcome: 'pass', detail: 'pass' }])], /run pm\/a\.ts:f#0\|null-pointer\|naive has different results/);
  refuse([path.join(base, 'nowhere')], /no manifest\.json; not a results directory/);
  refuse([writeDir('badformat', { ...manifest(), format: 2 as 1 }, ALL)], /format 2 is not supported/);
  refuse([writeDir('badoutcome', manifest(), [{ ...ALL[0], outcome: 'exploded' as RunRecord['outcome'] }])], /field "outcome": "exploded"; expected one of pass, fail, shutdown, crash/);
  refuse([writeDir('damaged', manifest(), [], 'garbage\n' + JSON.stringify(ALL[0]) + '\n')], /line 1: not valid JSON/);
});

test('compare and export tables from synthetic results', () => {
  const res = loadResults([writeDir('cmp', manifest(), ALL)]);
  const rep = compareReport(res, { paper: true });
  assert.deepEqual(rep.modes.map((m) => [m.mode, m.cells.pass.count, m.cells.fail.count, m.cells.shutdown.count, m.cells.crash.count]),
    [['naive', 1, 0, 0, 2], ['enhanced', 1, 1, 1, 0]]);
  assert.equal(rep.transitions!.matrix.crash.shutdown, 1);
  assert.equal(rep.transitions!.matrix.crash.pass, 1);
  assert.equal(rep.paper!.table, 'II');
  assert.equal(rep.modes[1]!.oracleUnhappy, 1);

  const surv = exportTable(res, 'survivability');
  assert.deepEqual(surv.columns.slice(0, 10), ['campaign', 'seed', 'build', 'fault_model', 'mode', 'runs', 'pass', 'fail', 'shutdown', 'crash']);
  const naive = Object.fromEntries(surv.columns.map((c, i) => [c, surv.rows[0]![i]]));
  assert.equal(naive.crash_pct, 66.667);
  assert.equal(naive.crash_deadlock, 1);
  assert.equal(naive.crash_timeout, 1);
  assert.equal(naive.fault_model, 'failstop');
  const runs = exportTable(res, 'runs');
  assert.equal(runs.rows.length, 6);
  assert.equal(runs.rows[5]![runs.columns.indexOf('failed_tests')], 'vm_x:fail;vm_y:fail');
  const tr = exportTable(res, 'transitions');
  assert.equal(tr.rows.length, 16);
  const cell = tr.rows.find((r) => r[5] === 'crash' && r[6] === 'shutdown')!;
  assert.deepEqual(cell.slice(1), ['s', 'v1', 'naive', 'enhanced', 'crash', 'shutdown', 1, 50, 33.333]);
});

test('compare and export through the CLI', () => {
  const d = writeDir('cli', manifest(), ALL);
  const c = cli('compare', d, '--paper');
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /syn: 6 of 6 runs \(3 faults x 2 modes\)/);
  assert.match(c.out, /paper \(II\)/);
  assert.match(c.out, /Transitions naive -> enhanced: 3 faults run under both/);
  const j = cli('compare', d, '--json', '--modes', 'enhanced,naive');
  assert.equal(j.code, 0, j.err);
  const rep = JSON.parse(j.out);
  assert.equal(rep.transitions.from, 'enhanced');
  assert.equal(rep.transitions.matrix.shutdown.crash, 1);

  const csv = path.join(base, 'surv.csv');
  const e = cli('export', d, '--table', 'survivability', '--csv', csv);
  assert.equal(e.code, 0, e.err);
  const lines = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^syn,s,v1,failstop,naive,3,1,0,0,2,/);
  const out = cli('export', d, '--table', 'runs');
  assert.equal(out.code, 0, out.err);
  assert.equal(out.out.trimEnd().split('\n').length, 7);
  // A field with a comma is quoted.
  assert.match(cli('export', writeDir('comma', manifest(), [{ ...ALL[0], halt: 'deadlock: a, b' }]), '--table', 'runs').out, /"deadlock: a, b"/);

  const mixed = cli('compare', d, writeDir('cli-other', manifest({ variantHash: 'v2' }), ALL));
  assert.equal(mixed.code, 2);
  assert.equal(mixed.err.trimEnd().split('\n').length, 1);
  assert.match(mixed.err, /^osiris-fi: cannot combine .* different builds/);
  const bad = cli('export', d, '--table', 'nope');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /'--table <name>' argument 'nope' is invalid\. Allowed choices are survivability, runs, transitions, by-server, by-fault-type, by-function/);
  assert.equal(bad.err.trimEnd().split('\n').length, 1);
  assert.equal(cli('compare', d, '--modes', 'naive,stateless').code, 2);
});
