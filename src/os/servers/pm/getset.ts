/*
 * Identity: pids, user and group ids, process groups and sessions.
 *
 * The entry points into this file are:
 *   do_getpid, do_getuid, do_getgid          the ids of the caller
 *   do_setuid, do_setgid, do_seteuid, do_setegid   change ids (permission checked); VFS is told
 *   do_getpgrp, do_setsid, do_setpgid        process groups and sessions
 *   do_getepinfo, do_getprocnr               lookups for system processes and tests
 *   do_getpriority, do_setpriority           the caller's nice value
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { NR_SLOTS, VFS } from '../../proto/endpoints';
import { EINVAL, EPERM, ESRCH, EACCES } from '../../proto/errno';
import { VFS_PM_SETGID, VFS_PM_SETSID, VFS_PM_SETUID } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { IN_USE, PmState, ZOMBIE } from './state';
import { callerSlot, findEndpoint, findPid } from './utility';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<PmState>;

export function* do_getpid(ctx: Ctx, m: Req<typeof C.PM_GETPID>): Co<Reply<typeof C.PM_GETPID> | null> {
  const st = ctx.st;
  const rmp = st.mproc[callerSlot(st, m.source)]!;
  return { type: rmp.pid, ppid: st.mproc[rmp.parent]!.pid };
}

export function* do_getuid(ctx: Ctx, m: Req<typeof C.PM_GETUID>): Co<Reply<typeof C.PM_GETUID> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  return { type: rmp.ruid, euid: rmp.euid };
}

export function* do_getgid(ctx: Ctx, m: Req<typeof C.PM_GETGID>): Co<Reply<typeof C.PM_GETGID> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  return { type: rmp.rgid, egid: rmp.egid };
}

function validId(id: unknown): boolean {
  return Number.isInteger(id) && (id as number) >= 0 && (id as number) < 65536;
}

function* tellVfsUid(ctx: Ctx, ep: number, ruid: number, euid: number): Co<void> {
  const r: Received<typeof C.VFS_PM_SETUID> = yield sendrec(VFS, { type: VFS_PM_SETUID, endpoint: ep, ruid, euid });
  void r;
}

function* tellVfsGid(ctx: Ctx, ep: number, rgid: number, egid: number): Co<void> {
  const r: Received<typeof C.VFS_PM_SETGID> = yield sendrec(VFS, { type: VFS_PM_SETGID, endpoint: ep, rgid, egid });
  void r;
}

/*
 * POSIX with saved ids: root sets all three ids; anyone may switch the
 * effective id between the real and the saved one.
 */
export function* do_setuid(ctx: Ctx, m: Req<typeof C.PM_SETUID>): Co<Reply<typeof C.PM_SETUID> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  if (!validId(m.uid)) return { type: -EINVAL };
  if (rmp.euid === 0) { rmp.ruid = m.uid; rmp.euid = m.uid; rmp.suid = m.uid; }
  else if (m.uid === rmp.ruid || m.uid === rmp.suid) rmp.euid = m.uid;
  else return { type: -EPERM };
  yield* tellVfsUid(ctx, m.source, rmp.ruid, rmp.euid);
  return { type: 0 };
}

export function* do_seteuid(ctx: Ctx, m: Req<typeof C.PM_SETEUID>): Co<Reply<typeof C.PM_SETEUID> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  if (!validId(m.uid)) return { type: -EINVAL };
  if (rmp.euid !== 0 && m.uid !== rmp.ruid && m.uid !== rmp.suid) return { type: -EPERM };
  rmp.euid = m.uid;
  yield* tellVfsUid(ctx, m.source, rmp.ruid, rmp.euid);
  return { type: 0 };
}

export function* do_setgid(ctx: Ctx, m: Req<typeof C.PM_SETGID>): Co<Reply<typeof C.PM_SETGID> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  if (!validId(m.gid)) return { type: -EINVAL };
  if (rmp.euid === 0) { rmp.rgid = m.gid; rmp.egid = m.gid; rmp.sgid = m.gid; }
  else if (m.gid === rmp.rgid || m.gid === rmp.sgid) rmp.egid = m.gid;
  else return { type: -EPERM };
  yield* tellVfsGid(ctx, m.source, rmp.rgid, rmp.egid);
  return { type: 0 };
}

export function* do_setegid(ctx: Ctx, m: Req<typeof C.PM_SETEGID>): Co<Reply<typeof C.PM_SETEGID> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  if (!validId(m.gid)) return { type: -EINVAL };
  if (rmp.euid !== 0 && m.gid !== rmp.rgid && m.gid !== rmp.sgid) return { type: -EPERM };
  rmp.egid = m.gid;
  yield* tellVfsGid(ctx, m.source, rmp.rgid, rmp.egid);
  return { type: 0 };
}

export function* do_getpgrp(ctx: Ctx, m: Req<typeof C.PM_GETPGRP>): Co<Reply<typeof C.PM_GETPGRP> | null> {
  return { type: ctx.st.mproc[callerSlot(ctx.st, m.source)]!.pgrp };
}

export function* do_setsid(ctx: Ctx, m: Req<typeof C.PM_SETSID>): Co<Reply<typeof C.PM_SETSID> | null> {
  const st = ctx.st;
  const rmp = st.mproc[callerSlot(st, m.source)]!;
  if (rmp.pgrp === rmp.pid) return { type: -EPERM };
  for (let i = 0; i < NR_SLOTS; i++) {
    const t = st.mproc[i]!;
    if (t.flags & IN_USE && t.pgrp === rmp.pid) return { type: -EPERM };
  }
  rmp.sid = rmp.pid;
  rmp.pgrp = rmp.pid;
  const r: Received<typeof C.VFS_PM_SETSID> = yield sendrec(VFS, { type: VFS_PM_SETSID, endpoint: m.source });
  void r;
  return { type: rmp.sid };
}

export function* do_setpgid(ctx: Ctx, m: Req<typeof C.PM_SETPGID>): Co<Reply<typeof C.PM_SETPGID> | null> {
  const st = ctx.st;
  const cs = callerSlot(st, m.source);
  const pid = m.pid | 0;
  const pgid = m.pgid | 0;
  if (pgid < 0 || pid < 0) return { type: -EINVAL };
  const ts = pid === 0 ? cs : findPid(st, pid);
  if (ts < 0) return { type: -ESRCH };
  const t = st.mproc[ts]!;
  if (ts !== cs && t.parent !== cs) return { type: -ESRCH };
  if (t.sid !== st.mproc[cs]!.sid) return { type: -EPERM };
  if (t.sid === t.pid) return { type: -EPERM };
  const target = pgid === 0 ? t.pid : pgid;
  if (target !== t.pid) {
    let exists = false;
    for (let i = 0; i < NR_SLOTS; i++) {
      const q = st.mproc[i]!;
      if (q.flags & IN_USE && !(q.flags & ZOMBIE) && q.pgrp === target && q.sid === t.sid) exists = true;
    }
    if (!exists) return { type: -EPERM };
  }
  t.pgrp = target;
  return { type: 0 };
}

export function* do_getepinfo(ctx: Ctx, m: Req<typeof C.PM_GETEPINFO>): Co<Reply<typeof C.PM_GETEPINFO> | null> {
  const st = ctx.st;
  const s = findEndpoint(st, m.endpoint);
  if (s < 0) return { type: -ESRCH };
  const rmp = st.mproc[s]!;
  return { type: rmp.pid, uid: rmp.euid, gid: rmp.egid, ruid: rmp.ruid, rgid: rmp.rgid };
}

export function* do_getprocnr(ctx: Ctx, m: Req<typeof C.PM_GETPROCNR>): Co<Reply<typeof C.PM_GETPROCNR> | null> {
  const st = ctx.st;
  const s = m.pid === 0 ? callerSlot(st, m.source) : findPid(st, m.pid | 0);
  if (s < 0) return { type: -ESRCH };
  return { type: 0, endpoint: st.mproc[s]!.endpoint };
}

export function* do_getpriority(ctx: Ctx, m: Req<typeof C.PM_GETPRIORITY>): Co<Reply<typeof C.PM_GETPRIORITY> | null> {
  return { type: ctx.st.mproc[callerSlot(ctx.st, m.source)]!.prio + 20 };
}

export function* do_setpriority(ctx: Ctx, m: Req<typeof C.PM_SETPRIORITY>): Co<Reply<typeof C.PM_SETPRIORITY> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  const prio = m.prio | 0;
  if (prio < -20 || prio > 20) return { type: -EINVAL };
  if (prio < rmp.prio && rmp.euid !== 0) return { type: -EACCES };
  rmp.prio = prio;
  return { type: 0 };
}
