/*
 * The researcher's analysis on small synthetic results (nothing is run):
 * McNemar's test against values worked by hand, breakdowns by server, fault
 * type and function (lines from the build's block map), the filters, the
 * fault-by-fault diff of two campaigns, the breakdown exports, and the
 * report's error bars and saved Vega-Lite specifications.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest, RunRecord } from '../src/experiment/journal';
import type { Results } from '../src/report/load-results';
import { ResultsError } from '../src/report/load-results';
import { chiSquare1Upper, mcnemar } from '../src/report/mcnemar';
import { breakdown, functionLabel } from '../src/report/breakdown';
import { functionLines } from '../src/report/block-lines';
import { loadBlockMap } from '../src/sim/variants';
import { applyFilter, FilterError, parseFilter } from '../src/report/filters';
import { diffResults } from '../src/report/diff';
import { exportTable } from '../src/cli/export';
import { compareReport } from '../src/cli/compare';
import { buildReport, writeReport } from '../src/report/build-report';
import type { Chart } from '../src/report/document';
import { wilson } from '../src/report/wilson';
import { syntheticInputs } from './helpers/report-fixture';

// Real block ids of this build, so the recoverability map finds their lines.
const FAULTS = [
  { block: 'pm/signal.ts:do_kill#3', faultType: 'null-pointer', server: 'pm' },
  { block: 'pm/signal.ts:do_kill#12', faultType: 'swap', server: 'pm' },
  { block: 'pm/alarm.ts:now#0', faultType: 'null-pointer', server: 'pm' },
  { block: 'vfs/path.ts:startOf#2', faultType: 'flip-bool', server: 'vfs' },
  // Shared code instrumented per server: the server prefix is not a path segment.
  { block: 'vm:sef/loop.ts:sef_loop#0', faultType: 'null-pointer', server: 'vm' },
];
const MODES = ['naive', 'enhanced'];
type O = RunRecord['outcome'];

function results(name: string, outcomes: Record<string, [O, O]>, over: Partial<Manifest> = {}, faults = FAULTS): Results {
  const manifest: Manifest = {
    format: 1, campaign: { name, file: '', identity: { name, seed: `${name}-seed`, faultModel: 'edfi' } },
    tool: { name: 'osiris-fi', version: '0.1.0' }, variantHash: `build-${name}`, profileHash: 'p', faults: faults.map(({ block, faultType }) => ({ block, faultType })),
    modes: MODES, runs: faults.length * MODES.length, shard: null, ...over,
  };
  const runs: RunRecord[] = [];
  for (const f of faults) {
    const o = outcomes[f.block];
    if (!o) continue;
    MODES.forEach((mode, i) => runs.push({
      key: `${f.block}|${f.faultType}|${mode}`, mode, block: f.block, server: f.server, faultType: f.faultType, outcome: o[i]!, detail: o[i] === 'crash' ? 'deadlock' : o[i]!,
      activations: 1, recoveries: 1, recoveryActions: [], oracleViolations: 0, failedTests: [], programs: 3, simTimeNs: 1, messages: 1, halt: null, error: null, wallMs: 1,
    }));
  }
  return { dirs: [`/r/${name}`], manifest, runs, expected: manifest.runs, torn: [] };
}

const A = results('a', {
  'pm/signal.ts:do_kill#3': ['crash', 'pass'], 'pm/signal.ts:do_kill#12': ['crash', 'fail'], 'pm/alarm.ts:now#0': ['pass', 'pass'],
  'vfs/path.ts:startOf#2': ['fail', 'shutdown'], 'vm:sef/loop.ts:sef_loop#0': ['crash', 'crash'],
});

test("McNemar's test: exact below 25 discordant pairs, chi-square with continuity correction above", () => {
  // Exact: 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * (1 + 12 + 66) / 4096.
  const t = mcnemar(10, 2);
  assert.equal(t.method, 'exact');
  assert.ok(Math.abs(t.p - 158 / 4096) < 1e-12, String(t.p));
  assert.equal(t.p.toFixed(4), '0.0386');
  assert.deepEqual(mcnemar(2, 10).p, t.p, 'symmetric');
  assert.equal(mcnemar(0, 0).p, 1);
  assert.equal(mcnemar(5, 5).p, 1, 'capped at 1');
  assert.ok(Math.abs(mcnemar(12, 0).p - 2 / 4096) < 1e-15);
  // 24 discordant pairs: still exact, 2 * sum_{k<=7} C(24, k) / 2^24 = 0.0639147.
  assert.ok(Math.abs(mcnemar(17, 7).p - 0.06391465663909912) < 1e-12);
  // 25 and more: chi-square, (|b - c| - 1)^2 / (b + c) on 1 df.
  const big = mcnemar(30, 10);
  assert.equal(big.method, 'chi-square');
  assert.equal(big.statistic, 9.025);
  assert.ok(Math.abs(big.p - 0.002663119259138554) < 1e-7, String(big.p));
  assert.ok(Math.abs(mcnemar(20, 5).p - 0.005110260660855864) < 1e-7);
  // P(chi2_1 > 3.841459) = 0.05.
  assert.ok(Math.abs(chiSquare1Upper(3.841458820694124) - 0.05) < 1e-7);
  assert.throws(() => mcnemar(-1, 2), RangeError);
});

test('breakdowns per server, fault type and function, lines from the block map', () => {
  const byServer = breakdown(A.runs, MODES, 'server');
  assert.deepEqual(byServer.groups.map((g) => [g.label, g.faults]), [['pm', 3], ['vfs', 1], ['vm', 1]]);
  const pmEnh = byServer.groups[0]!.modes.find((m) => m.mode === 'enhanced')!;
  assert.deepEqual([pmEnh.runs, pmEnh.cells.pass.count, pmEnh.cells.fail.count], [3, 2, 1]);
  assert.equal(pmEnh.cells.pass.lo, 100 * wilson(2, 3).lo);
  const byType = breakdown(A.runs, MODES, 'fault-type');
  assert.deepEqual(byType.groups.map((g) => g.label), ['null-pointer', 'swap', 'flip-bool'], 'in the fault types\' order');
  const lines = functionLines();
  assert.ok(lines, 'the build is installed');
  const byFn = breakdown(A.runs, MODES, 'function', lines, 'other-build');
  assert.deepEqual(byFn.groups.map((g) => [g.server, g.file, g.function, g.faults]), [
    ['pm', 'pm/alarm.ts', 'now', 1], ['pm', 'pm/signal.ts', 'do_kill', 2], ['vfs', 'vfs/path.ts', 'startOf', 1], ['vm', 'sef/loop.ts', 'sef_loop', 1],
  ]);
  // The line of a function's first block, read here from the build's own block map (the source moves).
  const first = (prefix: string) => Math.min(...loadBlockMap('osiris+edfi').blocks.filter((b) => b.id.startsWith(prefix)).map((b) => b.line));
  const NOW = first('pm/alarm.ts:now#'), KILL = first('pm/signal.ts:do_kill#'), START = first('vfs/path.ts:startOf#');
  assert.equal(byFn.groups[0]!.line, NOW);
  assert.equal(byFn.groups[1]!.line, KILL, "do_kill's first block");
  assert.equal(byFn.groups[3]!.line, null, 'a block this build does not have');
  assert.deepEqual(byFn.lines, { buildHash: lines!.buildHash, sameBuild: false });
  assert.deepEqual(byFn.groups.map(functionLabel), [`pm/alarm.ts:${NOW} now`, `pm/signal.ts:${KILL} do_kill`, `vfs/path.ts:${START} startOf`, 'sef/loop.ts sef_loop (vm)']);
  // The same shared function under two servers is two groups, told apart by their labels.
  const twice = breakdown([...A.runs, ...A.runs.filter((r) => r.server === 'vm').map((r) => ({ ...r, server: 'pm', block: 'pm:sef/loop.ts:sef_loop#0', key: `pm:${r.key}` }))], MODES, 'function', lines);
  assert.deepEqual(twice.groups.filter((g) => g.function === 'sef_loop').map((g) => g.label), ['sef/loop.ts:sef_loop (pm)', 'sef/loop.ts:sef_loop (vm)']);
  const kill = byFn.groups[1]!.modes;
  assert.deepEqual(kill.map((m) => [m.mode, m.cells.pass.count, m.cells.fail.count, m.cells.crash.count]), [['naive', 0, 0, 2], ['enhanced', 1, 1, 0]]);
});

test('filters: server, fault type, outcome and mode; a bad value is one line', () => {
  const f = parseFilter({ server: 'pm,vfs', outcome: 'crash' }, A);
  assert.deepEqual(applyFilter(A, f).runs.map((r) => r.key), ['pm/signal.ts:do_kill#3|null-pointer|naive', 'pm/signal.ts:do_kill#12|swap|naive']);
  assert.deepEqual(applyFilter(A, parseFilter({ faultType: 'swap', mode: 'enhanced' }, A)).runs.map((r) => r.outcome), ['fail']);
  const bad = (o: object, re: RegExp) => assert.throws(() => parseFilter(o, A), (e: unknown) => e instanceof FilterError && re.test(e.message) && !e.message.includes('\n'));
  bad({ server: 'pmx' }, /^--server pmx: expected a server these results hold \(pm, vfs, vm\)$/);
  bad({ faultType: 'nul-pointer' }, /^--fault-type nul-pointer: expected a fault type \(null-pointer, swap/);
  bad({ outcome: 'survived' }, /^--outcome survived: expected an outcome \(pass, fail, shutdown, crash\)$/);
  bad({ mode: 'optimistic' }, /^--mode optimistic: expected a mode of these results \(naive, enhanced\)$/);
  bad({ server: ',' }, /expected one or more/);

  const rep = compareReport(A, { server: 'pm', mode: 'enhanced', by: 'function' });
  assert.equal(rep.filter, '--server pm --mode enhanced');
  assert.deepEqual([rep.runs, rep.recorded], [3, 10]);
  assert.deepEqual(rep.modes.map((m) => m.mode), ['enhanced']);
  assert.deepEqual(rep.breakdowns![0]!.groups.map((g) => g.label), ['pm/alarm.ts:now', 'pm/signal.ts:do_kill']);
  assert.throws(() => compareReport(A, { by: 'file' }), /--by: "file" is not a breakdown; expected server, fault-type, function/);
});

test('exports: seed and build on every row, breakdown tables, filters', () => {
  const runs = exportTable(A, 'runs', undefined, { server: 'vfs' });
  assert.deepEqual(runs.columns.slice(0, 4), ['campaign', 'seed', 'build', 'key']);
  assert.deepEqual(runs.rows.map((r) => r.slice(0, 3)), [['a', 'a-seed', 'build-a'], ['a', 'a-seed', 'build-a']]);
  const fn = exportTable(A, 'by-function', undefined, { mode: 'enhanced' });
  assert.deepEqual(fn.columns.slice(0, 14), ['campaign', 'seed', 'build', 'server', 'file', 'line', 'function', 'location', 'mode', 'faults', 'runs', 'pass', 'fail', 'shutdown']);
  const row = (r: (string | number)[]) => Object.fromEntries(fn.columns.map((c, i) => [c, r[i]]));
  const kill = row(fn.rows.find((r) => r[6] === 'do_kill')!);
  assert.deepEqual([kill.location, kill.mode, kill.faults, kill.runs, kill.pass, kill.fail, kill.pass_pct], [`pm/signal.ts:${Math.min(...loadBlockMap('osiris+edfi').blocks.filter((b) => b.id.startsWith('pm/signal.ts:do_kill#')).map((b) => b.line))}`, 'enhanced', 2, 2, 1, 1, 50]);
  assert.equal(kill.pass_lo, Math.round(100000 * wilson(1, 2).lo) / 1000);
  assert.equal(fn.rows.length, 4, 'one row per function for the one mode');
  const vmNaive = Object.fromEntries(exportTable(A, 'by-server').columns.map((c, i) => [c, exportTable(A, 'by-server').rows[4]![i]]));
  assert.deepEqual([vmNaive.server, vmNaive.mode, vmNaive.crash, vmNaive.crash_deadlock, vmNaive.with_recoveries], ['vm', 'naive', 1, 1, 1]);
  const srv = exportTable(A, 'by-server');
  assert.deepEqual(srv.rows.map((r) => [r[3], r[4], r[6]]), [['pm', 'naive', 3], ['pm', 'enhanced', 3], ['vfs', 'naive', 1], ['vfs', 'enhanced', 1], ['vm', 'naive', 1], ['vm', 'enhanced', 1]]);
  const ft = exportTable(A, 'by-fault-type', undefined, { outcome: 'pass' });
  assert.deepEqual(ft.rows.map((r) => [r[3], r[4], r[7]]), [['null-pointer', 'naive', 1], ['null-pointer', 'enhanced', 2]]);
  assert.equal(exportTable(A, 'survivability', undefined, { mode: 'naive' }).rows.length, 1);
});

test('diff pairs runs by fault and mode, lists the changes, tests each mode', () => {
  // B: the same faults but one, another outcome for some; one fault only in B.
  const extra = [...FAULTS.slice(0, 4), { block: 'ds/store.ts:do_retrieve#0', faultType: 'null-pointer', server: 'ds' }];
  const B = results('b', {
    'pm/signal.ts:do_kill#3': ['pass', 'pass'], 'pm/signal.ts:do_kill#12': ['crash', 'pass'], 'pm/alarm.ts:now#0': ['pass', 'crash'],
    'vfs/path.ts:startOf#2': ['fail', 'shutdown'], 'ds/store.ts:do_retrieve#0': ['pass', 'pass'],
  }, {}, extra);
  const d = diffResults(A, B);
  assert.deepEqual([d.sharedFaults, d.onlyInA, d.onlyInB], [4, 1, 1]);
  assert.deepEqual(d.a.seed, 'a-seed');
  assert.deepEqual(d.b.build, 'build-b');
  const naive = d.modes.find((m) => m.mode === 'naive')!;
  assert.deepEqual([naive.paired, naive.both, naive.onlyA, naive.onlyB, naive.neither, naive.changed], [4, 1, 0, 1, 2, 1]);
  const enh = d.modes.find((m) => m.mode === 'enhanced')!;
  assert.deepEqual([enh.survivedA, enh.survivedB, enh.onlyA, enh.onlyB, enh.changed], [2, 2, 1, 1, 2]);
  assert.equal(enh.test.p, 1);
  // Completed (pass or fail) vs not: naive gains do_kill#3, enhanced loses now#0.
  assert.deepEqual([naive.completed.a, naive.completed.b, naive.completed.onlyA, naive.completed.onlyB], [2, 3, 0, 1]);
  assert.deepEqual([enh.completed.a, enh.completed.b, enh.completed.onlyA, enh.completed.onlyB], [3, 2, 1, 0]);
  assert.equal(enh.completed.test.p, 1);
  assert.deepEqual(d.changes.map((c) => `${c.mode} ${c.fault} ${c.from}->${c.to}`), [
    'naive pm/signal.ts:do_kill#3|null-pointer crash->pass',
    'enhanced pm/signal.ts:do_kill#12|swap fail->pass',
    'enhanced pm/alarm.ts:now#0|null-pointer pass->crash',
  ]);
  const none = results('c', { 'ds/store.ts:do_retrieve#0': ['pass', 'pass'] }, {}, extra.slice(4));
  assert.throws(() => diffResults(A, none), (e: unknown) => e instanceof ResultsError && /a and c share no faults/.test(e.message));
  const otherModes = { ...B, runs: B.runs.map((r) => ({ ...r, mode: `x-${r.mode}` })), manifest: { ...B.manifest, modes: ['x-naive', 'x-enhanced'] } };
  assert.throws(() => diffResults(A, otherModes), /share no mode/);
});

test('the report: Wilson error bars on the survivability chart, the breakdowns, each chart\'s Vega-Lite spec beside its SVG', async () => {
  const inp = syntheticInputs();
  const doc = await buildReport(inp);
  const charts = doc.sections.flatMap((s) => s.blocks).filter((b): b is Chart => b.kind === 'chart');
  const surv = charts.find((c) => c.id === 'surv-syn-chart')!;
  const layers = (surv.spec as unknown as { layer: { mark: { type: string }; data: { values: Record<string, number | string>[] } }[] }).layer;
  const rules = layers.find((l) => l.mark.type === 'rule')!;
  assert.ok(rules, 'an error-bar layer');
  // Every proportion: four per mode for ours and for the paper's four modes.
  assert.equal(rules.data.values.length, 4 * 4 + 4 * 4);
  const res = inp.campaigns[0];
  assert.ok(res, 'the inputs have a campaign');
  assert.ok(res.ok);
  const naive = res.value.runs.filter((r) => r.mode === 'naive');
  const nPass = naive.filter((r) => r.outcome === 'pass').length, nFail = naive.filter((r) => r.outcome === 'fail').length;
  const failBar = rules.data.values.find((v) => v.mode === 'naive' && v.source === 'ours' && v.outcome === 'Fail')!;
  const w = wilson(nFail, naive.length);
  const start = (100 * nPass) / naive.length;
  assert.ok(Math.abs(Number(failBar.from) - (start + 100 * w.lo)) < 1e-9 && Math.abs(Number(failBar.to) - Math.min(100, start + 100 * w.hi)) < 1e-9);
  assert.match(surv.svg, /class="mark-rule/, 'the error bars are drawn');

  const heat = charts.find((c) => c.id === 'surv-syn-heatmap')!;
  const cells = (heat.spec as unknown as { data: { values: { row: string; mode: string; pct: number }[] } }).data.values;
  assert.equal(cells.length, 6 * 4, 'six functions x four modes');
  const ids = doc.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'table').map((b) => (b as { id: string }).id);
  for (const id of ['surv-syn-by-server', 'surv-syn-by-fault-type', 'surv-syn-by-function']) assert.ok(ids.includes(id), id);
  // The recoverability table: per function its faults, per mode % survived with the interval, then F/S/C with the crash kinds.
  const map = doc.sections[0]!.blocks.find((b) => b.kind === 'table' && b.id === 'surv-syn-by-function') as { rows: string[][]; columns: { title: string; group?: string }[] };
  assert.deepEqual(map.columns.map((c) => (c.group ? `${c.group}: ${c.title}` : c.title)).slice(0, 5), ['Location', 'Function', 'Faults', 'stateless: survived %', 'stateless: F/S/C']);
  const f0 = res.value.runs.filter((r) => r.block.startsWith('pm/a.ts:f0#') && r.mode === 'stateless');
  const row = map.rows.find((r) => r[0] === 'pm/a.ts' && r[1] === 'f0')!;
  assert.equal(row[2], String(f0.length));
  const k = f0.filter((r) => r.outcome === 'pass').length;
  assert.equal(row[3], `${(100 * k / f0.length).toFixed(1)} (${(100 * wilson(k, f0.length).lo).toFixed(1)}–${(100 * wilson(k, f0.length).hi).toFixed(1)})`);
  const count = (o: string) => f0.filter((r) => r.outcome === o).length;
  assert.ok(row[4]!.startsWith(`${count('fail')}/${count('shutdown')}/${count('crash')}`), row[4]);

  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-report-'));
  try {
    writeReport(doc, out);
    for (const c of charts) {
      const spec = path.join(out, 'charts', `${c.id}.vl.json`);
      assert.ok(fs.existsSync(spec), `${c.id}.vl.json beside ${c.id}.svg`);
      assert.deepEqual(JSON.parse(fs.readFileSync(spec, 'utf8')), JSON.parse(JSON.stringify(c.spec)));
    }
    assert.match(fs.readFileSync(path.join(out, 'report.html'), 'utf8'), /<a href="charts\/surv-syn-heatmap\.vl\.json">/);
  } finally { fs.rmSync(out, { recursive: true, force: true }); }
});
