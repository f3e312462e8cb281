/*
 * Runs that cannot differ, run once (issue "Campaigns stay fast"). Two
 * modes whose plans are the same apart from the policy — programs,
 * pre-tests, budgets, seed, checking — give the same run as long as their
 * policies recover every crash alike. The runner groups such runs of one
 * fault. The worker runs the first (in campaign mode order, whatever the
 * shard or resumption), judging the others' policies beside it
 * (osiris/shadow-policies.ts): each whose policy would have recovered
 * every crash of that run as it was recovered gets its record, with
 * `sharedFrom` naming the mode it ran under. Of the rest, the first runs
 * next, judging the others, and so on. A seeded fraction of shared runs is
 * also run under its own mode and compared: a difference stops the
 * campaign.
 *
 * A run with no server crash stands for every mode of its class; one whose
 * only crashes were RS's `service fi` requests under the prototype's rule
 * (no decision: recovery.ts SERVICE_FI_DECISION) for the modes that
 * transfer state alike — which lets the stateful modes of a
 * prototype-methodology campaign share, though all of them crash five
 * servers in their pre-tests; and one whose other crashes found a mode's
 * window in the same state and its policy deciding the same (as
 * pessimistic's and enhanced-prototype's mostly do) for that mode too.
 *
 * The entry points into this file are:
 *   RunGroup            runs of one fault that may share one execution
 *   groupRuns           a campaign's tasks (plan order) as groups, for the runs still to do
 *   sharedRecord        the record of a run shared from another mode's
 *   differingFields     which fields of two records of one run differ
 *   sharingDifference   which fields of a shared record differ from the run's own, or null
 *   SharingError        the invariant broke: the campaign stops
 */
import { HOW_OBTAINED, RunRecord } from './journal';
import type { RunSpec } from './run-one';

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

/** The record a run gives a mode of its class it stands for (run-one.ts standsFor): the same, but for the key, the mode, the time and the mark. */
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
