/*
 * Inode status and the working directory: stat, lstat, fstat, chdir,
 * fchdir, getcwd.
 *
 * The entry points into this file are:
 *   do_stat, do_lstat, do_fstat, do_chdir, do_fchdir, do_getcwd
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { MFS } from '../../proto/endpoints';
import { EACCES, EINVAL, ENAMETOOLONG, ENOENT, ENOTDIR } from '../../proto/errno';
import { PATH_MAX, R_OK, STAT_FIELDS, S_ISDIR, X_OK } from '../../proto/fs';
import { REQ_GETDENTS, REQ_LOOKUP, REQ_STAT } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { PIPE_INO_BASE, VfsState } from './state';
import { lookup } from './path';
import { caller, permits } from './perm';
import { getFilpOf, getVnode, putVnode, dupVnode } from './vnode';
import type { Received, Reply, Req } from '../../proto/messages';
import type { StatCall } from '../../proto/layouts-vfs';
import type { Stat } from '../../proto/fs';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

function statReply(r: Received<typeof C.REQ_STAT>): Reply<StatCall> {
  if (r.type < 0) return { type: r.type };
  const out: { type: number } & Partial<Stat> = { type: 0 };
  for (const f of STAT_FIELDS) out[f] = r[f];
  return out as Reply<StatCall>;
}

function* statIno(ino: number): Co<Reply<StatCall>> {
  const r: Received<typeof C.REQ_STAT> = yield sendrec(MFS, { type: REQ_STAT, ino });
  return statReply(r);
}

function* statPath(ctx: Ctx, m: Req<typeof C.VFS_STAT | typeof C.VFS_LSTAT>, nofollow: boolean): Co<Reply<StatCall> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const r = yield* lookup(st, fp, m.path, nofollow, false);
  if (r.type < 0) return { type: r.type };
  return yield* statIno(r.ino);
}

export function* do_stat(ctx: Ctx, m: Req<typeof C.VFS_STAT>): Co<Reply<typeof C.VFS_STAT> | null> { return yield* statPath(ctx, m, false); }
export function* do_lstat(ctx: Ctx, m: Req<typeof C.VFS_LSTAT>): Co<Reply<typeof C.VFS_LSTAT> | null> { return yield* statPath(ctx, m, true); }

export function* do_fstat(ctx: Ctx, m: Req<typeof C.VFS_FSTAT>): Co<Reply<typeof C.VFS_FSTAT> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const v = st.vnode[st.filp[fi]!.vnode]!;
  if (v.ino >= PIPE_INO_BASE) {
    // An anonymous pipe has no inode on disk.
    return { type: 0, dev: 0, ino: v.ino, mode: v.mode, nlink: 1, uid: v.uid, gid: v.gid, size: st.pipe[v.pipe]!.len, atime: 0, mtime: 0, ctime: 0, blocks: 0 };
  }
  return yield* statIno(v.ino);
}

export function* do_chdir(ctx: Ctx, m: Req<typeof C.VFS_CHDIR>): Co<Reply<typeof C.VFS_CHDIR> | null> {
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
  yield* putVnode(st, old);
  return { type: 0 };
}

export function* do_fchdir(ctx: Ctx, m: Req<typeof C.VFS_FCHDIR>): Co<Reply<typeof C.VFS_FCHDIR> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  const vi = st.filp[fi]!.vnode;
  const v = st.vnode[vi]!;
  if (!S_ISDIR(v.mode)) return { type: -ENOTDIR };
  if (!permits(fp, v.mode, v.uid, v.gid, X_OK)) return { type: -EACCES };
  dupVnode(st, vi);
  const old = fp.cwd;
  fp.cwd = vi;
  yield* putVnode(st, old);
  return { type: 0 };
}

/** Bytes of entries asked of MFS per inline listing (MFS's limit for data in a reply). */
const DENTS_CHUNK = 256;
/** A packed entry: [ino u32 LE][name length u8][name bytes]. */
const DENT_HEAD = 5;

const decoder = new TextDecoder();

function isDotName(d: string, at: number, n: number): boolean {
  return (n === 1 && d[at] === '.') || (n === 2 && d[at] === '.' && d[at + 1] === '.');
}

/** Name bytes carried as a latin1 string, decoded as the UTF-8 they are on disk. */
function entryName(d: string, at: number, n: number): string {
  const b = new Uint8Array(n);
  for (let k = 0; k < n; k++) b[k] = d.charCodeAt(at + k);
  return decoder.decode(b);
}

/**
 * The name under which directory `parent` lists inode `child`, reading the
 * parent's entries from MFS a chunk at a time; -ENOENT when it lists none.
 */
function* nameIn(parent: number, child: number): Co<string | number> {
  let pos = 0;
  for (;;) {
    const r: Received<typeof C.REQ_GETDENTS> = yield sendrec(MFS, { type: REQ_GETDENTS, ino: parent, pos, nbytes: DENTS_CHUNK, grant: -1, inline: 1 });
    if (r.type < 0) return r.type;
    if (r.type === 0) return -ENOENT;
    const d = String(r.data ?? '');
    if (d.length !== r.type) panic('vfs', `MFS listed ${r.type} bytes but sent ${d.length}`);
    let i = 0;
    while (i < d.length) {
      if (i + DENT_HEAD > d.length) panic('vfs', 'MFS sent a torn directory entry');
      const ino = (d.charCodeAt(i) | (d.charCodeAt(i + 1) << 8) | (d.charCodeAt(i + 2) << 16) | (d.charCodeAt(i + 3) << 24)) >>> 0;
      const n = d.charCodeAt(i + 4);
      if (i + DENT_HEAD + n > d.length) panic('vfs', 'MFS sent a torn directory entry');
      if (ino === child && !isDotName(d, i + DENT_HEAD, n)) return entryName(d, i + DENT_HEAD, n);
      i += DENT_HEAD + n;
    }
    if (!Number.isInteger(r.pos) || r.pos <= pos) panic('vfs', `getdents of ${parent} did not advance from ${pos}`);
    pos = r.pos;
  }
}

/** A directory that vanished under the walk (MFS no longer knows the inode) is a removed one. */
function vanished(err: number): number {
  return err === -EINVAL ? -ENOENT : err;
}

/**
 * As MINIX's libc getcwd, but inside VFS: from the working directory go up
 * through ".." and find each directory's name in its parent's entries,
 * until the process's root. The real directory is named whatever way the
 * process reached it (fchdir, symlinks). No references are taken: a
 * directory moved or removed meanwhile gives ENOENT or a path that was
 * true a moment ago, as with the libc walk. Each level adds at least two
 * characters, so the PATH_MAX check also bounds the walk.
 */
export function* do_getcwd(ctx: Ctx, m: Req<typeof C.VFS_GETCWD>): Co<Reply<typeof C.VFS_GETCWD> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const root = st.vnode[fp.root]!.ino;
  let cur = st.vnode[fp.cwd]!.ino;
  let path = '';
  while (cur !== root) {
    const r: Received<typeof C.REQ_LOOKUP> = yield sendrec(MFS, { type: REQ_LOOKUP, dir: cur, path: '..', uid: fp.euid, gid: fp.egid, nofollow: 0, getnode: 0 });
    if (r.type < 0) return { type: vanished(r.type) };
    // Only the file system's root is its own parent.
    if (r.ino === cur) break;
    if (!S_ISDIR(r.mode)) panic('vfs', `".." of ${cur} is not a directory`);
    if (!permits(fp, r.mode, r.uid, r.gid, R_OK | X_OK)) return { type: -EACCES };
    const name = yield* nameIn(r.ino, cur);
    if (typeof name === 'number') return { type: vanished(name) };
    path = '/' + name + path;
    if (path.length > PATH_MAX) return { type: -ENAMETOOLONG };
    cur = r.ino;
  }
  return { type: 0, path: path.length > 0 ? path : '/' };
}
