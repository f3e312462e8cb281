/*
 * `osiris-fi suite`: boot the system and run the test programs (the golden
 * run), printing each program's result and a summary with the trace hash.
 */
import { Sim } from '../sim/sim';
import { isVariant, VARIANTS } from '../sim/variants';
import { selectTests } from '../experiment/run-plan';
import { UsageError } from './errors';
import { ms, table } from './format';
import type { CheckingMode } from '../os/kernel/kernel';

export interface SuiteOptions { tests?: string; json?: boolean; variant?: string; extended?: boolean; checking?: string }

const CHECKING_MODES = ['strict', 'minix'] as const;

export function runSuiteCommand(opts: SuiteOptions): number {
  const { names, unknown } = selectTests(opts.tests, opts.extended);
  if (unknown.length) throw new UsageError(`unknown test${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see \`osiris-fi suite --list\`)`);
  if (opts.variant !== undefined && !isVariant(opts.variant)) {
    throw new UsageError(`unknown variant "${opts.variant}" (one of: ${VARIANTS.join(', ')})`);
  }
  const checking = opts.checking ?? 'strict';
  if (!(CHECKING_MODES as readonly string[]).includes(checking)) {
    throw new UsageError(`unknown checking "${checking}" (one of: ${CHECKING_MODES.join(', ')})`);
  }
  const t0 = performance.now();
  const sim = Sim.boot({ variant: opts.variant ?? 'plain' });
  const r0 = sim.reading();
  const results = sim.run(names, { checking: checking as CheckingMode });
  const wallMs = performance.now() - t0;
  const r1 = sim.reading();
  const passed = results.filter((r) => r.status === 'pass').length;
  const summary = {
    programs: results.length,
    passed,
    failed: results.length - passed,
    checks: results.reduce((a, r) => a + r.checks, 0),
    housekeeping: results.reduce((a, r) => a + r.housekeeping, 0),
    housekeepingErrors: results.reduce((a, r) => a + r.housekeepingErrors, 0),
    checking,
    messages: r1.messages - r0.messages,
    simTime: r1.now - r0.now,
    wallMs: Math.round(wallMs * 1000) / 1000,
    traceHash: sim.traceHash(),
    variant: opts.variant ?? 'plain',
    halt: sim.halt(),
  };
  if (opts.json) {
    process.stdout.write(JSON.stringify({ programs: results, summary }, null, 2) + '\n');
  } else {
    const rows = results.map((r) => [r.name, r.status, r.checks, r.messages, ms(r.simTime), r.failure ?? '']);
    process.stdout.write(table(['program', 'result', 'checks', 'messages', 'sim ms', 'failure'], rows, ['l', 'l', 'r', 'r', 'r', 'l']) + '\n\n');
    process.stdout.write(`${summary.passed}/${summary.programs} programs passed, ${summary.checks} checks, ${summary.messages} messages, ` +
      `${ms(summary.simTime)} ms simulated, ${summary.wallMs.toFixed(1)} ms wall, trace ${summary.traceHash}\n`);
    if (summary.halt) process.stdout.write(`run ended early: ${summary.halt.kind}: ${summary.halt.reason}\n`);
  }
  return summary.failed === 0 ? 0 : 1;
}
