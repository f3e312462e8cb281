/*
 * Opening and closing files: open/creat (O_CREAT, O_EXCL, O_TRUNC,
 * O_APPEND, O_DIRECTORY, O_CLOEXEC), mkdir, mknod, close. Closing a
 * descriptor itself is closeFd in pipe.ts, since the last close of a pipe
 * end must wake the other end.
 *
 * The entry points into this file are:
 *   do_open, do_mkdir, do_mknod, do_close
 *   filpFor   a descriptor's filp, checked for reading or writing (read-write.ts)
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { EACCES, EINVAL, EISDIR, ENOTDIR, EBADF } from '../../proto/errno';
import {
  O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, R_OK, S_IFIFO, S_IFMT,
  S_IFREG, S_ISDIR, S_ISFIFO, S_ISREG, W_OK,
} from '../../proto/fs';
import { REQ_CREATE, REQ_FTRUNC, REQ_MKDIR, REQ_MKNOD, REQ_PUTNODE } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { FProc, VfsState } from './state';
import { lookup, startOf } from './path';
import { caller, permits } from './perm';
import { allocFd, allocFilp, getFilpOf, getVnode, putVnode } from './vnode';
import { closeFd, fifoOpen } from './pipe';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

function wantOf(flags: number): number {
  const acc = flags & O_ACCMODE;
  return acc === O_RDONLY ? R_OK : acc === O_WRONLY ? W_OK : R_OK | W_OK;
}

/** Give back the MFS reference a lookup or create took, when open fails after it. */
function* dropNode(ino: number): Co<void> {
  const r: Received<typeof C.REQ_PUTNODE> = yield sendrec(MFS, { type: REQ_PUTNODE, ino, count: 1 });
  void r;
}

export function* do_open(ctx: Ctx, m: Req<typeof C.VFS_OPEN>): Co<Reply<typeof C.VFS_OPEN> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const flags = m.flags | 0;
  const acc = flags & O_ACCMODE;
  if (acc === O_ACCMODE) return { type: -EINVAL };
  // No descriptor, no open: decided before O_CREAT can make a file.
  const free = allocFd(fp, 0);
  if (free < 0) return { type: free };
  let r: Received<typeof C.REQ_LOOKUP> & { created?: number };
  let created = false;
  if (flags & O_CREAT) {
    const s = startOf(st, fp, m.path);
    if (s.err < 0) return { type: s.err };
    const mode = S_IFREG | ((m.mode | 0) & ~fp.umask & 0o7777);
    r = yield sendrec(MFS, { type: REQ_CREATE, dir: s.dir, path: s.path, mode, uid: fp.euid, gid: fp.egid, excl: flags & O_EXCL ? 1 : 0, getnode: 1 });
    created = r.created === 1;
  } else {
    r = yield* lookup(st, fp, m.path, false, true);
  }
  if (r.type < 0) return { type: r.type };
  // From here on we hold one MFS reference to r.ino: every failure returns it.
  let err = 0;
  if (S_ISDIR(r.mode) && acc !== O_RDONLY) err = -EISDIR;
  else if (flags & O_DIRECTORY && !S_ISDIR(r.mode)) err = -ENOTDIR;
  else if (!created && !permits(fp, r.mode, r.uid, r.gid, wantOf(flags))) err = -EACCES;
  // O_TRUNC truncates whatever the access mode, so it takes write permission (as MINIX's common_open).
  else if (!created && flags & O_TRUNC && S_ISREG(r.mode) && !permits(fp, r.mode, r.uid, r.gid, W_OK)) err = -EACCES;
  const fd = allocFd(fp, 0);
  if (err === 0 && fd < 0) err = fd;
  if (err < 0) { yield* dropNode(r.ino); return { type: err }; }
  const vi = getVnode(st, r);
  if (vi < 0) { yield* dropNode(r.ino); return { type: vi }; }
  const fi = allocFilp(st, vi, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC));
  if (fi < 0) { yield* putVnode(st, vi); return { type: fi }; }
  fp.fd[fd] = fi;
  fp.cloexec[fd] = flags & O_CLOEXEC ? 1 : 0;
  st.stats.opens++;
  const v = st.vnode[vi]!;
  if (flags & O_TRUNC && S_ISREG(v.mode) && v.size > 0) {
    const t: Received<typeof C.REQ_FTRUNC> = yield sendrec(MFS, { type: REQ_FTRUNC, ino: v.ino, length: 0 });
    if (t.type === 0) v.size = 0;
  }
  if (S_ISFIFO(v.mode)) return yield* fifoOpen(ctx, fp, fd, fi);
  return { type: fd };
}

export function* do_mkdir(ctx: Ctx, m: Req<typeof C.VFS_MKDIR>): Co<Reply<typeof C.VFS_MKDIR> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const s = startOf(st, fp, m.path);
  if (s.err < 0) return { type: s.err };
  const mode = (m.mode | 0) & ~fp.umask & 0o7777;
  const r: Received<typeof C.REQ_MKDIR> = yield sendrec(MFS, { type: REQ_MKDIR, dir: s.dir, path: s.path, mode, uid: fp.euid, gid: fp.egid });
  return { type: r.type < 0 ? r.type : 0 };
}

export function* do_mknod(ctx: Ctx, m: Req<typeof C.VFS_MKNOD>): Co<Reply<typeof C.VFS_MKNOD> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const type = (m.mode | 0) & S_IFMT;
  if (type !== S_IFIFO && type !== S_IFREG) return { type: -EINVAL };
  const s = startOf(st, fp, m.path);
  if (s.err < 0) return { type: s.err };
  const mode = type | ((m.mode | 0) & ~fp.umask & 0o7777);
  const r: Received<typeof C.REQ_MKNOD> = yield sendrec(MFS, { type: REQ_MKNOD, dir: s.dir, path: s.path, mode, uid: fp.euid, gid: fp.egid, getnode: 0 });
  return { type: r.type < 0 ? r.type : 0 };
}

export function* do_close(ctx: Ctx, m: Req<typeof C.VFS_CLOSE>): Co<Reply<typeof C.VFS_CLOSE> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  yield* closeFd(ctx, fp, m.fd);
  return { type: 0 };
}

/** Validate a descriptor and its access mode for reading (R_OK) or writing (W_OK). */
export function filpFor(st: VfsState, fp: FProc, fd: number, want: number): number {
  const fi = getFilpOf(st, fp, fd);
  if (fi < 0) return fi;
  const acc = st.filp[fi]!.flags & O_ACCMODE;
  if (want === R_OK && acc === O_WRONLY) return -EBADF;
  if (want === W_OK && acc === O_RDONLY) return -EBADF;
  void O_RDWR;
  return fi;
}
