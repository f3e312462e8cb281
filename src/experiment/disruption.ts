/*
 * Service disruption (the paper's Fig. 3): the twelve Unixbench-like
 * programs on the osiris build under the enhanced policy while PM is made
 * to crash, fail-stop, inside its recovery window at regular intervals of
 * simulated time; the interval halves step by step (the crash rate
 * doubles). Every run must complete: each crash is answered with ECRASH
 * (recovery rolled the request back), and libc retries the call.
 *
 * The injection is the `service fi` mechanism configured as a periodic
 * crash of the simulation (src/edfi/service-fi.ts): the fault runtime arms
 * PM at the first request from a user process once the interval has
 * elapsed since the run started or since the previous crash, so each crash
 * hits a replyable request inside the window. Each crash ends in an ECRASH
 * reply, so RS never takes it for a crash loop.
 *
 * The entry points into this file are:
 *   runDisruption   the experiment (a plain JSON-able result)
 *   disruptionCsv   the result as CSV columns and rows
 *
 * Result shape (DisruptionResult):
 *   { policy: 'enhanced', server: 'pm', startNs, steps,
 *     intervals: [{ intervalNs,                 // null: the undisturbed reference run
 *       crashes, allCompleted, geomeanRelative,
 *       programs: [{ name, iterations, completed, status, failure, crashes, replies, otherActions,
 *                    simNs, overheadNs, score, relative }] }],
 *     allCompleted }
 * score: iterations per simulated second (simulated ns + overhead ledger); relative: score / undisturbed score.
 */
import { Sim } from '../sim/sim';
import { PM } from '../os/proto/endpoints';
import { BUILTIN_POLICIES } from '../osiris/policies';
import { BENCH_PROGRAMS } from '../os/workload/unixbench/index';
import { geomean } from './performance';

export const DEFAULT_START_NS = 4_000_000;
export const DEFAULT_STEPS = 11;

export interface DisruptedProgram {
  name: string;
  iterations: number;
  /** Passed with every iteration done. */
  completed: boolean;
  status: string;
  failure: string | null;
  crashes: number;
  /** Recoveries answered with an ECRASH reply / any other action (shutdown, kill, no reply). */
  replies: number;
  otherActions: number;
  simNs: number;
  overheadNs: number;
  score: number;
  relative: number;
}

export interface DisruptionStep {
  intervalNs: number | null;
  crashes: number;
  allCompleted: boolean;
  geomeanRelative: number;
  programs: DisruptedProgram[];
}

export interface DisruptionResult {
  policy: string;
  server: string;
  startNs: number;
  steps: number;
  intervals: DisruptionStep[];
  allCompleted: boolean;
}

export interface DisruptionOptions {
  /** The first (longest) interval, ns. */
  startNs?: number;
  /** Intervals after the undisturbed run: startNs, startNs/2, … */
  steps?: number;
  programs?: string[];
  onProgress?: (done: number, total: number) => void;
}

export function runDisruption(opts: DisruptionOptions = {}): DisruptionResult {
  const startNs = opts.startNs ?? DEFAULT_START_NS;
  const steps = opts.steps ?? DEFAULT_STEPS;
  if (!(startNs > 0)) throw new RangeError(`startNs must be positive, got ${startNs}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const progs = opts.programs ? BENCH_PROGRAMS.filter((b) => opts.programs!.includes(b.name)) : BENCH_PROGRAMS;
  const policy = BUILTIN_POLICIES.enhanced!;
  const snap = Sim.boot({ variant: 'osiris', policy }).snapshot();
  const intervals: (number | null)[] = [null];
  for (let i = 0; i < steps; i++) intervals.push(Math.round(startNs / 2 ** i));
  const reference: number[] = [];
  const out: DisruptionStep[] = [];
  const total = intervals.length * progs.length;
  intervals.forEach((interval, s) => {
    const programs = progs.map((b, p): DisruptedProgram => {
      const sim = Sim.restore(snap, {
        variant: 'osiris', policy, retryCrashedCalls: true,
        periodicCrash: interval === null ? undefined : { server: PM, intervalNs: interval },
      });
      const ov0 = sim.reading().overheadNs;
      // A crash rate above what recovery can serve would livelock a retried call: bound the run.
      sim.setBudgets({ messages: 2_000_000 });
      const r = sim.run([b.name])[0]!;
      const overheadNs = sim.reading().overheadNs - ov0;
      const records = sim.recoveries();
      const score = b.iterations / ((r.simTime + overheadNs) / 1e9);
      if (interval === null) reference[p] = score;
      opts.onProgress?.(s * progs.length + p + 1, total);
      return {
        name: b.name, iterations: b.iterations, completed: r.status === 'pass' && r.checks === b.iterations, status: r.status,
        failure: r.failure ?? null, crashes: sim.injectedCrashes(),
        replies: records.filter((x) => x.action === 'reply').length, otherActions: records.filter((x) => x.action !== 'reply').length,
        simNs: r.simTime, overheadNs, score: Math.round(score * 10) / 10, relative: Math.round((10000 * score) / reference[p]!) / 10000,
      };
    });
    out.push({
      intervalNs: interval,
      crashes: programs.reduce((a, x) => a + x.crashes, 0),
      allCompleted: programs.every((x) => x.completed),
      geomeanRelative: Math.round(10000 * geomean(programs.map((x) => x.relative))) / 10000,
      programs,
    });
  });
  return { policy: policy.name, server: 'pm', startNs, steps, intervals: out, allCompleted: out.every((x) => x.allCompleted) };
}

export function disruptionCsv(r: DisruptionResult): { columns: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = [];
  for (const s of r.intervals) {
    for (const p of s.programs) {
      rows.push([s.intervalNs ?? '', p.name, p.completed ? 1 : 0, p.crashes, p.replies, p.simNs, p.overheadNs, p.score, p.relative]);
    }
  }
  return { columns: ['interval_ns', 'program', 'completed', 'crashes', 'replies', 'sim_ns', 'overhead_ns', 'score', 'relative'], rows };
}
