/*
 * rename(): moving a name, possibly over an existing one, possibly a
 * directory to a new parent (MINIX's link.c do_rename). All checks come
 * before the first change.
 *
 * The entry points into this file are:
 *   do_rename   REQ_RENAME: POSIX rename
 */
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { EACCES, EBUSY, EINVAL, EISDIR, EMLINK, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, EPERM } from '../../proto/errno';
import { S_ISDIR, W_OK } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { LINK_MAX, NR_INODES, ROOT_INO } from './const';
import { addEntry, dirIsEmpty, entryBlocksNeeded, findEntry, nameBytes, removeEntry, searchDir, setEntryIno } from './dir';
import { dropLink, nowSecs } from './inode';
import { entryPos, removeDir } from './link';
import { creds, mayModifyDir, permits, stickyDenies, walk, Walk } from './path';
import { MfsState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

const DOTDOT = '..';

/** Whether directory `d` is `anc` or lies below it, following ".." up to the root. */
function inSubtree(st: MfsState, anc: number, d: number): boolean {
  for (let steps = 0; steps < NR_INODES; steps++) {
    if (d === anc) return true;
    if (d === ROOT_INO || d === 0) return false;
    d = searchDir(st, d, nameBytes(DOTDOT));
  }
  return panic('mfs', 'cycle in the directory tree');
}

/** The errno refusing this rename, or 0; `s` and `t` are resolved source and target. */
function checkRename(st: MfsState, s: Walk, t: Walk, uid: number, gid: number): number {
  if (s.ino === 0) return -ENOENT;
  // "name/" only ever names a directory: a file (or a symlink) is not moved from or to it.
  if ((s.slash || t.slash) && !S_ISDIR(st.inodes[s.ino]!.mode)) return -ENOTDIR;
  if (s.ino === ROOT_INO || t.ino === ROOT_INO) return -EBUSY;
  if (s.name === '.' || s.name === '..' || t.name === '.' || t.name === '..') return -EINVAL;
  const sdp = st.inodes[s.parent]!;
  const tdp = st.inodes[t.parent]!;
  const sip = st.inodes[s.ino]!;
  if (!mayModifyDir(sdp, uid, gid) || !mayModifyDir(tdp, uid, gid)) return -EACCES;
  if (stickyDenies(sdp, sip, uid)) return -EPERM;
  if (t.ino !== 0 && stickyDenies(tdp, st.inodes[t.ino]!, uid)) return -EPERM;
  if (t.ino === s.ino) return 0;
  if (tdp.nlinks === 0) return -ENOENT;
  if (S_ISDIR(sip.mode)) {
    // Into its own subtree comes first, even onto a non-empty directory there (EINVAL, as Linux).
    if (inSubtree(st, s.ino, t.parent)) return -EINVAL;
    if (t.ino !== 0 && !S_ISDIR(st.inodes[t.ino]!.mode)) return -ENOTDIR;
    if (t.ino !== 0 && !dirIsEmpty(st, t.ino)) return -ENOTEMPTY;
    // Moving a directory rewrites its "..": that takes write access to it.
    if (s.parent !== t.parent && !permits(sip, uid, gid, W_OK)) return -EACCES;
    if (t.ino === 0 && s.parent !== t.parent && tdp.nlinks >= LINK_MAX) return -EMLINK;
  } else if (t.ino !== 0 && S_ISDIR(st.inodes[t.ino]!.mode)) {
    return -EISDIR;
  }
  // Within one directory the source's slot is freed first and takes the new name.
  if (t.ino === 0 && s.parent !== t.parent) {
    const need = entryBlocksNeeded(st, t.parent);
    if (need < 0 || st.freeBlocks < need) return -ENOSPC;
  }
  return 0;
}

export function* do_rename(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_RENAME>): Co<Reply<typeof C.REQ_RENAME> | null> {
  const st = ctx.st;
  const { uid, gid } = creds(m);
  const s = walk(st, m.dir, m.path, uid, gid, false, true);
  if (typeof s === 'number') return { type: s };
  const t = walk(st, m.dir2, m.path2, uid, gid, false, true);
  if (typeof t === 'number') return { type: t };
  const err = checkRename(st, s, t, uid, gid);
  if (err < 0) return { type: err };
  if (t.ino === s.ino) return { type: 0 };
  const now = nowSecs(ctx);
  const sip = st.inodes[s.ino]!;
  const isDir = S_ISDIR(sip.mode);
  if (t.ino !== 0) {
    const tpos = entryPos(st, t.parent, t.name);
    if (S_ISDIR(st.inodes[t.ino]!.mode)) {
      removeDir(st, t.parent, tpos, t.ino, now);
    } else {
      removeEntry(st, t.parent, tpos, now);
      dropLink(st, t.ino, now);
    }
  }
  removeEntry(st, s.parent, entryPos(st, s.parent, s.name), now);
  addEntry(st, t.parent, nameBytes(t.name), s.ino, now);
  sip.ctime = now;
  if (isDir && s.parent !== t.parent) {
    const dd = findEntry(st, s.ino, nameBytes(DOTDOT));
    if (dd < 0) panic('mfs', `directory ${s.ino} without ".."`);
    setEntryIno(st, s.ino, dd, t.parent, now);
    st.inodes[s.parent]!.nlinks--;
    st.inodes[t.parent]!.nlinks++;
  }
  return { type: 0 };
}
