/*
 * `osiris-fi bench`: the Unixbench-like programs under baseline, ckpt,
 * osiris-pessimistic and osiris-enhanced (Tables IV/V): scores in
 * simulated and wall time, slowdowns against the baseline, geomean.
 *
 * The entry points into this file are:
 *   runBenchCommand   the command
 */
import { checkWritableFile } from '../experiment/durable-file';
import cliProgress from 'cli-progress';
import { benchCsv, runBench, BENCH_CONFIGS } from '../experiment/performance';
import { BENCH_PROGRAMS } from '../os/workload/unixbench/index';
import { UsageError } from './errors';
import { table } from './format';
import { benchPrograms, writeCsv } from './shared';

export interface BenchCommandOptions { runs?: string; programs?: string; json?: boolean; csv?: string; progress?: boolean }

export function runBenchCommand(opts: BenchCommandOptions): number {
  if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
  const runs = opts.runs === undefined ? 5 : Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs needs a positive integer, got ${opts.runs}`);
  const programs = benchPrograms(opts.programs);
  const quiet = opts.json || !process.stderr.isTTY || opts.progress === false;
  const bar = quiet ? null : new cliProgress.SingleBar({ format: 'bench [{bar}] {value}/{total}', clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar?.start(runs * (programs?.length ?? BENCH_PROGRAMS.length), 0);
  let r;
  try {
    r = runBench({ runs, programs, onProgress: (done, total) => { bar?.setTotal(total); bar?.update(done); } });
  } finally {
    bar?.stop();
  }
  if (opts.csv !== undefined) writeCsv(opts.csv, benchCsv(r));
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const out = process.stdout;
  const fmt = (x: number, d = 3) => x.toFixed(d);
  out.write('Baseline scores (iterations per second; wall: median of ' + runs + ' runs)\n\n');
  out.write(table(['program', 'unit', 'iterations', 'sim ms', 'sim score', 'wall ms', 'wall score'], r.programs.map((p) => {
    const b = p.configs.baseline;
    return [p.name, p.unit, p.iterations, fmt(b.simNs / 1e6), b.simScore.toFixed(0), fmt(b.wallMs.median, 2), b.wallScore.toFixed(0)];
  }), ['l', 'l', 'r', 'r', 'r', 'r', 'r']) + '\n\n');
  const others = BENCH_CONFIGS.filter((c) => c !== 'baseline');
  out.write('Slowdown vs baseline, simulated time (cost model + instrumentation ledger; deterministic)\n\n');
  const simRows: (string | number)[][] = r.programs.map((p) => [p.name, ...others.map((c) => fmt(p.configs[c].slowdownSim))]);
  simRows.push(['geomean', ...others.map((c) => fmt(r.geomean[c].slowdownSim))]);
  // The simulated slowdown is a cost-model figure, not a measurement: the table says so in its header.
  out.write(table(['simulated × (cost model)', ...others], simRows, ['l', ...others.map(() => 'r' as const)]) + '\n\n');
  out.write(`Slowdown vs baseline, wall time (median of ${runs} runs; per-run ratio min-max in brackets)\n\n`);
  const wallRows: (string | number)[][] = r.programs.map((p) => [p.name, ...others.map((c) => {
    const f = p.configs[c];
    return `${fmt(f.slowdownWall)} [${fmt(f.wallSpread.min, 2)}-${fmt(f.wallSpread.max, 2)}]`;
  })]);
  wallRows.push(['geomean', ...others.map((c) => `${fmt(r.geomean[c].slowdownWall)} [${fmt(r.geomean[c].wallSpread.min, 2)}-${fmt(r.geomean[c].wallSpread.max, 2)}]`)]);
  wallRows.push(['geomean of minima', ...others.map((c) => fmt(r.geomean[c].slowdownWallMin))]);
  out.write(table(['wall × (measured)', ...others], wallRows, ['l', ...others.map(() => 'r' as const)]) + '\n\n');
  const incomplete = r.programs.flatMap((p) => BENCH_CONFIGS.filter((c) => !p.configs[c].completed).map((c) => `${p.name} on ${c}`));
  out.write(incomplete.length ? `INCOMPLETE: ${incomplete.join(', ')}\n` : 'every program completed all its iterations in every configuration\n');
  if (!r.sameSchedule) out.write('WARNING: the configurations did not make the same schedule\n');
  if (opts.csv !== undefined) process.stderr.write(`wrote ${opts.csv}\n`);
  return incomplete.length === 0 ? 0 : 1;
}
