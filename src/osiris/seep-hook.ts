/*
 * The SEEP hook: every outgoing message and kernel call of a recoverable
 * server passes here. It looks the passage up in the SEEP table and lets
 * the policy decide whether the window closes; a PROCESS_SPECIFIC passage
 * is remembered for reconciliation.
 */
import { Kernel } from '../os/kernel/kernel';
import { Proc } from '../os/kernel/proc';
import { messageName } from '../os/proto/calls';
import { kcallName } from '../os/proto/kcalls';
import { Checkpointing } from './checkpoint';
import { Policy, closesWindow } from './policies';
import { KCALL_SEEPS, MESSAGE_SEEPS, REPLY_SEEP, Seep } from './seep-table';

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
  if (kind === 'kcall') {
    const seep = KCALL_SEEPS[type] ?? REPLY_SEEP;
    const specific = seep.decision === 'PROCESS_SPECIFIC' || seep.decision === 'REQUEST_SPECIFIC';
    if (specific && requester !== null && dst !== requester) return { seep: ON_ANOTHER_PROCESS, name: `${kcallName(type)} on ${k.nameOf(dst)}` };
    return { seep, name: kcallName(type) };
  }
  const to = k.proc(dst);
  const isRequest = to !== null && to.kind === 'server' && MESSAGE_SEEPS[type] !== undefined;
  if (isRequest) return { seep: MESSAGE_SEEPS[type], name: messageName(type) };
  return { seep: REPLY_SEEP, name: `reply to ${to ? to.name : dst}` };
}

export function seepHook(ckpt: Checkpointing, policy: Policy): (p: Proc, kind: 'ipc' | 'kcall', dst: number, type: number) => void {
  return (p, kind, dst, type) => {
    const windows = ckpt.windows;
    if (!windows.open[p.slot]) return;
    const w = windows.info[p.slot];
    // The reply that ends the request is not a side effect of the request itself.
    if (kind === 'ipc' && w && dst === w.source && w.replyable) return;
    const { seep, name } = classify(ckpt.kernel, kind, dst, type, w ? w.source : null);
    if (seep.decision === 'PROCESS_SPECIFIC') windows.markProcessSpecific(p.slot);
    if (closesWindow(policy, seep.decision, seep.exempt === true)) windows.close(p.slot, `${name} (${seep.decision})`);
  };
}
