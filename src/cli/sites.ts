/*
 * `osiris-fi sites`: the blocks of the instrumented servers and their fault
 * candidates, with file:line, and counts per server and fault type.
 */
import { loadBlockMap } from '../sim/variants';
import { FAULT_TYPES, isFaultType } from '../edfi/fault-types';
import { RECOVERABLE } from '../os/proto/endpoints';
import { UsageError } from './errors';
import { table } from './format';

export interface SitesOptions { server?: string; type?: string; json?: boolean }

export function runSitesCommand(opts: SitesOptions): number {
  if (opts.server && !(RECOVERABLE as readonly string[]).includes(opts.server)) {
    throw new UsageError(`unknown server "${opts.server}" (one of: ${RECOVERABLE.join(', ')})`);
  }
  if (opts.type && !isFaultType(opts.type)) throw new UsageError(`unknown fault type "${opts.type}" (one of: ${FAULT_TYPES.join(', ')})`);
  const map = loadBlockMap('osiris+edfi');
  const blocks = map.blocks.filter((b) => (!opts.server || b.server === opts.server) && (!opts.type || b.candidates.includes(opts.type as never)));
  const byServer: Record<string, number> = {};
  const byType: Record<string, number> = {};
  for (const s of RECOVERABLE) byServer[s] = 0;
  for (const t of FAULT_TYPES) byType[t] = 0;
  for (const b of blocks) {
    byServer[b.server]!++;
    for (const t of b.candidates) byType[t]!++;
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({ build: map.hash, total: blocks.length, byServer, byType, blocks }, null, 2) + '\n');
    return 0;
  }
  const rows = blocks.map((b) => [b.id, `${b.server}/${b.file}:${b.line}`, b.statements, b.fault ? b.fault.type : `(${b.excluded})`, b.candidates.length]);
  process.stdout.write(table(['block', 'location', 'stmts', 'fault', 'candidates'], rows, ['l', 'l', 'r', 'l', 'r']) + '\n\n');
  process.stdout.write(table(['server', 'blocks'], Object.entries(byServer), ['l', 'r']) + '\n\n');
  process.stdout.write(table(['fault type', 'blocks where it applies'], Object.entries(byType), ['l', 'r']) + '\n');
  return 0;
}
