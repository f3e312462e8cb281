/*
 * Finds the objects of the self-test's fixture world (fixture.ts) in the
 * data sections, so each plant can name the one record it changes.
 *
 * The entry points into this file are:
 *   Objects          the fixture's objects: slots, vnodes, inodes, frames, DS entries
 *   locate(world)    find them (throws if the fixture did not leave them)
 */
import type { World } from '../../os/world';
import { F_FREE } from '../../os/kernel/proc';
import { FIRST_USER_SLOT, NR_SLOTS } from '../../os/proto/endpoints';
import { PIPE_INO_BASE } from '../../os/servers/vfs/state';
import { S_ISFIFO, S_ISREG } from '../../os/proto/fs';
import { IN_USE, ZOMBIE } from '../../os/servers/pm/state';
import { ROOT_INO } from '../../os/servers/mfs/const';
import { readView, View } from './view';
import { lookupName } from './fsck';
import { FIXTURE_DIR, FIXTURE_UID } from './fixture';

export interface Objects {
  v: View;
  /** The session leader (uid FIXTURE_UID, paused in PM) and its child (suspended reading the pipe). */
  leader: number;
  reader: number;
  /** A user slot nobody uses, in the kernel and in every server. */
  freeSlot: number;
  /** Vnodes: the linked file, the pipe the reader waits on, the FIFO. */
  fileVnode: number;
  pipeVnode: number;
  fifoVnode: number;
  /** The filp of the leader's descriptor on the linked file, and a descriptor number the leader does not use. */
  fileFilp: number;
  freeFd: number;
  /** MFS inodes: the fixture's directory, its subdirectory, the linked file. */
  dirIno: number;
  subIno: number;
  fileIno: number;
  /** A frame the reader maps, and the page it maps it at. */
  readerFrame: number;
  readerPage: number;
  dsKey: number;
  dsSub: number;
}

function find(what: string, n: number): number {
  if (n < 0) throw new Error(`oracle self-test: the fixture left no ${what}`);
  return n;
}

export function locate(world: World): Objects {
  const v = readView(world);
  const mp = v.pm.mproc;
  const live = (s: number) => (mp[s]!.flags & IN_USE) !== 0 && !(mp[s]!.flags & ZOMBIE);
  let leader = -1;
  let reader = -1;
  let freeSlot = -1;
  for (let s = FIRST_USER_SLOT; s < NR_SLOTS; s++) {
    if (live(s) && mp[s]!.euid === FIXTURE_UID && mp[s]!.sid === mp[s]!.pid) leader = s;
    if (freeSlot < 0 && !(mp[s]!.flags & IN_USE) && v.procs[s]!.flags & F_FREE && !v.vm.vmproc[s]!.inUse && !v.vfs.fproc[s]!.inUse) freeSlot = s;
  }
  find('session leader', leader);
  for (let s = FIRST_USER_SLOT; s < NR_SLOTS; s++) if (live(s) && mp[s]!.parent === leader) reader = s;
  find('pipe reader', reader);
  find('free slot', freeSlot);
  const { vfs, mfs } = v;
  const dirIno = find('directory', lookupName(mfs, ROOT_INO, 'tmp') > 0 ? lookupName(mfs, lookupName(mfs, ROOT_INO, 'tmp'), FIXTURE_DIR) || -1 : -1);
  const subIno = find('subdirectory', lookupName(mfs, dirIno, 'sub') || -1);
  const fileIno = find('linked file', lookupName(mfs, dirIno, 'file') || -1);
  const lp = vfs.fproc[leader]!;
  let fileVnode = -1;
  let fileFilp = -1;
  let fifoVnode = -1;
  let freeFd = -1;
  for (let fd = 0; fd < lp.fd.length; fd++) {
    const fi = lp.fd[fd]!;
    if (fi < 0) { if (freeFd < 0) freeFd = fd; continue; }
    const vi = vfs.filp[fi]!.vnode;
    const x = vfs.vnode[vi]!;
    if (S_ISREG(x.mode) && x.ino === fileIno) { fileVnode = vi; fileFilp = fi; }
    if (S_ISFIFO(x.mode) && x.ino < PIPE_INO_BASE) fifoVnode = vi;
  }
  const pipeVnode = vfs.fproc[reader]!.blkVnode;
  const pt = v.procs[reader]!.pt;
  let readerPage = -1;
  for (let pg = 0; pg < pt.length && readerPage < 0; pg++) if (pt[pg]! >= 0) readerPage = pg;
  const ep = mp[leader]!.endpoint;
  return {
    v, leader, reader, freeSlot, dirIno, subIno, fileIno,
    fileVnode: find('open file', fileVnode), fileFilp, fifoVnode: find('open FIFO', fifoVnode), freeFd: find('free descriptor', freeFd),
    pipeVnode: find('suspended pipe read', pipeVnode),
    readerPage: find('mapped page', readerPage), readerFrame: pt[readerPage]!,
    dsKey: find('DS key', v.ds.keys.findIndex((e) => e.inUse && e.owner === ep)),
    dsSub: find('DS subscription', v.ds.subs.findIndex((s) => s.inUse && s.owner === ep)),
  };
}
