/*
 * Descriptor plumbing: duplicating descriptors, descriptor and file status
 * flags, and the file position (MINIX's filedes.c, misc.c do_fcntl and
 * open.c do_lseek).
 *
 * The entry points into this file are:
 *   do_dup     dup(): the lowest free descriptor for the same open file
 *   do_dup2    dup2(): a chosen descriptor for the same open file
 *   do_fcntl   fcntl(): F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL
 *   do_lseek   lseek(): SEEK_SET, SEEK_CUR, SEEK_END
 */
import { Co } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { EBADF, EINVAL, ESPIPE } from '../../proto/errno';
import {
  FD_CLOEXEC, F_DUPFD, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_ACCMODE, O_APPEND, O_NONBLOCK, OPEN_MAX, SEEK_CUR,
  SEEK_END, SEEK_SET, S_ISFIFO,
} from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { FProc, VfsState } from './state';
import { caller } from './perm';
import { allocFd, getFilpOf } from './vnode';
import { closeFd } from './pipe';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

/** The file status flags F_SETFL may change. */
const SETFL_MASK = O_APPEND | O_NONBLOCK;

/** Point descriptor nfd (free) at filp fi: one more reference, close-on-exec cleared (POSIX). */
function installDup(st: VfsState, fp: FProc, nfd: number, fi: number): void {
  if (fp.fd[nfd]! >= 0) panic('vfs', `dup onto open descriptor ${nfd}`);
  const f = st.filp[fi]!;
  if (f.count <= 0) panic('vfs', `dup of free filp ${fi}`);
  f.count++;
  fp.fd[nfd] = fi;
  fp.cloexec[nfd] = 0;
}

export function* do_dup(ctx: Ctx, m: Req<typeof C.VFS_DUP>): Co<Reply<typeof C.VFS_DUP> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const nfd = allocFd(fp, 0);
  if (nfd < 0) return { type: nfd };
  installDup(st, fp, nfd, fi);
  return { type: nfd };
}

export function* do_dup2(ctx: Ctx, m: Req<typeof C.VFS_DUP2>): Co<Reply<typeof C.VFS_DUP2> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const fd2 = m.fd2;
  if (!Number.isInteger(fd2) || fd2 < 0 || fd2 >= OPEN_MAX) return { type: -EBADF };
  if (fd2 === m.fd) return { type: fd2 };
  // fd2 is closed silently first; its filp is a different one (fd2 != fd or the same filp via dup).
  if (fp.fd[fd2]! >= 0) yield* closeFd(ctx, fp, fd2);
  // Closing may have waited on MFS: the original descriptor must still be there.
  if (fp.fd[m.fd] !== fi) return { type: -EBADF };
  installDup(st, fp, fd2, fi);
  return { type: fd2 };
}

export function* do_fcntl(ctx: Ctx, m: Req<typeof C.VFS_FCNTL>): Co<Reply<typeof C.VFS_FCNTL> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const f = st.filp[fi]!;
  const arg = Number(m.arg);
  switch (m.cmd) {
    case F_DUPFD: {
      if (!Number.isInteger(arg) || arg < 0 || arg >= OPEN_MAX) return { type: -EINVAL };
      const nfd = allocFd(fp, arg);
      if (nfd < 0) return { type: nfd };
      installDup(st, fp, nfd, fi);
      return { type: nfd };
    }
    case F_GETFD:
      return { type: fp.cloexec[m.fd] ? FD_CLOEXEC : 0 };
    case F_SETFD:
      if (!Number.isInteger(arg)) return { type: -EINVAL };
      fp.cloexec[m.fd] = arg & FD_CLOEXEC ? 1 : 0;
      return { type: 0 };
    case F_GETFL:
      return { type: f.flags & (O_ACCMODE | SETFL_MASK) };
    case F_SETFL:
      if (!Number.isInteger(arg)) return { type: -EINVAL };
      f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return { type: 0 };
    default:
      return { type: -EINVAL };
  }
}

export function* do_lseek(ctx: Ctx, m: Req<typeof C.VFS_LSEEK>): Co<Reply<typeof C.VFS_LSEEK> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const f = st.filp[fi]!;
  const v = st.vnode[f.vnode]!;
  if (v.pipe >= 0 || S_ISFIFO(v.mode)) return { type: -ESPIPE };
  const off = Number(m.offset);
  if (!Number.isInteger(off)) return { type: -EINVAL };
  let base: number;
  if (m.whence === SEEK_SET) base = 0;
  else if (m.whence === SEEK_CUR) base = f.pos;
  else if (m.whence === SEEK_END) base = v.size;
  else return { type: -EINVAL };
  const pos = base + off;
  if (pos < 0 || !Number.isSafeInteger(pos)) return { type: -EINVAL };
  f.pos = pos;
  return { type: pos };
}
