/*
 * `osiris-fi memory`: per-server memory overhead of recovery (Table VI):
 * data section, spare clone, largest undo log during the Unixbench-like
 * programs, total overhead, in kB — with the measuring method.
 *
 * The entry points into this file are:
 *   runMemoryCommand   the command
 */
import { checkWritableFile } from '../experiment/durable-file';
import { memoryCsv, runMemory } from '../experiment/memory';
import { table } from './format';
import { writeCsv } from './shared';

export interface MemoryOptions { json?: boolean; csv?: string }

export function runMemoryCommand(opts: MemoryOptions): number {
  if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
  const r = runMemory();
  if (opts.csv !== undefined) writeCsv(opts.csv, memoryCsv(r));
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const k = (x: number) => x.toFixed(1);
  const rows: (string | number)[][] = r.servers.map((s) => [
    s.server.toUpperCase(), k(s.dataKb), k(s.cloneKb), k(s.undoKb), k(s.overheadKb), s.undoEntries, s.undoProgram + (s.undoOverflowed ? ' (overflowed)' : ''),
  ]);
  rows.push(['total', k(r.total.dataKb), k(r.total.cloneKb), k(r.total.undoKb), k(r.total.overheadKb), '', '']);
  process.stdout.write('Memory (kB) per server: data section, spare clone, largest undo log, total overhead (clone + undo log)\n\n');
  process.stdout.write(table(['server', 'data', '+clone', '+undo log', 'overhead', 'undo entries', 'largest during'], rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'l']) + '\n\n');
  process.stdout.write(`data section: ${r.method.dataSection}\nspare clone:  ${r.method.clone}\nundo log:     ${r.method.undoLog}\n`);
  if (opts.csv !== undefined) process.stderr.write(`wrote ${opts.csv}\n`);
  return 0;
}
