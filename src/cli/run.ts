/*
 * `osiris-fi run <campaign>`: plan the campaign, run it (or one shard of it)
 * on a worker pool with a progress bar, journal every run, and print the
 * survivability table. Ctrl-C stops cleanly; --resume continues.
 *
 * The entry points into this file are:
 *   runRunCommand       the command
 *   survivabilityTable  per mode: runs and Pass/Fail/Shutdown/Crash %
 */
import os from 'node:os';
import cliProgress from 'cli-progress';
import { CampaignError, loadCampaign } from '../experiment/campaign-spec';
import { JournalError, RunRecord } from '../experiment/journal';
import { parseShard, Shard, ShardError } from '../experiment/shard';
import { planCampaign, runCampaign, RunnerError } from '../experiment/runner';
import { addRun, tally, Tally } from '../experiment/tally';
import { resultsDir } from '../experiment/results-store';
import { UsageError } from './errors';
import { defaultCacheDir } from './shared';
import { table } from './format';

export interface RunOptions { workers?: string; shard?: string; resume?: string; out?: string; json?: boolean; progress?: boolean }

const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : '-');

export function survivabilityTable(t: Map<string, Tally>): string {
  const rows = [...t.entries()].map(([m, x]) => [m, x.total, pct(x.pass, x.total), pct(x.fail, x.total), pct(x.shutdown, x.total), pct(x.crash, x.total)]);
  return table(['mode', 'runs', 'Pass %', 'Fail %', 'Shutdown %', 'Crash %'], rows, ['l', 'r', 'r', 'r', 'r', 'r']);
}

function tallyLine(t: Map<string, Tally>): string {
  return [...t.entries()].map(([m, x]) => `${m} ${x.pass}/${x.fail}/${x.shutdown}/${x.crash}`).join('  ');
}

function usage<T>(f: () => T): T {
  try { return f(); } catch (e) {
    if (e instanceof CampaignError || e instanceof ShardError || e instanceof JournalError) throw new UsageError(e.message);
    throw e;
  }
}

async function usageAsync<T>(p: Promise<T>): Promise<T> {
  try { return await p; } catch (e) {
    if (e instanceof RunnerError) throw new UsageError(e.message, 1);
    if (e instanceof CampaignError || e instanceof ShardError || e instanceof JournalError) throw new UsageError(e.message);
    throw e;
  }
}

export async function runRunCommand(file: string, opts: RunOptions): Promise<number> {
  const campaign = usage(() => loadCampaign(file));
  const workers = opts.workers === undefined ? os.availableParallelism() : Number(opts.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers "${opts.workers}": expected a positive integer`);
  const shard: Shard | null = opts.shard ? usage(() => parseShard(opts.shard!)) : null;
  const quiet = opts.json || !process.stderr.isTTY || opts.progress === false;
  if (!quiet) process.stderr.write(`golden profile (cached per build)...\n`);
  const plan = planCampaign(campaign, defaultCacheDir());
  const dir = resultsDir({ manifest: plan.manifest, shard, resume: opts.resume, out: opts.out });

  const live = tally([], plan.manifest.modes);
  let bar: cliProgress.SingleBar | null = null;
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) return;
    ac.abort();
    process.stderr.write(`\ninterrupted: finishing the runs in flight; resume with --resume ${dir}\n`);
  };
  process.on('SIGINT', onSigint);
  const t0 = process.hrtime.bigint();
  let res;
  try {
    res = await usageAsync(runCampaign(plan, {
      dir, workers, shard, resume: opts.resume !== undefined, signal: ac.signal,
      onStart(todo, total, skipped) {
        if (quiet) return;
        process.stderr.write(`${campaign.name}: ${total} runs${shard ? ` (shard ${shard.index}/${shard.count})` : ''}` +
          `${skipped ? `, ${skipped} already done` : ''}, ${workers} worker${workers > 1 ? 's' : ''} -> ${dir}\n`);
        bar = new cliProgress.SingleBar({
          format: '{bar} {value}/{total} runs | {rate} runs/s | ETA {eta_formatted} | pass/fail/shutdown/crash: {tallies}',
          hideCursor: true, etaBuffer: 200, stream: process.stderr,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, skipped, { rate: '-', tallies: '' });
        void todo;
      },
      onRun(r: RunRecord, done) {
        const t = live.get(r.mode);
        if (t) addRun(t, r);
        if (bar) {
          const secs = Number(process.hrtime.bigint() - t0) / 1e9;
          const ranHere = [...live.values()].reduce((a, x) => a + x.total, 0);
          bar.update(done, { rate: (ranHere / Math.max(secs, 1e-3)).toFixed(1), tallies: tallyLine(live) });
        }
      },
    }));
  } finally {
    (bar as cliProgress.SingleBar | null)?.stop();
    process.removeListener('SIGINT', onSigint);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const t = tally(res.records, plan.manifest.modes);
  if (opts.json) {
    const perMode: Record<string, Tally> = {};
    for (const [m, x] of t) perMode[m] = x;
    process.stdout.write(JSON.stringify({
      campaign: campaign.name, dir, shard, total: res.total, finished: res.records.length, ran: res.ran, skipped: res.skipped,
      interrupted: res.interrupted, wallSeconds: +secs.toFixed(3), runsPerSecond: +(res.ran / Math.max(secs, 1e-3)).toFixed(2), perMode,
    }, null, 2) + '\n');
  } else {
    process.stdout.write(`${campaign.name}: ${res.records.length}/${res.total} runs in ${dir}` +
      ` (${res.ran} run now in ${secs.toFixed(1)} s, ${(res.ran / Math.max(secs, 1e-3)).toFixed(1)} runs/s)\n\n`);
    process.stdout.write(survivabilityTable(t) + '\n');
    if (res.interrupted) process.stdout.write(`\nincomplete: resume with \`osiris-fi run ${file} --resume ${dir}${opts.shard ? ` --shard ${opts.shard}` : ''}\`\n`);
  }
  return res.interrupted ? 130 : 0;
}
