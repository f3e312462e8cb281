/*
 * `osiris-fi run <campaign>`: plan the campaign, run it (or one shard of it)
 * on a worker pool with a progress line, journal every run, and print the
 * survivability table. Ctrl-C stops cleanly; --resume continues; a campaign
 * already finished in its results directory is shown, not run again
 * (--force starts over).
 *
 * The entry points into this file are:
 *   runRunCommand       the command
 */
import { loadCampaign } from '../experiment/campaign-spec';
import type { RunRecord } from '../experiment/journal';
import { parseShard, Shard } from '../experiment/shard';
import { planCampaign, runCampaign } from '../experiment/runner';
import { addRun, tally, Tally } from '../experiment/tally';
import { resultsDir } from '../experiment/results-store';
import { ToolError } from '../tool-error';
import { EXIT } from './errors';
import { defaultCacheDir, survivabilityTable } from './shared';
import { ProgressLine, ProgressFigures } from './progress-line';
import { checkOutput, clearResults, existingResults, resolveCampaign } from './results-dir';

export interface RunOptions {
  workers?: number; shard?: string; resume?: string; out?: string; json?: boolean; progress?: boolean; force?: boolean;
  /** false (--no-share): every run under its own mode. */
  share?: boolean;
  /** false (--no-pretest-resume): every run from boot, its pre-tests included. */
  pretestResume?: boolean;
  /** --all-edfi: every server on its EDFI build, not only the armed block's. */
  allEdfi?: boolean;
  /** --worker-heap: each worker's old-generation cap (MB). */
  workerHeap?: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export async function runRunCommand(file: string, opts: RunOptions): Promise<number> {
  const campaign = loadCampaign(resolveCampaign(file));
  const shard: Shard | null = opts.shard ? parseShard(opts.shard) : null;
  checkOutput(opts);
  const quiet = opts.json || !process.stderr.isTTY || opts.progress === false;
  if (!quiet) process.stderr.write(`golden profile (cached per build)...\n`);
  const plan = planCampaign(campaign, defaultCacheDir());
  const dir = resultsDir({ manifest: plan.manifest, shard, resume: opts.resume, out: opts.out });
  // More workers than runs (or than the cores can use, checked when parsing) only cost memory.
  const workers = Math.max(1, Math.min(opts.workers ?? (require('node:os') as typeof import('node:os')).availableParallelism(), plan.tasks.length));
  const notes: string[] = [];
  if (typeof campaign.faults === 'object') {
    const eligible = plan.faults.length;
    const { sample, perServer } = campaign.faults;
    if (!perServer && sample > eligible) notes.push(`sample ${sample} is more than the ${eligible} eligible faults: running all ${eligible}`);
    if (perServer) {
      // The picker takes all of a server's faults when it has fewer than the sample.
      const per = new Map<string, number>();
      for (const f of plan.faults) per.set(f.block.server, (per.get(f.block.server) ?? 0) + 1);
      const short = [...per].filter(([, n]) => n < sample).map(([s, n]) => `${s} ${n}`);
      if (short.length) notes.push(`sample ${sample} per server is more than ${short.join(', ')} eligible faults: running all of those`);
    }
  }
  for (const n of notes) process.stderr.write(`note: ${n}\n`);

  if (opts.resume === undefined) {
    const was = existingResults(dir, { ...plan.manifest, shard }, plan.tasks.map((t) => t.key), shard, opts.force);
    if (was.kind !== 'none' && opts.force) clearResults(dir);
    else if (was.kind === 'finished') return printFinished(file, dir, was.records, plan.manifest.modes, opts);
    else if (was.kind === 'unfinished') {
      throw new ToolError('exists', `${dir} holds ${was.done} of ${was.total} runs of this campaign; continue with --resume ${dir}, or start over with --force`);
    } else if (was.kind === 'other') throw new ToolError('exists', `${dir} already holds other results (${was.why}); choose another --out, or replace them with --force`);
  }

  const live = tally([], plan.manifest.modes);
  let bar: ProgressLine | null = null;
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) return;
    ac.abort();
    bar?.pause();
    bar = null;
    process.stderr.write(`interrupted: finishing the runs in flight; resume with --resume ${dir}\n`);
  };
  process.on('SIGINT', onSigint);
  const t0 = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;
  let total = 0, ranHere = 0;
  const figures = (done: number): ProgressFigures => ({
    done, total, ranHere, seconds: seconds(),
    tally: [...live.entries()].map(([m, x]) => [m, [x.pass, x.fail, x.shutdown, x.crash]]),
  });
  let res;
  try {
    res = await runCampaign(plan, {
      dir, workers, shard, resume: opts.resume !== undefined, signal: ac.signal,
      sharing: { share: opts.share !== false }, pretests: { resume: opts.pretestResume !== false }, faultServerOnly: opts.allEdfi !== true,
      ...(opts.workerHeap !== undefined ? { workerHeapMb: opts.workerHeap } : {}),
      onStart(todo, all, skipped) {
        total = all;
        if (quiet) return;
        process.stderr.write(`${campaign.name}: ${plural(all, 'run')}${shard ? ` (shard ${shard.index}/${shard.count})` : ''}` +
          `${skipped ? `, ${skipped} already done` : ''}, ${plural(Math.min(workers, Math.max(todo, 1)), 'worker')} -> ${dir}\n`);
        bar = new ProgressLine(process.stderr);
        bar.start(figures(skipped));
      },
      onRun(r: RunRecord, done) {
        const t = live.get(r.mode);
        if (t) addRun(t, r);
        ranHere++;
        (bar as ProgressLine | null)?.update(figures(done));
      },
    });
  } finally {
    (bar as ProgressLine | null)?.stop();
    process.removeListener('SIGINT', onSigint);
  }
  const secs = seconds();
  const t = tally(res.records, plan.manifest.modes);
  if (opts.json) {
    process.stdout.write(JSON.stringify({
      campaign: campaign.name, dir, shard, total: res.total, finished: res.records.length, ran: res.ran, skipped: res.skipped,
      interrupted: res.interrupted, alreadyFinished: false, notes, wallSeconds: +secs.toFixed(3), runsPerSecond: +(res.ran / Math.max(secs, 1e-3)).toFixed(2), perMode: perModeOf(t),
    }, null, 2) + '\n');
  } else {
    const before = res.skipped ? `${res.skipped} done before, ` : '';
    process.stdout.write(`${campaign.name}: ${res.records.length} of ${plural(res.total, 'run')} in ${dir}` +
      ` (${before}${res.ran} now, in ${secs.toFixed(1)} s: ${(res.ran / Math.max(secs, 1e-3)).toFixed(1)} runs/s)\n\n`);
    process.stdout.write(survivabilityTable(t) + '\n');
    if (res.interrupted) process.stdout.write(`\nincomplete: resume with \`osiris-fi run ${file} --resume ${dir}${opts.shard ? ` --shard ${opts.shard}` : ''}\`\n`);
  }
  return res.interrupted ? EXIT.interrupted : EXIT.ok;
}

function perModeOf(t: Map<string, Tally>): Record<string, Tally> {
  const out: Record<string, Tally> = {};
  for (const [m, x] of t) out[m] = x;
  return out;
}

/** The campaign already finished in `dir`: its table, from the results. */
function printFinished(file: string, dir: string, records: RunRecord[], modes: string[], opts: RunOptions): number {
  const t = tally(records, modes);
  if (opts.json) {
    process.stdout.write(JSON.stringify({
      dir, total: records.length, finished: records.length, ran: 0, skipped: records.length, interrupted: false, alreadyFinished: true, perMode: perModeOf(t),
    }, null, 2) + '\n');
    return EXIT.ok;
  }
  process.stdout.write(`already finished: ${plural(records.length, 'run')} in ${dir}; the table below is read from those results ` +
    `(run it again with \`osiris-fi run ${file} --force\`)\n\n${survivabilityTable(t)}\n`);
  return EXIT.ok;
}
