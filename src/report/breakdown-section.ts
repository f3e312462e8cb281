/*
 * The report's breakdowns of one campaign: survivability per server and per
 * fault type (tables), and the recoverability map — per file and function,
 * the faults injected and the share each mode survived (pass), with the
 * fail/shutdown/crash counts that say how the rest ended — as a table and
 * a heat map. Answers "where in PM does enhanced recovery fail, and why"
 * without writing code (`compare --by` and `export --table by-*` give the
 * same figures).
 *
 * The entry points into this file are:
 *   breakdownBlocks   the blocks for one campaign, ids prefixed by the campaign's
 */
import type { Outcome } from '../experiment/classify';
import { functionLines } from './block-lines';
import { breakdown, functionLabel, type Breakdown } from './breakdown';
import type { Block, Column } from './document';
import { recoverabilityHeatmap, type HeatCell } from './charts';
import type { Results } from './load-results';
import { COLUMNS } from './survivability';

const TITLE: Record<Outcome, string> = { pass: 'Pass', fail: 'Fail', shutdown: 'Shutdown', crash: 'Crash' };
const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const withCi = (c: { pct: number; lo: number; hi: number }) => (Number.isFinite(c.pct) ? `${one(c.pct)} (${one(c.lo)}–${one(c.hi)})` : '–');
const where = (g: Breakdown['groups'][number]) => (g.line != null ? `${g.file}:${g.line}` : g.file!);

/** Rows of group × mode with the four columns, the group named on its first row only. */
function groupTable(b: Breakdown, id: string, caption: string, groupTitle: string): Block {
  const columns: Column[] = [{ title: groupTitle, align: 'l' }, { title: 'Faults', align: 'r' }, { title: 'Mode', align: 'l', sep: true }, { title: 'Runs', align: 'r' },
    ...COLUMNS.map((c): Column => ({ title: c === 'pass' ? 'Pass (survived) %' : `${TITLE[c]} %`, align: 'r', sep: c === 'pass', detail: true }))];
  const rows: string[][] = [];
  for (const g of b.groups) {
    g.modes.filter((m) => m.runs > 0).forEach((m, i) => {
      rows.push([i === 0 ? g.label : '', i === 0 ? String(g.faults) : '', m.mode, String(m.runs), ...COLUMNS.map((c) => withCi(m.cells[c]))]);
    });
  }
  return { kind: 'table', id, caption, columns, rows, notes: ['% of the group\'s runs under each mode, with the 95% Wilson interval; survived means the run passed.'] };
}

export function breakdownBlocks(res: Results, id: string, modes: string[]): Block[] {
  const blocks: Block[] = [];
  const name = res.manifest.campaign.name;
  blocks.push(groupTable(breakdown(res.runs, modes, 'server'), `${id}-by-server`, `Survivability of ${name} per server`, 'Server'));
  blocks.push(groupTable(breakdown(res.runs, modes, 'fault-type'), `${id}-by-fault-type`, `Survivability of ${name} per fault type`, 'Fault type'));

  const fb = breakdown(res.runs, modes, 'function', functionLines(), res.manifest.variantHash);
  const shown = modes.filter((m) => fb.groups.some((g) => g.modes.some((x) => x.mode === m && x.runs > 0)));
  const columns: Column[] = [{ title: 'Location', align: 'l' }, { title: 'Function', align: 'l' }, { title: 'Faults', align: 'r' }];
  for (const m of shown) {
    columns.push({ title: 'survived %', align: 'r', group: m, sep: true, detail: true }, { title: 'F/S/C', align: 'r', group: m, detail: true });
  }
  const rows = fb.groups.map((g) => {
    const row = [where(g), functionLabel(g).slice(where(g).length + 1), String(g.faults)];
    for (const m of shown) {
      const s = g.modes.find((x) => x.mode === m)!;
      if (s.runs === 0) row.push('–', '–');
      else {
        // The crashes by kind (deadlock, timeout, ...) say why those runs did not survive.
        const kinds = (Object.entries(s.crashes) as [string, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${k === 'crash' ? 'uncontrolled' : k} ${n}`);
        row.push(withCi(s.cells.pass), `${s.cells.fail.count}/${s.cells.shutdown.count}/${s.cells.crash.count}${kinds.length ? ` (${kinds.join(', ')})` : ''}`);
      }
    }
    return row;
  });
  const notes = ['Per function: the faults injected into its blocks and, per mode, the % of them survived (passed) with the 95% Wilson interval; F/S/C counts the runs that instead failed, shut down or crashed, with the crashes by kind.'];
  if (fb.lines?.buildHash === null) notes.push('No line numbers: the osiris+edfi build is not installed here.');
  else if (fb.lines && !fb.lines.sameBuild) notes.push(`Lines are from this installation's build \`${fb.lines.buildHash!.slice(0, 12)}\`, not the results' \`${res.manifest.variantHash.slice(0, 12)}\`; block ids are stable, lines may have moved.`);
  blocks.push({ kind: 'table', id: `${id}-by-function`, caption: `Recoverability map of ${name}: per file and function`, columns, rows, notes });

  const label = functionLabel;
  const cells: HeatCell[] = [];
  for (const g of fb.groups) {
    for (const m of g.modes) {
      if (m.runs === 0) continue;
      const c = m.cells.pass;
      cells.push({ row: label(g), mode: m.mode, pct: c.pct, lo: c.lo, hi: c.hi, survived: c.count, runs: m.runs });
    }
  }
  if (cells.length > 0) {
    blocks.push({
      kind: 'chart', id: `${id}-heatmap`, title: `Recoverability map of ${name}`,
      caption: 'Each cell: the % of the function\'s faults the mode survived (passed) and its 95% Wilson interval in brackets; the table above has the counts.',
      spec: recoverabilityHeatmap(`Recoverability map — ${name}`, `% of each function's faults survived (pass), per recovery mode; ${fb.groups.length} functions`,
        fb.groups.map(label), shown, cells),
      svg: '',
    });
  }
  return blocks;
}
