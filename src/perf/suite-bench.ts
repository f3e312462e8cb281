/*
 * Wall-time benchmark of the fault-free suite: boot once, take the
 * post-boot snapshot, then N times restore it and run the 89 programs,
 * timing restore and run separately. Reports medians (the machine is
 * shared and noisy), minima, message throughput, boot time and the
 * slowest programs by median wall time.
 *
 * Beside each suite run it times the bare baseline (bare-baseline.ts): two
 * generators ping-ponging small flat records, each copied as the kernel
 * copies a message — one generator resume and one copy per message, none
 * of the kernel, libc, servers or programs. Measured in the same process,
 * interleaved with the suite runs, so load and JIT state hit both alike;
 * the ratio of the median rates says how far the simulation's message rate
 * is from what moving a message costs at all.
 *
 * The entry points into this file are:
 *   runBench()   the measurements as data
 *   main()       `npm run bench [-- --runs n] [-- --variant v] [-- --json]`
 */
import { runScript } from './run-script';
import { bareMessages } from './bare-baseline';
import { Sim, ProgramResult, SimVariant } from '../sim/sim';
import { testNames } from '../sim/programs';
import { isVariant } from '../sim/variants';
import { tierForSimulation } from '../sim/jit-tiering';

/** Messages per bare-baseline sample: a few tens of milliseconds, as long as a suite run. */
export const BARE_MESSAGES = 300_000;

export interface BenchResult {
  runs: number;
  /** The build the suite ran on (`plain`: the servers as written; campaigns run `osiris+edfi`). */
  variant: SimVariant;
  programs: number;
  messagesPerRun: number;
  traceHash: string;
  bootMs: number;
  snapshotMs: number;
  restoreMs: { median: number; min: number; max: number };
  runMs: { median: number; min: number; max: number };
  /** Messages per second of wall time at the median run. */
  messagesPerSec: number;
  /** The bare baseline, one sample after each suite run. */
  bare: { messagesPerRun: number; runMs: { median: number; min: number; max: number }; messagesPerSec: number };
  /** The suite's median rate over the baseline's (suiteOverBare), and its inverse: the suite runs at 1/oneIn of the bare rate. */
  ratio: { suiteOverBare: number; oneIn: number };
  /** Programs by median wall time, slowest first. */
  topPrograms: { name: string; medianMs: number; messages: number }[];
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  return { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Run the suite program by program so each one can be timed; the run is the same as one runPrograms(all). */
function runTimed(w: Sim, names: string[], perProg: number[][]): ProgramResult[] {
  // One runPrograms call per program keeps the simulation identical (init takes
  // one command after another) while letting the wall clock see each program.
  const out: ProgramResult[] = [];
  for (let i = 0; i < names.length; i++) {
    const t0 = performance.now();
    const r = w.run([names[i]!]);
    perProg[i]!.push(performance.now() - t0);
    out.push(...r);
  }
  return out;
}

export function runBench(runs: number, variant: SimVariant = 'plain'): BenchResult {
  const names = testNames();
  const cfg = { variant };
  const tb = performance.now();
  const booted = Sim.boot(cfg);
  const bootMs = performance.now() - tb;
  const ts = performance.now();
  const snap = booted.snapshot();
  const snapshotMs = performance.now() - ts;

  const restoreMs: number[] = [];
  const runMs: number[] = [];
  const bareMs: number[] = [];
  let bareCount = 0;
  const perProg: number[][] = names.map(() => []);
  let messages = 0;
  let hash = '';
  let progMessages: number[] = [];
  // Interleave whole-suite runs (the figure the goal is about) with the
  // bare baseline and per-program runs (for the top list), so noise hits
  // them alike.
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const w = Sim.restore(snap, cfg);
    const t1 = performance.now();
    const m0 = w.reading().messages;
    const res = w.run(names);
    const t2 = performance.now();
    restoreMs.push(t1 - t0);
    runMs.push(t2 - t1);
    const failed = res.filter((r) => r.status !== 'pass').map((r) => r.name);
    if (i === 0 && failed.length) process.stderr.write(`suite-bench: failing programs: ${failed.join(', ')}\n`);
    const m = w.reading().messages - m0;
    const h = w.traceHash();
    if (i > 0 && (m !== messages || h !== hash)) throw new Error(`suite-bench: run ${i} differs from run 0 (${m}/${h} vs ${messages}/${hash})`);
    messages = m; hash = h;

    const tb0 = performance.now();
    bareCount = bareMessages(BARE_MESSAGES).messages;
    bareMs.push(performance.now() - tb0);

    const wp = Sim.restore(snap, cfg);
    const rp = runTimed(wp, names, perProg);
    progMessages = rp.map((r) => r.messages);
  }
  const medRun = median(runMs);
  const suiteRate = messages / (medRun / 1000);
  const bareRate = bareCount / (median(bareMs) / 1000);
  const top = names
    .map((name, i) => ({ name, medianMs: round(median(perProg[i]!)), messages: progMessages[i] ?? 0 }))
    .sort((a, b) => b.medianMs - a.medianMs || (a.name < b.name ? -1 : 1))
    .slice(0, 10);
  return {
    runs,
    variant,
    programs: names.length,
    messagesPerRun: messages,
    traceHash: hash,
    bootMs: round(bootMs),
    snapshotMs: round(snapshotMs),
    restoreMs: stats(restoreMs),
    runMs: stats(runMs),
    messagesPerSec: Math.round(suiteRate),
    bare: { messagesPerRun: bareCount, runMs: stats(bareMs), messagesPerSec: Math.round(bareRate) },
    ratio: { suiteOverBare: Math.round((suiteRate / bareRate) * 1e5) / 1e5, oneIn: Math.round((bareRate / suiteRate) * 10) / 10 },
    topPrograms: top,
  };
}

function parseVariant(v: string | undefined): SimVariant {
  if (v !== undefined && (v === 'plain' || isVariant(v))) return v;
  throw new Error(`--variant needs plain, baseline, ckpt, osiris, osiris+edfi or osiris+prof, got ${v ?? 'nothing'}`);
}

function parseArgs(argv: string[]): { runs: number; json: boolean; variant: SimVariant } {
  let runs = 15;
  let json = false;
  let variant: SimVariant = 'plain';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--variant') variant = parseVariant(argv[++i]);
    else if (a.startsWith('--variant=')) variant = parseVariant(a.slice('--variant='.length));
    else if (a === '--runs') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--runs needs a positive integer, got ${argv[i]}`);
      runs = n;
    } else if (a.startsWith('--runs=')) {
      const n = Number(a.slice('--runs='.length));
      if (!Number.isInteger(n) || n < 1) throw new Error(`--runs needs a positive integer, got ${a}`);
      runs = n;
    } else throw new Error(`unknown argument ${a} (usage: suite-bench [--runs n] [--variant v] [--json])`);
  }
  return { runs, json, variant };
}

export function main(argv: string[]): void {
  const { runs, json, variant } = parseArgs(argv);
  // As a campaign's workers run (sim/jit-tiering.ts); the bare generators run under the same tiering.
  const jit = tierForSimulation() ? 'simulation' : 'default';
  const r = { ...runBench(runs, variant), jitTiering: jit };
  if (json) { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); return; }
  const f = (x: number) => x.toFixed(3);
  const lines = [
    `suite-bench: ${r.programs} programs (${r.variant}), ${r.runs} runs, ${r.messagesPerRun} messages per run, trace ${r.traceHash}`,
    `boot       ${f(r.bootMs)} ms (once, cold)   snapshot ${f(r.snapshotMs)} ms`,
    `restore    median ${f(r.restoreMs.median)} ms   min ${f(r.restoreMs.min)} ms   max ${f(r.restoreMs.max)} ms`,
    `run        median ${f(r.runMs.median)} ms   min ${f(r.runMs.min)} ms   max ${f(r.runMs.max)} ms`,
    `throughput ${r.messagesPerSec.toLocaleString('en-US')} messages/s (at the median run)`,
    `bare       median ${f(r.bare.runMs.median)} ms for ${r.bare.messagesPerRun} messages: ${r.bare.messagesPerSec.toLocaleString('en-US')} messages/s (two generators, copied messages)`,
    `ratio      the suite runs at 1/${r.ratio.oneIn.toFixed(1)} of the bare message rate (medians, same process; V8 tiering: ${r.jitTiering})`,
    `slowest programs (median wall ms, messages):`,
    ...r.topPrograms.map((p) => `  ${p.name.padEnd(24)} ${f(p.medianMs).padStart(8)}  ${String(p.messages).padStart(6)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) runScript(main);
