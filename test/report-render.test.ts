/*
 * The report built from small synthetic results (nothing is run): every
 * section, table and chart is there, the paper's figures sit beside ours,
 * each chart is well-formed SVG with marks, the Markdown twin links SVG
 * files that exist, missing inputs become notes, and the same inputs make
 * the same page byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReport, findCampaignResults, writeReport } from '../src/report/build-report';
import type { Chart, ReportDoc, Table } from '../src/report/document';
import { svgHasMarks } from '../src/report/charts';
import { renderHtml } from '../src/report/html';
import { syntheticInputs, syntheticResults } from './helpers/report-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-render-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const blocks = (doc: ReportDoc) => doc.sections.flatMap((s) => s.blocks);
const tables = (doc: ReportDoc) => blocks(doc).filter((b): b is Table => b.kind === 'table');
const charts = (doc: ReportDoc) => blocks(doc).filter((b): b is Chart => b.kind === 'chart');

/** XML well-formedness: balanced tags, quoted attributes, no stray '<' or bare '&' in text. */
function assertWellFormed(xml: string, what: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  let root = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt < 0 ? body.length : lt);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text), `${what}: bare & in text near "${text.slice(0, 40)}"`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    assert.ok(m, `${what}: malformed tag at ${lt}: ${body.slice(lt, lt + 60)}`);
    const [, close, name, , self] = m;
    if (close) assert.equal(stack.pop(), name, `${what}: </${name}> closes the wrong element`);
    else if (!self) { if (stack.length === 0) root++; stack.push(name!); } else if (stack.length === 0) root++;
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], `${what}: unclosed ${stack.join(', ')}`);
  assert.equal(root, 1, `${what}: one root element`);
}

test('the report has every section, table and chart, with the paper beside ours', async () => {
  const doc = await buildReport(syntheticInputs());
  assert.deepEqual(doc.sections.map((s) => s.id), ['survivability', 'coverage', 'overhead', 'memory', 'disruption', 'rcb']);
  const ids = tables(doc).map((t) => t.id);
  for (const id of ['surv-syn-table', 'surv-syn-counts', 'surv-syn-transitions', 'surv-syn-by-server', 'surv-syn-by-fault-type', 'surv-syn-by-function', 'coverage-table', 'overhead-scores', 'overhead-slowdown', 'overhead-geomean', 'memory-table', 'disruption-table', 'rcb-table']) {
    assert.ok(ids.includes(id), `table ${id}`);
  }
  assert.deepEqual(charts(doc).map((c) => c.id), ['surv-syn-transitions-heatmap', 'surv-syn-chart', 'surv-syn-heatmap', 'coverage-chart', 'slowdown-sim', 'slowdown-wall', 'disruption-chart']);
  for (const t of tables(doc)) {
    for (const r of t.rows) assert.equal(r.length, t.columns.length, `${t.id}: row ${r[0]} has ${r.length} cells for ${t.columns.length} columns`);
  }
  // The paper's figures, in paper columns, next to ours (fail-stop campaign: Table II).
  const paperCells = (id: string) => {
    const t = tables(doc).find((x) => x.id === id)!;
    return t.rows.flatMap((r) => r.filter((_, i) => t.columns[i]!.paper));
  };
  assert.ok(paperCells('surv-syn-table').includes('80.4'), 'Table II stateless crash');
  assert.ok(paperCells('coverage-table').includes('68.4'), 'Table I weighted enhanced');
  assert.ok(paperCells('overhead-geomean').includes('1.235'), 'Table V without optimization');
  assert.ok(paperCells('memory-table').includes('24,576'), 'Table VI VM undo log');
  assert.ok(paperCells('rcb-table').includes('29,732'), 'RCB lines');
  for (const id of ['surv-syn-table', 'coverage-table', 'overhead-geomean', 'memory-table', 'rcb-table']) {
    const t = tables(doc).find((x) => x.id === id)!;
    const first = t.columns.findIndex((c) => c.paper);
    assert.ok(first > 0 && !t.columns[first - 1]!.paper, `${id}: a paper column follows one of ours`);
  }
  const weighted = tables(doc).find((t) => t.id === 'coverage-table')!;
  assert.equal(weighted.rows.at(-1)![0], 'Weighted average');
});

test('every chart is well-formed SVG with marks, inline in the page and linked from the Markdown', async () => {
  const doc = await buildReport(syntheticInputs());
  for (const c of charts(doc)) {
    assert.match(c.svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, `${c.id} is an SVG document`);
    assertWellFormed(c.svg, c.id);
    assert.ok(svgHasMarks(c.svg), `${c.id} has marks`);
    assert.match(c.svg, /<text[^>]*>[^<]*(Survivability|Recoverability|coverage|Slowdown|disruption|transitions)/i, `${c.id} has its title`);
  }
  const out = path.join(tmp, 'out');
  fs.mkdirSync(path.join(out, 'charts'), { recursive: true });
  fs.writeFileSync(path.join(out, 'charts', 'stale.svg'), '<svg/>');
  const w = writeReport(doc, out);
  assert.ok(!fs.existsSync(path.join(out, 'charts', 'stale.svg')), 'an earlier report\'s chart is removed');
  const html = fs.readFileSync(w.html, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(!/<script/i.test(html) && !/<link /i.test(html), 'self-contained: no scripts, nothing fetched');
  for (const c of charts(doc)) {
    const fig = new RegExp(`<figure class="chart" id="${c.id}"[^>]*>\\s*<svg[\\s\\S]*?</svg>\\s*(<figcaption>[\\s\\S]*?</figcaption>\\s*)?</figure>`).exec(html);
    assert.ok(fig, `figure ${c.id} holds its SVG inline`);
    assertWellFormed(fs.readFileSync(path.join(out, 'charts', `${c.id}.svg`), 'utf8'), `${c.id}.svg`);
  }
  for (const t of tables(doc)) assert.ok(html.includes(`<table id="${t.id}"`), `html table ${t.id}`);
  assert.equal((html.match(/<th class="[^"]*paper/g) ?? []).length > 0, true, 'paper columns are marked');

  const md = fs.readFileSync(w.markdown, 'utf8');
  const links = [...md.matchAll(/!\[[^\]]*\]\((charts\/[^)]+\.svg)\)/g)].map((m) => m[1]);
  assert.deepEqual(links, charts(doc).map((c) => `charts/${c.id}.svg`));
  for (const l of links) assert.ok(fs.existsSync(path.join(out, l)), `${l} exists beside report.md`);
  for (const t of tables(doc)) {
    const header = `| ${t.columns.map((c) => (c.group ? `${c.group}: ${c.title}` : c.title)).join(' | ')} |`;
    const at = md.indexOf(header.replace(/\\/g, '\\\\'));
    assert.ok(at >= 0, `markdown table ${t.id}`);
    const lines = md.slice(at).split('\n');
    assert.equal(lines.slice(2).findIndex((l) => !l.startsWith('|')), t.rows.length, `${t.id}: ${t.rows.length} body rows`);
  }
});

test('the transition heat map holds the transitions table, each cell a share of its row with a Wilson interval', async () => {
  const doc = await buildReport(syntheticInputs());
  const table = tables(doc).find((t) => t.id === 'surv-syn-transitions')!;
  const heat = charts(doc).find((c) => c.id === 'surv-syn-transitions-heatmap')!;
  const values = (heat.spec as unknown as { data: { values: { from: string; to: string; count: number; pct: number; lo: number; hi: number }[] } }).data.values;
  const outcomes = table.rows.map((r) => r[0]);
  assert.equal(values.length, outcomes.length * outcomes.length);
  table.rows.forEach((r) => outcomes.forEach((to, j) => {
    const cell = values.find((v) => v.from === r[0] && v.to === to)!;
    assert.equal(String(cell.count), r[1 + j], `${r[0]} -> ${to}`);
    const total = Number(r[r.length - 1]);
    if (total > 0) {
      assert.ok(Math.abs(cell.pct - (100 * cell.count) / total) < 1e-9);
      assert.ok(cell.lo <= cell.pct && cell.pct <= cell.hi && cell.hi > cell.lo, `${r[0]} -> ${to}: interval around the share`);
    }
  }));
  assert.ok(values.some((v) => v.count > 0 && v.from !== v.to), 'the fixture moves some faults');
});

test('the wall-time slowdown chart shows the spread of the runs and says which differences are within the noise', async () => {
  const inp = syntheticInputs();
  assert.ok(inp.bench.ok);
  // ckpt "faster" than the baseline on one program, by less than the runs' spread: noise, not a result.
  const fig = inp.bench.value.programs[0]!.configs.ckpt;
  Object.assign(fig, { slowdownWall: 0.97, wallSpread: { min: 0.9, max: 1.08 } });
  const doc = await buildReport(inp);
  const layers = (c: Chart) => (c.spec as unknown as { layer: { mark: { type: string }; data: { values: Record<string, unknown>[] } }[] }).layer;
  const subtitle = (c: Chart) => String((c.spec as unknown as { title: { subtitle: string } }).title.subtitle);
  const wall = charts(doc).find((c) => c.id === 'slowdown-wall')!;
  const whiskers = layers(wall).find((l) => l.mark.type === 'rule' && l.data.values.some((v) => 'lo' in v));
  assert.ok(whiskers, 'a whisker layer');
  const noisy = whiskers.data.values.filter((v) => v.noise);
  assert.deepEqual(noisy.map((v) => [v.group, v.series, v.lo, v.hi]), [[inp.bench.value.programs[0]!.name, 'ckpt', 0.9, 1.08]]);
  assert.match(subtitle(wall), /pale bars \(1 of 15\): the spread includes 1\.0 — no difference from the baseline beyond the noise/);
  const sim = charts(doc).find((c) => c.id === 'slowdown-sim')!;
  assert.ok(!layers(sim).some((l) => l.data.values.some((v) => 'lo' in v)), 'simulated time has no spread to show');
  assert.doesNotMatch(subtitle(sim), /whiskers/);
  assert.ok(svgHasMarks(wall.svg));
});

test('missing results and failed experiments become notes, not a broken page', async () => {
  const inp = { ...syntheticInputs(), campaigns: [], resultsRoot: '/nowhere', bench: { ok: false as const, reason: 'The bench experiment failed: boom' } };
  const doc = await buildReport(inp);
  const surv = doc.sections.find((s) => s.id === 'survivability')!;
  assert.equal(surv.blocks.length, 1);
  assert.equal(surv.blocks[0]!.kind, 'missing');
  assert.match((surv.blocks[0] as { text: string }).text, /No campaign results were found under `\/nowhere`/);
  const bench = doc.sections.find((s) => s.id === 'overhead')!;
  assert.deepEqual(bench.blocks.map((b) => b.kind), ['missing']);
  assert.deepEqual(charts(doc).map((c) => c.id), ['coverage-chart', 'disruption-chart']);
  const html = renderHtml(doc);
  assert.match(html, /class="missing">The bench experiment failed: boom/);
});

test('the same inputs make the same page', async () => {
  const a = renderHtml(await buildReport(syntheticInputs()));
  const b = renderHtml(await buildReport(syntheticInputs()));
  assert.equal(a, b);
});

test('findCampaignResults keeps the latest results of each campaign, shards together', () => {
  const root = path.join(tmp, 'results');
  const write = (dir: string, res: ReturnType<typeof syntheticResults>, variantHash: string, shard: { index: number; count: number } | null, mtime: number) => {
    const d = path.join(root, dir);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...res.manifest, variantHash, shard }));
    fs.writeFileSync(path.join(d, 'runs.jsonl'), res.runs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    for (const f of ['manifest.json', 'runs.jsonl']) fs.utimesSync(path.join(d, f), mtime, mtime);
  };
  const a = syntheticResults('alpha', 2);
  const b = syntheticResults('beta', 2);
  write('alpha-old', a, 'old', null, 1000);
  write('alpha-new-shard1of2', a, 'new', { index: 1, count: 2 }, 2000);
  write('alpha-new-shard2of2', a, 'new', { index: 2, count: 2 }, 2001);
  write('beta-1', b, 'v', null, 1500);
  fs.mkdirSync(path.join(root, 'report'));
  fs.mkdirSync(path.join(root, '.cache'));
  const found = findCampaignResults(root).map((g) => g.map((d) => path.basename(d)));
  assert.deepEqual(found, [['alpha-new-shard1of2', 'alpha-new-shard2of2'], ['beta-1']]);
  assert.deepEqual(findCampaignResults(path.join(root, 'beta-1')), [[path.join(root, 'beta-1')]]);
  assert.deepEqual(findCampaignResults(path.join(tmp, 'absent')), []);
});

test('osiris-fi report is a command', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'osiris-fi'), 'report', '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--out <dir>/);
  assert.match(r.stdout, /--results <dir>/);
  const bad = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'osiris-fi'), 'report', '--results', path.join(tmp, 'absent')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--results .*absent: no such directory/);
});
