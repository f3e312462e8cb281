/*
 * `osiris-fi oracle`: the consistency oracle on its own. With --self-test,
 * plant each inconsistency the oracle knows in a fixture world and report
 * whether it was named; with --list, the invariants; otherwise boot, run
 * programs fault-free (the suite by default) and check the world.
 *
 * The entry points into this file are:
 *   runOracleCommand   the command
 */
import { Sim } from '../sim/sim';
import { selectTests } from '../experiment/run-plan';
import { INVARIANTS, checkConsistency, Violation } from '../osiris/oracle/index';
import { selfTest } from '../osiris/oracle/self-test';
import { FIXTURE_PROGRAMS, runFixture } from '../osiris/oracle/fixture';
import { UsageError } from './errors';

export interface OracleOptions { selfTest?: boolean; list?: boolean; tests?: string; json?: boolean }

function violationLine(v: Violation): string {
  return `  ${v.invariant} [${v.servers.join(', ')}] ${v.object}: ${v.detail}`;
}

function runSelfTest(json: boolean): number {
  const extraPrograms = new Map(FIXTURE_PROGRAMS);
  const snap = Sim.boot({ extraPrograms }).world.snapshot();
  const r = selfTest(() => {
    const w = Sim.restore(snap, { extraPrograms }).world;
    runFixture(w);
    return w;
  });
  const ok = r.missed.length === 0 && r.clean.length === 0;
  if (json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return ok ? 0 : 1;
  }
  const out: string[] = [];
  out.push(r.clean.length === 0 ? 'unplanted fixture world: consistent' : `unplanted fixture world: ${r.clean.length} finding(s) — the oracle or a server is wrong`);
  for (const v of r.clean) out.push(violationLine(v));
  for (const c of r.results) {
    const others = c.named.filter((n) => n !== c.invariant);
    const mark = c.caught ? 'caught' : 'MISSED';
    out.push(`${mark.padEnd(6)}  ${c.invariant}: ${c.planted}${c.error ? ` (could not plant: ${c.error})` : ''}${others.length ? ` (also named: ${others.join('; ')})` : ''}`);
  }
  for (const m of r.missed) if (m.endsWith('(no plant)')) out.push(`MISSED  ${m}`);
  out.push(`${r.caught} of ${r.cases} planted inconsistencies caught${r.missed.length ? `; missed: ${r.missed.join('; ')}` : ''}`);
  process.stdout.write(out.join('\n') + '\n');
  return ok ? 0 : 1;
}

function runCheck(opts: OracleOptions): number {
  const { names, unknown } = selectTests(opts.tests);
  if (unknown.length) throw new UsageError(`unknown test ${unknown.join(', ')} (osiris-fi suite --list lists them)`);
  const w = Sim.boot().world;
  const results = w.runPrograms(names);
  const failed = results.filter((p) => p.status !== 'pass').map((p) => p.name);
  const halt = w.lastHalt && w.lastHalt.kind !== 'idle' ? w.lastHalt : null;
  const violations = halt ? [] : checkConsistency(w);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ programs: names.length, failed, halt, checked: !halt, violations }, null, 2) + '\n');
  } else {
    const out = [`${names.length} programs run, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`];
    if (halt) out.push(`oracle: not checked (the run halted: ${halt.kind}: ${halt.reason})`);
    else out.push(violations.length ? `oracle: ${violations.length} violation(s)` : 'oracle: consistent');
    for (const v of violations) out.push(violationLine(v));
    process.stdout.write(out.join('\n') + '\n');
  }
  return halt || violations.length ? 1 : 0;
}

export function runOracleCommand(opts: OracleOptions): number {
  if (opts.list) {
    if (opts.json) process.stdout.write(JSON.stringify(INVARIANTS, null, 2) + '\n');
    else for (const [group, names] of Object.entries(INVARIANTS)) process.stdout.write(`${group}:\n${names.map((n) => `  ${n}`).join('\n')}\n`);
    return 0;
  }
  if (opts.selfTest) return runSelfTest(!!opts.json);
  return runCheck(opts);
}
