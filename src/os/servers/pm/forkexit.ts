/*
 * Process creation and termination: fork, exit, waitpid, zombies and
 * reparenting to init.
 *
 * The entry points into this file are:
 *   do_fork     PM_FORK: create a child (VM copies memory, VFS the fd table)
 *   do_exit     PM_EXIT: the caller terminates
 *   do_waitpid  PM_WAITPID: wait for a child to terminate
 *   exitProc    terminate a process (also used for signal deaths)
 */
import { sendnb, sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { DS, FIRST_USER_SLOT, INIT, NR_SLOTS, VFS, VM } from '../../proto/endpoints';
import { EAGAIN, ECHILD, EINVAL } from '../../proto/errno';
import { DS_PM_EXIT, VFS_PM_EXIT, VFS_PM_FORK, VM_EXIT, VM_FORK } from '../../proto/calls';
import { SIGCHLD, WNOHANG, W_EXITCODE, WCOREFLAG, defaultAction } from '../../proto/signals';
import { ServerCtx } from '../../sef/server';
import { EXITING, IN_USE, LAST_FEW, NR_USER_PROCS, PmState, WAITING, ZOMBIE } from './state';
import { allocPid, callerSlot, copyProc, freeProc } from './utility';
import { cancelAlarm } from './alarm';
import { sigProc } from './signal';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<PmState>;

export function* do_fork(ctx: Ctx, m: Req<typeof C.PM_FORK>): Co<Reply<typeof C.PM_FORK> | null> {
  const st = ctx.st;
  const ps = callerSlot(st, m.source);
  if (st.procsInUse >= NR_USER_PROCS) return { type: -EAGAIN };
  if (st.procsInUse >= NR_USER_PROCS - LAST_FEW && st.mproc[ps]!.euid !== 0) return { type: -EAGAIN };
  let cs = -1;
  for (let i = FIRST_USER_SLOT; i < NR_SLOTS; i++) {
    if (!(st.mproc[i]!.flags & IN_USE)) { cs = i; break; }
  }
  if (cs < 0) return { type: -EAGAIN };
  const r: Received<typeof C.VM_FORK> = yield sendrec(VM, { type: VM_FORK, parent: m.source, slot: cs });
  if (r.type < 0) return { type: r.type };
  const parent = st.mproc[ps]!;
  const child = st.mproc[cs]!;
  copyProc(child, parent);
  child.flags = IN_USE;
  child.pid = allocPid(st);
  child.parent = ps;
  child.endpoint = r.endpoint;
  child.exitStatus = 0; child.sigStatus = 0; child.waitPid = 0; child.waitOptions = 0;
  child.sigPending = 0; child.sigSavedMask = 0; child.alarmAt = -1;
  child.utime = 0; child.stime = 0; child.cutime = 0; child.cstime = 0;
  st.procsInUse++;
  st.stats.forks++;
  const v: Received<typeof C.VFS_PM_FORK> = yield sendrec(VFS, { type: VFS_PM_FORK, parent: m.source, child: r.endpoint, pid: child.pid });
  if (v.type < 0) panic('pm', `VFS refused fork: ${v.type}`);
  yield sendnb(child.endpoint, { type: 0 });
  return { type: child.pid };
}

export function* do_exit(ctx: Ctx, m: Req<typeof C.PM_EXIT>): Co<Reply<typeof C.PM_EXIT> | null> {
  const s = callerSlot(ctx.st, m.source);
  yield* exitProc(ctx, s, m.status & 0xff, 0);
  return null;
}

/**
 * Terminate the process in `slot`: VFS closes its files, VM frees its
 * memory, the kernel forgets it; it stays a zombie until its parent waits.
 */
export function* exitProc(ctx: Ctx, slot: number, status: number, sig: number): Co<void> {
  const st = ctx.st;
  const rmp = st.mproc[slot]!;
  if (!(rmp.flags & IN_USE) || rmp.flags & (EXITING | ZOMBIE)) return;
  if (slot === INIT) panic('pm', `init died (status ${status}, signal ${sig})`);
  rmp.flags |= EXITING;
  cancelAlarm(ctx, slot);
  const ep = rmp.endpoint;
  const v: Received<typeof C.VFS_PM_EXIT> = yield sendrec(VFS, { type: VFS_PM_EXIT, endpoint: ep });
  if (v.type < 0) panic('pm', `VFS refused exit: ${v.type}`);
  const t = ctx.sys.times(ep);
  rmp.utime = t.user;
  rmp.stime = t.sys;
  const r: Received<typeof C.VM_EXIT> = yield sendrec(VM, { type: VM_EXIT, endpoint: ep });
  if (r.type < 0) panic('pm', `VM refused exit: ${r.type}`);
  const d: Received<typeof C.DS_PM_EXIT> = yield sendrec(DS, { type: DS_PM_EXIT, endpoint: ep });
  if (d.type < 0) panic('pm', `DS refused exit: ${d.type}`);
  const k = ctx.sys.exit(ep);
  if (k < 0) panic('pm', `kernel refused exit of ${ep}: ${k}`);
  rmp.exitStatus = status;
  rmp.sigStatus = sig;
  rmp.flags = IN_USE | ZOMBIE;
  st.stats.exits++;
  // Children go to init; zombies among them are init's to reap now.
  for (let i = 0; i < NR_SLOTS; i++) {
    const c = st.mproc[i]!;
    if (i !== slot && c.flags & IN_USE && c.parent === slot) {
      c.parent = INIT;
      if (c.flags & ZOMBIE) yield* checkParent(ctx, i);
    }
  }
  yield* checkParent(ctx, slot);
}

/** A zombie's parent is told now if it waits for it, and gets SIGCHLD. */
function* checkParent(ctx: Ctx, slot: number): Co<void> {
  const st = ctx.st;
  const rmp = st.mproc[slot]!;
  const ps = rmp.parent;
  const parent = st.mproc[ps]!;
  if (parent.flags & WAITING && waitMatches(st, ps, slot, parent.waitPid)) {
    parent.flags &= ~WAITING;
    yield* tellParent(ctx, ps, slot);
  }
  // POSIX: SIGCHLD is generated whether or not the parent was waiting.
  yield* sigProc(ctx, ps, SIGCHLD);
}

function waitStatus(st: PmState, slot: number): number {
  const rmp = st.mproc[slot]!;
  if (rmp.sigStatus === 0) return W_EXITCODE(rmp.exitStatus, 0);
  return W_EXITCODE(0, rmp.sigStatus) | (defaultAction(rmp.sigStatus) === 'core' ? WCOREFLAG : 0);
}

/** Reply to a waiting parent with the zombie's pid and status, and reap it. */
function* tellParent(ctx: Ctx, ps: number, cs: number): Co<void> {
  const st = ctx.st;
  const parent = st.mproc[ps]!;
  const child = st.mproc[cs]!;
  const pid = child.pid;
  const status = waitStatus(st, cs);
  reap(st, ps, cs);
  yield sendnb<typeof C.PM_WAITPID>(parent.endpoint, { type: pid, status });
}

function reap(st: PmState, ps: number, cs: number): void {
  const parent = st.mproc[ps]!;
  const child = st.mproc[cs]!;
  parent.cutime += child.utime + child.cutime;
  parent.cstime += child.stime + child.cstime;
  freeProc(st, cs);
}

function waitMatches(st: PmState, ps: number, cs: number, pid: number): boolean {
  const child = st.mproc[cs]!;
  if (pid > 0) return child.pid === pid;
  if (pid === -1) return true;
  if (pid === 0) return child.pgrp === st.mproc[ps]!.pgrp;
  return child.pgrp === -pid;
}

export function* do_waitpid(ctx: Ctx, m: Req<typeof C.PM_WAITPID>): Co<Reply<typeof C.PM_WAITPID> | null> {
  const st = ctx.st;
  const ps = callerSlot(st, m.source);
  const pid = m.pid | 0;
  const options = m.options | 0;
  if (options & ~3) return { type: -EINVAL };
  let children = 0;
  for (let i = 0; i < NR_SLOTS; i++) {
    const c = st.mproc[i]!;
    if (i === ps || !(c.flags & IN_USE) || c.parent !== ps) continue;
    if (!waitMatches(st, ps, i, pid)) continue;
    children++;
    if (c.flags & ZOMBIE) {
      const cpid = c.pid;
      const status = waitStatus(st, i);
      reap(st, ps, i);
      return { type: cpid, status };
    }
  }
  if (children === 0) return { type: -ECHILD };
  if (options & WNOHANG) return { type: 0, status: 0 };
  const rmp = st.mproc[ps]!;
  rmp.flags |= WAITING;
  rmp.waitPid = pid;
  rmp.waitOptions = options;
  return null;
}
