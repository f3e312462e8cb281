/*
 * The vnode and filp tables: allocation, reference counting, and release
 * (returning MFS's references with REQ_PUTNODE).
 *
 * The entry points into this file are:
 *   getVnode / dupVnode / putVnode   vnode references
 *   allocFilp                        a new open-file table entry
 *   allocFd / getFilpOf              descriptors of a process
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { MFS } from '../../proto/endpoints';
import { EBADF, EMFILE, ENFILE } from '../../proto/errno';
import { OPEN_MAX } from '../../proto/fs';
import { REQ_PUTNODE } from '../../proto/calls';
import { FProc, NR_FILPS, NR_VNODES, VfsState } from './state';
import { releasePipe } from './pipe-buf';
import type { Received } from '../../proto/messages';
import type * as C from '../../proto/calls';

/** A vnode for inode `ino` described by an MFS reply holding one MFS reference. Returns its slot or -ENFILE. */
export function getVnode(st: VfsState, r: Received<typeof C.REQ_LOOKUP>): number {
  let free = -1;
  for (let i = 0; i < NR_VNODES; i++) {
    const v = st.vnode[i]!;
    if (v.refs > 0 && v.ino === r.ino) {
      v.refs++;
      v.fsRefs++;
      v.size = r.size; v.mode = r.mode; v.uid = r.uid; v.gid = r.gid;
      return i;
    }
    if (v.refs === 0 && free < 0) free = i;
  }
  if (free < 0) return -ENFILE;
  const v = st.vnode[free]!;
  v.refs = 1; v.fsRefs = 1; v.ino = r.ino; v.mode = r.mode; v.size = r.size; v.uid = r.uid; v.gid = r.gid;
  v.pipe = -1; v.readers = 0; v.writers = 0;
  return free;
}

export function dupVnode(st: VfsState, vi: number): void {
  const v = st.vnode[vi]!;
  if (v.refs <= 0) panic('vfs', `dup of free vnode ${vi}`);
  v.refs++;
}

/** Drop one reference; the last one returns MFS's references and frees the slot. */
export function* putVnode(st: VfsState, vi: number): Co<void> {
  const v = st.vnode[vi]!;
  if (v.refs <= 0) panic('vfs', `put of free vnode ${vi}`);
  v.refs--;
  if (v.refs > 0) return;
  const ino = v.ino;
  const fsRefs = v.fsRefs;
  if (v.pipe >= 0) releasePipe(st, v.pipe);
  v.pipe = -1; v.fsRefs = 0; v.ino = 0; v.readers = 0; v.writers = 0;
  if (fsRefs > 0) {
    const r: Received<typeof C.REQ_PUTNODE> = yield sendrec(MFS, { type: REQ_PUTNODE, ino, count: fsRefs });
    if (r.type < 0) panic('vfs', `MFS refused putnode of ${ino}: ${r.type}`);
  }
}

export function allocFilp(st: VfsState, vi: number, flags: number): number {
  for (let i = 0; i < NR_FILPS; i++) {
    const f = st.filp[i]!;
    if (f.count === 0) {
      f.count = 1; f.vnode = vi; f.pos = 0; f.flags = flags;
      return i;
    }
  }
  return -ENFILE;
}

/** Lowest free descriptor >= start, or -EMFILE. */
export function allocFd(fp: FProc, start: number): number {
  for (let i = start; i < OPEN_MAX; i++) if (fp.fd[i]! < 0) return i;
  return -EMFILE;
}

/** The filp slot behind descriptor `fd`, or -EBADF. */
export function getFilpOf(st: VfsState, fp: FProc, fd: number): number {
  if (!Number.isInteger(fd) || fd < 0 || fd >= OPEN_MAX) return -EBADF;
  const fi = fp.fd[fd]!;
  if (fi < 0) return -EBADF;
  if (st.filp[fi]!.count <= 0) panic('vfs', `fd ${fd} points at free filp ${fi}`);
  return fi;
}
