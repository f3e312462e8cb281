/*
 * `osiris-fi inject`: one run with one armed fault, and its story —
 * activations, each recovery, the programs' results, the oracle, and the
 * outcome. Identical recoveries in a row are one line with a count.
 *
 * The entry points into this file are:
 *   runInjectCommand   the command
 *   recoveryLines      the recoveries as lines, repeats collapsed
 */
import { loadBlockMap } from '../sim/variants';
import { isFaultType } from '../edfi/fault-types';
import { resolvePolicy } from '../osiris/policies';
import { bootSnapshot, runOne, RunResult } from '../experiment/run-one';
import { findBlock } from '../experiment/faults';
import { goldenProfile } from '../experiment/golden';
import { planRun, selectTests, TestChoice } from '../experiment/run-plan';
import { UsageError } from './errors';
import { defaultCacheDir } from './shared';
import { ms } from './format';

export interface InjectOptions { block: string; type?: string; mode: string; tests?: string; trace?: boolean; json?: boolean; seed?: string; pretests?: boolean }

export function runInjectCommand(opts: InjectOptions): number {
  const map = loadBlockMap('osiris+edfi');
  const block = findBlock(map.blocks, opts.block);
  if (!block) throw new UsageError(`unknown block "${opts.block}" (list them with \`osiris-fi sites\`)`);
  if (!block.fault) throw new UsageError(`block ${block.id} takes no fault (${block.excluded})`);
  if (opts.type !== undefined && !isFaultType(opts.type)) throw new UsageError(`unknown fault type "${opts.type}"`);
  const type = opts.type ?? block.fault.type;
  if (type !== 'null-pointer' && type !== block.fault.type) {
    throw new UsageError(`block ${block.id} was built with a ${block.fault.type} fault; inject that or null-pointer`);
  }
  const policy = resolvePolicy(opts.mode);
  const profile = goldenProfile(defaultCacheDir());
  // By default every test that executed the block in the golden run (no time budget on the choice).
  let tests: TestChoice = { select: 'covering', budgetNs: Infinity };
  if (opts.tests) {
    const { names, unknown } = selectTests(opts.tests);
    if (unknown.length) throw new UsageError(`unknown test${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    tests = { names };
  }
  const spec = planRun(profile, {
    block, nullPointer: type === 'null-pointer', policy, seed: opts.seed ?? 'inject', tests, pretests: opts.pretests !== false,
  });
  // Covering tests with no budget, or named tests: never an empty pick.
  const r = runOne(bootSnapshot(), { ...spec!, trace: opts.trace });
  if (opts.json) {
    process.stdout.write(JSON.stringify({ block: { id: block.id, server: block.server, file: block.file, line: block.line, function: block.function }, faultType: type, mode: policy.name, ...r }, null, 2) + '\n');
    return 0;
  }
  printStory(block.id, `${block.server}/${block.file}:${block.line}`, block.function, type, policy.name, r);
  return 0;
}

function printStory(id: string, where: string, fn: string, type: string, mode: string, r: RunResult): void {
  const out: string[] = [];
  out.push(`block ${id}  (${where}, ${fn})`);
  out.push(`fault ${type}, recovery policy ${mode}`);
  out.push(`activations: ${r.activations}${r.activations ? ` (first at ${ms(r.firstActivationNs)} ms)` : ''}`);
  if (r.recoveries.length === 0) out.push('recoveries: none');
  out.push(...recoveryLines(r.recoveries));
  const passed = r.programs.filter((p) => p.status === 'pass').length;
  out.push(`programs: ${passed}/${r.programs.length} passed`);
  for (const p of r.programs) if (p.status !== 'pass') out.push(`  ${p.name}: ${p.status}: ${p.failure ?? ''}`);
  out.push(r.oracle.checked ? (r.oracle.violations.length ? `oracle: ${r.oracle.violations.length} violation(s)` : 'oracle: consistent') : 'oracle: not checked (the run did not finish)');
  for (const v of r.oracle.violations) out.push(`  ${v.invariant} [${v.servers.join(', ')}] ${v.object}: ${v.detail}`);
  if (r.halt) out.push(`halt: ${r.halt.kind}: ${r.halt.reason}`);
  if (r.error) out.push(`simulator error: ${r.error}`);
  out.push(`outcome: ${r.outcome}${r.detail !== r.outcome ? ` (${r.detail})` : ''}`);
  if (r.trace) for (const l of r.trace) out.push(`  ${ms(l.time)} ${l.text}`);
  process.stdout.write(out.join('\n') + '\n');
}

/** One line per recovery, a run of identical ones (the time aside) as one line with its count. */
export function recoveryLines(recoveries: RunResult['recoveries']): string[] {
  const lines: string[] = [];
  // A block that fires on every request recovers the same way each time: one line per run of identical recoveries.
  const what = (x: RunResult['recoveries'][number]) => `${x.server} (${x.reason}); window ${x.windowOpen ? 'open' : `closed by ${x.closedBy ?? 'no request'}`}; ` +
    `request ${x.request ?? '-'}${x.requester !== null ? ` from ${x.requester}` : ''}${x.replyable ? '' : ' (not replyable)'}; decision ${x.decision} -> ${x.action}` +
    (x.rolledBack ? `, ${x.rolledBack} stores rolled back` : '');
  for (let i = 0; i < recoveries.length;) {
    const text = what(recoveries[i]!);
    let j = i + 1;
    while (j < recoveries.length && what(recoveries[j]!) === text) j++;
    const first = recoveries[i]!, last = recoveries[j - 1]!;
    lines.push(j - i === 1 ? `recovery ${i + 1}: ${first.server} at ${ms(first.time)} ms ${text.slice(first.server.length + 1)}`
      : `recoveries ${i + 1}-${j} (${j - i} times, identical): ${first.server} from ${ms(first.time)} to ${ms(last.time)} ms ${text.slice(first.server.length + 1)}`);
    i = j;
  }
  return lines;
}
