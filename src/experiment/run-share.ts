/*
 * Runs that cannot differ, run once (issue "Campaigns stay fast"). A policy
 * acts only when a server crashes, so two modes whose plans are the same
 * apart from the policy — programs, pre-tests, budgets, seed, checking —
 * give the same run until the first crash. The runner groups such runs of
 * one fault; the worker runs the first (in campaign mode order, whatever
 * the shard or resumption) and, when no policy acted in it, records it for
 * the others with `sharedFrom` naming the mode it ran under. A seeded
 * fraction of shared runs is also run under its own mode and compared: a
 * difference stops the campaign.
 *
 * "No policy acted" (sharesWith) is: no server crashed; or every crash was
 * one the recovery made no decision on — RS's `service fi` request under
 * the prototype's rule (LTRC_NO_RECOVERY_ON_SVC_FI, recovery.ts
 * SERVICE_FI_DECISION): no rollback, no reply, no shutdown, only the
 * restart with or without the crashed data section. Such a run stands for
 * the modes whose policies transfer state for the same crashed servers.
 * This is what lets the stateful modes of a prototype-methodology campaign
 * share: all of them crash five servers in their pre-tests.
 *
 * The entry points into this file are:
 *   RunGroup            runs of one fault that may share one execution
 *   groupRuns           a campaign's tasks (plan order) as groups, for the runs still to do
 *   sharesWith          whether a run's record stands for the run under another policy
 *   sharedRecord        the record of a run shared from one no policy acted in
 *   differingFields     which fields of two records of one run differ
 *   sharingDifference   which fields of a shared record differ from the run's own, or null
 *   SharingError        the invariant broke: the campaign stops
 */
import { HOW_OBTAINED, RunRecord } from './journal';
import type { RunResult, RunSpec } from './run-one';
import { Policy, policyForServer } from '../osiris/policies';
import { SERVICE_FI_DECISION } from '../osiris/recovery';

interface Planned { key: string; mode: string; spec: RunSpec }

export interface RunGroup<T extends Planned = Planned> {
  /** Runs with the same plan apart from the policy; the first is executed. */
  tasks: T[];
  /** Keys whose records are wanted (this shard's runs not yet journaled). */
  emit: string[];
  /** Keys run under their own mode as well when shared, to check the sharing. */
  verify: string[];
  /** Resuming runs after their pre-tests (pretest-resume.ts; default: on, 1/20 verified). */
  pretests?: PretestResumeOptions;
  /** Only the armed block's server runs its EDFI build, the others their osiris build (default true; the same runs). */
  faultServerOnly?: boolean;
}

export interface PretestResumeOptions {
  /** Continue a run from the snapshot after its pre-tests when they cannot have met its fault (default true). */
  resume?: boolean;
  /** Fraction of resumed runs also run from boot and compared (default 1/20). */
  verifyFraction?: number;
}

export interface ShareOptions {
  /** Share runs at all (default true). */
  share?: boolean;
  /** Fraction of shared runs checked by running them under their own mode (default 1/20). */
  verifyFraction?: number;
}

export class SharingError extends Error {
  constructor(message: string) { super(message); this.name = 'SharingError'; }
}

/** A plan with the policy left out: runs with equal ones differ only once a policy acts. */
function shareKey(spec: RunSpec): string {
  return JSON.stringify({ ...spec, policy: undefined, extraPrograms: undefined });
}

/** FNV-1a of a string, as a fraction in [0, 1): the seeded choice of runs to verify. */
export function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h / 0x100000000;
}

/**
 * Group a fault-major task list: each fault's runs are split into classes of
 * equal plans (first appearance order); a class with none of `todo` is left
 * out. Without sharing every run is its own group.
 */
export function groupRuns<T extends Planned & { block: string; faultType: string }>(tasks: T[], todo: Set<string>, opts: ShareOptions = {}): RunGroup<T>[] {
  const share = opts.share ?? true;
  const fraction = opts.verifyFraction ?? 1 / 20;
  const groups: RunGroup<T>[] = [];
  let fault = '';
  let classes = new Map<string, RunGroup<T>>();
  for (const t of tasks) {
    const f = `${t.block}|${t.faultType}`;
    if (f !== fault) { fault = f; classes = new Map(); }
    const k = share ? shareKey(t.spec) : t.key;
    let g = classes.get(k);
    if (!g) { g = { tasks: [], emit: [], verify: [] }; classes.set(k, g); groups.push(g); }
    if (g.tasks.length > 0 && unitHash(`${t.spec.seed}|${t.mode}|verify`) < fraction) g.verify.push(t.key);
    g.tasks.push(t);
    if (todo.has(t.key)) g.emit.push(t.key);
  }
  return groups.filter((g) => g.emit.length > 0);
}

/**
 * Whether run `r`, made under policy `ran`, is the run under `other` (a plan
 * otherwise the same): no policy acted in it (see the file comment). The
 * crash count holds hangs and crashes that had no recovery, so a run with
 * any of those is never shared.
 */
export function sharesWith(r: Pick<RunResult, 'error' | 'serverCrashes' | 'recoveries'>, ran: Policy, other: Policy): boolean {
  if (r.error) return false;
  if (r.serverCrashes === 0) return true;
  let undecided = 0;
  for (const x of r.recoveries) {
    if (x.decision !== SERVICE_FI_DECISION) return false;
    if (policyForServer(ran, x.server).stateTransfer !== policyForServer(other, x.server).stateTransfer) return false;
    undecided++;
  }
  return undecided === r.serverCrashes;
}

/** The record a run no policy acted in gives another mode of its class: the same, but for the key, the mode, the time and the mark. */
export function sharedRecord(rep: RunRecord, t: { key: string; mode: string }): RunRecord {
  return { ...rep, key: t.key, mode: t.mode, wallMs: 0, sharedFrom: rep.mode };
}

/** The fields whose values differ between two records of one run (how each was obtained aside: HOW_OBTAINED), in `a`'s field order, then `b`'s. */
export function differingFields(a: RunRecord, b: RunRecord): string[] {
  const av = a as unknown as Record<string, unknown>, bv = b as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(av), ...Object.keys(bv)])].filter((k) => !HOW_OBTAINED.includes(k));
  return keys.filter((k) => JSON.stringify(av[k]) !== JSON.stringify(bv[k]));
}

/** How two records of one run differ (differing fields, or only their order), or null. */
export function sharingDifference(shared: RunRecord, own: RunRecord): string | null {
  const diff = differingFields(shared, own);
  if (diff.length > 0) return `fields ${diff.join(', ')}`;
  const order = (r: RunRecord) => JSON.stringify(Object.keys(r).filter((k) => !HOW_OBTAINED.includes(k)));
  return order(shared) === order(own) ? null : 'field order';
}
