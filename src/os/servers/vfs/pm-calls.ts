/*
 * Requests from PM: a process was forked, exited, exec'd, changed ids, or
 * must be woken by a signal.
 *
 * The entry points into this file are:
 *   pm_fork, pm_exit, pm_exec, pm_setuid, pm_setgid, pm_unpause, pm_setsid, pm_dumpcore
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co, Msg } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { MFS, NONE, PM, slotOf } from '../../proto/endpoints';
import { EACCES, ENOEXEC, EPERM } from '../../proto/errno';
import { OPEN_MAX, S_ISGID, S_ISREG, S_ISUID, X_OK } from '../../proto/fs';
import { REQ_READ } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { BLK_NONE, FProc, VfsState } from './state';
import { lookup } from './path';
import { permits } from './perm';
import { dupVnode, putVnode } from './vnode';
import { closeFd, unpause } from './pipe';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

const EXEC_MAGIC = '#!osiris ';

function fromPm(m: Msg): void {
  if (m.source !== PM) panic('vfs', `PM call from ${m.source}`);
}

function knownProgram(st: VfsState, name: string): boolean {
  for (let i = 0; i < st.programs.length; i++) if (st.programs[i] === name) return true;
  return false;
}

function procOf(st: VfsState, ep: number): FProc {
  const fp = st.fproc[slotOf(ep)]!;
  if (!fp.inUse || fp.endpoint !== ep) panic('vfs', `PM names unknown process ${ep}`);
  return fp;
}

export function* pm_fork(ctx: Ctx, m: Req<typeof C.VFS_PM_FORK>): Co<Reply<typeof C.VFS_PM_FORK> | null> {
  fromPm(m);
  const st = ctx.st;
  const parent = procOf(st, m.parent);
  const child = st.fproc[slotOf(m.child)]!;
  if (child.inUse) panic('vfs', `fork into busy slot ${slotOf(m.child)}`);
  child.inUse = true;
  child.endpoint = m.child;
  child.pid = m.pid;
  child.ruid = parent.ruid; child.euid = parent.euid; child.rgid = parent.rgid; child.egid = parent.egid;
  child.umask = parent.umask;
  child.cwd = parent.cwd; dupVnode(st, parent.cwd);
  child.root = parent.root; dupVnode(st, parent.root);
  for (let i = 0; i < OPEN_MAX; i++) {
    const fi = parent.fd[i]!;
    child.fd[i] = fi;
    child.cloexec[i] = parent.cloexec[i]!;
    if (fi >= 0) st.filp[fi]!.count++;
  }
  child.blocked = BLK_NONE;
  return { type: 0 };
}

export function* pm_exit(ctx: Ctx, m: Req<typeof C.VFS_PM_EXIT>): Co<Reply<typeof C.VFS_PM_EXIT> | null> {
  fromPm(m);
  const st = ctx.st;
  const fp = procOf(st, m.endpoint);
  if (fp.blocked !== BLK_NONE) yield* unpause(ctx, fp, false);
  for (let i = 0; i < OPEN_MAX; i++) if (fp.fd[i]! >= 0) yield* closeFd(ctx, fp, i);
  const cwd = fp.cwd;
  const root = fp.root;
  fp.cwd = -1;
  fp.root = -1;
  yield* putVnode(st, cwd);
  yield* putVnode(st, root);
  fp.inUse = false;
  fp.endpoint = NONE;
  fp.pid = 0;
  return { type: 0 };
}

/**
 * Check the program file, read which program it names and check that it is
 * installed, then close close-on-exec descriptors (the last step that can fail is before it).
 */
export function* pm_exec(ctx: Ctx, m: Req<typeof C.VFS_PM_EXEC>): Co<Reply<typeof C.VFS_PM_EXEC> | null> {
  fromPm(m);
  const st = ctx.st;
  const fp = procOf(st, m.endpoint);
  const r = yield* lookup(st, fp, m.path, false, false);
  if (r.type < 0) return { type: r.type };
  if (!S_ISREG(r.mode)) return { type: -EACCES };
  if (!permits(fp, r.mode, r.uid, r.gid, X_OK)) return { type: -EACCES };
  const d: Received<typeof C.REQ_READ> = yield sendrec(MFS, { type: REQ_READ, ino: r.ino, pos: 0, nbytes: 64, grant: -1, inline: 1 });
  if (d.type < 0) return { type: d.type };
  const text = String(d.data ?? '');
  const nl = text.indexOf('\n');
  if (!text.startsWith(EXEC_MAGIC) || nl < 0) return { type: -ENOEXEC };
  const program = text.slice(EXEC_MAGIC.length, nl).trim();
  // A header naming no installed program fails the exec (as PM would): nothing may be closed yet.
  if (program.length === 0 || !knownProgram(st, program)) return { type: -ENOEXEC };
  for (let i = 0; i < OPEN_MAX; i++) if (fp.fd[i]! >= 0 && fp.cloexec[i]) yield* closeFd(ctx, fp, i);
  const setuid = (r.mode & S_ISUID) !== 0 ? 1 : 0;
  const setgid = (r.mode & S_ISGID) !== 0 ? 1 : 0;
  return { type: 0, program, setuid, fileUid: r.uid, setgid, fileGid: r.gid };
}

export function* pm_setuid(ctx: Ctx, m: Req<typeof C.VFS_PM_SETUID>): Co<Reply<typeof C.VFS_PM_SETUID> | null> {
  fromPm(m);
  const fp = procOf(ctx.st, m.endpoint);
  fp.ruid = m.ruid;
  fp.euid = m.euid;
  return { type: 0 };
}

export function* pm_setgid(ctx: Ctx, m: Req<typeof C.VFS_PM_SETGID>): Co<Reply<typeof C.VFS_PM_SETGID> | null> {
  fromPm(m);
  const fp = procOf(ctx.st, m.endpoint);
  fp.rgid = m.rgid;
  fp.egid = m.egid;
  return { type: 0 };
}

export function* pm_unpause(ctx: Ctx, m: Req<typeof C.VFS_PM_UNPAUSE>): Co<Reply<typeof C.VFS_PM_UNPAUSE> | null> {
  fromPm(m);
  const fp = procOf(ctx.st, m.endpoint);
  if (fp.blocked !== BLK_NONE) yield* unpause(ctx, fp, true);
  return { type: 0 };
}

export function* pm_setsid(ctx: Ctx, m: Req<typeof C.VFS_PM_SETSID>): Co<Reply<typeof C.VFS_PM_SETSID> | null> {
  fromPm(m);
  procOf(ctx.st, m.endpoint);
  return { type: 0 };
}

export function* pm_dumpcore(ctx: Ctx, m: Req<typeof C.VFS_PM_DUMPCORE>): Co<Reply<typeof C.VFS_PM_DUMPCORE> | null> {
  fromPm(m);
  return { type: -EPERM };
}
