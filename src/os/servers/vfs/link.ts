/*
 * Names and lengths: unlink, rmdir, rename, link, symlink, readlink,
 * truncate and ftruncate (MINIX's link.c). MFS resolves the names and
 * checks the directories' permissions with the caller's effective ids;
 * VFS keeps its cached file sizes in step with truncation.
 *
 * The entry points into this file are:
 *   do_unlink, do_rmdir, do_rename, do_link, do_symlink, do_readlink
 *   do_truncate, do_ftruncate
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co, Msg } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { EACCES, EBADF, EINVAL, EISDIR, ENOENT } from '../../proto/errno';
import { O_ACCMODE, O_RDONLY, S_ISDIR, S_ISREG, W_OK } from '../../proto/fs';
import { REQ_FTRUNC, REQ_LINK, REQ_RDLINK, REQ_RENAME, REQ_RMDIR, REQ_SLINK, REQ_UNLINK } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { FProc, VfsState } from './state';
import { lookupVnode, startOf } from './path';
import { caller, permits } from './perm';
import { getFilpOf, putVnode } from './vnode';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

const encoder = new TextEncoder();

/** A request naming one path (relative to its start directory) with the caller's ids. */
function* onePath(fp: FProc, st: VfsState, type: typeof C.REQ_UNLINK | typeof C.REQ_RMDIR, path: string): Co<number> {
  const s = startOf(st, fp, path);
  if (s.err < 0) return s.err;
  const r: Msg = yield sendrec(MFS, { type, dir: s.dir, path: s.path, uid: fp.euid, gid: fp.egid });
  return r.type < 0 ? r.type : 0;
}

/** A request naming two paths (rename, link). */
function* twoPaths(fp: FProc, st: VfsState, type: typeof C.REQ_RENAME | typeof C.REQ_LINK, path: string, path2: string): Co<number> {
  const s = startOf(st, fp, path);
  if (s.err < 0) return s.err;
  const t = startOf(st, fp, path2);
  if (t.err < 0) return t.err;
  const r: Msg = yield sendrec(MFS, { type, dir: s.dir, path: s.path, dir2: t.dir, path2: t.path, uid: fp.euid, gid: fp.egid });
  return r.type < 0 ? r.type : 0;
}

export function* do_unlink(ctx: Ctx, m: Req<typeof C.VFS_UNLINK>): Co<Reply<typeof C.VFS_UNLINK> | null> {
  const fp = caller(ctx.st, m.source);
  return { type: yield* onePath(fp, ctx.st, REQ_UNLINK, m.path) };
}

export function* do_rmdir(ctx: Ctx, m: Req<typeof C.VFS_RMDIR>): Co<Reply<typeof C.VFS_RMDIR> | null> {
  const fp = caller(ctx.st, m.source);
  return { type: yield* onePath(fp, ctx.st, REQ_RMDIR, m.path) };
}

export function* do_rename(ctx: Ctx, m: Req<typeof C.VFS_RENAME>): Co<Reply<typeof C.VFS_RENAME> | null> {
  const fp = caller(ctx.st, m.source);
  return { type: yield* twoPaths(fp, ctx.st, REQ_RENAME, m.path, m.path2) };
}

export function* do_link(ctx: Ctx, m: Req<typeof C.VFS_LINK>): Co<Reply<typeof C.VFS_LINK> | null> {
  const fp = caller(ctx.st, m.source);
  return { type: yield* twoPaths(fp, ctx.st, REQ_LINK, m.path, m.path2) };
}

/** symlink(target, linkPath): the target is stored as given, never resolved. */
export function* do_symlink(ctx: Ctx, m: Req<typeof C.VFS_SYMLINK>): Co<Reply<typeof C.VFS_SYMLINK> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  if (typeof m.path !== 'string') return { type: -EINVAL };
  if (m.path.length === 0) return { type: -ENOENT };
  const s = startOf(st, fp, m.path2);
  if (s.err < 0) return { type: s.err };
  const r: Received<typeof C.REQ_SLINK> = yield sendrec(MFS, { type: REQ_SLINK, dir: s.dir, path: s.path, target: m.path, uid: fp.euid, gid: fp.egid });
  return { type: r.type < 0 ? r.type : 0 };
}

/** readlink(): the target's bytes (not NUL-terminated) into the caller's buffer, at most nbytes. */
export function* do_readlink(ctx: Ctx, m: Req<typeof C.VFS_READLINK>): Co<Reply<typeof C.VFS_READLINK> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const nbytes = Number(m.nbytes);
  if (!Number.isInteger(nbytes) || nbytes <= 0) return { type: -EINVAL };
  const s = startOf(st, fp, m.path);
  if (s.err < 0) return { type: s.err };
  const r: Received<typeof C.REQ_RDLINK> = yield sendrec(MFS, { type: REQ_RDLINK, dir: s.dir, path: s.path, uid: fp.euid, gid: fp.egid });
  if (r.type < 0) return { type: r.type };
  const bytes = encoder.encode(String(r.target ?? ''));
  const out = bytes.length > nbytes ? bytes.subarray(0, nbytes) : bytes;
  const c = ctx.sys.vircopyTo(fp.endpoint, m.buf, out);
  if (c < 0) return { type: c };
  return { type: out.length };
}

/** Set the length of the regular file behind vnode vi (checks done); keeps the cached size. */
function* truncVnode(st: VfsState, vi: number, length: number): Co<number> {
  const v = st.vnode[vi]!;
  const r: Received<typeof C.REQ_FTRUNC> = yield sendrec(MFS, { type: REQ_FTRUNC, ino: v.ino, length });
  if (r.type < 0) return r.type;
  v.size = length;
  return 0;
}

function validLength(length: unknown): length is number {
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}

export function* do_truncate(ctx: Ctx, m: Req<typeof C.VFS_TRUNCATE>): Co<Reply<typeof C.VFS_TRUNCATE> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  if (!validLength(m.length)) return { type: -EINVAL };
  const vi = yield* lookupVnode(st, fp, m.path, false);
  if (vi < 0) return { type: vi };
  const v = st.vnode[vi]!;
  let err = 0;
  if (S_ISDIR(v.mode)) err = -EISDIR;
  else if (!S_ISREG(v.mode)) err = -EINVAL;
  else if (!permits(fp, v.mode, v.uid, v.gid, W_OK)) err = -EACCES;
  if (err === 0) err = yield* truncVnode(st, vi, m.length);
  yield* putVnode(st, vi);
  return { type: err };
}

/** ftruncate(): the descriptor must be open for writing (EBADF otherwise, as MINIX), on a regular file. */
export function* do_ftruncate(ctx: Ctx, m: Req<typeof C.VFS_FTRUNCATE>): Co<Reply<typeof C.VFS_FTRUNCATE> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const f = st.filp[fi]!;
  if ((f.flags & O_ACCMODE) === O_RDONLY) return { type: -EBADF };
  if (!validLength(m.length)) return { type: -EINVAL };
  const v = st.vnode[f.vnode]!;
  if (v.pipe >= 0 || !S_ISREG(v.mode)) return { type: -EINVAL };
  return { type: yield* truncVnode(st, f.vnode, m.length) };
}
