/*
 * The breakdowns (per server, fault type, file and function) as terminal
 * tables for `compare --by`: one row per group and mode, survived (pass)
 * with its 95% Wilson interval, then the fail, shutdown and crash shares.
 */
import { functionLabel, type Breakdown } from '../report/breakdown';
import { table } from './format';

const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const TITLE = { server: 'server', 'fault-type': 'fault type', function: 'file:line function' } as const;

export function renderBreakdownText(b: Breakdown): string {
  const out: string[] = [];
  const what = b.by === 'function' ? 'file and function (the recoverability map)' : b.by === 'server' ? 'server' : 'fault type';
  out.push(`By ${what}: survived = pass, % of the group's runs [95% Wilson interval]; fail, shutdown, crash as %`);
  const rows: (string | number)[][] = [];
  for (const g of b.groups) {
    const label = b.by === 'function' ? functionLabel(g) : g.label;
    let first = true;
    for (const m of g.modes) {
      if (m.runs === 0) continue;
      const c = m.cells;
      rows.push([first ? label : '', first ? g.faults : '', m.mode, m.runs, `${one(c.pass.pct)} [${one(c.pass.lo)}-${one(c.pass.hi)}]`, one(c.fail.pct), one(c.shutdown.pct), one(c.crash.pct)]);
      first = false;
    }
  }
  out.push(table([TITLE[b.by], 'faults', 'mode', 'runs', 'survived %', 'fail %', 'shutdown %', 'crash %'], rows, ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r']));
  if (b.lines && b.lines.buildHash === null) out.push('(no line numbers: the osiris+edfi build is not installed)');
  else if (b.lines && !b.lines.sameBuild) out.push(`(line numbers from this installation's build ${b.lines.buildHash!.slice(0, 12)}, not the one these results were run on; block ids are stable, lines may have moved)`);
  return out.join('\n');
}
