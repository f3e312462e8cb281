/*
 * Path resolution and permission checks (MINIX's path.c and protect.c's
 * forbidden). Paths are relative to a start directory; symlinks in the
 * middle of a path (and, when asked, in the last component) are followed.
 *
 * The entry points into this file are:
 *   permits(ip, uid, gid, want)       whether R/W/X access is allowed
 *   stickyDenies(dip, ip, uid)        the sticky-directory rule for removals
 *   walk(st, dir, path, uid, gid, followLast, asIs)   resolve to (parent, name, ino)
 *   linkTarget(st, ip)                a symlink's target text
 *   creds(m)                          the caller's uid and gid from a request
 */
import type { Req } from '../../proto/messages';
import type * as C from '../../proto/calls';
import { EACCES, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR } from '../../proto/errno';
import { NAME_MAX, PATH_MAX, SYMLOOP_MAX, S_ISDIR, S_ISLNK, S_ISVTX, W_OK, X_OK } from '../../proto/fs';
import { ROOT_INO } from './const';
import { nameLength, searchDirName } from './dir';
import { liveInode, readData } from './inode';
import { Inode, MfsState } from './state';

const decoder = new TextDecoder();
const DOTDOT = '..';

/** Owner bits if the uid matches, else group bits, else other bits; root passes R/W, and X when some x bit is set or on a directory. */
export function permits(ip: Inode, uid: number, gid: number, want: number): boolean {
  if (uid === 0) {
    if ((want & X_OK) !== 0 && !S_ISDIR(ip.mode) && (ip.mode & 0o111) === 0) return false;
    return true;
  }
  let bits: number;
  if (uid === ip.uid) bits = (ip.mode >> 6) & 7;
  else if (gid === ip.gid) bits = (ip.mode >> 3) & 7;
  else bits = ip.mode & 7;
  return (bits & want) === want;
}

/** W+X on a parent directory: needed to add or remove its entries. */
export function mayModifyDir(dip: Inode, uid: number, gid: number): boolean {
  return permits(dip, uid, gid, W_OK | X_OK);
}

export function creds(m: Pick<Req<typeof C.REQ_LOOKUP>, 'uid' | 'gid'>): { uid: number; gid: number } {
  return { uid: Number(m.uid) | 0, gid: Number(m.gid) | 0 };
}

export function stickyDenies(dip: Inode, ip: Inode, uid: number): boolean {
  return (dip.mode & S_ISVTX) !== 0 && uid !== 0 && uid !== ip.uid && uid !== dip.uid;
}

export function linkTarget(st: MfsState, ip: Inode): string {
  return decoder.decode(readData(st, ip, 0, ip.size));
}

/** Non-empty components; a negated errno when the path or a component is too long. */
function components(path: string): string[] | number {
  if (path.length > PATH_MAX) return -ENAMETOOLONG;
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (c === '') continue;
    if (nameLength(c) > NAME_MAX) return -ENAMETOOLONG;
    out.push(c);
  }
  return out;
}

export interface Walk {
  /** The directory holding the last component. */
  parent: number;
  /** The last component ("." when the path names the start directory itself). */
  name: string;
  /** Its inode, or 0 when the last component does not exist. */
  ino: number;
  /** The path ended in "/": only a directory may be found or made there. */
  slash: boolean;
}

/**
 * `asIs`: the call makes, removes or renames the last component itself, so
 * a trailing slash neither follows it nor demands a directory there: the
 * caller decides from `slash` (as Linux does, and MINIX, which drops the
 * slash). Only `followLast` says whether a symlink there is followed.
 */
export function walk(st: MfsState, dir: number, path: string, uid: number, gid: number, followLast: boolean, asIs = false): Walk | number {
  if (typeof path !== 'string') return -EINVAL;
  const start = liveInode(st, dir);
  if (!start) return -EINVAL;
  if (!S_ISDIR(start.mode)) return -ENOTDIR;
  let comps = components(path);
  if (typeof comps === 'number') return comps;
  // A trailing slash demands a directory: a symlink there is followed, anything else is ENOTDIR (POSIX), unless asIs.
  const mustBeDir = comps.length > 0 && path[path.length - 1] === '/';
  const checkDir = mustBeDir && !asIs;
  if (checkDir) followLast = true;
  let cur = dir;
  let links = 0;
  let i = 0;
  while (i < comps.length) {
    const c = comps[i]!;
    const last = i === comps.length - 1;
    const dip = st.inodes[cur]!;
    if (!S_ISDIR(dip.mode)) return -ENOTDIR;
    if (!permits(dip, uid, gid, X_OK)) return -EACCES;
    let child: number;
    if (c === '.') child = cur;
    else if (c === '..') child = cur === ROOT_INO ? ROOT_INO : searchDirName(st, cur, DOTDOT);
    else child = searchDirName(st, cur, c);
    if (child === 0) return last ? { parent: cur, name: c, ino: 0, slash: mustBeDir } : -ENOENT;
    const ip = st.inodes[child]!;
    if (S_ISLNK(ip.mode) && (!last || followLast)) {
      if (++links > SYMLOOP_MAX) return -ELOOP;
      const target = linkTarget(st, ip);
      if (target.length === 0) return -ENOENT;
      const rest = components(target);
      if (typeof rest === 'number') return rest;
      if (target[0] === '/') cur = ROOT_INO;
      comps = rest.concat(comps.slice(i + 1));
      i = 0;
      continue;
    }
    if (last) {
      if (checkDir && !S_ISDIR(ip.mode)) return -ENOTDIR;
      return { parent: cur, name: c, ino: child, slash: mustBeDir };
    }
    cur = child;
    i++;
  }
  return { parent: cur, name: '.', ino: cur, slash: mustBeDir };
}
