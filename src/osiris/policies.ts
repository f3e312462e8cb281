/*
 * Recovery policies, as data (DESIGN §4). A policy says what recovery
 * does with the crashed server's state, which SEEP decisions close the
 * window, and how the crashed request is reconciled.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { DECISIONS, Decision } from './seep-table';
import { ToolError } from '../tool-error';

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

export const policySchema = z.object({
  name: z.string().min(1),
  description: z.string().default('user-defined policy'),
  stateTransfer: z.boolean(),
  rollback: z.boolean(),
  closeOn: z.union([z.literal('ALL'), z.array(z.enum(DECISIONS as [Decision, ...Decision[]]))],
    { error: `expected "ALL" or a list of decisions (${DECISIONS.join(', ')})` }),
  replyOnRecovery: z.boolean(),
  killProcessSpecific: z.boolean().default(false),
  shutdownOutsideWindow: z.boolean(),
  exemptKcalls: z.array(z.string().regex(/^SYS_[A-Z_]+$/, { error: 'expected a kernel-call name such as "SYS_GETINFO"' })).optional(),
  idempotentSites: z.array(z.string().min(1)).optional(),
  paperRow: z.string().optional(),
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
  const r = policySchema.safeParse(raw);
  if (!r.success) {
    const { path, message } = innermost(r.error.issues[0]);
    const field = path.length ? path.join('.') : '(policy)';
    throw new PolicyError(`${where}: field "${field}": ${message}`);
  }
  if (r.data.rollback && !r.data.stateTransfer) throw new PolicyError(`${where}: field "rollback": rollback needs stateTransfer`);
  return r.data as Policy;
}

/** A built-in policy by name, or a policy file (JSON). */
export function resolvePolicy(spec: string): Policy {
  const b = BUILTIN_POLICIES[spec];
  if (b) return b;
  if (spec.endsWith('.json') || fs.existsSync(spec)) {
    let raw: unknown;
    try { raw = JSON.parse(fs.readFileSync(spec, 'utf8')); } catch (e) {
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
export function closesWindow(p: Policy, decision: Decision, exempt: boolean, passage: Omit<Passage, 'decision' | 'exempt'> = {}): boolean {
  if (exempt) return false;
  if (passage.kind === 'kcall' && passage.name && p.exemptKcalls?.includes(passage.name)) return false;
  if (passage.kind === 'ipc' && passage.name && p.idempotentSites?.includes(passage.name)) return false;
  if (p.closeOn === 'ALL') return true;
  return p.closeOn.includes(decision);
}
