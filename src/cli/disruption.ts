/*
 * `osiris-fi disruption`: the Unixbench-like programs while PM crashes
 * inside its window at regular simulated intervals, the rate doubling
 * step by step (Fig. 3); every run must complete.
 *
 * The entry points into this file are:
 *   runDisruptionCommand   the command
 */
import { checkWritableFile } from '../experiment/durable-file';
import cliProgress from 'cli-progress';
import { disruptionCsv, runDisruption, DEFAULT_START_NS, DEFAULT_STEPS } from '../experiment/disruption';
import { UsageError } from './errors';
import { table } from './format';
import { benchPrograms, writeCsv } from './shared';

export interface DisruptionOptions { json?: boolean; csv?: string; start?: string; steps?: string; programs?: string; progress?: boolean }

function interval(ns: number | null): string {
  if (ns === null) return 'none';
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)} ms`;
  return `${+(ns / 1e3).toFixed(2)} us`;
}

export function runDisruptionCommand(opts: DisruptionOptions): number {
  if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
  const startNs = opts.start === undefined ? DEFAULT_START_NS : Number(opts.start);
  const steps = opts.steps === undefined ? DEFAULT_STEPS : Number(opts.steps);
  if (!Number.isFinite(startNs) || startNs <= 0) throw new UsageError(`--start needs a positive number of nanoseconds, got ${opts.start}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > 30) throw new UsageError(`--steps needs an integer from 1 to 30, got ${opts.steps}`);
  const programs = benchPrograms(opts.programs);
  const quiet = opts.json || !process.stderr.isTTY || opts.progress === false;
  const bar = quiet ? null : new cliProgress.SingleBar({ format: 'disruption [{bar}] {value}/{total}', clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar?.start(1, 0);
  let r;
  try {
    r = runDisruption({ startNs, steps, programs, onProgress: (done, total) => { bar?.setTotal(total); bar?.update(done); } });
  } finally {
    bar?.stop();
  }
  if (opts.csv !== undefined) writeCsv(opts.csv, disruptionCsv(r));
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return r.allCompleted ? 0 : 1;
  }
  const names = r.intervals[0]!.programs.map((p) => p.name);
  process.stdout.write(`Scores under periodic fail-stop crashes of ${r.server.toUpperCase()} inside its window (${r.policy} recovery),\n` +
    'relative to the undisturbed run; crashes in brackets\n\n');
  const rows = names.map((n, i) => [n, ...r.intervals.map((s) => {
    const p = s.programs[i]!;
    return `${p.completed ? '' : '!'}${p.relative.toFixed(3)}${s.intervalNs === null ? '' : ` (${p.crashes})`}`;
  })]);
  rows.push(['geomean', ...r.intervals.map((s) => s.geomeanRelative.toFixed(3))]);
  rows.push(['crashes', ...r.intervals.map((s) => String(s.crashes))]);
  process.stdout.write(table(['program', ...r.intervals.map((s) => interval(s.intervalNs))], rows, ['l', ...r.intervals.map(() => 'r' as const)]) + '\n\n');
  const failed = r.intervals.flatMap((s) => s.programs.filter((p) => !p.completed).map((p) => `${p.name} at ${interval(s.intervalNs)}: ${p.failure ?? p.status}`));
  const total = r.intervals.reduce((a, s) => a + s.crashes, 0);
  const replies = r.intervals.reduce((a, s) => a + s.programs.reduce((b, p) => b + p.replies, 0), 0);
  process.stdout.write(failed.length ? `NOT COMPLETED (marked !): ${failed.join('; ')}\n`
    : `every run completed all its iterations (${r.intervals.length * names.length} runs, ${total} crashes, ${replies} answered with ECRASH)\n`);
  if (opts.csv !== undefined) process.stderr.write(`wrote ${opts.csv}\n`);
  return r.allCompleted ? 0 : 1;
}
