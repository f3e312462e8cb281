/*
 * Recovery coverage (the paper's Table I): the share of the statements the
 * five recoverable servers executed during the 89-program suite that ran
 * while their recovery window was open, per policy. Counted, not
 * estimated: the osiris+prof build adds a counter to every block, and each
 * execution adds the block's statement count to its "inside" or "outside"
 * tally according to the running server's window at block entry (a block
 * that sends a message part-way is counted where it started, as a basic
 * block would be in LLVM, where a call does not end a block).
 *
 * The entry points into this file are:
 *   runCoverage   the measurement, per policy (a plain JSON-able result)
 *   coverageCsv   the result as CSV columns and rows
 *
 * Result shape (CoverageResult):
 *   { programs: 89, modes: [{
 *       mode, passed,                            // the policy; suite programs that passed
 *       servers: [{ server, inside, outside, executed, blocks, coverage }],  // pm, vfs, vm, ds, rs
 *       weighted,                                // percent inside over all five servers (weighted by statements executed)
 *       functions: [{ server, file, function, inside, outside }]  // per function, executed ones only
 *   }] }
 * inside/outside/executed are statements executed; coverage and weighted are percentages (0–100).
 */
import { Sim } from '../sim/sim';
import { testNames } from '../sim/programs';
import { loadBlockMap } from '../sim/variants';
import { Policy } from '../osiris/policies';

/** The servers of Table I, in the paper's order. */
export const COVERAGE_SERVERS = ['pm', 'vfs', 'vm', 'ds', 'rs'] as const;

export interface ServerCoverage {
  server: string;
  /** Statements executed with the window open / closed. */
  inside: number;
  outside: number;
  executed: number;
  /** Distinct blocks executed. */
  blocks: number;
  /** inside / executed, in percent. */
  coverage: number;
}

export interface FunctionCoverage { server: string; file: string; function: string; inside: number; outside: number }

export interface ModeCoverage {
  mode: string;
  passed: number;
  servers: ServerCoverage[];
  /** Percent inside over the five servers together: the average weighted by statements executed per server. */
  weighted: number;
  functions: FunctionCoverage[];
}

export interface CoverageResult {
  programs: number;
  modes: ModeCoverage[];
}

function pct(part: number, whole: number): number {
  return whole > 0 ? Math.round((10000 * part) / whole) / 100 : 0;
}

/** One policy: boot the prof build with it, count the suite only (not boot). */
function coverageOf(policy: Policy, names: string[]): ModeCoverage {
  const map = loadBlockMap('osiris+prof');
  const sim = Sim.boot({ variant: 'osiris+prof', policy });
  const prof = sim.profCounters()!;
  prof.reset();
  const results = sim.run(names);
  const servers: ServerCoverage[] = COVERAGE_SERVERS.map((server) => ({ server, inside: 0, outside: 0, executed: 0, blocks: 0, coverage: 0 }));
  const functions: FunctionCoverage[] = [];
  const fnIndex = new Map<string, FunctionCoverage>();
  for (const b of map.blocks) {
    const s = servers.find((x) => x.server === b.server);
    const hits = prof.hits[b.index];
    if (!s || hits === 0) continue;
    const inside = prof.inside[b.index]!;
    const outside = prof.outside[b.index]!;
    s.inside += inside;
    s.outside += outside;
    s.blocks++;
    const key = `${b.server}/${b.file}:${b.function}`;
    let f = fnIndex.get(key);
    if (!f) {
      f = { server: b.server, file: b.file, function: b.function, inside: 0, outside: 0 };
      fnIndex.set(key, f);
      functions.push(f);
    }
    f.inside += inside;
    f.outside += outside;
  }
  let inside = 0, executed = 0;
  for (const s of servers) {
    s.executed = s.inside + s.outside;
    s.coverage = pct(s.inside, s.executed);
    inside += s.inside;
    executed += s.executed;
  }
  return {
    mode: policy.name,
    passed: results.filter((r) => r.status === 'pass').length,
    servers,
    weighted: pct(inside, executed),
    functions,
  };
}

/** Recovery coverage of the suite under each policy (suite programs: all 89 by default). */
export function runCoverage(policies: Policy[], names: string[] = testNames()): CoverageResult {
  return { programs: names.length, modes: policies.map((p) => coverageOf(p, names)) };
}

export function coverageCsv(r: CoverageResult): { columns: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = [];
  for (const m of r.modes) {
    for (const s of m.servers) rows.push([m.mode, s.server, s.inside, s.outside, s.executed, s.coverage]);
    const inside = m.servers.reduce((a, s) => a + s.inside, 0);
    const executed = m.servers.reduce((a, s) => a + s.executed, 0);
    rows.push([m.mode, 'weighted', inside, executed - inside, executed, m.weighted]);
  }
  return { columns: ['mode', 'server', 'inside', 'outside', 'executed', 'coverage_pct'], rows };
}
