/*
 * The campaign runner (DESIGN §6): plan every (fault × mode) run from the
 * golden profile, then run them on a piscina worker pool, journaling each
 * finished run. Every run is a pure function of (campaign, fault, mode), so
 * the results do not depend on the worker count, the shard or resumption.
 *
 * The entry points into this file are:
 *   planCampaign   the golden profile, the faults, every run's task, the manifest
 *   runCampaign    run a plan (or a shard of it) into a results directory
 */
import path from 'node:path';
import { Piscina } from 'piscina';
import { loadBlockMap } from '../sim/variants';
import { Campaign, campaignIdentity } from './campaign-spec';
import type { Policy } from '../osiris/policies';
import { eligibleBlocks, goldenProfile, GoldenProfile } from './golden';
import { Fault, faultId, pickFaults } from './fault-picker';
import { RunPlanner } from './run-plan';
import { createJournal, JournalError, Manifest, openJournal, RunRecord, sameCampaign } from './journal';
import { Shard, shardSlice } from './shard';
import type { RunTask } from './worker';
import { groupRuns, PretestResumeOptions, RunGroup, ShareOptions } from './run-share';
import { ToolError } from '../tool-error';

const pkg = require('../../../package.json') as { name: string; version: string };


export class RunnerError extends ToolError {
  constructor(message: string) { super('harness', message); }
}

export interface CampaignPlan {
  campaign: Campaign;
  profile: GoldenProfile;
  faults: Fault[];
  /** Every run of the campaign, fault-major, modes in campaign order. */
  tasks: RunTask[];
  manifest: Manifest;
}

export function planCampaign(campaign: Campaign, cacheDir: string | null, onProfile?: (done: number, total: number) => void): CampaignPlan {
  const profile = goldenProfile(cacheDir, onProfile, campaign.profiling);
  const map = loadBlockMap('osiris+edfi');
  const faults = pickFaults(campaign, eligibleBlocks(profile, map.blocks));
  // One planner for the campaign: the test picker's per-profile work is done once, not per run.
  const planner = new RunPlanner(profile);
  const tasks: RunTask[] = [];
  const unpicked: string[] = [];
  // What does not depend on the fault, once per mode.
  const modes = campaign.modes.map((m) => ({ name: m.name, policy: m.policy, pretests: pretestsFor(campaign, m.policy) }));
  const options = {
    tests: campaign.tests, budget: campaign.budget,
    ...(campaign.checking === 'minix' ? { checking: campaign.checking } : {}),
    ...(campaign.serviceFi === 'prototype' ? { serviceFi: campaign.serviceFi } : {}),
    ...(campaign.livelock === 'budget' ? { livelock: campaign.livelock } : {}),
  };
  for (const f of faults) {
    const id = faultId(f);
    // The same fault draws the same values under every mode, so modes compare like for like.
    const seed = `${campaign.seed}|${id}`;
    // The shuffle is the fault's, the same under every mode (testpicker ran once per fault list).
    const pickSeed = `${campaign.seed}|tests|${id}`;
    for (const m of modes) {
      const spec = planner.plan({ block: f.block, nullPointer: f.nullPointer, policy: m.policy, seed, pretests: m.pretests, pickSeed, ...options });
      if (!spec) { unpicked.push(`${id}|${m.name}`); continue; }
      tasks.push({ key: `${id}|${m.name}`, mode: m.name, block: f.block.id, server: f.block.server, faultType: f.faultType, variantHash: map.hash, spec });
    }
  }
  const manifest: Manifest = {
    format: 1,
    campaign: { name: campaign.name, file: campaign.file, identity: campaignIdentity(campaign) },
    tool: { name: pkg.name, version: pkg.version },
    variantHash: map.hash, profileHash: profile.buildHash,
    faults: faults.map((f) => ({ block: f.block.id, faultType: f.faultType })),
    modes: campaign.modes.map((m) => m.name),
    runs: tasks.length, shard: null,
    ...(unpicked.length ? { unpicked } : {}),
  };
  return { campaign, profile, faults, tasks, manifest };
}

/** Pre-tests for this mode: the campaign's flag, or under 'stateful' only for policies that transfer state (the prototype ran none for stateless). */
export function pretestsFor(campaign: Pick<Campaign, 'pretests'>, policy: Policy): boolean {
  return campaign.pretests === 'stateful' ? policy.stateTransfer : campaign.pretests;
}

export interface RunCampaignOptions {
  dir: string;
  workers: number;
  shard: Shard | null;
  /** Continue the journal in `dir` instead of starting one. */
  resume: boolean;
  /** Called after each finished run (in completion order). */
  onRun?: (r: RunRecord, done: number, total: number) => void;
  /** Called once the journal is open: how many runs this invocation has to do, of how many. */
  onStart?: (todo: number, total: number, skipped: number) => void;
  signal?: AbortSignal;
  /** Running a run once for the modes whose policies would have recovered it alike (default: on, 1/20 verified). */
  sharing?: ShareOptions;
  /** Resuming runs after their pre-tests (default: on, 1/20 verified). */
  pretests?: PretestResumeOptions;
  /** Only the armed block's server runs its EDFI build (default true; false: every server, as before). */
  faultServerOnly?: boolean;
  /**
   * Cap each worker's old generation at this many MB (absent: V8's own
   * limit). A worker keeps nothing from run to run, so its heap after a
   * collection stays small (40 to 47 MB over 3,000 EDFI runs); the collector
   * still lets it grow towards the limit before it collects, and the cap
   * keeps the resident set flat at some cost in collections (README).
   */
  workerHeapMb?: number;
}

export interface CampaignResult {
  dir: string;
  /** Every finished run of this shard (or campaign), in plan order. */
  records: RunRecord[];
  total: number;
  ran: number;
  skipped: number;
  interrupted: boolean;
}

/**
 * Groups sent to a worker together, about BATCH_RUNS runs each: a worker's
 * answer (a postMessage) cost a fail-stop campaign about a twentieth of its
 * worker time when it carried one group.
 */
const BATCH_RUNS = 8;

function batches(groups: RunGroup<RunTask>[]): RunGroup<RunTask>[][] {
  const out: RunGroup<RunTask>[][] = [];
  let cur: RunGroup<RunTask>[] = [];
  let runs = 0;
  for (const g of groups) {
    cur.push(g);
    runs += g.emit.length;
    if (runs >= BATCH_RUNS) { out.push(cur); cur = []; runs = 0; }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export async function runCampaign(plan: CampaignPlan, opts: RunCampaignOptions): Promise<CampaignResult> {
  const manifest: Manifest = { ...plan.manifest, shard: opts.shard };
  let tasks = plan.tasks;
  if (opts.shard) {
    const mine = new Set(shardSlice(tasks.map((t) => t.key), opts.shard));
    tasks = tasks.filter((t) => mine.has(t.key));
  }
  const journal = opts.resume ? openJournal(opts.dir) : createJournal(opts.dir, manifest);
  try {
    if (opts.resume) {
      const why = sameCampaign(journal.manifest, manifest);
      if (why) throw new JournalError(`cannot resume ${opts.dir}: ${why}`);
      const a = journal.manifest.shard, b = manifest.shard;
      if ((a?.index ?? 0) !== (b?.index ?? 0) || (a?.count ?? 0) !== (b?.count ?? 0)) {
        throw new JournalError(`cannot resume ${opts.dir}: it holds shard ${a ? `${a.index}/${a.count}` : 'none'}; give the same --shard`);
      }
    }
    const todoKeys = new Set(tasks.filter((t) => !journal.done.has(t.key)).map((t) => t.key));
    const skipped = tasks.length - todoKeys.size;
    opts.onStart?.(todoKeys.size, tasks.length, skipped);
    // Groups come from the whole plan, so a shard or a resumption shares from the same mode.
    const groups = groupRuns(plan.tasks, todoKeys, opts.sharing);
    for (const g of groups) {
      if (opts.pretests) g.pretests = opts.pretests;
      if (opts.faultServerOnly !== undefined) g.faultServerOnly = opts.faultServerOnly;
    }
    const todo = batches(groups);
    let done = skipped;
    let ran = 0;
    if (todo.length > 0) {
      const pool = new Piscina<RunGroup<RunTask>[], RunRecord[][]>({
        filename: path.join(__dirname, 'worker.js'), minThreads: opts.workers, maxThreads: opts.workers, idleTimeout: 1000,
        ...(opts.workerHeapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: opts.workerHeapMb } } : {}),
      });
      try {
        // A bounded window of tasks in flight, so an interruption stops quickly and nothing is lost.
        let next = 0;
        let fatal: Error | null = null as Error | null;
        const window = opts.workers * 2;
        await new Promise<void>((resolve) => {
          let inFlight = 0;
          const pump = () => {
            while (inFlight < window && next < todo.length && !opts.signal?.aborted && !fatal) {
              const t = todo[next++]!;
              inFlight++;
              // A rejected task is the harness failing (a worker that cannot boot, a build changed
              // under it), not a run: stop, record nothing, let --resume redo it.
              pool.run(t).then((perGroup) => {
                for (const rs of perGroup) {
                  if (fatal) return;
                  // One group, one write: a kill loses at most the batches in flight, a full disk at most one group.
                  journal.appendAll(rs);
                  for (const r of rs) {
                    ran++; done++;
                    opts.onRun?.(r, done, tasks.length);
                  }
                }
              }).catch((e: unknown) => {
                fatal ??= e instanceof Error ? e : new Error(String(e));
              }).finally(() => {
                inFlight--;
                if (inFlight === 0 && (next >= todo.length || opts.signal?.aborted || fatal)) resolve();
                else pump();
              });
            }
            if (inFlight === 0) resolve();
          };
          pump();
        });
        if (fatal) {
          const oom = (fatal as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
          const why = oom ? `a worker ran out of its ${opts.workerHeapMb !== undefined ? `${opts.workerHeapMb} MB ` : ''}heap` : fatal.message.split('\n')[0];
          const hint = oom && opts.workerHeapMb !== undefined ? ' with a larger --worker-heap, or none' : '';
          throw new RunnerError(`campaign stopped: ${why} (finished runs are kept; resume with --resume ${opts.dir}${hint})`);
        }
      } finally {
        await pool.destroy();
      }
    }
    const records = tasks.filter((t) => journal.done.has(t.key)).map((t) => journal.done.get(t.key)!);
    return { dir: opts.dir, records, total: tasks.length, ran, skipped, interrupted: records.length < tasks.length };
  } finally {
    journal.close();
  }
}

