/*
 * `osiris-fi seep-audit`: run the suite under the SEEP audit and list the
 * table entries seen contradicting their classification (with the handler,
 * the changed fields and a run that shows it) and those never exercised.
 * Exits 1 when there is a contradiction.
 *
 * The entry points into this file are:
 *   runSeepAuditCommand   the command
 */
import { selectTests } from '../os/system';
import { AuditReport, auditSuite } from '../experiment/seep-audit';
import { UsageError } from './errors';

export interface SeepAuditOptions { json?: boolean; tests?: string; pretests?: boolean }

export function runSeepAuditCommand(opts: SeepAuditOptions): number {
  const { names, unknown } = selectTests(opts.tests);
  if (unknown.length) throw new UsageError(`unknown test${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see \`osiris-fi suite --list\`)`);
  const r = auditSuite({ tests: names, pretests: opts.pretests !== false });
  if (opts.json) {
    const { checked, contradictions, unexercised, compared, programs } = r;
    process.stdout.write(JSON.stringify({ checked, contradictions, unexercised, compared, programs }, null, 2) + '\n');
  } else {
    process.stdout.write(render(r));
  }
  return r.contradictions.length === 0 ? 0 : 1;
}

function render(r: AuditReport): string {
  const out: string[] = [];
  out.push(`SEEP audit over ${r.programs.run} programs (${r.programs.passed} passed): ${r.checked} table entries exercised; ` +
    `receiver state compared for ${r.compared.requests} requests and ${r.compared.kernelCalls} kernel calls`);
  if (r.programs.passed < r.programs.run) out.push(`note: ${r.programs.run - r.programs.passed} programs did not pass (see \`osiris-fi suite --variant ckpt\`)`);
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
