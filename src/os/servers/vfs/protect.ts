/*
 * Protection: permission bits, ownership, access checks with the real
 * ids, the file-creation mask, and file times (MINIX's protect.c and
 * time.c). VFS decides who may do what; MFS changes the inode.
 *
 * The entry points into this file are:
 *   do_chmod, do_fchmod   change permission bits (owner or root)
 *   do_chown              change owner (root) or group (owner, to its own group)
 *   do_access             may the REAL ids read/write/execute a path?
 *   do_umask              set the creation mask, return the old one
 *   do_utime              set access and modification times (owner or root)
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { EACCES, EINVAL, EPERM } from '../../proto/errno';
import { ALLPERMS, F_OK, R_OK, S_IFMT, S_ISGID, W_OK, X_OK } from '../../proto/fs';
import { REQ_CHMOD, REQ_CHOWN, REQ_LOOKUP, REQ_UTIME } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { FProc, PIPE_INO_BASE, VfsState } from './state';
import { lookupVnode, startOf } from './path';
import { caller, permits } from './perm';
import { getFilpOf, putVnode } from './vnode';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

function isOwner(fp: FProc, uid: number): boolean {
  return fp.euid === 0 || fp.euid === uid;
}

/** chmod on vnode vi by fp: the owner or root; a non-member's set-group-id bit is dropped. */
function* chmodVnode(st: VfsState, fp: FProc, vi: number, mode: unknown): Co<number> {
  const v = st.vnode[vi]!;
  if (typeof mode !== 'number' || !Number.isInteger(mode)) return -EINVAL;
  if (!isOwner(fp, v.uid)) return -EPERM;
  let bits = mode & ALLPERMS;
  if (fp.euid !== 0 && v.gid !== fp.egid) bits &= ~S_ISGID;
  if (v.ino >= PIPE_INO_BASE) {
    // An anonymous pipe has no inode on disk: its mode lives in the vnode.
    v.mode = (v.mode & S_IFMT) | bits;
    return 0;
  }
  const r: Received<typeof C.REQ_CHMOD> = yield sendrec(MFS, { type: REQ_CHMOD, ino: v.ino, mode: bits });
  if (r.type < 0) return r.type;
  v.mode = typeof r.mode === 'number' ? r.mode : (v.mode & S_IFMT) | bits;
  return 0;
}

export function* do_chmod(ctx: Ctx, m: Req<typeof C.VFS_CHMOD>): Co<Reply<typeof C.VFS_CHMOD> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const vi = yield* lookupVnode(st, fp, m.path, false);
  if (vi < 0) return { type: vi };
  const r = yield* chmodVnode(st, fp, vi, m.mode);
  yield* putVnode(st, vi);
  return { type: r };
}

export function* do_fchmod(ctx: Ctx, m: Req<typeof C.VFS_FCHMOD>): Co<Reply<typeof C.VFS_FCHMOD> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  return { type: yield* chmodVnode(st, fp, st.filp[fi]!.vnode, m.mode) };
}

function validId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= -1;
}

/** The errno refusing fp's chown of vnode v to (uid, gid) (-1 keeps a value), or 0. */
function chownDenied(fp: FProc, vuid: number, vgid: number, uid: number, gid: number): number {
  if (fp.euid === 0) return 0;
  if (fp.euid !== vuid) return -EPERM;
  if (uid !== -1 && uid !== vuid) return -EPERM;
  if (gid !== -1 && gid !== vgid && gid !== fp.egid) return -EPERM;
  return 0;
}

export function* do_chown(ctx: Ctx, m: Req<typeof C.VFS_CHOWN>): Co<Reply<typeof C.VFS_CHOWN> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  if (!validId(m.uid) || !validId(m.gid)) return { type: -EINVAL };
  const vi = yield* lookupVnode(st, fp, m.path, false);
  if (vi < 0) return { type: vi };
  const v = st.vnode[vi]!;
  let err = chownDenied(fp, v.uid, v.gid, m.uid, m.gid);
  if (err === 0) {
    const r: Received<typeof C.REQ_CHOWN> = yield sendrec(MFS, { type: REQ_CHOWN, ino: v.ino, uid: m.uid, gid: m.gid });
    err = r.type < 0 ? r.type : 0;
    // MFS cleared set-user-id and set-group-id (MINIX's fs_chown): keep the cached mode in step.
    if (err === 0 && typeof r.mode === 'number') v.mode = r.mode;
  }
  if (err === 0) {
    if (m.uid !== -1) v.uid = m.uid;
    if (m.gid !== -1) v.gid = m.gid;
  }
  yield* putVnode(st, vi);
  return { type: err };
}

/** access(): the path is searched and the file checked with the real uid and gid. */
export function* do_access(ctx: Ctx, m: Req<typeof C.VFS_ACCESS>): Co<Reply<typeof C.VFS_ACCESS> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const want = m.mode;
  if (!Number.isInteger(want) || (want & ~(R_OK | W_OK | X_OK)) !== 0) return { type: -EINVAL };
  const s = startOf(st, fp, m.path);
  if (s.err < 0) return { type: s.err };
  const r: Received<typeof C.REQ_LOOKUP> = yield sendrec(MFS, { type: REQ_LOOKUP, dir: s.dir, path: s.path === '' ? '.' : s.path, uid: fp.ruid, gid: fp.rgid, nofollow: 0, getnode: 0 });
  if (r.type < 0) return { type: r.type };
  if (want === F_OK) return { type: 0 };
  return { type: permits(fp, r.mode, r.uid, r.gid, want, true) ? 0 : -EACCES };
}

export function* do_umask(ctx: Ctx, m: Req<typeof C.VFS_UMASK>): Co<Reply<typeof C.VFS_UMASK> | null> {
  const fp = caller(ctx.st, m.source);
  const old = fp.umask;
  fp.umask = Number(m.mask) & 0o777;
  return { type: old };
}

export function* do_utime(ctx: Ctx, m: Req<typeof C.VFS_UTIME>): Co<Reply<typeof C.VFS_UTIME> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  if (!Number.isInteger(m.atime) || !Number.isInteger(m.mtime) || m.atime < 0 || m.mtime < 0) return { type: -EINVAL };
  const vi = yield* lookupVnode(st, fp, m.path, false);
  if (vi < 0) return { type: vi };
  const v = st.vnode[vi]!;
  let err = isOwner(fp, v.uid) ? 0 : -EPERM;
  if (err === 0) {
    const r: Received<typeof C.REQ_UTIME> = yield sendrec(MFS, { type: REQ_UTIME, ino: v.ino, atime: m.atime, mtime: m.mtime });
    err = r.type < 0 ? r.type : 0;
  }
  yield* putVnode(st, vi);
  return { type: err };
}
