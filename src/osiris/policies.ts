/*
 * Recovery policies, as data (DESIGN §4). A policy says what recovery
 * does with the crashed server's state, which SEEP decisions close the
 * window, and how the crashed request is reconciled. A composable policy
 * (the paper's future work, §VII) adds per-server overrides and window
 * rules over the SEEP decisions met since the request's checkpoint
 * (policy-rules.ts evaluates them).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { DECISIONS, Decision } from './seep-table';
import { RECOVERABLE_NAMES } from '../os/servers/index';
import { ToolError } from '../tool-error';

/**
 * A window rule: once its condition holds — counting the passages met
 * since the request's checkpoint, the current one included — it decides
 * the current and later passages: `close` closes the window at once,
 * `closeOn` replaces the policy's closeOn. The last rule (in file order)
 * whose condition holds is in force; none holding, the policy's closeOn.
 */
export interface WindowRule {
  /** `decision` met at least `count` (default 1) times, or a passage named `message` (a request or kernel call) met. */
  after: { decision: Decision; count?: number } | { message: string };
  close?: boolean;
  closeOn?: Decision[] | 'ALL';
}

/** The fields a per-server override may give (merged over the base policy, field by field). */
export type ServerOverride = Partial<Pick<Policy, 'stateTransfer' | 'rollback' | 'closeOn' | 'replyOnRecovery' | 'killProcessSpecific' |
  'shutdownOutsideWindow' | 'exemptKcalls' | 'idempotentSites' | 'window'>>;

export interface Policy {
  name: string;
  description: string;
  /** false: the clone starts from a fresh (boot-time) data section. */
  stateTransfer: boolean;
  /** Roll the transferred state back with the undo log. */
  rollback: boolean;
  /** SEEP decisions that close the window; "ALL" closes on any outgoing message or kernel call but exempt ones. */
  closeOn: Decision[] | 'ALL';
  /** Reconciliation of a replyable request inside the window: an E_CRASH reply, or nothing. */
  replyOnRecovery: boolean;
  /** Kill the requesting user process when a PROCESS_SPECIFIC SEEP was passed. */
  killProcessSpecific: boolean;
  /** A crash outside the window (or of a non-replyable request): controlled shutdown, or carry on. */
  shutdownOutsideWindow: boolean;
  /**
   * Kernel calls (SYS_* names) that never close this policy's window, beside
   * the SEEP table's exempt ones (SYS_PRIVCTL, SYS_DIAGCTL, the prototype's
   * exclusion list). ["SYS_GETINFO"] gives this project's earlier rule.
   */
  exemptKcalls?: string[];
  /**
   * Requests (message names) whose sending sites are IDEMPOTENT under this
   * policy whatever the SEEP table says: the prototype's Enhanced build
   * whitelisted the IPC sites inside four functions, each of which sends
   * one request: _brk (VM_BRK), getepinfo (PM_GETEPINFO), vm_notify_sig
   * (VM_NOTIFY_SIG), vm_willexit (VM_WILLEXIT).
   */
  idempotentSites?: string[];
  /** The paper's row this policy models, when its name is not the paper's (compare --paper). */
  paperRow?: string;
  /** Window rules over the SEEP decisions met since the checkpoint (composable policies). */
  window?: { rules: WindowRule[] };
  /** Per-server overrides (recoverable server names: pm, vm, vfs, ds, rs), each merged over this policy. */
  servers?: Record<string, ServerOverride>;
}

/** The IPC sites the prototype's Enhanced build whitelisted (StaticRecoveryPass.h), by the request each sends. */
export const PROTOTYPE_WHITELIST = ['VM_BRK', 'PM_GETEPINFO', 'VM_NOTIFY_SIG', 'VM_WILLEXIT'];

export const BUILTIN_POLICIES: Record<string, Policy> = {
  stateless: {
    name: 'stateless', description: 'restart with fresh state: no state transfer, no reply (microreboot)',
    stateTransfer: false, rollback: false, closeOn: [], replyOnRecovery: false, killProcessSpecific: false, shutdownOutsideWindow: false,
  },
  naive: {
    name: 'naive', description: 'always roll back, never reply, never shut down',
    stateTransfer: true, rollback: true, closeOn: [], replyOnRecovery: false, killProcessSpecific: false, shutdownOutsideWindow: false,
  },
  pessimistic: {
    name: 'pessimistic', description: 'any outgoing message or kernel call closes the window',
    stateTransfer: true, rollback: true, closeOn: 'ALL', replyOnRecovery: true, killProcessSpecific: false, shutdownOutsideWindow: true,
  },
  enhanced: {
    name: 'enhanced', description: 'only state-modifying (GLOBAL_CHANGE) SEEPs close the window',
    stateTransfer: true, rollback: true, closeOn: ['GLOBAL_CHANGE'], replyOnRecovery: true, killProcessSpecific: true, shutdownOutsideWindow: true,
  },
  'enhanced-prototype': {
    name: 'enhanced-prototype', description: 'as the prototype built Enhanced: pessimistic but the IPC sites of _brk, getepinfo, vm_notify_sig, vm_willexit',
    stateTransfer: true, rollback: true, closeOn: 'ALL', replyOnRecovery: true, killProcessSpecific: false, shutdownOutsideWindow: true,
    idempotentSites: PROTOTYPE_WHITELIST, paperRow: 'enhanced',
  },
  optimistic: {
    name: 'optimistic', description: 'the window never closes; always an error reply',
    stateTransfer: true, rollback: true, closeOn: [], replyOnRecovery: true, killProcessSpecific: false, shutdownOutsideWindow: true,
  },
};

export const POLICY_NAMES = Object.keys(BUILTIN_POLICIES);

const decisionEnum = z.enum(DECISIONS as [Decision, ...Decision[]]);
const closeOnSchema = z.union([z.literal('ALL'), z.array(decisionEnum)],
  { error: `expected "ALL" or a list of decisions (${DECISIONS.join(', ')})` });

const windowRuleSchema = z.object({
  after: z.union([
    z.object({ decision: decisionEnum, count: z.number().int().min(1).optional() }).strict(),
    z.object({ message: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'expected a message or kernel-call name such as "VM_FORK"' }) }).strict(),
  ], { error: 'expected {"decision": <decision>, "count": <n>} or {"message": <name>}' }),
  close: z.literal(true).optional(),
  closeOn: closeOnSchema.optional(),
}).strict().refine((r) => (r.close === undefined) !== (r.closeOn === undefined), { error: 'a rule gives either "close": true or "closeOn"' });

const windowSchema = z.object({ rules: z.array(windowRuleSchema).min(1) }).strict();

const fields = {
  stateTransfer: z.boolean(),
  rollback: z.boolean(),
  closeOn: closeOnSchema,
  replyOnRecovery: z.boolean(),
  killProcessSpecific: z.boolean().default(false),
  shutdownOutsideWindow: z.boolean(),
  exemptKcalls: z.array(z.string().regex(/^SYS_[A-Z_]+$/, { error: 'expected a kernel-call name such as "SYS_GETINFO"' })).optional(),
  idempotentSites: z.array(z.string().min(1)).optional(),
  window: windowSchema.optional(),
};

const serverOverrideSchema = z.object({
  ...fields, killProcessSpecific: z.boolean().optional(),
}).partial().strict();

export const policySchema = z.object({
  name: z.string().min(1),
  description: z.string().default('user-defined policy'),
  ...fields,
  paperRow: z.string().optional(),
  servers: z.partialRecord(z.enum(RECOVERABLE_NAMES as [string, ...string[]], { error: `expected a recoverable server (${RECOVERABLE_NAMES.join(', ')})` }), serverOverrideSchema).optional(),
}).strict();

export class PolicyError extends ToolError {
  constructor(message: string) { super('policy', message); }
}

/**
 * A union's own message only says "invalid"; when one alternative got
 * further into the value (a list with one bad decision), its issue names
 * the element and what was expected.
 */
function innermost(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union') return { path: issue.path, message: issue.message };
  let best: z.core.$ZodIssue | null = null;
  for (const branch of issue.errors) for (const i of branch) if (i.path.length > 0 && (!best || i.path.length > best.path.length)) best = i;
  return best ? { path: [...issue.path, ...best.path], message: best.message } : { path: issue.path, message: issue.message };
}

/** Validate a policy object; the error names the field and what is expected. */
export function parsePolicy(raw: unknown, where: string): Policy {
  // zod names an unknown record key only as "unrecognized": say which servers may have an override.
  const servers = (raw as { servers?: unknown } | null)?.servers;
  if (servers && typeof servers === 'object') for (const k of Object.keys(servers)) {
    if (!RECOVERABLE_NAMES.includes(k)) throw new PolicyError(`${where}: field "servers.${k}": expected a recoverable server (${RECOVERABLE_NAMES.join(', ')})`);
  }
  const r = policySchema.safeParse(raw);
  if (!r.success) {
    const { path, message } = innermost(r.error.issues[0]!);
    const field = path.length ? path.join('.') : '(policy)';
    throw new PolicyError(`${where}: field "${field}": ${message}`);
  }
  const p = r.data as Policy;
  if (p.rollback && !p.stateTransfer) throw new PolicyError(`${where}: field "rollback": rollback needs stateTransfer`);
  for (const [server, o] of Object.entries(p.servers ?? {})) {
    const m = policyForServer(p, server);
    if (m.rollback && !m.stateTransfer) throw new PolicyError(`${where}: field "servers.${server}.${o.rollback !== undefined ? 'rollback' : 'stateTransfer'}": rollback needs stateTransfer`);
  }
  return p;
}

/**
 * The policy a server runs under: its override's fields replace the base
 * policy's (a field is replaced whole, `window` included); without an
 * override, the policy itself.
 */
export function policyForServer(p: Policy, server: string): Policy {
  const o = p.servers?.[server];
  if (!o) return p;
  const { servers: _servers, ...base } = p;
  return { ...base, ...o };
}

/** A built-in policy by name, or a policy file (JSON). */
export function resolvePolicy(spec: string): Policy {
  const b = BUILTIN_POLICIES[spec];
  if (b) return b;
  if (spec.endsWith('.json') || fs.existsSync(spec)) {
    let raw: unknown;
    // A byte-order mark (editors on Windows save one) is not part of the JSON, as in campaign files.
    try { raw = JSON.parse(fs.readFileSync(spec, 'utf8').replace(/^\uFEFF/, '')); } catch (e) {
      throw new PolicyError(`${spec}: cannot read policy file: ${(e as Error).message}`);
    }
    return parsePolicy(raw, spec);
  }
  throw new PolicyError(`unknown policy "${spec}" (built-in: ${POLICY_NAMES.join(', ')}; or a policy .json file)`);
}

/** What the policy sees of one passage: its SEEP decision and name. */
export interface Passage {
  decision: Decision;
  /** Exempt in the SEEP table (SYS_PRIVCTL, SYS_DIAGCTL). */
  exempt: boolean;
  kind?: 'ipc' | 'kcall';
  /** The kernel call's or the request's name (SYS_GETINFO, VM_BRK), when it is one. */
  name?: string;
}

/**
 * Does a passage close the window under the policy? Exempt passages
 * (privilege-control and diagnostic kernel calls, and those the policy
 * adds) never do: pessimistic lets them through, and every other policy
 * keeps at least pessimistic's window. A policy's idempotent sites never
 * close it either.
 */
export function closesWindow(p: Policy, decision: Decision, exempt: boolean, passage: Omit<Passage, 'decision' | 'exempt'> = {}, closeOn: Policy['closeOn'] = p.closeOn): boolean {
  if (isExempt(p, exempt, passage)) return false;
  if (passage.kind === 'ipc' && passage.name && p.idempotentSites?.includes(passage.name)) return false;
  if (closeOn === 'ALL') return true;
  return closeOn.includes(decision);
}

/** Exempt in the SEEP table, or a kernel call the policy exempts: such a passage never closes the window, nor counts for a rule. */
export function isExempt(p: Policy, exempt: boolean, passage: Omit<Passage, 'decision' | 'exempt'>): boolean {
  return exempt || (passage.kind === 'kcall' && passage.name !== undefined && p.exemptKcalls?.includes(passage.name) === true);
}

/** Does the policy's window close at all (then a worker switch closes it too, checkpoint.ts)? */
export function windowCloses(p: Policy): boolean {
  return p.closeOn === 'ALL' || p.closeOn.length > 0 || (p.window?.rules.length ?? 0) > 0;
}

/** What a window has met since its checkpoint (window.ts keeps it per request). */
export interface Met {
  /** Per decision, the passages met. */
  readonly counts: Readonly<Partial<Record<Decision, number>>>;
  /** The names of the requests and kernel calls met. */
  readonly names: readonly string[];
}

/** The rule in force after the passages met: the last whose condition holds, or null. */
export function ruleInForce(rules: readonly WindowRule[], met: Met): WindowRule | null {
  let inForce: WindowRule | null = null;
  for (const r of rules) {
    const a = r.after;
    const holds = 'message' in a ? met.names.includes(a.message) : (met.counts[a.decision] ?? 0) >= (a.count ?? 1);
    if (holds) inForce = r;
  }
  return inForce;
}
