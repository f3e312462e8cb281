/*
 * Invariants about the system services: DS's keys and subscriptions belong
 * to live processes and its counters count them; RS's table lists each
 * running server once, alive, with the privileges the kernel enforces; at
 * the end of a run every server waits at the top of its loop with nothing
 * queued and no VFS worker in the middle of a call.
 *
 * The entry points into this file are:
 *   serversAtRest(v, out)   add the rest findings; true when every server is at rest
 *   checkServices(v, out)   add the DS and RS findings
 */
import { F_FREE, F_RECEIVING } from '../../os/kernel/proc';
import { ANY, RS } from '../../os/proto/endpoints';
import { RSF_ALIVE, RSF_CRASHED } from '../../os/servers/rs/state';
import { Findings, View } from './view';

export function serversAtRest(v: View, out: Findings): boolean {
  let rest = true;
  for (const [, inst] of [...v.world.servers].sort((a, b) => a[0] - b[0])) {
    const p = inst.proc;
    const why: string[] = [];
    if (!(p.flags === F_RECEIVING && p.recvFrom === ANY && !p.replyPending)) why.push(p.flags & F_RECEIVING ? `waits for ${v.world.kernel.nameOf(p.recvFrom)}` : `flags 0x${p.flags.toString(16)}`);
    if (p.sendq.length || p.asyncq.length || p.notifyPending.length) why.push(`${p.sendq.length + p.asyncq.length + p.notifyPending.length} messages queued`);
    const pool = inst.env.pool;
    if (pool) {
      const busy = pool.workers.filter((w) => w.co !== null).length;
      if (busy || pool.pending.length) why.push(`${busy} workers in a call, ${pool.pending.length} requests pending`);
    }
    if (why.length) { rest = false; out.add('servers at rest', [inst.def.name], inst.def.name, why.join('; ')); }
  }
  return rest;
}

function ds(v: View, out: Findings): void {
  const { keys, subs } = v.ds;
  const k = v.world.kernel;
  let nKeys = 0;
  let nSubs = 0;
  keys.forEach((e, i) => {
    if (!e.inUse) return;
    nKeys++;
    if (!k.proc(e.owner)) out.add('DS key owners are alive', ['ds', 'kernel'], `DS key "${e.key}"`, `entry ${i} owned by dead endpoint ${e.owner}`);
  });
  subs.forEach((s) => {
    if (!s.inUse) return;
    nSubs++;
    if (!k.proc(s.owner)) out.add('DS subscribers are alive', ['ds', 'kernel'], `DS subscription "${s.pattern}"`, `subscription "${s.pattern}" of dead endpoint ${s.owner}`);
  });
  if (v.ds.nKeys !== nKeys || v.ds.nSubs !== nSubs) out.add('DS counts', ['ds'], 'DS tables', `nKeys ${v.ds.nKeys} (${nKeys} in use), nSubs ${v.ds.nSubs} (${nSubs} in use)`);
}

function rs(v: View, out: Findings): void {
  const k = v.world.kernel;
  const byEndpoint = new Map<number, string>();
  const labels = new Set<string>();
  for (const s of v.rs.services) {
    if (!s.inUse) continue;
    const svc = `service ${s.label}`;
    if (labels.has(s.label)) out.add('RS table = running servers', ['rs'], svc, `label ${s.label} is in the table twice`);
    labels.add(s.label);
    const p = k.proc(s.endpoint);
    if (!p) { out.add('RS table = kernel', ['rs', 'kernel'], svc, `service ${s.label} names dead endpoint ${s.endpoint}`); continue; }
    byEndpoint.set(s.endpoint, s.label);
    if (p.kind !== 'server' || p.name !== s.label) out.add('RS table = running servers', ['rs', 'kernel'], svc, `endpoint ${s.endpoint} runs ${p.kind} ${p.name}`);
    if ((s.flags & RSF_ALIVE) === 0 || (s.flags & RSF_CRASHED) !== 0) out.add('RS table = running servers', ['rs'], svc, `flags 0x${s.flags.toString(16)}: not alive, but the server runs`);
    if (s.endpoint !== RS && (p.callMask >>> 0) !== (s.callMask >>> 0)) {
      out.add('RS table = kernel privileges', ['rs', 'kernel'], svc, `${s.label}: RS says 0x${(s.callMask >>> 0).toString(16)}, kernel 0x${(p.callMask >>> 0).toString(16)}`);
    }
  }
  for (const p of k.procs) {
    if (p.flags & F_FREE || p.kind !== 'server') continue;
    if (!byEndpoint.has(p.endpoint)) out.add('RS table = running servers', ['rs', 'kernel'], `server ${p.name}`, `endpoint ${p.endpoint} runs, RS does not list it`);
  }
}

export function checkServices(v: View, out: Findings): void {
  ds(v, out);
  rs(v, out);
}
