/*
 * Benchmark of whole campaigns (`npm run bench:campaign [-- --json]`): runs
 * the two paper campaigns (or the files given) on the worker pool into
 * temporary results directories and reports, per campaign, the wall time,
 * runs/s, the process's CPU time per run, per mode the median and p90 of
 * the time a worker spent on each executed run (wallMs of the records:
 * a worker thread runs one run at a time, so on an idle core this is its
 * CPU time), the share of runs shared from another mode's run (run-share.ts),
 * the share resumed after their pre-tests, the peak resident memory and
 * the resident memory after each quarter of the runs (a campaign's memory
 * should not grow with its runs beyond the records it keeps). The records
 * are the campaign's own: the bench measures, it does not sample.
 *
 * Options: --json, --workers n (default 2), --no-share (every run under its
 * own mode), --no-pretest-resume (every run from boot, its pre-tests
 * included), --all-edfi (every server on its EDFI build, not only the
 * armed block's), --keep dir (keep each campaign's results under dir/<name>),
 * --livelock detect|budget (override the campaigns' `livelock` field: end
 * livelocked runs at once, or let them spend their message budget), and
 * campaign files (default campaigns/paper-failstop.json, paper-edfi.json).
 * Beside the times it counts the messages of all runs and the runs the
 * livelock detector ended. --worker-heap mb caps each worker's old
 * generation (runner.ts workerHeapMb).
 *
 * The entry points into this file are:
 *   benchCampaign   one campaign's figures
 *   main            the command line
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaign } from './campaign-spec';
import type { LivelockMode } from './run-one';
import { planCampaign, runCampaign } from './runner';
import { tierForSimulation } from '../sim/jit-tiering';

export interface ModeFigures { runs: number; executed: number; shared: number; resumed: number; medianMs: number; p90Ms: number }

export interface CampaignBench {
  campaign: string;
  runs: number;
  workers: number;
  wallSeconds: number;
  runsPerSecond: number;
  /** CPU time of the whole process (main thread and workers) per run. */
  cpuMsPerRun: number;
  /** Runs recorded from another mode's run (sharedFrom), of all runs. */
  sharedShare: number;
  /** Runs continued from the snapshot after their pre-tests (pretest-resume.ts), of all runs. */
  resumedShare: number;
  /** Peak resident set of the process so far (MB). */
  maxRssMb: number;
  /** Resident set when a quarter, half, three quarters and all of the runs were done (MB). */
  rssMbByQuarter: number[];
  /** The campaign's livelock mode as run. */
  livelock: LivelockMode;
  /** Messages of all runs, and the runs the livelock detector ended. */
  messages: number;
  livelockEnded: number;
  perMode: Record<string, ModeFigures>;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export interface BenchOptions { workers: number; share: boolean; pretestResume: boolean; allEdfi: boolean; keep?: string; livelock?: LivelockMode; workerHeapMb?: number }

export async function benchCampaign(file: string, opts: BenchOptions): Promise<CampaignBench> {
  const loaded = loadCampaign(file);
  const campaign = opts.livelock ? { ...loaded, livelock: opts.livelock } : loaded;
  const plan = planCampaign(campaign, path.resolve(process.cwd(), 'results', '.cache'));
  const dir = opts.keep ? path.join(opts.keep, campaign.name) : fs.mkdtempSync(path.join(os.tmpdir(), `bench-${campaign.name}-`));
  if (opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const rssByQuarter: number[] = [];
  const onRun = (_r: unknown, done: number, total: number) => {
    if (done * 4 >= (rssByQuarter.length + 1) * total) rssByQuarter.push(round(process.memoryUsage.rss() / 2 ** 20, 0));
  };
  const res = await runCampaign(plan, {
    dir, workers: opts.workers, shard: null, resume: false, onRun, sharing: { share: opts.share }, pretests: { resume: opts.pretestResume }, faultServerOnly: !opts.allEdfi,
    ...(opts.workerHeapMb !== undefined ? { workerHeapMb: opts.workerHeapMb } : {}),
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  const perMode: Record<string, ModeFigures> = {};
  for (const m of plan.manifest.modes) {
    const rs = res.records.filter((r) => r.mode === m);
    const own = rs.filter((r) => r.sharedFrom === undefined);
    const ms = own.map((r) => r.wallMs);
    perMode[m] = {
      runs: rs.length, executed: own.length, shared: rs.length - own.length, resumed: own.filter((r) => r.resumedAfterPretests).length,
      medianMs: round(quantile(ms, 0.5)), p90Ms: round(quantile(ms, 0.9)),
    };
  }
  const shared = res.records.filter((r) => r.sharedFrom !== undefined).length;
  const resumed = res.records.filter((r) => r.sharedFrom === undefined && r.resumedAfterPretests).length;
  return {
    campaign: campaign.name, runs: res.records.length, workers: opts.workers,
    wallSeconds: round(wall), runsPerSecond: round(res.records.length / wall, 1),
    cpuMsPerRun: round((cpu.user + cpu.system) / 1000 / Math.max(1, res.records.length)),
    sharedShare: round(shared / Math.max(1, res.records.length), 3),
    resumedShare: round(resumed / Math.max(1, res.records.length), 3),
    maxRssMb: round(process.resourceUsage().maxRSS / 1024, 0),
    rssMbByQuarter: rssByQuarter,
    livelock: campaign.livelock,
    messages: res.records.reduce((n, r) => n + r.messages, 0),
    livelockEnded: res.records.filter((r) => r.halt !== null && r.halt.startsWith('timeout: livelock')).length,
    perMode,
  };
}

async function main(argv: string[]): Promise<void> {
  let json = false, share = true, pretestResume = true, allEdfi = false, workers = 2, keep: string | undefined, livelock: LivelockMode | undefined;
  let workerHeapMb: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--no-share') share = false;
    else if (a === '--no-pretest-resume') pretestResume = false;
    else if (a === '--all-edfi') allEdfi = true;
    else if (a === '--workers') workers = Number(argv[++i]);
    else if (a === '--keep') keep = argv[++i];
    else if (a === '--worker-heap') workerHeapMb = Number(argv[++i]);
    else if (a === '--livelock') {
      const v = argv[++i];
      if (v !== 'detect' && v !== 'budget') throw new Error('bench:campaign: --livelock expects detect or budget');
      livelock = v;
    } else if (a.startsWith('--')) throw new Error(`bench:campaign: unknown option ${a} (use --json, --workers n, --no-share, --no-pretest-resume, --all-edfi, --keep dir, --livelock detect|budget, --worker-heap mb)`);
    else files.push(a);
  }
  if (!Number.isInteger(workers) || workers < 1) throw new Error('bench:campaign: --workers expects a positive whole number');
  if (workerHeapMb !== undefined && (!Number.isInteger(workerHeapMb) || workerHeapMb < 1)) throw new Error('bench:campaign: --worker-heap expects a positive whole number of MB');
  if (files.length === 0) files.push('campaigns/paper-failstop.json', 'campaigns/paper-edfi.json');
  // The workers set it too; set here, it covers the planning as well (and says which way the bench ran).
  const jit = tierForSimulation() ? 'simulation' : 'default';
  const out: CampaignBench[] = [];
  const t0 = process.hrtime.bigint();
  for (const f of files) {
    const b = await benchCampaign(f, { workers, share, pretestResume, allEdfi, keep, livelock, workerHeapMb });
    out.push(b);
    if (!json) {
      process.stdout.write(`${b.campaign}: ${b.runs} runs in ${b.wallSeconds} s (${b.runsPerSecond} runs/s, ${b.workers} workers), ` +
        `CPU ${b.cpuMsPerRun} ms/run, shared ${(100 * b.sharedShare).toFixed(1)}%, resumed after pre-tests ${(100 * b.resumedShare).toFixed(1)}%, ` +
        `peak RSS ${b.maxRssMb} MB (by quarter of the runs: ${b.rssMbByQuarter.join(', ')} MB); ` +
        `livelock ${b.livelock}: ${b.messages} messages, ${b.livelockEnded} runs ended as livelocks\n`);
      for (const [m, x] of Object.entries(b.perMode)) {
        process.stdout.write(`  ${m.padEnd(18)} ${String(x.runs).padStart(5)} runs, ${String(x.executed).padStart(5)} executed, ${String(x.resumed).padStart(5)} resumed, per run median ${x.medianMs} ms, p90 ${x.p90Ms} ms\n`);
      }
    }
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  if (json) process.stdout.write(JSON.stringify({ totalWallSeconds: round(total), jitTiering: jit, campaigns: out }, null, 2) + '\n');
  else process.stdout.write(`total: ${round(total)} s wall (V8 tiering: ${jit}, sim/jit-tiering.ts)\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
