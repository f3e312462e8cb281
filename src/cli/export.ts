/*
 * `osiris-fi export <results…> --table survivability|runs|transitions|
 * by-server|by-fault-type|by-function [--csv <file>] [filters]`: the results
 * as CSV (csv-stringify) for plotting and spreadsheets, to stdout or a file.
 * Every row starts with the campaign, its seed and the build hash. The columns are documented in README
 * ("osiris-fi export"); keep the two in step.
 *
 * The entry points into this file are:
 *   runExportCommand   the command
 *   exportTable        a table's header and rows (what the CSV holds)
 *   TABLES             the table names
 */
import { checkWritableFile, writeFileAtomic } from '../experiment/durable-file';
import { ToolError } from '../tool-error';
import { stringify } from 'csv-stringify/sync';
import { campaignInfo, faultKeyOf, Results } from '../report/load-results';
import { COLUMNS, CRASH_DETAILS, modesOf, survivability } from '../report/survivability';
import { transitions } from '../report/transitions';
import { functionLines } from '../report/block-lines';
import { breakdown } from '../report/breakdown';
import { BREAKDOWN_TABLES, breakdownRows } from '../report/breakdown-rows';
import { applyFilter, FilterError, FilterOptions, parseFilter } from '../report/filters';
import { UsageError } from './errors';
import { loadForReport, pickPair } from './shared';

export const TABLES = ['survivability', 'runs', 'transitions', 'by-server', 'by-fault-type', 'by-function'] as const;
export type TableName = (typeof TABLES)[number];

export interface ExportOptions extends FilterOptions { table?: string; csv?: string; modes?: string }

type Value = string | number;

/** Percentages to three decimals; an undefined one (no runs) as an empty cell. */
const pct = (x: number): Value => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : '');
const model = (m: unknown) => (Array.isArray(m) ? m.join('+') : String(m ?? ''));

/** Every row starts with these, so concatenated exports of campaigns, seeds or builds stay apart. */
const ID_COLUMNS = ['campaign', 'seed', 'build'];
const idCells = (res: Results): Value[] => [res.manifest.campaign.name, campaignInfo(res.manifest).seed ?? '', res.manifest.variantHash];

function survivabilityRows(res: Results): { columns: string[]; rows: Value[][] } {
  const fm = model(campaignInfo(res.manifest).faultModel);
  const crashKinds = [...CRASH_DETAILS, 'other'] as const;
  const columns = [
    ...ID_COLUMNS, 'fault_model', 'mode', 'runs', ...COLUMNS,
    ...COLUMNS.flatMap((c) => [`${c}_pct`, `${c}_lo`, `${c}_hi`]),
    ...crashKinds.map((k) => `crash_${k === 'crash' ? 'uncontrolled' : k.replace('-', '_')}`),
    'with_recoveries', 'oracle_unhappy',
  ];
  const rows = survivability(res.runs, shownModes(res)).map((m) => [
    ...idCells(res), fm, m.mode, m.runs, ...COLUMNS.map((c) => m.cells[c].count),
    ...COLUMNS.flatMap((c) => [pct(m.cells[c].pct), pct(m.cells[c].lo), pct(m.cells[c].hi)]),
    ...crashKinds.map((k) => m.crashes[k]), m.recovered, m.oracleUnhappy,
  ]);
  return { columns, rows };
}

function runRows(res: Results): { columns: string[]; rows: Value[][] } {
  const columns = [
    ...ID_COLUMNS, 'key', 'fault', 'mode', 'block', 'server', 'fault_type', 'outcome', 'detail', 'activations', 'recoveries',
    'recovery_actions', 'oracle_violations', 'failed_tests', 'programs', 'sim_time_ns', 'messages', 'halt', 'error', 'wall_ms',
  ];
  const rows = res.runs.map((r) => [
    ...idCells(res), r.key, faultKeyOf(r), r.mode, r.block, r.server ?? '', r.faultType, r.outcome, r.detail, r.activations ?? '', r.recoveries ?? '',
    (r.recoveryActions ?? []).join(';'), r.oracleViolations ?? '', (r.failedTests ?? []).join(';'), r.programs ?? '',
    r.simTimeNs ?? '', r.messages ?? '', r.halt ?? '', r.error ?? '', r.wallMs ?? '',
  ]);
  return { columns, rows };
}

function transitionRows(res: Results, modesSpec: string | undefined): { columns: string[]; rows: Value[][] } {
  const modes = shownModes(res);
  const pair = pickPair(modes, modesSpec);
  if (!pair) throw new UsageError(`--table transitions: the results hold only ${modes.length} mode(s); transitions need two`);
  const t = transitions(res.runs, pair[0], pair[1]);
  const columns = [...ID_COLUMNS, 'from_mode', 'to_mode', 'from_outcome', 'to_outcome', 'faults', 'pct_of_from_outcome', 'pct_of_paired'];
  const rows: Value[][] = [];
  for (const x of COLUMNS) {
    const rowTotal = COLUMNS.reduce((a, y) => a + t.matrix[x][y], 0);
    for (const y of COLUMNS) {
      const n = t.matrix[x][y];
      rows.push([...idCells(res), t.from, t.to, x, y, n, pct(rowTotal ? (100 * n) / rowTotal : NaN), pct(t.paired ? (100 * n) / t.paired : NaN)]);
    }
  }
  return { columns, rows };
}

/** The manifest's modes (and any others recorded), only those a --mode filter names. */
function shownModes(res: Results & { onlyModes?: string[] }): string[] {
  return modesOf(res.manifest.modes, res.runs).filter((m) => !res.onlyModes || res.onlyModes.includes(m));
}

function breakdownTable(res: Results, tableName: TableName): { columns: string[]; rows: Value[][] } {
  const by = BREAKDOWN_TABLES[tableName]!;
  const b = breakdown(res.runs, shownModes(res), by, by === 'function' ? functionLines() : null, res.manifest.variantHash);
  const t = breakdownRows(b);
  return { columns: [...ID_COLUMNS, ...t.columns], rows: t.rows.map((r) => [...idCells(res), ...r]) };
}

/** The table's header and rows; filters (--server, --fault-type, --outcome, --mode) select the runs it is made of. */
export function exportTable(all: Results, tableName: TableName, modes?: string, filterOpts: FilterOptions = {}): { columns: string[]; rows: Value[][] } {
  let filter;
  try { filter = parseFilter(filterOpts, all); } catch (e) {
    if (e instanceof FilterError) throw new UsageError(e.message);
    throw e;
  }
  const res = { ...applyFilter(all, filter), onlyModes: filter.modes };
  if (tableName in BREAKDOWN_TABLES) return breakdownTable(res, tableName);
  if (tableName === 'survivability') return survivabilityRows(res);
  if (tableName === 'runs') return runRows(res);
  return transitionRows(res, modes);
}

export function runExportCommand(dirs: string[], opts: ExportOptions): number {
  const name = opts.table;
  if (!name || !(TABLES as readonly string[]).includes(name)) {
    throw new UsageError(`--table ${name ?? '(missing)'}: expected one of ${TABLES.join(', ')}`);
  }
  if (opts.modes !== undefined && name !== 'transitions') throw new UsageError('--modes applies to --table transitions only');
  if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
  const { columns, rows } = exportTable(loadForReport(dirs), name as TableName, opts.modes, opts);
  const text = stringify(rows, { header: true, columns });
  if (opts.csv === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try { writeFileAtomic(opts.csv, text); } catch (e) {
    if (e instanceof ToolError) throw new ToolError(e.code, `--csv ${e.message}`);
    throw e;
  }
  process.stderr.write(`wrote ${rows.length} row${rows.length === 1 ? '' : 's'} (${name}) to ${opts.csv}\n`);
  return 0;
}
