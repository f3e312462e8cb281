/*
 * Looking up and creating names: files, directories, FIFOs and symlinks
 * (MINIX's open.c and path.c's lookup side).
 *
 * The entry points into this file are:
 *   do_lookup   REQ_LOOKUP: resolve a path to an inode
 *   do_create   REQ_CREATE: open-or-create a regular file
 *   do_mkdir    REQ_MKDIR:  make a directory with "." and ".."
 *   do_mknod    REQ_MKNOD:  make a FIFO (or an empty regular file)
 *   do_slink    REQ_SLINK:  make a symbolic link
 *   checkNew / makeNode / makeDir   the shared creation steps (also used by mkfs)
 */
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { EEXIST, EINVAL, EISDIR, EMLINK, ENAMETOOLONG, ENOENT, ENOSPC, EACCES } from '../../proto/errno';
import { PATH_MAX, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_ISDIR } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { allocInode } from './alloc';
import { LINK_MAX } from './const';
import { addEntry, entryBlocksNeeded, nameBytes } from './dir';
import { inoFields, nowSecs, writeData } from './inode';
import { creds, mayModifyDir, walk, Walk } from './path';
import { MfsState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

/**
 * Whether a new name can be entered where `w` points, with `extra` blocks
 * for the new inode's data; a hard link needs no new inode.
 */
export function checkNew(st: MfsState, w: Walk, uid: number, gid: number, extra: number, newInode = true): number {
  if (w.ino !== 0) return -EEXIST;
  if (w.name === '.' || w.name === '..') return -ENOENT;
  const dip = st.inodes[w.parent]!;
  // A removed directory (still held by VFS) accepts no new entries.
  if (dip.nlinks === 0) return -ENOENT;
  if (!mayModifyDir(dip, uid, gid)) return -EACCES;
  const need = entryBlocksNeeded(st, w.parent);
  if (need < 0) return -ENOSPC;
  if (newInode && st.freeInodes <= 0) return -ENOSPC;
  if (st.freeBlocks < need + extra) return -ENOSPC;
  return 0;
}

/** Allocate an inode with one link and enter it in the parent: every check already passed. */
export function makeNode(st: MfsState, parent: number, name: Uint8Array, mode: number, uid: number, gid: number, now: number): number {
  const ino = allocInode(st, mode, uid, gid, now);
  if (ino === 0) panic('mfs', 'no free inode after the check');
  st.inodes[ino]!.nlinks = 1;
  addEntry(st, parent, name, ino, now);
  return ino;
}

export function makeDir(st: MfsState, parent: number, name: Uint8Array, perm: number, uid: number, gid: number, now: number): number {
  const ino = makeNode(st, parent, name, S_IFDIR | (perm & 0o7777), uid, gid, now);
  addEntry(st, ino, nameBytes('.'), ino, now);
  addEntry(st, ino, nameBytes('..'), parent, now);
  st.inodes[ino]!.nlinks = 2;
  st.inodes[parent]!.nlinks++;
  return ino;
}

export function* do_lookup(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_LOOKUP>): Co<Reply<typeof C.REQ_LOOKUP> | null> {
  const { uid, gid } = creds(m);
  const w = walk(ctx.st, m.dir, m.path, uid, gid, !m.nofollow);
  if (typeof w === 'number') return { type: w };
  if (w.ino === 0) return { type: -ENOENT };
  const ip = ctx.st.inodes[w.ino]!;
  if (m.getnode) ip.count++;
  return { type: 0, ...inoFields(w.ino, ip) };
}

export function* do_create(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_CREATE>): Co<Reply<typeof C.REQ_CREATE> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  // O_EXCL never follows a symlink in the last component (POSIX).
  const w = walk(st, m.dir, m.path, uid, gid, !m.excl, true);
  if (typeof w === 'number') return { type: w };
  // "name/" can only ever be a directory: open(O_CREAT) will not make or open a file of it (EISDIR, as Linux).
  if (w.slash) return { type: -EISDIR };
  if (w.ino !== 0) {
    if (m.excl) return { type: -EEXIST };
    const ip = st.inodes[w.ino]!;
    if (S_ISDIR(ip.mode)) return { type: -EISDIR };
    if (m.getnode) ip.count++;
    return { type: 0, ...inoFields(w.ino, ip), created: 0 };
  }
  const err = checkNew(st, w, uid, gid, 0);
  if (err < 0) return { type: err };
  const ino = makeNode(st, w.parent, nameBytes(w.name), S_IFREG | (m.mode & 0o7777), uid, gid, nowSecs(ctx));
  if (m.getnode) st.inodes[ino]!.count++;
  return { type: 0, ...inoFields(ino, st.inodes[ino]!), created: 1 };
}

export function* do_mkdir(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_MKDIR>): Co<Reply<typeof C.REQ_MKDIR> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const w = walk(st, m.dir, m.path, uid, gid, false, true);
  if (typeof w === 'number') return { type: w };
  const err = checkNew(st, w, uid, gid, 1);
  if (err < 0) return { type: err };
  if (st.inodes[w.parent]!.nlinks >= LINK_MAX) return { type: -EMLINK };
  const ino = makeDir(st, w.parent, nameBytes(w.name), m.mode, uid, gid, nowSecs(ctx));
  return { type: 0, ...inoFields(ino, st.inodes[ino]!) };
}

export function* do_mknod(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_MKNOD>): Co<Reply<typeof C.REQ_MKNOD> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const type = m.mode & S_IFMT;
  if (type !== S_IFIFO && type !== S_IFREG) return { type: -EINVAL };
  const w = walk(st, m.dir, m.path, uid, gid, false, true);
  if (typeof w === 'number') return { type: w };
  // "name/" names a directory: no other kind of file is made there (ENOENT, as Linux).
  if (w.slash && w.ino === 0) return { type: -ENOENT };
  const err = checkNew(st, w, uid, gid, 0);
  if (err < 0) return { type: err };
  const ino = makeNode(st, w.parent, nameBytes(w.name), type | (m.mode & 0o7777), uid, gid, nowSecs(ctx));
  if (m.getnode) st.inodes[ino]!.count++;
  return { type: 0, ...inoFields(ino, st.inodes[ino]!) };
}

export function* do_slink(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_SLINK>): Co<Reply<typeof C.REQ_SLINK> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  if (typeof m.target !== 'string') return { type: -EINVAL };
  const target = nameBytes(m.target);
  if (target.length === 0) return { type: -ENOENT };
  if (target.length > PATH_MAX) return { type: -ENAMETOOLONG };
  const w = walk(st, m.dir, m.path, uid, gid, false, true);
  if (typeof w === 'number') return { type: w };
  if (w.slash && w.ino === 0) return { type: -ENOENT };
  const err = checkNew(st, w, uid, gid, 1);
  if (err < 0) return { type: err };
  const ino = makeNode(st, w.parent, nameBytes(w.name), S_IFLNK | 0o777, uid, gid, nowSecs(ctx));
  if (writeData(st, st.inodes[ino]!, 0, target, target.length) !== target.length) panic('mfs', 'symlink target did not fit');
  return { type: 0, ...inoFields(ino, st.inodes[ino]!) };
}
