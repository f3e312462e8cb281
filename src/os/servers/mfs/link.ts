/*
 * Removing names and adding hard links; reading symlinks (MINIX's link.c).
 *
 * The entry points into this file are:
 *   do_unlink   REQ_UNLINK: remove a non-directory name
 *   do_rmdir    REQ_RMDIR:  remove an empty directory
 *   do_link     REQ_LINK:   a second name for an existing file
 *   do_rdlink   REQ_RDLINK: a symlink's target
 *   entryPos(st, parent, name)             where a just-resolved name sits in its directory
 *   removeDir(st, parent, pos, ino, now)   the unlinking of a directory (also used by rename)
 */
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { EACCES, EBUSY, EINVAL, EMLINK, ENOENT, ENOTDIR, ENOTEMPTY, EPERM } from '../../proto/errno';
import { S_ISDIR, S_ISLNK } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { LINK_MAX, ROOT_INO } from './const';
import { addEntry, dirIsEmpty, findEntry, nameBytes, removeEntry } from './dir';
import { dropLink, inoFields, nowSecs, releaseIfDead, truncateData } from './inode';
import { checkNew } from './open';
import { creds, linkTarget, mayModifyDir, stickyDenies, walk } from './path';
import { MfsState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

/** The position of `name` in `parent`, which the caller just resolved. */
export function entryPos(st: MfsState, parent: number, name: string): number {
  const pos = findEntry(st, parent, nameBytes(name));
  if (pos < 0) panic('mfs', `entry "${name}" vanished from directory ${parent}`);
  return pos;
}

/** Drop a directory's entry and its "." and ".."; its inode lives on while VFS holds it. */
export function removeDir(st: MfsState, parent: number, pos: number, ino: number, now: number): void {
  const ip = st.inodes[ino]!;
  if (ip.nlinks < 2) panic('mfs', `directory ${ino} has nlinks ${ip.nlinks}`);
  removeEntry(st, parent, pos, now);
  st.inodes[parent]!.nlinks--;
  if (st.inodes[parent]!.nlinks < 2) panic('mfs', `directory ${parent} lost its own links`);
  truncateData(st, ip, 0);
  ip.nlinks = 0;
  ip.ctime = now;
  releaseIfDead(st, ino);
}

export function* do_unlink(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_UNLINK>): Co<Reply<typeof C.REQ_UNLINK> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const w = walk(st, m.dir, m.path, uid, gid, false, true);
  if (typeof w === 'number') return { type: w };
  if (w.ino === 0) return { type: -ENOENT };
  const ip = st.inodes[w.ino]!;
  if (S_ISDIR(ip.mode)) return { type: -EPERM };
  // "name/" is a directory or nothing: a file, or a symlink even to a directory, is not removed through it.
  if (w.slash) return { type: -ENOTDIR };
  const dip = st.inodes[w.parent]!;
  if (!mayModifyDir(dip, uid, gid)) return { type: -EACCES };
  if (stickyDenies(dip, ip, uid)) return { type: -EPERM };
  const now = nowSecs(ctx);
  removeEntry(st, w.parent, entryPos(st, w.parent, w.name), now);
  dropLink(st, w.ino, now);
  return { type: 0 };
}

export function* do_rmdir(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_RMDIR>): Co<Reply<typeof C.REQ_RMDIR> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const w = walk(st, m.dir, m.path, uid, gid, false, true);
  if (typeof w === 'number') return { type: w };
  if (w.ino === 0) return { type: -ENOENT };
  if (w.ino === ROOT_INO) return { type: -EBUSY };
  if (w.name === '.') return { type: -EINVAL };
  if (w.name === '..') return { type: -ENOTEMPTY };
  const ip = st.inodes[w.ino]!;
  if (!S_ISDIR(ip.mode)) return { type: -ENOTDIR };
  const dip = st.inodes[w.parent]!;
  if (!mayModifyDir(dip, uid, gid)) return { type: -EACCES };
  if (stickyDenies(dip, ip, uid)) return { type: -EPERM };
  if (!dirIsEmpty(st, w.ino)) return { type: -ENOTEMPTY };
  removeDir(st, w.parent, entryPos(st, w.parent, w.name), w.ino, nowSecs(ctx));
  return { type: 0 };
}

export function* do_link(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_LINK>): Co<Reply<typeof C.REQ_LINK> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const s = walk(st, m.dir, m.path, uid, gid, false);
  if (typeof s === 'number') return { type: s };
  if (s.ino === 0) return { type: -ENOENT };
  const ip = st.inodes[s.ino]!;
  if (S_ISDIR(ip.mode)) return { type: -EPERM };
  const t = walk(st, m.dir2, m.path2, uid, gid, false, true);
  if (typeof t === 'number') return { type: t };
  // A hard link is never a directory, so "name/" cannot be made (ENOENT, as Linux).
  if (t.slash && t.ino === 0) return { type: -ENOENT };
  const err = checkNew(st, t, uid, gid, 0, false);
  if (err < 0) return { type: err };
  if (ip.nlinks >= LINK_MAX) return { type: -EMLINK };
  const now = nowSecs(ctx);
  addEntry(st, t.parent, nameBytes(t.name), s.ino, now);
  ip.nlinks++;
  ip.ctime = now;
  return { type: 0, ...inoFields(s.ino, ip) };
}

export function* do_rdlink(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_RDLINK>): Co<Reply<typeof C.REQ_RDLINK> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const w = walk(st, m.dir, m.path, uid, gid, false);
  if (typeof w === 'number') return { type: w };
  if (w.ino === 0) return { type: -ENOENT };
  const ip = st.inodes[w.ino]!;
  if (!S_ISLNK(ip.mode)) return { type: -EINVAL };
  return { type: ip.size, target: linkTarget(st, ip) };
}
