/*
 * Wall-time cost of the instrumentation: the fault-free suite on the plain
 * system and on each instrumented variant, each run from its own post-boot
 * snapshot. Variants are interleaved in one process (the order rotates each
 * round) so machine noise and JIT warm-up hit all of them alike; medians
 * are reported, with ratios to the baseline variant (the performance
 * baseline: loop guards only) and the simulated-time overhead the hooks
 * charge to the kernel's separate overhead ledger.
 *
 * The entry points into this file are:
 *   runVariantBench()   the measurements as data
 *   main()              `node [--expose-gc] dist/src/perf/variant-bench.js [--runs n] [--variants a,b] [--json]`
 */
import { runScript } from './run-script';
import { Sim, Snapshot } from '../sim/sim';
import { testNames } from '../sim/programs';
import { isVariant, VariantName } from '../sim/variants';

export type BenchVariant = 'plain' | VariantName;

export const DEFAULT_VARIANTS: BenchVariant[] = ['plain', 'baseline', 'ckpt', 'osiris', 'osiris+edfi'];

export interface VariantFigures {
  variant: BenchVariant;
  wallMs: { median: number; min: number; max: number };
  /** Median wall time over the baseline variant's median (null when baseline is not measured). */
  vsBaseline: number | null;
  /** The same for minima: less sensitive to other load on a shared machine. */
  vsBaselineMin: number | null;
  /** Simulated time of one suite run (ns) and the hooks' overhead ledger over it. */
  simNs: number;
  overheadNs: number;
  /** overheadNs / simNs, in percent. */
  simOverheadPct: number;
  messages: number;
  traceHash: string;
  passed: number;
}

export interface VariantBenchResult {
  runs: number;
  programs: number;
  /** Every variant made the same run (trace hash and message count). */
  sameRun: boolean;
  variants: VariantFigures[];
  /** Ratios of median wall times. */
  ratios: Record<string, number | null>;
  /** Ratios of minimum wall times. */
  ratiosMin: Record<string, number | null>;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

interface Subject { variant: BenchVariant; snap: Snapshot; restore: () => Sim }

function subject(v: BenchVariant): Subject {
  const snap = Sim.boot({ variant: v }).snapshot();
  return { variant: v, snap, restore: () => Sim.restore(snap, { variant: v }) };
}

interface Sample { wallMs: number; simNs: number; overheadNs: number; messages: number; hash: string; passed: number }

/** Collect garbage between runs when node runs with --expose-gc, so one run's garbage is not charged to the next. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

function runOnce(s: Subject, names: string[]): Sample {
  collect();
  const t0 = performance.now();
  const sim = s.restore();
  const r0 = sim.reading();
  const res = sim.run(names);
  const wallMs = performance.now() - t0;
  const r1 = sim.reading();
  return {
    wallMs, simNs: r1.now - r0.now, overheadNs: r1.overheadNs - r0.overheadNs, messages: r1.messages - r0.messages,
    hash: sim.traceHash(), passed: res.filter((r) => r.status === 'pass').length,
  };
}

export function runVariantBench(runs: number, variants: BenchVariant[] = DEFAULT_VARIANTS, names: string[] = testNames()): VariantBenchResult {
  const subjects = variants.map(subject);
  // One unmeasured run each: JIT warm-up for every variant's code.
  for (const s of subjects) runOnce(s, names);
  const samples: Sample[][] = subjects.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let j = 0; j < subjects.length; j++) {
      const i = (r + j) % subjects.length;
      samples[i]!.push(runOnce(subjects[i]!, names));
    }
  }
  const figures: VariantFigures[] = subjects.map((s, i) => {
    const xs = samples[i]!;
    const last = xs[xs.length - 1]!;
    for (const x of xs) {
      if (x.hash !== last.hash || x.messages !== last.messages) throw new Error(`variant-bench: ${s.variant} is not deterministic across runs`);
    }
    const walls = xs.map((x) => x.wallMs);
    return {
      variant: s.variant,
      wallMs: { median: round(median(walls)), min: round(Math.min(...walls)), max: round(Math.max(...walls)) },
      vsBaseline: null,
      vsBaselineMin: null,
      simNs: last.simNs,
      overheadNs: last.overheadNs,
      simOverheadPct: last.simNs > 0 ? round((100 * last.overheadNs) / last.simNs, 4) : 0,
      messages: last.messages,
      traceHash: last.hash,
      passed: last.passed,
    };
  });
  const base = figures.find((f) => f.variant === 'baseline');
  for (const f of figures) {
    f.vsBaseline = base ? round(f.wallMs.median / base.wallMs.median) : null;
    f.vsBaselineMin = base ? round(f.wallMs.min / base.wallMs.min) : null;
  }
  const ratios = (stat: 'median' | 'min') => {
    const of = (v: BenchVariant) => figures.find((f) => f.variant === v)?.wallMs[stat];
    const q = (a: BenchVariant, b: BenchVariant) => { const x = of(a), y = of(b); return x !== undefined && y !== undefined ? round(x / y) : null; };
    return {
      'ckpt/baseline': q('ckpt', 'baseline'), 'osiris/baseline': q('osiris', 'baseline'),
      'osiris+edfi/baseline': q('osiris+edfi', 'baseline'), 'baseline/plain': q('baseline', 'plain'),
    };
  };
  return {
    runs,
    programs: names.length,
    sameRun: figures.every((f) => f.traceHash === figures[0]!.traceHash && f.messages === figures[0]!.messages),
    variants: figures,
    ratios: ratios('median'),
    ratiosMin: ratios('min'),
  };
}

function parseArgs(argv: string[]): { runs: number; json: boolean; variants: BenchVariant[] } {
  let runs = 7;
  let json = false;
  let variants = DEFAULT_VARIANTS;
  const positive = (s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--runs needs a positive integer, got ${s}`);
    return n;
  };
  const variantList = (s: string) => {
    const vs = s.split(',').map((x) => x.trim()).filter(Boolean);
    for (const v of vs) if (v !== 'plain' && !isVariant(v)) throw new Error(`unknown variant ${v} (plain, baseline, ckpt, osiris, osiris+edfi, osiris+prof)`);
    if (vs.length === 0) throw new Error('--variants needs at least one variant');
    return vs as BenchVariant[];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--runs') runs = positive(argv[++i] ?? '');
    else if (a.startsWith('--runs=')) runs = positive(a.slice('--runs='.length));
    else if (a === '--variants') variants = variantList(argv[++i] ?? '');
    else if (a.startsWith('--variants=')) variants = variantList(a.slice('--variants='.length));
    else throw new Error(`unknown argument ${a} (usage: variant-bench [--runs n] [--variants a,b,...] [--json])`);
  }
  return { runs, json, variants };
}

export function main(argv: string[]): void {
  const { runs, json, variants } = parseArgs(argv);
  const r = runVariantBench(runs, variants);
  if (json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return; }
  const head = ['variant', 'median ms', 'min ms', 'max ms', 'x baseline', 'x baseline (min)', 'sim overhead', 'passed'];
  const x = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  const rows = r.variants.map((f) => [
    f.variant, f.wallMs.median.toFixed(1), f.wallMs.min.toFixed(1), f.wallMs.max.toFixed(1),
    x(f.vsBaseline), x(f.vsBaselineMin), `${f.simOverheadPct.toFixed(3)} %`, `${f.passed}/${r.programs}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    `variant-bench: ${r.programs} programs, ${r.runs} runs per variant (interleaved), from post-boot snapshots`,
    line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '',
    'median: ' + Object.entries(r.ratios).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v!.toFixed(2)}`).join('   '),
    'min:    ' + Object.entries(r.ratiosMin).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v!.toFixed(2)}`).join('   '),
    r.sameRun ? `every variant made the same run (trace ${r.variants[0]!.traceHash})` : 'WARNING: the variants made different runs (trace hashes differ)',
  ];
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module) runScript(main);
