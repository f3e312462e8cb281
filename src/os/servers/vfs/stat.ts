/*
 * Inode status and the working directory: stat, lstat, fstat, chdir,
 * fchdir, getcwd.
 *
 * The entry points into this file are:
 *   do_stat, do_lstat, do_fstat, do_chdir, do_fchdir, do_getcwd
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co, Msg, Outgoing } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { EACCES, ENOTDIR } from '../../proto/errno';
import { STAT_FIELDS, S_ISDIR, X_OK } from '../../proto/fs';
import { REQ_STAT } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { PIPE_INO_BASE, VfsState } from './state';
import { lookup, normalize } from './path';
import { caller, permits } from './perm';
import { getFilpOf, getVnode, putVnode, dupVnode } from './vnode';

type Ctx = ServerCtx<VfsState>;

function statReply(r: Msg): Outgoing {
  if (r.type < 0) return { type: r.type };
  const out: Outgoing = { type: 0 };
  for (const f of STAT_FIELDS) out[f] = r[f];
  return out;
}

function* statIno(ino: number): Co<Outgoing> {
  const r: Msg = yield sendrec(MFS, { type: REQ_STAT, ino });
  return statReply(r);
}

function* statPath(ctx: Ctx, m: Msg, nofollow: boolean): Co<Outgoing | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const r = yield* lookup(st, fp, m.path, nofollow, false);
  if (r.type < 0) return { type: r.type };
  return yield* statIno(r.ino);
}

export function* do_stat(ctx: Ctx, m: Msg): Co<Outgoing | null> { return yield* statPath(ctx, m, false); }
export function* do_lstat(ctx: Ctx, m: Msg): Co<Outgoing | null> { return yield* statPath(ctx, m, true); }

export function* do_fstat(ctx: Ctx, m: Msg): Co<Outgoing | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const v = st.vnode[st.filp[fi].vnode];
  if (v.ino >= PIPE_INO_BASE) {
    // An anonymous pipe has no inode on disk.
    return { type: 0, dev: 0, ino: v.ino, mode: v.mode, nlink: 1, uid: v.uid, gid: v.gid, size: st.pipe[v.pipe].len, atime: 0, mtime: 0, ctime: 0, blocks: 0 };
  }
  return yield* statIno(v.ino);
}

export function* do_chdir(ctx: Ctx, m: Msg): Co<Outgoing | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const r = yield* lookup(st, fp, m.path, false, true);
  if (r.type < 0) return { type: r.type };
  const vi = getVnode(st, r);
  if (vi < 0) return { type: vi };
  if (!S_ISDIR(r.mode) || !permits(fp, r.mode, r.uid, r.gid, X_OK)) {
    yield* putVnode(st, vi);
    return { type: S_ISDIR(r.mode) ? -EACCES : -ENOTDIR };
  }
  const old = fp.cwd;
  fp.cwd = vi;
  fp.cwdPath = normalize(fp.cwdPath, m.path);
  yield* putVnode(st, old);
  return { type: 0 };
}

export function* do_fchdir(ctx: Ctx, m: Msg): Co<Outgoing | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const vi = st.filp[fi].vnode;
  const v = st.vnode[vi];
  if (!S_ISDIR(v.mode)) return { type: -ENOTDIR };
  if (!permits(fp, v.mode, v.uid, v.gid, X_OK)) return { type: -EACCES };
  dupVnode(st, vi);
  const old = fp.cwd;
  fp.cwd = vi;
  // The name of a directory reached by descriptor is not known: getcwd keeps the last one.
  yield* putVnode(st, old);
  return { type: 0 };
}

export function* do_getcwd(ctx: Ctx, m: Msg): Co<Outgoing | null> {
  const fp = caller(ctx.st, m.source);
  return { type: 0, path: fp.cwdPath };
}
