/*
 * Invariants about processes: the kernel, PM, VM and VFS know the same
 * processes, in the same slots, with the same pid, uid and gid; PM's
 * parent links, process groups and sessions hold together; a process the
 * kernel shows waiting for PM's or VFS's reply is one that server has
 * suspended (and the other way round).
 *
 * The entry points into this file are:
 *   checkProcesses(v, out)   add the findings of this group
 */
import { F_FREE, F_RECEIVING, Proc } from '../../os/kernel/proc';
import { INIT, NR_SLOTS, PM, VFS, slotOf } from '../../os/proto/endpoints';
import { EXITING, IN_USE, MAX_PID, SIGSUSPENDED, WAITING, ZOMBIE } from '../../os/servers/pm/state';
import { BLK_NONE } from '../../os/servers/vfs/state';
import { Findings, View, listOf } from './view';

function liveUser(p: Proc): boolean {
  return !(p.flags & F_FREE) && p.kind === 'user';
}

/** "process <endpoint> (pid <pid>)": how findings name a process. */
export function procName(v: View, slot: number): string {
  const m = v.pm.mproc[slot]!;
  const ep = m.flags & IN_USE ? m.endpoint : v.procs[slot]!.endpoint;
  return m.flags & IN_USE ? `process ${ep} (pid ${m.pid})` : `process ${ep}`;
}

function setDiff(a: number[], b: Set<number>): number[] {
  return a.filter((x) => !b.has(x));
}

/** The kernel, PM, VM and VFS list the same live processes (by endpoint), each in its endpoint's slot. */
function sameProcesses(v: View, out: Findings): void {
  const kernel: number[] = [];
  for (const p of v.procs) if (liveUser(p)) kernel.push(p.endpoint);
  const kset = new Set(kernel);
  const tables: [string, string, number[]][] = [['PM', 'pm', []], ['VM', 'vm', []], ['VFS', 'vfs', []]];
  const slotMismatch = (i: number, s: number, ep: number) => {
    out.add('process tables: slot = endpoint', [tables[i]![1]], `slot ${s}`, `${tables[i]![0]} keeps endpoint ${ep} (slot ${slotOf(ep)}) in slot ${s}`);
  };
  for (let s = 0; s < NR_SLOTS; s++) {
    const m = v.pm.mproc[s]!;
    const vp = v.vm.vmproc[s]!;
    const fp = v.vfs.fproc[s]!;
    // PM's zombies are gone from the kernel: only their slot is checked.
    if (m.flags & IN_USE) {
      if (!(m.flags & ZOMBIE)) tables[0]![2].push(m.endpoint);
      if (slotOf(m.endpoint) !== s) slotMismatch(0, s, m.endpoint);
    }
    if (vp.inUse) { tables[1]![2].push(vp.endpoint); if (slotOf(vp.endpoint) !== s) slotMismatch(1, s, vp.endpoint); }
    if (fp.inUse) { tables[2]![2].push(fp.endpoint); if (slotOf(fp.endpoint) !== s) slotMismatch(2, s, fp.endpoint); }
  }
  for (const [name, label, eps] of tables) {
    const set = new Set(eps);
    const missing = setDiff(kernel, set);
    const extra = setDiff(eps, kset);
    if (missing.length || extra.length) {
      const object = `process${missing.length + extra.length > 1 ? 'es' : ''} ${listOf([...missing, ...extra])}`;
      out.add(`processes: kernel = ${name}`, ['kernel', label], object, `${name} lacks ${JSON.stringify(missing)}, has extra ${JSON.stringify(extra)}`);
    }
  }
}

/** Slots where the kernel, PM (not a zombie), VM and VFS all hold the same endpoint. */
function agreedSlots(v: View): number[] {
  const slots: number[] = [];
  for (let s = 0; s < NR_SLOTS; s++) {
    const p = v.procs[s]!;
    const m = v.pm.mproc[s]!;
    if (!liveUser(p) || !(m.flags & IN_USE) || m.flags & ZOMBIE || m.endpoint !== p.endpoint) continue;
    const fp = v.vfs.fproc[s]!;
    const vp = v.vm.vmproc[s]!;
    if (fp.inUse && fp.endpoint === p.endpoint && vp.inUse && vp.endpoint === p.endpoint) slots.push(s);
  }
  return slots;
}

/** PM and VFS agree on each process's pid, user ids and group ids. */
function sameIdentity(v: View, slots: number[], out: Findings): void {
  for (const s of slots) {
    const m = v.pm.mproc[s]!;
    const f = v.vfs.fproc[s]!;
    const who = procName(v, s);
    if (m.pid !== f.pid) out.add('pid: PM = VFS', ['pm', 'vfs'], who, `PM says pid ${m.pid}, VFS ${f.pid}`);
    if (m.ruid !== f.ruid || m.euid !== f.euid) {
      out.add('uid: PM = VFS', ['pm', 'vfs'], who, `PM says ruid ${m.ruid} euid ${m.euid}, VFS ruid ${f.ruid} euid ${f.euid}`);
    }
    if (m.rgid !== f.rgid || m.egid !== f.egid) {
      out.add('gid: PM = VFS', ['pm', 'vfs'], who, `PM says rgid ${m.rgid} egid ${m.egid}, VFS rgid ${f.rgid} egid ${f.egid}`);
    }
  }
}

/** PM's own table: counts, unique pids, parent links that lead to init, no process left half exited. */
function pmTable(v: View, out: Findings): void {
  const mp = v.pm.mproc;
  let used = 0;
  const byPid = new Map<number, number>();
  for (let s = 0; s < NR_SLOTS; s++) {
    const m = mp[s]!;
    if (!(m.flags & IN_USE)) continue;
    used++;
    const who = procName(v, s);
    if (!Number.isInteger(m.pid) || m.pid < 1 || m.pid >= MAX_PID) out.add('PM pids unique', ['pm'], who, `pid ${m.pid} out of range`);
    const other = byPid.get(m.pid);
    if (other !== undefined) out.add('PM pids unique', ['pm'], `pid ${m.pid}`, `slots ${other} and ${s} both have pid ${m.pid}`);
    else byPid.set(m.pid, s);
    if (m.flags & EXITING) out.add('PM: no process half exited', ['pm'], who, 'still marked exiting at a quiescent point');
    if (s === INIT) {
      if (m.parent !== INIT) out.add('PM parent link', ['pm'], who, `init's parent is slot ${m.parent}`);
      continue;
    }
    const ps = m.parent;
    const parent = mp[ps];
    if (!Number.isInteger(ps) || ps < 0 || ps >= NR_SLOTS || ps === s) {
      out.add('PM parent link', ['pm'], who, `parent slot ${ps}`);
    } else if (!parent || !(parent.flags & IN_USE) || parent.flags & ZOMBIE) {
      out.add('PM parent link', ['pm'], who, `parent slot ${ps} holds ${parent && parent.flags & IN_USE ? 'a zombie' : 'no process'}`);
    } else {
      // Follow the links: every chain ends at init.
      let q = ps;
      let steps = 0;
      while (q !== INIT && steps <= NR_SLOTS) { q = mp[q]!.parent; steps++; if (!Number.isInteger(q) || q < 0 || q >= NR_SLOTS) break; }
      if (q !== INIT) out.add('PM parent link', ['pm'], who, `parent links from slot ${s} never reach init`);
    }
  }
  if (v.pm.procsInUse !== used) out.add('PM process count', ['pm'], 'process table', `procsInUse ${v.pm.procsInUse}, ${used} slots in use`);
}

/** Process groups lie inside one session; a session leader leads its own group. */
function groupsAndSessions(v: View, out: Findings): void {
  const mp = v.pm.mproc;
  const groupSid = new Map<number, { sid: number; slot: number }>();
  for (let s = 0; s < NR_SLOTS; s++) {
    const m = mp[s]!;
    if (!(m.flags & IN_USE) || m.flags & ZOMBIE) continue;
    const who = procName(v, s);
    if (!(m.pgrp > 0) || !(m.sid > 0)) { out.add('process groups and sessions', ['pm'], who, `pgrp ${m.pgrp}, sid ${m.sid}`); continue; }
    if (m.sid === m.pid && m.pgrp !== m.pid) out.add('process groups and sessions', ['pm'], who, `session leader (sid ${m.sid}) in group ${m.pgrp}`);
    const g = groupSid.get(m.pgrp);
    if (!g) groupSid.set(m.pgrp, { sid: m.sid, slot: s });
    else if (g.sid !== m.sid) {
      out.add('process groups and sessions', ['pm'], `process group ${m.pgrp}`, `${procName(v, g.slot)} is in session ${g.sid}, ${who} in session ${m.sid}`);
    }
  }
}

/** Is p blocked in the receive half of a call to `server` (or waiting for its first reply from PM after fork)? */
function awaitsReply(p: Proc, server: number): boolean {
  return (p.flags & F_RECEIVING) !== 0 && p.recvFrom === server;
}

/** A process waits for PM's (VFS's) reply exactly when PM (VFS) holds it suspended. */
function suspensions(v: View, slots: number[], out: Findings): void {
  for (const s of slots) {
    const p = v.procs[s]!;
    const who = procName(v, s);
    const inPm = (v.pm.mproc[s]!.flags & (WAITING | SIGSUSPENDED)) !== 0;
    if (awaitsReply(p, PM) !== inPm) {
      out.add('suspended in PM = waiting for PM', ['kernel', 'pm'], who,
        inPm ? 'PM holds it suspended, but it does not wait for PM' : 'it waits for a reply from PM, which holds no call of it');
    }
    const inVfs = v.vfs.fproc[s]!.blocked !== BLK_NONE;
    if (awaitsReply(p, VFS) !== inVfs) {
      out.add('suspended in VFS = waiting for VFS', ['kernel', 'vfs'], who,
        inVfs ? `VFS holds it suspended (${v.vfs.fproc[s]!.blocked}), but it does not wait for VFS` : 'it waits for a reply from VFS, which holds no call of it');
    }
  }
}

/**
 * `atRest`: every server waits at the top of its loop. Otherwise a call in
 * flight makes a process wait without being suspended, and that check is
 * left to the rest invariant.
 */
export function checkProcesses(v: View, out: Findings, atRest: boolean): void {
  sameProcesses(v, out);
  const slots = agreedSlots(v);
  sameIdentity(v, slots, out);
  pmTable(v, out);
  groupsAndSessions(v, out);
  if (atRest) suspensions(v, slots, out);
}
