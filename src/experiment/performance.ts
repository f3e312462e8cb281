/*
 * Performance overhead (the paper's Tables IV and V): the twelve
 * Unixbench-like programs under four configurations, scored two ways.
 *
 *   baseline            variant baseline, no recovery installed
 *   ckpt                variant ckpt: every store logged, pessimistic windows ("without optimization")
 *   osiris-pessimistic  variant osiris (logging and non-logging clones), pessimistic policy
 *   osiris-enhanced     variant osiris, enhanced policy
 *
 * Simulated score: iterations / (simulated ns + the instrumentation
 * overhead ledger charged while the program ran), per simulated second.
 * Every configuration makes the same schedule (the ledger is kept apart
 * so it cannot perturb it), so this score is deterministic and its ratios
 * isolate what the hooks cost under the cost model (src/os/kernel/cost.ts).
 * Wall score: iterations / the median wall time of `runs` runs. A run of a
 * program is `reps` executions, each from a fresh restore of the
 * configuration's post-boot snapshot (restores not timed), averaged; reps
 * is chosen per program in the warm-up so that one run of the baseline
 * takes about REP_TARGET_MS, the same reps for every configuration.
 * Garbage is collected before each program's round; configurations are interleaved
 * program by program, their order rotating, in one process, after two
 * unmeasured warm-up rounds.
 * Slowdown = baseline score / configuration score; the geometric mean is
 * over the twelve programs; the wall spread is the min–max of the per-run
 * ratios (run r of a configuration over run r of the baseline); the ratio
 * of minimum wall times is given beside the median's.
 *
 * The entry points into this file are:
 *   runBench   the measurement (a plain JSON-able result)
 *   benchCsv   the result as CSV columns and rows
 *
 * Result shape (BenchResult):
 *   { runs, configs: [{ name, variant, policy, description }], sameSchedule,
 *     programs: [{ name, unit, iterations, reps,
 *       configs: { <config>: { completed, simNs, overheadNs, simScore, wallMs: {median, min, max}, wallScore,
 *                              slowdownSim, slowdownWall, slowdownWallMin, wallSpread: {min, max} } } }],
 *     geomean: { <config>: { slowdownSim, slowdownWall, slowdownWallMin, wallSpread: {min, max} } } }
 * Scores are iterations per second (simulated or wall); slowdowns are ratios (baseline = 1).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Sim, SimConfig, Snapshot } from '../sim/sim';
import { VariantName } from '../sim/variants';
import { BUILTIN_POLICIES } from '../osiris/policies';
import { BENCH_PROGRAMS } from '../os/workload/unixbench/index';

export const BENCH_CONFIGS = ['baseline', 'ckpt', 'osiris-pessimistic', 'osiris-enhanced'] as const;
export type BenchConfigName = (typeof BENCH_CONFIGS)[number];

export interface BenchConfig { name: BenchConfigName; variant: VariantName; policy: string | null; description: string }

export const CONFIGS: readonly BenchConfig[] = [
  { name: 'baseline', variant: 'baseline', policy: null, description: 'no recovery instrumentation (loop guards only)' },
  { name: 'ckpt', variant: 'ckpt', policy: 'pessimistic', description: 'undo log on every store, pessimistic windows (without optimization)' },
  { name: 'osiris-pessimistic', variant: 'osiris', policy: 'pessimistic', description: 'window-optimized clones, pessimistic policy' },
  { name: 'osiris-enhanced', variant: 'osiris', policy: 'enhanced', description: 'window-optimized clones, enhanced policy' },
];

export interface Spread { min: number; max: number }

export interface ConfigFigures {
  /** The program did all its iterations and passed, in every run. */
  completed: boolean;
  simNs: number;
  overheadNs: number;
  simScore: number;
  wallMs: { median: number; min: number; max: number };
  wallScore: number;
  slowdownSim: number;
  slowdownWall: number;
  /** The ratio of minimum wall times: less sensitive to other load on a shared machine. */
  slowdownWallMin: number;
  wallSpread: Spread;
}

export interface ProgramBench {
  name: string;
  unit: string;
  iterations: number;
  /** Executions averaged into one wall-time run. */
  reps: number;
  configs: Record<BenchConfigName, ConfigFigures>;
}

export interface BenchResult {
  runs: number;
  configs: BenchConfig[];
  /** Every configuration ran each program for the same simulated time and messages (the ledger apart). */
  sameSchedule: boolean;
  programs: ProgramBench[];
  geomean: Record<BenchConfigName, { slowdownSim: number; slowdownWall: number; slowdownWallMin: number; wallSpread: Spread }>;
}

export interface BenchOptions {
  runs?: number;
  /** Programs to run (default: all twelve). */
  programs?: string[];
  onProgress?: (done: number, total: number) => void;
}

interface Sample { completed: boolean; simNs: number; overheadNs: number; messages: number; wallMs: number }

interface Subject { config: BenchConfig; snap: Snapshot; cfg: SimConfig }

/** Wall time one run of a program aims at on the baseline (short runs drown in timer and JIT noise). */
export const REP_TARGET_MS = 10;
const MAX_REPS = 40;

function subject(config: BenchConfig): Subject {
  const cfg: SimConfig = { variant: config.variant, policy: config.policy ? BUILTIN_POLICIES[config.policy] : undefined };
  return { config, snap: Sim.boot(cfg).snapshot(), cfg };
}

/**
 * A full garbage collection, so one run's garbage is not collected during
 * another's timing: node's own gc() when exposed, else exposed at run time
 * (a no-op where that is refused).
 */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return () => {};
  }
}

function runOnce(s: Subject, name: string, iterations: number, reps: number): Sample {
  let wallMs = 0;
  let sample: Sample | null = null;
  for (let i = 0; i < reps; i++) {
    const sim = Sim.restore(s.snap, s.cfg);
    const r0 = sim.reading();
    const t0 = performance.now();
    const r = sim.run([name])[0]!;
    wallMs += performance.now() - t0;
    const r1 = sim.reading();
    const x: Sample = {
      completed: r.status === 'pass' && r.checks === iterations, simNs: r.simTime, overheadNs: r1.overheadNs - r0.overheadNs,
      messages: r1.messages - r0.messages, wallMs: 0,
    };
    if (sample && (x.simNs !== sample.simNs || x.messages !== sample.messages || x.overheadNs !== sample.overheadNs)) x.completed = false;
    sample = x;
  }
  sample!.wallMs = wallMs / reps;
  return sample!;
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export function geomean(xs: number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function runBench(opts: BenchOptions = {}): BenchResult {
  const runs = opts.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  const progs = opts.programs ? BENCH_PROGRAMS.filter((b) => opts.programs!.includes(b.name)) : BENCH_PROGRAMS;
  const subjects = CONFIGS.map(subject);
  const nc = subjects.length;
  const gc = collector();
  // Two unmeasured rounds: the JIT warms every configuration's code alike; the second times the baseline.
  for (const b of progs) for (const s of subjects) runOnce(s, b.name, b.iterations, 1);
  const reps = progs.map((b) => {
    const ms = runOnce(subjects[0]!, b.name, b.iterations, 1).wallMs;
    for (const s of subjects.slice(1)) runOnce(s, b.name, b.iterations, 1);
    return Math.max(1, Math.min(MAX_REPS, Math.ceil(REP_TARGET_MS / Math.max(ms, 0.01))));
  });
  // samples[program][config][run]
  const samples: Sample[][][] = progs.map(() => subjects.map(() => []));
  const total = runs * progs.length;
  for (let r = 0; r < runs; r++) {
    progs.forEach((b, p) => {
      gc();
      for (let j = 0; j < nc; j++) {
        const c = (r + p + j) % nc;
        samples[p]![c]!.push(runOnce(subjects[c]!, b.name, b.iterations, reps[p]!));
      }
      opts.onProgress?.(r * progs.length + p + 1, total);
    });
  }

  let sameSchedule = true;
  const programs: ProgramBench[] = progs.map((b, p) => {
    const base = samples[p]![0]!;
    const baseSim = base[0]!.simNs + base[0]!.overheadNs;
    const baseWall = median(base.map((x) => x.wallMs));
    const configs = {} as Record<BenchConfigName, ConfigFigures>;
    subjects.forEach((s, c) => {
      const xs = samples[p]![c]!;
      const first = xs[0]!;
      for (const x of xs) if (x.simNs !== first.simNs || x.overheadNs !== first.overheadNs || x.messages !== first.messages) {
        throw new Error(`bench: ${b.name} on ${s.config.name} is not deterministic across runs`);
      }
      if (first.simNs !== base[0]!.simNs || first.messages !== base[0]!.messages) sameSchedule = false;
      const walls = xs.map((x) => x.wallMs);
      const wallMed = median(walls);
      const perRun = xs.map((x, i) => x.wallMs / base[i]!.wallMs);
      const simTotal = first.simNs + first.overheadNs;
      configs[s.config.name] = {
        completed: xs.every((x) => x.completed),
        simNs: first.simNs,
        overheadNs: first.overheadNs,
        simScore: round(b.iterations / (simTotal / 1e9), 1),
        wallMs: { median: round(wallMed, 3), min: round(Math.min(...walls), 3), max: round(Math.max(...walls), 3) },
        wallScore: round(b.iterations / (wallMed / 1e3), 1),
        slowdownSim: round(simTotal / baseSim, 4),
        slowdownWall: round(wallMed / baseWall, 3),
        slowdownWallMin: round(Math.min(...walls) / Math.min(...base.map((x) => x.wallMs)), 3),
        wallSpread: { min: round(Math.min(...perRun), 3), max: round(Math.max(...perRun), 3) },
      };
    });
    return { name: b.name, unit: b.unit, iterations: b.iterations, reps: reps[p]!, configs };
  });

  const gm = {} as BenchResult['geomean'];
  subjects.forEach((s, c) => {
    const name = s.config.name;
    const perRun: number[] = [];
    for (let r = 0; r < runs; r++) perRun.push(geomean(progs.map((_, p) => samples[p]![c]![r]!.wallMs / samples[p]![0]![r]!.wallMs)));
    gm[name] = {
      slowdownSim: round(geomean(programs.map((x) => x.configs[name].slowdownSim)), 4),
      slowdownWall: round(geomean(programs.map((x) => x.configs[name].slowdownWall)), 3),
      slowdownWallMin: round(geomean(programs.map((x) => x.configs[name].slowdownWallMin)), 3),
      wallSpread: { min: round(Math.min(...perRun), 3), max: round(Math.max(...perRun), 3) },
    };
  });
  return { runs, configs: CONFIGS.slice(), sameSchedule, programs, geomean: gm };
}

export function benchCsv(r: BenchResult): { columns: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = [];
  for (const p of r.programs) {
    for (const c of r.configs) {
      const f = p.configs[c.name];
      rows.push([p.name, c.name, f.completed ? 1 : 0, f.simNs, f.overheadNs, f.simScore, f.slowdownSim,
        f.wallMs.median, f.wallScore, f.slowdownWall, f.slowdownWallMin, f.wallSpread.min, f.wallSpread.max]);
    }
  }
  for (const c of r.configs) {
    const g = r.geomean[c.name];
    rows.push(['geomean', c.name, '', '', '', '', g.slowdownSim, '', '', g.slowdownWall, g.slowdownWallMin, g.wallSpread.min, g.wallSpread.max]);
  }
  return {
    columns: ['program', 'config', 'completed', 'sim_ns', 'overhead_ns', 'sim_score', 'slowdown_sim',
      'wall_ms_median', 'wall_score', 'slowdown_wall', 'slowdown_wall_of_minima', 'wall_ratio_min', 'wall_ratio_max'],
    rows,
  };
}
