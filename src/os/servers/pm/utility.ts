/*
 * Lookups and small helpers shared by PM's handlers.
 *
 * The entry points into this file are:
 *   callerSlot()   the mproc slot of a request's sender (panics if unknown)
 *   findPid()      slot of a live (non-zombie) process by pid
 *   findEndpoint() slot of a process by endpoint
 *   allocPid()     the next free pid
 *   copyProc()     a child's mproc entry from its parent's
 */
import { panic } from '../../kernel/errors';
import { NONE, NR_SLOTS, slotOf } from '../../proto/endpoints';
import { NSIG } from '../../proto/signals';
import { IN_USE, MAX_PID, MProc, PmState, ZOMBIE } from './state';

export function callerSlot(st: PmState, ep: number): number {
  const s = slotOf(ep);
  const rmp = st.mproc[s]!;
  if (!(rmp.flags & IN_USE) || rmp.endpoint !== ep) panic('pm', `request from unknown endpoint ${ep}`);
  return s;
}

export function findPid(st: PmState, pid: number): number {
  for (let i = 0; i < NR_SLOTS; i++) {
    const rmp = st.mproc[i]!;
    if (rmp.flags & IN_USE && !(rmp.flags & ZOMBIE) && rmp.pid === pid) return i;
  }
  return -1;
}

export function findEndpoint(st: PmState, ep: number): number {
  const s = slotOf(ep);
  const rmp = st.mproc[s];
  return rmp && rmp.flags & IN_USE && rmp.endpoint === ep ? s : -1;
}

function pidInUse(st: PmState, pid: number): boolean {
  for (let i = 0; i < NR_SLOTS; i++) {
    const rmp = st.mproc[i]!;
    if (rmp.flags & IN_USE && (rmp.pid === pid || rmp.pgrp === pid)) return true;
  }
  return false;
}

export function allocPid(st: PmState): number {
  let pid = st.nextPid;
  for (let tries = 0; tries < MAX_PID; tries++) {
    if (pid >= MAX_PID) pid = 2;
    if (!pidInUse(st, pid)) { st.nextPid = pid + 1; return pid; }
    pid++;
  }
  return panic('pm', 'no free pid');
}

/** Fill `child` from `parent` field by field (state changes only by assignment). */
export function copyProc(child: MProc, parent: MProc): void {
  child.name = parent.name;
  child.ruid = parent.ruid; child.euid = parent.euid; child.suid = parent.suid;
  child.rgid = parent.rgid; child.egid = parent.egid; child.sgid = parent.sgid;
  child.pgrp = parent.pgrp; child.sid = parent.sid;
  child.sigMask = parent.sigMask;
  child.prio = parent.prio;
  for (let i = 0; i < NSIG; i++) {
    child.sigHandler[i] = parent.sigHandler[i]!;
    child.sigActMask[i] = parent.sigActMask[i]!;
    child.sigActFlags[i] = parent.sigActFlags[i]!;
  }
}

/** Release an mproc slot (a reaped zombie). */
export function freeProc(st: PmState, slot: number): void {
  const rmp = st.mproc[slot]!;
  if (!(rmp.flags & IN_USE)) panic('pm', `freeing unused slot ${slot}`);
  rmp.flags = 0;
  rmp.pid = 0;
  rmp.endpoint = NONE;
  st.procsInUse--;
  if (st.procsInUse < 1) panic('pm', 'process count underflow');
}
