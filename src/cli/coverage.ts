/*
 * `osiris-fi coverage`: recovery coverage (Table I) — per server, the share
 * of the statements executed during the suite that ran inside the recovery
 * window, per policy, and the weighted average.
 *
 * The entry points into this file are:
 *   runCoverageCommand   the command
 */
import { checkWritableFile } from '../experiment/durable-file';
import { resolvePolicy, Policy } from '../osiris/policies';
import { coverageCsv, runCoverage } from '../experiment/coverage';
import { UsageError } from './errors';
import { table } from './format';
import { writeCsv } from './shared';

export interface CoverageOptions { modes?: string; json?: boolean; csv?: string }

function policies(spec: string): Policy[] {
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--modes needs at least one policy');
  return names.map(resolvePolicy);
}

export function runCoverageCommand(opts: CoverageOptions): number {
  if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
  const r = runCoverage(policies(opts.modes ?? 'pessimistic,enhanced'));
  if (opts.csv !== undefined) writeCsv(opts.csv, coverageCsv(r));
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const servers = r.modes[0]!.servers.map((s) => s.server);
  const rows: (string | number)[][] = servers.map((name, i) => [name.toUpperCase(), ...r.modes.map((m) => m.servers[i]!.coverage.toFixed(1))]);
  rows.push(['weighted average', ...r.modes.map((m) => m.weighted.toFixed(1))]);
  process.stdout.write('Recovery coverage (%): statements executed inside the recovery window during the suite\n\n');
  process.stdout.write(table(['server', ...r.modes.map((m) => m.mode)], rows, ['l', ...r.modes.map(() => 'r' as const)]) + '\n\n');
  const executed = r.modes[0]!.servers.map((s) => `${s.server} ${s.executed}`).join(', ');
  process.stdout.write(`${r.programs} programs (${r.modes.map((m) => `${m.mode}: ${m.passed} passed`).join('; ')}); statements executed: ${executed}\n`);
  if (opts.csv !== undefined) process.stderr.write(`wrote ${opts.csv}\n`);
  return r.modes.every((m) => m.passed === r.programs) ? 0 : 1;
}
