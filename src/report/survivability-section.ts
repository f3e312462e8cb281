/*
 * The report's survivability section (Tables II/III): per campaign, the four
 * outcome columns per recovery mode with 95% Wilson intervals and the
 * paper's table beside them, the Crash column by kind of ending, the
 * per-fault transitions between two modes, the stacked-bar chart with
 * Wilson error bars, and the breakdowns (breakdown-section.ts).
 *
 * The entry points into this file are:
 *   survivabilitySection   the section, from each campaign's results (or why there are none)
 */
import path from 'node:path';
import type { Outcome } from '../experiment/classify';
import type { Block, Column, Got, Section } from './document';
import { survivabilityChart, transitionHeatmap, type SurvivabilityBar, type TransitionCell } from './charts';
import { campaignInfo, type Results } from './load-results';
import { paperTableFor } from './paper';
import { COLUMNS, CRASH_DETAILS, modesOf, survivability } from './survivability';
import { defaultPair, movements, transitions } from './transitions';
import { wilson } from './wilson';
import { breakdownBlocks } from './breakdown-section';

const TITLE: Record<Outcome, 'Pass' | 'Fail' | 'Shutdown' | 'Crash'> = { pass: 'Pass', fail: 'Fail', shutdown: 'Shutdown', crash: 'Crash' };
const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const describeModel = (m: unknown) => (Array.isArray(m) ? m.join(' + ') : String(m ?? 'unknown'));
/** A directory relative to the working directory when it lies below it. */
const shortPath = (d: string) => {
  const rel = path.relative(process.cwd(), d);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? d : rel;
};
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'campaign';

function campaignBlocks(res: Results, index: number): Block[] {
  const m = res.manifest;
  const info = campaignInfo(m);
  const modes = modesOf(m.modes, res.runs);
  const surv = survivability(res.runs, modes);
  const paperFit = paperTableFor(info.faultModel);
  const paper = paperFit?.paper ?? null;
  const id = `surv-${slug(m.campaign.name)}${index > 0 ? `-${index}` : ''}`;
  const blocks: Block[] = [];

  blocks.push({ kind: 'heading', text: `Campaign ${m.campaign.name}` });
  blocks.push({
    kind: 'text',
    text: `${res.runs.length} of ${res.expected} runs: ${m.faults.length} faults × ${m.modes.length} modes, fault model ${describeModel(info.faultModel)}` +
      `${info.seed ? `, seed \`${info.seed}\`` : ''}; build \`${m.variantHash.slice(0, 12)}\`; results in ${res.dirs.map((d) => `\`${shortPath(d)}\``).join(', ')}.`,
  });
  if (res.runs.length < res.expected) blocks.push({ kind: 'missing', text: `This campaign is unfinished: ${res.expected - res.runs.length} runs are missing, so the table covers the runs done so far.` });
  for (const d of res.torn) blocks.push({ kind: 'note', text: `${d} ends in a torn line (an interrupted write); it was left out.` });

  const columns: Column[] = [{ title: 'Mode', align: 'l' }, { title: 'Runs', align: 'r' }];
  for (const c of COLUMNS) {
    columns.push({ title: 'ours %', align: 'r', group: TITLE[c], sep: true, detail: true });
    if (paper) columns.push({ title: `paper %`, align: 'r', group: TITLE[c], paper: true });
  }
  const rows = surv.map((s) => {
    const p = paper?.rows[s.mode];
    const row = [s.mode, String(s.runs)];
    for (const c of COLUMNS) {
      const x = s.cells[c];
      row.push(s.runs ? `${one(x.pct)} (${one(x.lo)}–${one(x.hi)})` : '–');
      if (paper) row.push(p ? one(p[c]) : '–');
    }
    return row;
  });
  const notes = ['Ours: % of runs with its 95% Wilson interval. Crash holds uncontrolled crashes, panics, simulator errors, timeouts, deadlocks and incomplete suites, as the paper counted them.'];
  if (paper) {
    notes.push(`Paper: ${paper.title}, ${paper.faults} faults per mode.` +
      (paperFit && !paperFit.exact ? ` The paper ran the full EDFI set; this campaign ran ${describeModel(info.faultModel)}, so the nearest table is shown.` : ''));
  } else notes.push(`The paper has no table for fault model ${describeModel(info.faultModel)}.`);
  blocks.push({ kind: 'table', id: `${id}-table`, caption: `Survivability of ${m.campaign.name} per recovery mode (% of runs)`, columns, rows, notes });

  const kinds = CRASH_DETAILS.filter((k) => surv.some((s) => s.crashes[k] > 0));
  blocks.push({
    kind: 'table', id: `${id}-counts`, caption: 'Run counts, the Crash column by kind of ending, and recoveries',
    columns: [{ title: 'Mode', align: 'l' }, ...COLUMNS.map((c): Column => ({ title: TITLE[c], align: 'r' })),
      ...kinds.map((k, i): Column => ({ title: k === 'crash' ? 'uncontrolled' : k, align: 'r', group: 'Crash by kind', sep: i === 0 })),
      ...(surv.some((s) => s.crashes.other > 0) ? [{ title: 'other', align: 'r' as const, group: 'Crash by kind' }] : []),
      { title: 'with recoveries', align: 'r', group: 'Runs', sep: true }, { title: 'oracle unhappy', align: 'r', group: 'Runs' }],
    rows: surv.map((s) => [s.mode, ...COLUMNS.map((c) => String(s.cells[c].count)), ...kinds.map((k) => String(s.crashes[k])),
      ...(surv.some((x) => x.crashes.other > 0) ? [String(s.crashes.other)] : []), String(s.recovered), String(s.oracleUnhappy)]),
    notes: ['Oracle unhappy: runs with a recovery whose recovered state the consistency oracle rejected (checked after runs that finished without a halt).'],
  });

  const pair = defaultPair(modes);
  if (pair) {
    const t = transitions(res.runs, pair[0], pair[1]);
    const mv = movements(t).slice(0, 4).map((x) => `${x.count} from ${x.from} to ${x.to}`);
    blocks.push({
      kind: 'table', id: `${id}-transitions`, caption: `Per-fault transitions: ${t.from} (rows) → ${t.to} (columns), ${t.paired} faults run under both`,
      columns: [{ title: `${t.from} \\ ${t.to}`, align: 'l' }, ...COLUMNS.map((c): Column => ({ title: TITLE[c], align: 'r' })), { title: 'total', align: 'r', sep: true }],
      rows: COLUMNS.map((x) => [TITLE[x], ...COLUMNS.map((y) => String(t.matrix[x][y])), String(COLUMNS.reduce((a, y) => a + t.matrix[x][y], 0))]),
      notes: [mv.length ? `Largest movements: ${mv.join('; ')}.` : 'No fault changed column between the two modes.'],
    });
    const cells: TransitionCell[] = [];
    for (const x of COLUMNS) {
      const rowTotal = COLUMNS.reduce((a, y) => a + t.matrix[x][y], 0);
      for (const y of COLUMNS) {
        const n = t.matrix[x][y];
        const w = rowTotal > 0 ? wilson(n, rowTotal) : { lo: 0, hi: 0 };
        cells.push({ from: TITLE[x], to: TITLE[y], count: n, pct: rowTotal > 0 ? (100 * n) / rowTotal : 0, lo: 100 * w.lo, hi: 100 * w.hi });
      }
    }
    blocks.push({
      kind: 'chart', id: `${id}-transitions-heatmap`, title: `Per-fault transitions: ${t.from} → ${t.to}`,
      caption: 'Each cell: the faults in that column under the first mode (row) and the second (column), and their share of the row with its 95% Wilson interval; the diagonal is the faults that kept their outcome.',
      spec: transitionHeatmap(`Per-fault transitions — ${m.campaign.name}`, `${t.paired} faults run under both ${t.from} and ${t.to}`,
        COLUMNS.map((c) => TITLE[c]), t.from, t.to, cells),
      svg: '',
    });
  }

  const source = 'paper';
  const bars: SurvivabilityBar[] = [];
  for (const s of surv) {
    if (s.runs === 0) continue;
    for (const c of COLUMNS) bars.push({ mode: s.mode, source: 'ours', outcome: TITLE[c], pct: s.cells[c].pct, count: s.cells[c].count, lo: s.cells[c].lo, hi: s.cells[c].hi });
    const p = paper?.rows[s.mode];
    if (p) {
      for (const c of COLUMNS) {
        // The paper gives rounded %; its interval is rebuilt from round(% x faults), as compare --paper does.
        const w = wilson(Math.round((p[c] * paper!.faults) / 100), paper!.faults);
        bars.push({ mode: s.mode, source, outcome: TITLE[c], pct: p[c], lo: 100 * w.lo, hi: 100 * w.hi });
      }
    }
  }
  blocks.push({
    kind: 'chart', id: `${id}-chart`, title: `Survivability of ${m.campaign.name} per recovery mode`,
    caption: (paper ? `Each mode: our runs above, the paper's ${paper.title} below. ` : '') +
      'The black line through the end of each segment is its 95% Wilson interval: where that end would lie at the low or high end of the interval (clipped at 100%; for the paper, rebuilt from its rounded % and fault count).',
    spec: survivabilityChart(`Survivability per recovery mode — ${m.campaign.name}`,
      `${m.faults.length} faults × ${m.modes.length} modes, fault model ${describeModel(info.faultModel)}${paper ? `; paper: ${paper.title} (${paper.faults} faults)` : ''}`,
      surv.filter((s) => s.runs > 0).map((s) => s.mode), bars),
    svg: '',
  });
  blocks.push(...breakdownBlocks(res, id, surv.filter((s) => s.runs > 0).map((s) => s.mode)));
  return blocks;
}

export function survivabilitySection(campaigns: Got<Results>[], root: string): Section {
  const blocks: Block[] = [];
  if (campaigns.length === 0) {
    blocks.push({ kind: 'missing', text: `No campaign results were found under \`${root}\`. Run a campaign first, e.g. \`osiris-fi run campaigns/quick.json\`, then build the report again (or point it at results with \`--results <dir>\`).` });
  }
  campaigns.forEach((c, i) => {
    if (c.ok) blocks.push(...campaignBlocks(c.value, i));
    else blocks.push({ kind: 'missing', text: c.reason });
  });
  return {
    id: 'survivability',
    title: 'Survivability under fault injection (Tables II and III)',
    intro: ['One fault per run, faulty on every execution of its block, the same faults under every recovery mode. ' +
      'Outcomes: **pass** (all tests passed), **fail** (the suite completed, a test failed), **shutdown** (controlled shutdown), **crash** (anything else). ' +
      'Of each campaign found, the latest results are shown. ' +
      'After each campaign\'s chart: survivability per server and per fault type, and the recoverability map — per file and function, the share of its faults each mode survived (survived = pass).'],
    blocks,
  };
}
