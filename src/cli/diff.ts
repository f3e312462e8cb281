/*
 * `osiris-fi diff <results-a> <results-b>`: two campaigns compared fault by
 * fault — per mode, the share survived (pass) under each with McNemar's
 * test on the paired faults, then the faults whose outcome changed.
 * Filters (--server, --fault-type, --mode) apply to both sides alike.
 *
 * The entry points into this file are:
 *   runDiffCommand   the command
 */
import path from 'node:path';
import { diffResults, type DiffReport } from '../report/diff';
import { applyFilter, describeFilter, FilterError, parseFilter, type FilterOptions } from '../report/filters';
import { ResultsError } from '../report/load-results';
import { EXACT_BELOW } from '../report/mcnemar';
import { UsageError } from './errors';
import { loadForReport } from './shared';
import { table } from './format';

export interface DiffOptions extends Omit<FilterOptions, 'outcome'> { json?: boolean; limit?: string }

const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const pval = (p: number) => (p < 0.0001 ? p.toExponential(2) : p.toFixed(4));
const shortPath = (d: string) => {
  const rel = path.relative(process.cwd(), d);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? d : rel;
};

function renderText(r: DiffReport, filter: string, limit: number): string {
  const out: string[] = [];
  const who = (s: DiffReport['a']) => `${s.campaign} (seed ${s.seed ?? '?'}, build ${s.build.slice(0, 12)}, ${s.runs} runs) in ${s.dirs.map(shortPath).join(', ')}`;
  out.push(`A: ${who(r.a)}`, `B: ${who(r.b)}`);
  if (filter) out.push(`filter: ${filter}`);
  out.push(`faults: ${r.sharedFaults} in both, ${r.onlyInA} only in A, ${r.onlyInB} only in B (those are not compared)`);
  if (r.modesOnlyInA.length || r.modesOnlyInB.length) out.push(`modes not in both: ${[...r.modesOnlyInA.map((m) => `${m} (A)`), ...r.modesOnlyInB.map((m) => `${m} (B)`)].join(', ')}`);
  out.push('');
  out.push(`Survived (pass) per mode on the paired faults; McNemar's test, survived vs not: b = survived under A only, c = under B only`);
  out.push(table(['mode', 'paired', 'A survived % [95%]', 'B survived % [95%]', 'b', 'c', 'changed', 'test', 'p'],
    r.modes.map((m) => [m.mode + (m.policyDiffers ? ' *' : ''), m.paired, `${one(m.pctA[0])} [${one(m.pctA[1])}-${one(m.pctA[2])}]`,
      `${one(m.pctB[0])} [${one(m.pctB[1])}-${one(m.pctB[2])}]`, m.onlyA, m.onlyB, m.changed,
      m.test.method === 'exact' ? 'exact' : `chi2 ${m.test.statistic!.toFixed(3)}`, pval(m.test.p)]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'r']));
  out.push('');
  out.push('Completed (pass or fail: the suite ran to its end) vs shutdown or crash, the same test');
  out.push(table(['mode', 'paired', 'A completed %', 'B completed %', 'b', 'c', 'test', 'p'],
    r.modes.map((m) => [m.mode + (m.policyDiffers ? ' *' : ''), m.paired, one((100 * m.completed.a) / m.paired), one((100 * m.completed.b) / m.paired),
      m.completed.onlyA, m.completed.onlyB, m.completed.test.method === 'exact' ? 'exact' : `chi2 ${m.completed.test.statistic!.toFixed(3)}`, pval(m.completed.test.p)]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'l', 'r']));
  out.push(`(exact two-sided binomial test when b + c < ${EXACT_BELOW}; chi-square with continuity correction, 1 df, otherwise` +
    `${r.modes.some((m) => m.policyDiffers) ? '; * the two campaigns give this mode different policies' : ''})`);
  out.push('');
  if (r.changes.length === 0) out.push('No paired fault changed outcome.');
  else {
    out.push(`Faults whose outcome changed (${r.changes.length}${r.changes.length > limit ? `, the first ${limit}; --limit to see more, --json for all` : ''}):`);
    out.push(table(['mode', 'fault', 'A', 'B'], r.changes.slice(0, limit).map((c) => [c.mode, c.fault,
      c.fromDetail !== c.from ? `${c.from} (${c.fromDetail})` : c.from, c.toDetail !== c.to ? `${c.to} (${c.toDetail})` : c.to])));
  }
  return out.join('\n') + '\n';
}

export function runDiffCommand(dirA: string, dirB: string, opts: DiffOptions): number {
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit "${opts.limit}": expected a whole number of faults to list`);
  let a = loadForReport([dirA]), b = loadForReport([dirB]);
  let filter = '';
  try {
    const fa = parseFilter(opts, a);
    parseFilter(opts, b);
    a = applyFilter(a, fa);
    b = applyFilter(b, fa);
    filter = describeFilter(fa);
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(e.message);
    throw e;
  }
  let report: DiffReport;
  try { report = diffResults(a, b); } catch (e) {
    if (e instanceof ResultsError) throw new UsageError(e.message);
    throw e;
  }
  process.stdout.write(opts.json ? JSON.stringify({ filter: filter || null, ...report }, null, 2) + '\n' : renderText(report, filter, limit));
  return 0;
}
