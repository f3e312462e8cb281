/*
 * Path lookup: VFS names the start directory (root or the working
 * directory) and MFS resolves the rest, checking search permission with
 * the caller's effective ids.
 *
 * The entry points into this file are:
 *   lookup     resolve a path to an inode (optionally taking a reference)
 *   lookupVnode  resolve a path to a vnode the caller holds (put it back with putVnode)
 *   startOf    the start inode and relative part of a path
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { ENOENT, ENAMETOOLONG } from '../../proto/errno';
import { PATH_MAX } from '../../proto/fs';
import { REQ_LOOKUP, REQ_PUTNODE } from '../../proto/calls';
import { FProc, VfsState } from './state';
import { getVnode } from './vnode';
import type { Received } from '../../proto/messages';
import type * as C from '../../proto/calls';

export interface Start { dir: number; path: string; err: number }

export function startOf(st: VfsState, fp: FProc, path: string): Start {
  if (typeof path !== 'string' || path.length === 0) return { dir: 0, path: '', err: -ENOENT };
  if (path.length > PATH_MAX) return { dir: 0, path: '', err: -ENAMETOOLONG };
  if (path[0] === '/') {
    let i = 0;
    while (i < path.length && path[i] === '/') i++;
    return { dir: st.vnode[fp.root]!.ino, path: path.slice(i), err: 0 };
  }
  return { dir: st.vnode[fp.cwd]!.ino, path, err: 0 };
}

/** REQ_LOOKUP: the reply carries ino, mode, size, uid, gid, nlinks (or a negative type). */
export function* lookup(st: VfsState, fp: FProc, path: string, nofollow: boolean, getnode: boolean): Co<Received<typeof C.REQ_LOOKUP>> {
  const s = startOf(st, fp, path);
  if (s.err < 0) return { type: s.err, source: MFS } as Received<typeof C.REQ_LOOKUP>;
  if (s.path === '') {
    // The start directory itself ("/" or "//").
    const r: Received<typeof C.REQ_LOOKUP> = yield sendrec(MFS, { type: REQ_LOOKUP, dir: s.dir, path: '.', uid: fp.euid, gid: fp.egid, nofollow: 0, getnode: getnode ? 1 : 0 });
    return r;
  }
  const r: Received<typeof C.REQ_LOOKUP> = yield sendrec(MFS, { type: REQ_LOOKUP, dir: s.dir, path: s.path, uid: fp.euid, gid: fp.egid, nofollow: nofollow ? 1 : 0, getnode: getnode ? 1 : 0 });
  return r;
}

/**
 * A vnode for the inode a path names, held until putVnode: the inode cannot
 * go away (or be reused) while a request works on it. Returns the vnode
 * slot or a negative errno.
 */
export function* lookupVnode(st: VfsState, fp: FProc, path: string, nofollow: boolean): Co<number> {
  const r = yield* lookup(st, fp, path, nofollow, true);
  if (r.type < 0) return r.type;
  const vi = getVnode(st, r);
  if (vi < 0) {
    const p: Received<typeof C.REQ_PUTNODE> = yield sendrec(MFS, { type: REQ_PUTNODE, ino: r.ino, count: 1 });
    void p;
  }
  return vi;
}
