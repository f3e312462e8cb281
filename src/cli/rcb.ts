/*
 * `osiris-fi rcb`: the Reliable Computing Base in lines of code (SLOCCount's
 * rule), per part, against the system (the paper's denominator) and the whole code base.
 *
 * The entry points into this file are:
 *   runRcbCommand   the command
 */
import { checkWritableFile } from '../experiment/durable-file';
import { rcbCsv, runRcb } from '../experiment/rcb';
import { table } from './format';
import { writeCsv } from './shared';

export interface RcbOptions { json?: boolean; csv?: string; files?: boolean }

export function runRcbCommand(opts: RcbOptions): number {
  if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
  const r = runRcb();
  if (opts.csv !== undefined) writeCsv(opts.csv, rcbCsv(r));
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const rows: (string | number)[][] = [];
  for (const p of r.parts) {
    rows.push([p.part, p.mechanism, p.sloc, p.pctSystem.toFixed(1), p.pct.toFixed(1)]);
    if (opts.files) for (const f of p.files) rows.push([`  ${f.path}${f.section ? ` [${f.section}]` : ''}`, '', f.sloc, '', '']);
  }
  rows.push(['RCB', '', r.rcb.sloc, r.rcb.pctSystem.toFixed(1), r.rcb.pct.toFixed(1)]);
  rows.push(['system', `${r.system.files} files: ${r.system.sources.join(', ')}`, r.system.sloc, '100.0', (100 * r.system.sloc / r.whole.sloc).toFixed(1)]);
  rows.push(['whole (src/)', `${r.whole.files} files`, r.whole.sloc, '', '100.0']);
  process.stdout.write('Reliable Computing Base, lines of code (SLOCCount rule: no blank or comment-only lines)\n\n');
  process.stdout.write(table(['part', 'paper mechanism', 'LOC', '% of system', '% of whole'], rows, ['l', 'l', 'r', 'r', 'r']) + '\n\n');
  process.stdout.write(`RCB: ${r.rcb.sloc} LOC: ${r.rcb.pctSystem.toFixed(1)}% of the system (${r.system.sloc} LOC; the paper's denominator is the system), ` +
    `${r.rcb.pct.toFixed(1)}% of the whole tool (${r.whole.sloc} LOC)\n`);
  for (const e of r.excluded) process.stdout.write(`not counted in the RCB: ${e.path} (${e.sloc} LOC): ${e.reason}\n`);
  if (opts.csv !== undefined) process.stderr.write(`wrote ${opts.csv}\n`);
  return 0;
}
