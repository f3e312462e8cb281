/*
 * The SEEP hook: every outgoing message and kernel call of a recoverable
 * server passes here. It looks the passage up in the SEEP table and lets
 * the policy decide whether the window closes; a PROCESS_SPECIFIC passage
 * is remembered for reconciliation.
 *
 * The reply that ends the request is a passage like any other (a reply
 * SEEP, GLOBAL_CHANGE): once the requester has its result, rollback cannot
 * take the request back, so every policy whose window closes at all closes
 * it there, as the prototype's pessimistic build closed it at the reply's
 * IPC site. The request is marked replied either way, so recovery never
 * rolls it back nor replies a second time (recovery.ts).
 *
 * A composable policy is resolved per server (its `servers` overrides),
 * and its window rules see each non-exempt passage the window meets: the
 * window (window.ts) counts it, and the rule then in force closes the
 * window or judges the passage with its own closeOn (policies.ts).
 */
import { Kernel } from '../os/kernel/kernel';
import { Proc } from '../os/kernel/proc';
import { messageName } from '../os/proto/calls';
import { kcallName } from '../os/proto/kcalls';
import { Checkpointing } from './checkpoint';
import { Policy, closesWindow, isExempt, policyForServer, ruleInForce } from './policies';
import { SERVER_NAMES } from '../os/proto/endpoints';
import { KCALL_SEEPS, MESSAGE_SEEPS, REPLY_SEEP, Seep } from './seep-table';
import type { WindowInfo } from './window';

/*
 * A process- or request-specific kernel call (SYS_SIGSEND, SYS_EXEC, the
 * copies into a buffer) is only that when it acts on the requester: aimed
 * at another process, its effect is on someone rollback and
 * reconciliation cannot reach (killing the requester would not undo a
 * handler set up in another process).
 */
const ON_ANOTHER_PROCESS: Seep = { modifies: true, decision: 'GLOBAL_CHANGE', reason: 'acts on a process other than the requester' };

/** The SEEP a passage goes through; `requester` is the source of the request being handled, if any. */
export function classify(k: Kernel, kind: 'ipc' | 'kcall', dst: number, type: number, requester: number | null = null): { seep: Seep; name: string } {
  const seep = seepOf(k, kind, dst, type, requester);
  if (kind === 'kcall') return { seep, name: seep === ON_ANOTHER_PROCESS ? `${kcallName(type)} on ${k.nameOf(dst)}` : kcallName(type) };
  if (seep !== REPLY_SEEP) return { seep, name: messageName(type) };
  const to = k.proc(dst);
  return { seep, name: `reply to ${to ? to.name : dst}` };
}

/** classify's SEEP without its name (names are built only where a window closes or a policy reads them). */
function seepOf(k: Kernel, kind: 'ipc' | 'kcall', dst: number, type: number, requester: number | null): Seep {
  if (kind === 'kcall') {
    const seep = KCALL_SEEPS[type] ?? REPLY_SEEP;
    const specific = seep.decision === 'PROCESS_SPECIFIC' || seep.decision === 'REQUEST_SPECIFIC';
    return specific && requester !== null && dst !== requester ? ON_ANOTHER_PROCESS : seep;
  }
  const to = k.proc(dst);
  const isRequest = to !== null && to.kind === 'server' && MESSAGE_SEEPS[type] !== undefined;
  return isRequest ? MESSAGE_SEEPS[type]! : REPLY_SEEP;
}

/** Does the policy judge passages by name (exempt kernel calls, idempotent sites, window rules)? Without, closing needs only the SEEP. */
function readsNames(p: Policy): boolean {
  return p.exemptKcalls !== undefined || p.idempotentSites !== undefined || p.window !== undefined;
}

/** The policy of each slot: the base policy with the slot's server override merged over it. */
export function policiesBySlot(policy: Policy, slots: number): Policy[] {
  return Array.from({ length: slots }, (_, s) => (SERVER_NAMES[s] ? policyForServer(policy, SERVER_NAMES[s]) : policy));
}

/** A passage of a server through a SEEP (the kernel's `seep` hook). */
export type SeepHook = (p: Proc, kind: 'ipc' | 'kcall', dst: number, type: number) => void;

/**
 * `bySlot`: each slot's policy, when the caller has it (policiesBySlot).
 * `ckpt`: the world's kernel and the windows the policy closes (the run's
 * own, or another policy's kept beside them: shadow-policies.ts).
 */
export function seepHook(ckpt: Pick<Checkpointing, 'kernel' | 'windows'>, base: Policy, bySlot: readonly Policy[] = policiesBySlot(base, ckpt.kernel.procs.length)): SeepHook {
  const named = bySlot.map(readsNames);
  return (p, kind, dst, type) => {
    const windows = ckpt.windows;
    const w = windows.info[p.slot] as Readonly<WindowInfo> | null;
    if (!windows.open[p.slot]) {
      // A closed window only needs to know whether this is the reply (below), and the
      // SEEP only for a non-replyable request: most passages of a run meet a closed
      // window, and classifying them would build names nothing reads.
      if (kind === 'ipc' && w !== null && dst === w.source && (w.replyable || seepOf(ckpt.kernel, kind, dst, type, w.source) === REPLY_SEEP)) windows.markReplied(p.slot);
      return;
    }
    const policy = bySlot[p.slot] ?? base;
    const requester = w ? w.source : null;
    const classified = seepOf(ckpt.kernel, kind, dst, type, requester);
    // To the requester: a replyable request's answer, or a non-protocol message answering an asynchronous one.
    const isReply = kind === 'ipc' && w !== null && dst === w.source && (w.replyable || classified === REPLY_SEEP);
    if (isReply) windows.markReplied(p.slot);
    const seep = isReply ? REPLY_SEEP : classified;
    if (seep.decision === 'PROCESS_SPECIFIC') windows.markProcessSpecific(p.slot);
    const nameOf = () => (isReply ? 'the reply' : classify(ckpt.kernel, kind, dst, type, requester).name);
    if (!(named[p.slot] ?? readsNames(policy))) {
      // closesWindow for a policy that reads no names: the SEEP table's exemption, then closeOn.
      if (seep.exempt !== true && (policy.closeOn === 'ALL' || policy.closeOn.includes(seep.decision))) windows.close(p.slot, `${nameOf()} (${seep.decision})`);
      return;
    }
    const name = nameOf();
    const passage = { kind, name: kind === 'kcall' ? kcallName(type) : isReply ? undefined : messageName(type) };
    const exempt = seep.exempt === true;
    let closeOn = policy.closeOn;
    if (policy.window && !isExempt(policy, exempt, passage)) {
      const idempotent = passage.kind === 'ipc' && passage.name !== undefined && policy.idempotentSites?.includes(passage.name) === true;
      windows.pass(p.slot, idempotent ? 'IDEMPOTENT' : seep.decision, passage.name);
      // Between requests (after requestEnd, before the next receive) there is no request to count for: the policy's closeOn judges.
      const met = windows.info[p.slot]?.met;
      const rule = met ? ruleInForce(policy.window.rules, met) : null;
      if (rule?.close) { windows.close(p.slot, `${name} (${seep.decision}, window rule)`); return; }
      if (rule?.closeOn) closeOn = rule.closeOn;
    }
    if (closesWindow(policy, seep.decision, exempt, passage, closeOn)) windows.close(p.slot, `${name} (${seep.decision})`);
  };
}
