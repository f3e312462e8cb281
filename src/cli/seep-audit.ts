/*
 * `osiris-fi seep-audit`: run the suite (or, with --results, a campaign's
 * runs) under the SEEP audit and list the table entries seen contradicting
 * their classification (with the handler, the changed fields and a run that
 * shows it) and those never exercised. Exits 1 when there is a contradiction.
 *
 * The entry points into this file are:
 *   runSeepAuditCommand   the command
 */
import { selectTests } from '../experiment/run-plan';
import { AuditReport, auditSuite } from '../experiment/seep-audit';
import { UsageError } from './errors';
import { campaignFromManifest, defaultCacheDir, loadForReport } from './shared';

export interface SeepAuditOptions { json?: boolean; tests?: string; pretests?: boolean; results?: string; progress?: boolean }

export function runSeepAuditCommand(opts: SeepAuditOptions): number {
  let r: AuditReport;
  if (opts.results !== undefined) {
    if (opts.tests !== undefined) throw new UsageError('--tests and --results: a campaign\'s runs choose their own programs; give one or the other');
    r = auditCampaign(opts.results, opts.progress !== false && !opts.json);
  } else {
    const { names, unknown } = selectTests(opts.tests);
    if (unknown.length) throw new UsageError(`unknown test${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see \`osiris-fi suite --list\`)`);
    r = auditSuite({ tests: names, pretests: opts.pretests !== false });
  }
  if (opts.json) {
    const { checked, contradictions, unexercised, compared, programs, source } = r;
    process.stdout.write(JSON.stringify({ checked, contradictions, unexercised, compared, programs, ...(source ? { source } : {}) }, null, 2) + '\n');
  } else {
    process.stdout.write(render(r));
  }
  return r.contradictions.length === 0 ? 0 : 1;
}

/** Every run of the campaign recorded in `dir`, planned again as `replay` plans one, run under the observer. */
function auditCampaign(dir: string, progress: boolean): AuditReport {
  const res = loadForReport([dir]);
  const campaign = campaignFromManifest(res.manifest, dir);
  const { loadBlockMap } = require('../sim/variants') as typeof import('../sim/variants');
  const { planCampaign } = require('../experiment/runner') as typeof import('../experiment/runner');
  const { bootSnapshot } = require('../experiment/run-one') as typeof import('../experiment/run-one');
  const { auditRuns } = require('../experiment/seep-audit-runs') as typeof import('../experiment/seep-audit-runs');
  const build = loadBlockMap('osiris+edfi').hash;
  if (build !== res.manifest.variantHash) {
    throw new UsageError(`${dir} was run on build ${res.manifest.variantHash.slice(0, 12)}, this is build ${build.slice(0, 12)}; auditing its runs needs the same build`);
  }
  const plan = planCampaign(campaign, defaultCacheDir());
  if (JSON.stringify(plan.manifest.faults) !== JSON.stringify(res.manifest.faults)) {
    throw new UsageError(`${dir}: this build picks a different fault list for campaign ${campaign.name}; its runs cannot be rebuilt`);
  }
  const recorded = new Set(res.runs.map((x) => x.key));
  const tasks = plan.tasks.filter((t) => recorded.has(t.key));
  const r = auditRuns(bootSnapshot(), tasks, {
    onRun: progress ? (done, total) => { if (done % 50 === 0 || done === total) process.stderr.write(`\r${done}/${total} runs`); if (done === total) process.stderr.write('\n'); } : undefined,
  });
  r.source = `${tasks.length} runs of campaign ${campaign.name} (${dir})`;
  return r;
}

function render(r: AuditReport): string {
  const out: string[] = [];
  const over = r.source ?? `${r.programs.run} programs (${r.programs.passed} passed)`;
  out.push(`SEEP audit over ${over}: ${r.checked} table entries exercised; ` +
    `receiver state compared for ${r.compared.requests} requests and ${r.compared.kernelCalls} kernel calls`);
  if (!r.source && r.programs.passed < r.programs.run) out.push(`note: ${r.programs.run - r.programs.passed} programs did not pass (see \`osiris-fi suite --variant ckpt\`)`);
  const unchanged = Object.entries(r.compared.unchangedStores);
  if (unchanged.length) out.push(`stored but left every value as it was (not changes): ${unchanged.map(([n, c]) => `${n} ${c}`).join(', ')}`);
  out.push('');
  if (r.contradictions.length === 0) out.push('contradictions: none');
  else out.push(`contradictions (${r.contradictions.length}): entries whose classification leaves the receiver's state alone, seen changing it`);
  for (const c of r.contradictions) {
    const e = c.example;
    out.push(`  ${c.name} (${c.kind}): table says ${c.decision}, modifies=${c.modifies}: "${c.reason}"`);
    out.push(`    changed its receiver in ${c.changed} of ${c.compared} ${c.kind === 'message' ? 'requests' : 'calls'}; first: ${e.handler}, from ${e.source}, in run ${e.run}`);
    for (const ch of e.changes) out.push(`      ${ch.field}: ${ch.old} -> ${ch.new}`);
  }
  out.push('');
  out.push(`unexercised (${r.unexercised.length}): ` + (r.unexercised.length === 0 ? 'none'
    : r.unexercised.map((u) => `${u.name} (${u.decision})`).join(', ')));
  return out.join('\n') + '\n';
}
