/*
 * `osiris-fi replay <results> --run <key> [--trace]`: run one recorded run
 * again, rebuilt from the campaign settings the manifest records (the same
 * planning code the runner used: fault, tests, seed, budgets, policy), and
 * confirm it ends the same way. Every run is meant to be a pure function of
 * (campaign, fault, mode) on one build, so any difference is a bug: exit 0
 * when the records agree (the wall-clock time aside), 1 when they do not.
 *
 * The entry points into this file are:
 *   runReplayCommand     the command
 */
import type { RunRecord } from '../experiment/journal';
import { differingFields } from '../experiment/run-share';
import { UsageError } from './errors';
import { campaignFromManifest, defaultCacheDir, loadForReport } from './shared';
import { ms } from './format';

export interface ReplayOptions { run?: string; trace?: boolean; json?: boolean }

/** Long equal values are shortened; differing ones are always shown whole. */
const clip = (s: string) => (s.length > 100 ? `${s.slice(0, 97)}...` : s);
const show = (v: unknown): string => (v === undefined ? '(absent)' : Array.isArray(v) ? (v.length ? v.join(', ') : '-') : v === null ? '-' : String(v));

export function runReplayCommand(dir: string, opts: ReplayOptions): number {
  const key = opts.run;
  if (!key) throw new UsageError('--run <key>: expected a run key ("<blockId>|<faultType>|<mode>", as in runs.jsonl)');
  const res = loadForReport([dir]);
  const recorded = res.runs.find((r) => r.key === key);
  if (!recorded) {
    const near = res.runs.filter((r) => r.key.startsWith(key)).slice(0, 5).map((r) => r.key);
    throw new UsageError(`no run "${key}" recorded in ${dir}` + (near.length ? `; did you mean ${near.join(' or ')}?` : ` (keys are "<blockId>|<faultType>|<mode>"; list them with \`osiris-fi export ${dir} --table runs\`)`));
  }
  const campaign = campaignFromManifest(res.manifest, dir);

  // The heavy modules (the instrumented builds, the simulator) load only when a replay really runs.
  const { loadBlockMap } = require('../sim/variants') as typeof import('../sim/variants');
  const { planCampaign } = require('../experiment/runner') as typeof import('../experiment/runner');
  const { executeTask } = require('../experiment/worker') as typeof import('../experiment/worker');
  const { bootSnapshot, runOne } = require('../experiment/run-one') as typeof import('../experiment/run-one');

  const build = loadBlockMap('osiris+edfi').hash;
  if (build !== res.manifest.variantHash) {
    throw new UsageError(`${dir} was run on build ${res.manifest.variantHash.slice(0, 12)}, this is build ${build.slice(0, 12)}; replay needs the same build (rebuild that version)`);
  }
  const plan = planCampaign(campaign, defaultCacheDir());
  if (plan.manifest.profileHash !== res.manifest.profileHash) {
    throw new UsageError(`${dir} was planned from profiling build ${res.manifest.profileHash.slice(0, 12)}, this is ${plan.manifest.profileHash.slice(0, 12)}; replay needs the same build`);
  }
  if (JSON.stringify(plan.manifest.faults) !== JSON.stringify(res.manifest.faults)) {
    throw new UsageError(`${dir}: this build picks a different fault list for campaign ${campaign.name}; the run cannot be rebuilt`);
  }
  if (plan.manifest.tool.version !== res.manifest.tool.version) {
    process.stderr.write(`warning: ${dir} was run by ${res.manifest.tool.name} ${res.manifest.tool.version}, this is ${plan.manifest.tool.version}\n`);
  }
  const task = plan.tasks.find((t) => t.key === key);
  if (!task) throw new UsageError(`run "${key}" is not part of campaign ${campaign.name} as this build plans it`);

  const snap = bootSnapshot();
  const replayed = executeTask(snap, task);
  const differing = differingFields(recorded, replayed);
  const traced = opts.trace ? runOne(snap, { ...task.spec, trace: true }) : null;
  const tracedDiffers = traced !== null && (traced.outcome !== replayed.outcome || traced.detail !== replayed.detail);
  const same = differing.length === 0;
  const spec = { programs: task.spec.programs, seed: task.spec.seed, timeBudgetNs: task.spec.timeBudgetNs, messageBudget: task.spec.messageBudget, nullPointer: task.spec.nullPointer };

  if (opts.json) {
    process.stdout.write(JSON.stringify({
      key, same, differing, spec, recorded, replayed,
      ...(traced ? { trace: traced.trace, tracedOutcome: { outcome: traced.outcome, detail: traced.detail } } : {}),
    }, null, 2) + '\n');
    return same ? 0 : 1;
  }
  const out: string[] = [];
  out.push(`replay of ${key} (campaign ${campaign.name}, ${dir})`);
  out.push(`programs: ${spec.programs.join(', ')}`);
  out.push(`seed ${spec.seed}; budget ${ms(spec.timeBudgetNs)} ms simulated, ${spec.messageBudget} messages; ${spec.nullPointer ? 'fail-stop (NULL dereference)' : `compiled ${task.faultType} fault`}`);
  out.push('');
  const fields = [...Object.keys(recorded), ...Object.keys(replayed).filter((k) => !(k in recorded))].filter((k) => k !== 'key' && k !== 'wallMs');
  const width = Math.max(...fields.map((f) => f.length));
  const rec = recorded as unknown as Record<string, unknown>, rep = replayed as unknown as Record<string, unknown>;
  for (const f of fields) {
    if (differing.includes(f)) out.push(`* ${f.padEnd(width)}  recorded: ${show(rec[f])}\n  ${''.padEnd(width)}  replayed: ${show(rep[f])}`);
    else out.push(`  ${f.padEnd(width)}  ${clip(show(rec[f]))}`);
  }
  out.push(`  ${'wallMs'.padEnd(width)}  ${show(recorded.wallMs)} recorded, ${show(replayed.wallMs)} now (not compared)`);
  out.push('');
  const outcome = (r: RunRecord) => `${r.outcome}${r.detail !== r.outcome ? ` (${r.detail})` : ''}`;
  if (same) out.push(`same: ${outcome(replayed)}, every recorded field equal (wall-clock time aside)`);
  else if (recorded.outcome !== replayed.outcome || recorded.detail !== replayed.detail) out.push(`DIFFERENT outcome: recorded ${outcome(recorded)}, replayed ${outcome(replayed)}`);
  else out.push(`same outcome ${outcome(replayed)}, but ${differing.join(', ')} differ${differing.length === 1 ? 's' : ''}: the run is not reproducible`);
  if (traced) {
    out.push('');
    out.push(`message trace (a second, traced run: ${traced.outcome}${tracedDiffers ? ' — differs from the untraced replay: tracing changed the run' : ''})`);
    for (const l of traced.trace ?? []) out.push(`  ${ms(l.time)} ${l.text}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return same && !tracedDiffers ? 0 : 1;
}
