/*
 * The breakdowns as CSV rows (export --table by-server, by-fault-type,
 * by-function): one row per group and mode, long format, so a data frame
 * pivots it as it likes. Columns are documented in README ("osiris-fi
 * export"); keep the two in step.
 *
 * The entry points into this file are:
 *   BREAKDOWN_TABLES   the table names and the dimension each breaks down by
 *   breakdownRows      a breakdown's header and rows, after the identity columns
 */
import type { Breakdown, Dimension } from './breakdown';
import { COLUMNS, CRASH_DETAILS } from './survivability';

export const BREAKDOWN_TABLES: Record<string, Dimension> = { 'by-server': 'server', 'by-fault-type': 'fault-type', 'by-function': 'function' };

type Value = string | number;
const pct = (x: number): Value => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : '');

export function breakdownRows(b: Breakdown): { columns: string[]; rows: Value[][] } {
  const groupCols = b.by === 'server' ? ['server'] : b.by === 'fault-type' ? ['fault_type'] : ['server', 'file', 'line', 'function', 'location'];
  // How the runs that did not survive ended (the crash kinds, the oracle): the "why" beside the "where".
  const crashKinds = [...CRASH_DETAILS, 'other'] as const;
  const columns = [...groupCols, 'mode', 'faults', 'runs', ...COLUMNS, ...COLUMNS.flatMap((c) => [`${c}_pct`, `${c}_lo`, `${c}_hi`]),
    ...crashKinds.map((k) => `crash_${k === 'crash' ? 'uncontrolled' : k.replace('-', '_')}`), 'with_recoveries', 'oracle_unhappy'];
  const rows: Value[][] = [];
  for (const g of b.groups) {
    const head: Value[] = b.by === 'server' ? [g.label] : b.by === 'fault-type' ? [g.label]
      : [g.server, g.file!, g.line ?? '', g.function!, g.line != null ? `${g.file}:${g.line}` : g.file!];
    for (const m of g.modes) {
      if (m.runs === 0) continue;
      rows.push([...head, m.mode, g.faults, m.runs, ...COLUMNS.map((c) => m.cells[c].count),
        ...COLUMNS.flatMap((c) => [pct(m.cells[c].pct), pct(m.cells[c].lo), pct(m.cells[c].hi)]),
        ...crashKinds.map((k) => m.crashes[k]), m.recovered, m.oracleUnhappy]);
    }
  }
  return { columns, rows };
}
