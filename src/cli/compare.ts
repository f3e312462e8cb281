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
 */
import path from 'node:path';
import { Outcome } from '../experiment/classify';
import { campaignInfo, Results } from '../report/load-results';
import { functionLines } from '../report/block-lines';
import { breakdown, Breakdown, parseDimensions } from '../report/breakdown';
import { applyFilter, describeFilter, FilterError, FilterOptions, parseFilter } from '../report/filters';
import { renderBreakdownText } from './breakdown-text';
import { paperTableFor, PaperRow } from '../report/paper';
import { BUILTIN_POLICIES } from '../osiris/policies';
import { COLUMNS, CRASH_DETAILS, CrashDetail, modesOf, ModeSurvivability, survivability } from '../report/survivability';
import { movements, transitions, Transitions } from '../report/transitions';
import { wilson } from '../report/wilson';
import { table } from './format';
import { UsageError } from './errors';
import { loadForReport, pickPair } from './shared';

export interface CompareOptions extends FilterOptions { paper?: boolean; modes?: string; json?: boolean; by?: string }

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
  /** Runs shown (after the filter), runs recorded, runs of the whole campaign. */
  runs: number;
  recorded: number;
  expected: number;
  faults: number;
  torn: string[];
  /** (fault, mode) pairs the planner gave no run: no covering test fit the run budget. */
  unpicked: string[];
  /** The filter as options ("--server pm"), or null. */
  filter: string | null;
  modes: ModeSurvivability[];
  transitions: Transitions | null;
  /** With --by: survivability per server, fault type or function. */
  breakdowns?: Breakdown[];
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
  // A built-in policy modelling a paper row under another name (enhanced-prototype: the paper's Enhanced).
  for (const b of Object.values(BUILTIN_POLICIES)) if (b.paperRow && rows[b.paperRow] && !rows[b.name]) rows[b.name] = rows[b.paperRow]!;
  return { table: p.paper.table, title: p.paper.title, faults: p.paper.faults, exactModel: p.exact, rows };
}

/** Errors of bad filter or --by values, as usage errors. */
function usage<T>(f: () => T): T {
  try { return f(); } catch (e) {
    if (e instanceof FilterError) throw new UsageError(e.message);
    if (e instanceof RangeError) throw new UsageError(`--by: ${e.message}`);
    throw e;
  }
}

export function compareReport(all: Results, opts: CompareOptions): CompareReport {
  const filter = usage(() => parseFilter(opts, all));
  const res = applyFilter(all, filter);
  const dims = opts.by === undefined ? [] : usage(() => parseDimensions(opts.by!));
  const modes = modesOf(res.manifest.modes, res.runs).filter((m) => !filter.modes || filter.modes.includes(m));
  const pair = pickPair(modes, opts.modes);
  const info = campaignInfo(res.manifest);
  return {
    campaign: res.manifest.campaign.name, campaignFile: res.manifest.campaign.file, shard: res.manifest.shard, faultModel: info.faultModel, dirs: res.dirs, tool: res.manifest.tool,
    variantHash: res.manifest.variantHash, runs: res.runs.length, recorded: all.runs.length, expected: res.expected, faults: res.manifest.faults.length,
    torn: res.torn, unpicked: res.manifest.unpicked ?? [], filter: describeFilter(filter) || null, modes: survivability(res.runs, modes),
    transitions: pair ? transitions(res.runs, pair[0], pair[1]) : null,
    ...(dims.length ? { breakdowns: dims.map((d) => breakdown(res.runs, modes, d, d === 'function' ? functionLines() : null, res.manifest.variantHash)) } : {}),
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

/**
 * The paper row shown beside a mode: its own, except that the paper's
 * Enhanced (the prototype's build of it) goes beside enhanced-prototype when
 * the results hold that mode, and then not beside today's enhanced.
 */
export function paperRowFor(mode: string, modes: readonly string[]): string {
  if (modes.includes('enhanced-prototype')) {
    if (mode === 'enhanced-prototype') return 'enhanced';
    if (mode === 'enhanced') return '(none)';
  }
  return mode;
}

function renderText(r: CompareReport): string {
  const out: string[] = [];
  const nModes = r.modes.length;
  out.push(`${r.campaign}: ${r.runs} of ${r.expected} runs (${r.faults} faults x ${nModes} mode${nModes === 1 ? '' : 's'}), fault model ${describeModel(r.faultModel)}, ` +
    `${r.tool.name} ${r.tool.version}, build ${r.variantHash.slice(0, 12)}`);
  out.push(`results: ${r.dirs.map(shortPath).join(', ')}`);
  if (r.filter) out.push(`filter: ${r.filter}: ${r.runs} of the ${r.recorded} recorded runs`);
  if (r.recorded < r.expected) {
    const missing = r.expected - r.recorded;
    if (r.shard) out.push(`incomplete: this is shard ${r.shard.index}/${r.shard.count}; give every shard's directory (or merge them) for the whole campaign`);
    else if (r.dirs.length > 1) out.push(`incomplete: ${missing} run${missing === 1 ? '' : 's'} missing: a shard is unfinished or not given`);
    else out.push(`incomplete: ${missing} run${missing === 1 ? '' : 's'} missing; resume with \`osiris-fi run ${r.campaignFile || '<campaign>'} --resume ${shortPath(r.dirs[0]!)}\``);
  }
  for (const d of r.torn) out.push(`note: ${d} ends in a torn line (an interrupted write); it was left out`);
  out.push('');

  out.push('Survivability: % of runs [95% Wilson interval]; Crash includes timeouts, deadlocks and incomplete suites');
  const rows: (string | number)[][] = [];
  for (const m of r.modes) {
    rows.push([m.mode, m.runs, ...COLUMNS.map((c) => withCi(m.cells[c].pct, m.cells[c].lo, m.cells[c].hi))]);
    const p = r.paper?.rows[paperRowFor(m.mode, r.modes.map((x) => x.mode))];
    if (p) rows.push([`  paper (${r.paper!.table})`, r.paper!.faults, ...COLUMNS.map((c) => withCi(p[c], p.intervals[c][0], p.intervals[c][1]))]);
  }
  out.push(table(['mode', 'runs', ...COLUMNS.map((c) => COLUMN_TITLE[c])], rows, ['l', 'r', 'r', 'r', 'r', 'r']));
  if (r.paper === null) out.push(`(no paper table for fault model ${describeModel(r.faultModel)})`);
  else if (r.paper) {
    out.push(`paper: ${r.paper.title}, ${r.paper.faults} faults per mode (its intervals rebuilt from the rounded %)` +
      `${r.paper.exactModel ? '' : `; the paper ran the full EDFI set, this campaign ${describeModel(r.faultModel)}`}`);
    const all = r.modes.map((x) => x.mode);
    if (all.includes('enhanced-prototype')) out.push('paper: its Enhanced (the prototype\'s build) is shown beside enhanced-prototype');
    const none = r.modes.filter((m) => !r.paper!.rows[paperRowFor(m.mode, all)]).map((m) => m.mode);
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

  out.push('Activation and pre-tests: runs whose fault never fired (counted as they ended; the prototype counted them as pass), fail runs in which only pre-tests failed');
  out.push(table(['mode', 'runs', 'never fired', 'of which pass', 'fail', 'shutdown', 'crash', 'failed only in pre-tests'],
    r.modes.map((m) => [m.mode, m.runs, m.notActivated, ...COLUMNS.map((c) => m.notActivatedBy[c]), m.failedOnlyInPretests]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  if (r.unpicked.length) out.push(`not run: ${r.unpicked.length} (fault, mode) pairs had no covering test that fits the run budget (the prototype ran no such fault)`);
  out.push('');

  out.push('Recoveries and the consistency oracle (checked after runs that finished without a halt)');
  out.push(table(['mode', 'runs', 'with recoveries', 'oracle unhappy', 'of which pass', 'fail', 'shutdown', 'crash'],
    r.modes.map((m) => [m.mode, m.runs, m.recovered, m.oracleUnhappy, ...COLUMNS.map((c) => m.oracleUnhappyBy[c])]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  for (const b of r.breakdowns ?? []) out.push('', renderBreakdownText(b));
  if (!r.breakdowns) out.push('', '(per server, fault type or function: --by server,fault-type,function; narrow with --server, --fault-type, --outcome, --mode)');
  return out.join('\n') + '\n';
}

export function runCompareCommand(dirs: string[], opts: CompareOptions): number {
  const report = compareReport(loadForReport(dirs), opts);
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report));
  return 0;
}
