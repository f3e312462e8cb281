/*
 * `osiris-fi export <results…> --table survivability|runs|transitions
 * [--csv <file>]`: the results as CSV (csv-stringify) for plotting and
 * spreadsheets, to stdout or a file. The columns are documented in README
 * ("osiris-fi export"); keep the two in step.
 *
 * The entry points into this file are:
 *   runExportCommand   the command
 *   exportTable        a table's header and rows (what the CSV holds)
 *   TABLES             the table names
 */
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { campaignInfo, faultKeyOf, Results } from '../report/load-results';
import { COLUMNS, CRASH_DETAILS, modesOf, survivability } from '../report/survivability';
import { transitions } from '../report/transitions';
import { UsageError } from './errors';
import { pickPair } from './compare';
import { loadForReport } from './shared';

export const TABLES = ['survivability', 'runs', 'transitions'] as const;
export type TableName = (typeof TABLES)[number];

export interface ExportOptions { table?: string; csv?: string; modes?: string }

type Value = string | number;

/** Percentages to three decimals; an undefined one (no runs) as an empty cell. */
const pct = (x: number): Value => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : '');
const model = (m: unknown) => (Array.isArray(m) ? m.join('+') : String(m ?? ''));

function survivabilityRows(res: Results): { columns: string[]; rows: Value[][] } {
  const name = res.manifest.campaign.name;
  const fm = model(campaignInfo(res.manifest).faultModel);
  const crashKinds = [...CRASH_DETAILS, 'other'] as const;
  const columns = [
    'campaign', 'fault_model', 'mode', 'runs', ...COLUMNS,
    ...COLUMNS.flatMap((c) => [`${c}_pct`, `${c}_lo`, `${c}_hi`]),
    ...crashKinds.map((k) => `crash_${k === 'crash' ? 'uncontrolled' : k.replace('-', '_')}`),
    'with_recoveries', 'oracle_unhappy',
  ];
  const rows = survivability(res.runs, modesOf(res.manifest.modes, res.runs)).map((m) => [
    name, fm, m.mode, m.runs, ...COLUMNS.map((c) => m.cells[c].count),
    ...COLUMNS.flatMap((c) => [pct(m.cells[c].pct), pct(m.cells[c].lo), pct(m.cells[c].hi)]),
    ...crashKinds.map((k) => m.crashes[k]), m.recovered, m.oracleUnhappy,
  ]);
  return { columns, rows };
}

function runRows(res: Results): { columns: string[]; rows: Value[][] } {
  const name = res.manifest.campaign.name;
  const columns = [
    'campaign', 'key', 'fault', 'mode', 'block', 'server', 'fault_type', 'outcome', 'detail', 'activations', 'recoveries',
    'recovery_actions', 'oracle_violations', 'failed_tests', 'programs', 'sim_time_ns', 'messages', 'halt', 'error', 'wall_ms',
  ];
  const rows = res.runs.map((r) => [
    name, r.key, faultKeyOf(r), r.mode, r.block, r.server ?? '', r.faultType, r.outcome, r.detail, r.activations ?? '', r.recoveries ?? '',
    (r.recoveryActions ?? []).join(';'), r.oracleViolations ?? '', (r.failedTests ?? []).join(';'), r.programs ?? '',
    r.simTimeNs ?? '', r.messages ?? '', r.halt ?? '', r.error ?? '', r.wallMs ?? '',
  ]);
  return { columns, rows };
}

function transitionRows(res: Results, modesSpec: string | undefined): { columns: string[]; rows: Value[][] } {
  const modes = modesOf(res.manifest.modes, res.runs);
  const pair = pickPair(modes, modesSpec);
  if (!pair) throw new UsageError(`--table transitions: the results hold only ${modes.length} mode(s); transitions need two`);
  const t = transitions(res.runs, pair[0], pair[1]);
  const columns = ['campaign', 'from_mode', 'to_mode', 'from_outcome', 'to_outcome', 'faults', 'pct_of_from_outcome', 'pct_of_paired'];
  const rows: Value[][] = [];
  for (const x of COLUMNS) {
    const rowTotal = COLUMNS.reduce((a, y) => a + t.matrix[x][y], 0);
    for (const y of COLUMNS) {
      const n = t.matrix[x][y];
      rows.push([res.manifest.campaign.name, t.from, t.to, x, y, n, pct(rowTotal ? (100 * n) / rowTotal : NaN), pct(t.paired ? (100 * n) / t.paired : NaN)]);
    }
  }
  return { columns, rows };
}

export function exportTable(res: Results, tableName: TableName, modes?: string): { columns: string[]; rows: Value[][] } {
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
  const { columns, rows } = exportTable(loadForReport(dirs), name as TableName, opts.modes);
  const text = stringify(rows, { header: true, columns });
  if (opts.csv === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try { fs.writeFileSync(opts.csv, text); } catch (e) {
    throw new UsageError(`--csv ${opts.csv}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  process.stderr.write(`wrote ${rows.length} row${rows.length === 1 ? '' : 's'} (${name}) to ${opts.csv}\n`);
  return 0;
}
