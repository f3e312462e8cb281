/*
 * The SEEP audit: a dynamic check of the static SEEP table. It boots the
 * `ckpt` build and runs the recovery pre-tests and the test suite with the
 * observer (seep-observer.ts) watching from boot on, and compares what
 * handling each message type and kernel call did to its receiver with what
 * the table says:
 *   - a contradiction is an entry under which the receiver's own state must
 *     stay as it was (IDEMPOTENT, i.e. modifies=false; and REQUEST_SPECIFIC,
 *     whose only effect is on the requester's buffer, outside the receiver)
 *     that was seen changing it; each comes with the handler, the changed
 *     fields and a run (test program, or boot) that shows it;
 *   - an unexercised entry is one the suite never passed.
 * PROCESS_SPECIFIC and GLOBAL_CHANGE entries say the receiver changes: the
 * audit cannot contradict them from the receiver's state (whether a change
 * concerns only the requesting process is not something a diff can tell),
 * so they only count as exercised.
 *
 * The entry points into this file are:
 *   auditSuite(opts)   boot, run the programs under the observer, compare
 *   summarize(...)     the report from what the observer saw
 */
import { Sim } from '../sim/sim';
import { PRETEST_NAMES, testNames } from '../sim/programs';
import type { Main } from '../os/libc/core';
import { BUILTIN_POLICIES } from '../osiris/policies';
import { messageName } from '../os/proto/calls';
import { kcallName } from '../os/proto/kcalls';
import { Decision, KCALL_SEEPS, MESSAGE_SEEPS, Seep } from '../osiris/seep-table';
import { EntryStats, Observation, SeepObserver, SeepTables, leavesReceiverAlone } from './seep-observer';

export interface AuditEntry { kind: 'message' | 'kcall'; name: string; modifies: boolean; decision: Decision; reason: string }

export interface Contradiction extends AuditEntry {
  /** Passages of this entry compared, and how many of them changed the receiver. */
  compared: number;
  changed: number;
  /** The first passage seen changing the receiver. */
  example: Observation;
}

export interface AuditReport {
  /** Table entries the suite exercised (each compared with what was seen, where the table allows no change). */
  checked: number;
  contradictions: Contradiction[];
  unexercised: AuditEntry[];
  /**
   * Requests and kernel calls whose receiver's state was compared; of the
   * requests, how many stored to the receiver's state yet left every value
   * as it was (per message name), which a count of stores would have taken for changes.
   */
  compared: { requests: number; kernelCalls: number; unchangedStores: Record<string, number> };
  programs: { run: number; passed: number };
  /** What was observed, when not the suite (a campaign's runs). */
  source?: string;
}

export interface AuditOptions {
  /** Program names (default: the 89-program suite), run after the pre-tests. */
  tests?: string[];
  /** The tables to audit (default: the SEEP table); tests plant misclassifications here. */
  tables?: SeepTables;
  /** Extra programs installed in /bin (tests). */
  programs?: Map<string, Main>;
  /**
   * Run the recovery pre-tests first, as a campaign does (default true):
   * they crash each server through RS, exercising `service fi` and the
   * recovery path. The system has the enhanced policy installed so that
   * those crashes are recovered; without a crash a policy changes nothing.
   */
  pretests?: boolean;
}

export function auditSuite(opts: AuditOptions = {}): AuditReport {
  const tables = opts.tables ?? { messages: MESSAGE_SEEPS, kcalls: KCALL_SEEPS };
  const pre = opts.pretests === false ? [] : PRETEST_NAMES;
  const names = [...pre, ...(opts.tests ?? testNames()).filter((n) => !pre.includes(n))];
  // Watched from boot on: what the servers' startup and RS's setting up do is audited too (named run "boot").
  const obs = new SeepObserver(tables);
  const sim = Sim.boot({ variant: 'ckpt', extraPrograms: opts.programs, policy: BUILTIN_POLICIES.enhanced, observer: obs });
  obs.flushKcall();
  let passed = 0;
  for (const name of names) {
    obs.run = name;
    const r = sim.run([name])[0]!;
    obs.flushKcall();
    if (r.status === 'pass') passed++;
  }
  return summarize(tables, obs.messages, obs.kcalls, { run: names.length, passed });
}

/** The report: every table entry against what was seen of it. */
export function summarize(tables: SeepTables, messages: Map<number, EntryStats>, kcalls: Map<number, EntryStats>, programs: { run: number; passed: number }): AuditReport {
  const report: AuditReport = { checked: 0, contradictions: [], unexercised: [], compared: { requests: 0, kernelCalls: 0, unchangedStores: {} }, programs };
  const walk = (kind: 'message' | 'kcall', table: Record<number, Seep>, seen: Map<number, EntryStats>) => {
    for (const t of Object.keys(table).map(Number).sort((a, b) => a - b)) {
      const s = table[t]!;
      const entry: AuditEntry = { kind, name: kind === 'message' ? messageName(t) : kcallName(t), modifies: s.modifies, decision: s.decision, reason: s.reason };
      const st = seen.get(t);
      if (!st || st.seen === 0) { report.unexercised.push(entry); continue; }
      report.checked++;
      if (kind === 'message') report.compared.requests += st.compared; else report.compared.kernelCalls += st.compared;
      if (st.unchangedStores > 0) report.compared.unchangedStores[entry.name] = st.unchangedStores;
      if (leavesReceiverAlone(s) && st.first) report.contradictions.push({ ...entry, compared: st.compared, changed: st.changed, example: st.first });
    }
  };
  walk('message', tables.messages, messages);
  walk('kcall', tables.kcalls, kcalls);
  return report;
}
