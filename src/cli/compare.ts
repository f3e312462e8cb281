/*
 * `osiris-fi compare <results…>`: recovery modes side by side — Pass, Fail,
 * Shutdown and Crash as % of runs with counts and 95% Wilson intervals —,
 * the per-fault transitions between two modes, the recoveries that left the
 * consistency oracle unhappy, and with --paper the paper's Table II or III
 * beside ours.
 *
 * The entry points into this file are:
 *   runCompareCommand   the command
 *   compareReport       the report as data (what --json prints)
 *   pickPair            the two modes of the transition matrix
 */
import path from 'node:path';
import { Outcome } from '../experiment/classify';
import { campaignInfo, Results } from '../report/load-results';
import { paperTableFor, PaperRow } from '../report/paper';
import { COLUMNS, CRASH_DETAILS, CrashDetail, modesOf, ModeSurvivability, survivability } from '../report/survivability';
import { defaultPair, movements, transitions, Transitions } from '../report/transitions';
import { wilson } from '../report/wilson';
import { UsageError } from './errors';
import { table } from './format';
import { loadForReport } from './shared';

export interface CompareOptions { paper?: boolean; modes?: string; json?: boolean }

/** `--modes a,b`, or the default pair; null when the results hold fewer than two modes. */
export function pickPair(modes: string[], spec: string | undefined): [string, string] | null {
  if (spec === undefined) return defaultPair(modes);
  const parts = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length !== 2 || parts[0] === parts[1]) throw new UsageError(`--modes "${spec}": expected two different modes, e.g. --modes naive,enhanced`);
  for (const m of parts) if (!modes.includes(m)) throw new UsageError(`--modes: no runs of mode "${m}" here; the results hold ${modes.join(', ')}`);
  return [parts[0], parts[1]];
}

export interface PaperComparison {
  table: string;
  title: string;
  faults: number;
  /** False when the campaign's fault model is a custom list the paper did not run. */
  exactModel: boolean;
  /** The paper's %, with intervals from counts rebuilt as round(% × faults). */
  rows: Record<string, PaperRow & { intervals: Record<Outcome, [number, number]> }>;
}

export interface CompareReport {
  campaign: string;
  campaignFile: string;
  /** The shard a single directory holds (null: the whole campaign, or shards combined). */
  shard: { index: number; count: number } | null;
  faultModel: unknown;
  dirs: string[];
  tool: { name: string; version: string };
  variantHash: string;
  runs: number;
  expected: number;
  faults: number;
  torn: string[];
  modes: ModeSurvivability[];
  transitions: Transitions | null;
  paper?: PaperComparison | null;
}

function paperComparison(faultModel: unknown): PaperComparison | null {
  const p = paperTableFor(faultModel);
  if (!p) return null;
  const rows: PaperComparison['rows'] = {};
  for (const [mode, row] of Object.entries(p.paper.rows)) {
    const intervals = {} as Record<Outcome, [number, number]>;
    for (const c of COLUMNS) {
      const w = wilson(Math.round((row[c] * p.paper.faults) / 100), p.paper.faults);
      intervals[c] = [100 * w.lo, 100 * w.hi];
    }
    rows[mode] = { ...row, intervals };
  }
  return { table: p.paper.table, title: p.paper.title, faults: p.paper.faults, exactModel: p.exact, rows };
}

export function compareReport(res: Results, opts: CompareOptions): CompareReport {
  const modes = modesOf(res.manifest.modes, res.runs);
  const pair = pickPair(modes, opts.modes);
  const info = campaignInfo(res.manifest);
  return {
    campaign: res.manifest.campaign.name, campaignFile: res.manifest.campaign.file, shard: res.manifest.shard, faultModel: info.faultModel, dirs: res.dirs, tool: res.manifest.tool,
    variantHash: res.manifest.variantHash, runs: res.runs.length, expected: res.expected, faults: res.manifest.faults.length,
    torn: res.torn, modes: survivability(res.runs, modes),
    transitions: pair ? transitions(res.runs, pair[0], pair[1]) : null,
    ...(opts.paper ? { paper: paperComparison(info.faultModel) } : {}),
  };
}

const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const withCi = (pct: number, lo: number, hi: number) => (Number.isFinite(pct) ? `${one(pct)} [${one(lo)}-${one(hi)}]` : '-');
const COLUMN_TITLE: Record<Outcome, string> = { pass: 'Pass', fail: 'Fail', shutdown: 'Shutdown', crash: 'Crash' };
const shortPath = (d: string) => {
  const rel = path.relative(process.cwd(), d);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? d : rel;
};
const describeModel = (m: unknown) => (Array.isArray(m) ? m.join('+') : String(m ?? 'unknown'));

function renderText(r: CompareReport): string {
  const out: string[] = [];
  const nModes = r.modes.length;
  out.push(`${r.campaign}: ${r.runs} of ${r.expected} runs (${r.faults} faults x ${nModes} mode${nModes === 1 ? '' : 's'}), fault model ${describeModel(r.faultModel)}, ` +
    `${r.tool.name} ${r.tool.version}, build ${r.variantHash.slice(0, 12)}`);
  out.push(`results: ${r.dirs.map(shortPath).join(', ')}`);
  if (r.runs < r.expected) {
    const missing = r.expected - r.runs;
    if (r.shard) out.push(`incomplete: this is shard ${r.shard.index}/${r.shard.count}; give every shard's directory (or merge them) for the whole campaign`);
    else if (r.dirs.length > 1) out.push(`incomplete: ${missing} run${missing === 1 ? '' : 's'} missing: a shard is unfinished or not given`);
    else out.push(`incomplete: ${missing} run${missing === 1 ? '' : 's'} missing; resume with \`osiris-fi run ${r.campaignFile || '<campaign>'} --resume ${shortPath(r.dirs[0])}\``);
  }
  for (const d of r.torn) out.push(`note: ${d} ends in a torn line (an interrupted write); it was left out`);
  out.push('');

  out.push('Survivability: % of runs [95% Wilson interval]; Crash includes timeouts, deadlocks and incomplete suites');
  const rows: (string | number)[][] = [];
  for (const m of r.modes) {
    rows.push([m.mode, m.runs, ...COLUMNS.map((c) => withCi(m.cells[c].pct, m.cells[c].lo, m.cells[c].hi))]);
    const p = r.paper?.rows[m.mode];
    if (p) rows.push([`  paper (${r.paper!.table})`, r.paper!.faults, ...COLUMNS.map((c) => withCi(p[c], p.intervals[c][0], p.intervals[c][1]))]);
  }
  out.push(table(['mode', 'runs', ...COLUMNS.map((c) => COLUMN_TITLE[c])], rows, ['l', 'r', 'r', 'r', 'r', 'r']));
  if (r.paper === null) out.push(`(no paper table for fault model ${describeModel(r.faultModel)})`);
  else if (r.paper) {
    out.push(`paper: ${r.paper.title}, ${r.paper.faults} faults per mode (its intervals rebuilt from the rounded %)` +
      `${r.paper.exactModel ? '' : `; the paper ran the full EDFI set, this campaign ${describeModel(r.faultModel)}`}`);
    const none = r.modes.filter((m) => !r.paper!.rows[m.mode]).map((m) => m.mode);
    if (none.length) out.push(`(the paper has no row for ${none.join(', ')})`);
  }
  out.push('');

  out.push('Counts (the Crash column by kind of ending)');
  // 'other' (a crash of a kind this version does not know) only when some run has one.
  const kinds: (CrashDetail | 'other')[] = [...CRASH_DETAILS, ...(r.modes.some((m) => m.crashes.other > 0) ? ['other' as const] : [])];
  out.push(table(['mode', 'pass', 'fail', 'shutdown', 'crash', ...kinds.map((k) => (k === 'crash' ? 'uncontrolled' : k))],
    r.modes.map((m) => [m.mode, ...COLUMNS.map((c) => m.cells[c].count), ...kinds.map((k) => m.crashes[k])]),
    ['l', ...Array(4 + kinds.length).fill('r')]));
  out.push('');

  const t = r.transitions;
  if (!t) out.push('Transitions: need two modes (these results hold one)');
  else {
    out.push(`Transitions ${t.from} -> ${t.to}: ${t.paired} faults run under both (rows: ${t.from}, columns: ${t.to})`);
    out.push(table([`${t.from} \\ ${t.to}`, ...COLUMNS.map((c) => COLUMN_TITLE[c]), 'total'],
      COLUMNS.map((x) => [COLUMN_TITLE[x], ...COLUMNS.map((y) => t.matrix[x][y]), COLUMNS.reduce((a, y) => a + t.matrix[x][y], 0)]),
      ['l', 'r', 'r', 'r', 'r', 'r']));
    const mv = movements(t);
    if (mv.length === 0) out.push('no fault changed column');
    for (const x of mv) out.push(`  ${x.count} fault${x.count === 1 ? '' : 's'}: ${x.from} under ${t.from}, ${x.to} under ${t.to}`);
    if (t.onlyFrom.length || t.onlyTo.length) out.push(`  unpaired: ${t.onlyFrom.length} only under ${t.from}, ${t.onlyTo.length} only under ${t.to}`);
  }
  out.push('');

  out.push('Recoveries and the consistency oracle (checked after runs that finished without a halt)');
  out.push(table(['mode', 'runs', 'with recoveries', 'oracle unhappy', 'of which pass', 'fail', 'shutdown', 'crash'],
    r.modes.map((m) => [m.mode, m.runs, m.recovered, m.oracleUnhappy, ...COLUMNS.map((c) => m.oracleUnhappyBy[c])]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  return out.join('\n') + '\n';
}

export function runCompareCommand(dirs: string[], opts: CompareOptions): number {
  const report = compareReport(loadForReport(dirs), opts);
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report));
  return 0;
}
