/*
 * One planted inconsistency per invariant of the oracle. Each plant changes
 * the fixture world so that exactly one thing the servers hold about each
 * other disagrees — when a disagreement takes more than one field (a ghost
 * process VFS believes in, with the references it would hold), the plant
 * writes them all, so that the rest stays consistent.
 *
 * The entry points into this file are:
 *   Plant     an invariant, what the plant does, and the change
 *   PLANTS    every plant, in the order of INVARIANTS
 */
import { DS, KERNEL, NONE, PM, VM, makeEndpoint } from '../../os/proto/endpoints';
import { SYS_ABORT } from '../../os/proto/kcalls';
import { O_RDONLY, S_IFDIR, S_IFREG } from '../../os/proto/fs';
import { SIGTERM, SIGUSR1, sigbit } from '../../os/proto/signals';
import { EXITING, SIGSUSPENDED, ZOMBIE } from '../../os/servers/pm/state';
import { BLK_NONE, ROOT_VNODE } from '../../os/servers/vfs/state';
import { RSF_CRASHED } from '../../os/servers/rs/state';
import { BLOCK_SIZE, DIRENT_SIZE, FIRST_DATA, NR_BLOCKS } from '../../os/servers/mfs/const';
import { Objects } from './locate';
import { entryOffset } from './fsck';

export interface Plant { invariant: string; what: string; apply(o: Objects): void }

function freeIndex<T>(xs: readonly T[], free: (x: T) => boolean, what: string): number {
  const i = xs.findIndex(free);
  if (i < 0) throw new Error(`oracle self-test: no free ${what}`);
  return i;
}

/** An endpoint no process has: the free slot with a generation nobody used. */
function deadEndpoint(o: Objects): number {
  return makeEndpoint(o.v.procs[o.freeSlot]!.gen + 7, o.freeSlot);
}

function freeFrame(o: Objects): number {
  return freeIndex(o.v.vm.frames, (f) => f.refs === 0, 'frame');
}

/** A free MFS inode (inode 0 is never used: an entry naming it is a free slot). */
function freeInode(o: Objects): number {
  return freeIndex(o.v.mfs.inodes.slice(1), (x) => x.mode === 0, 'inode') + 1;
}

const p = (invariant: string, what: string, apply: (o: Objects) => void): Plant => ({ invariant, what, apply });

export const PLANTS: readonly Plant[] = [
  /* processes */
  p('processes: kernel = PM', 'PM takes the pipe reader for a zombie', (o) => { o.v.pm.mproc[o.reader]!.flags |= ZOMBIE; }),
  p('processes: kernel = VM', 'VM forgets the pipe reader\'s address space', (o) => { o.v.vm.vmproc[o.reader]!.inUse = false; }),
  p('processes: kernel = VFS', 'VFS holds a process the kernel never made (with its directory references)', (o) => {
    const f = o.v.vfs.fproc[o.freeSlot]!;
    f.inUse = true; f.endpoint = deadEndpoint(o); f.pid = 29999; f.cwd = ROOT_VNODE; f.root = ROOT_VNODE;
    o.v.vfs.vnode[ROOT_VNODE]!.refs += 2;
  }),
  p('process tables: slot = endpoint', 'VM keeps the leader\'s and the reader\'s address spaces in each other\'s slots', (o) => {
    const t = o.v.vm.vmproc;
    const a = t[o.leader]!;
    t[o.leader] = t[o.reader]!;
    t[o.reader] = a;
  }),
  p('pid: PM = VFS', 'VFS has another pid for the reader', (o) => { o.v.vfs.fproc[o.reader]!.pid += 1000; }),
  p('uid: PM = VFS', 'VFS has root as the leader\'s effective uid', (o) => { o.v.vfs.fproc[o.leader]!.euid = 0; }),
  p('gid: PM = VFS', 'VFS has root as the leader\'s effective gid', (o) => { o.v.vfs.fproc[o.leader]!.egid = 0; }),
  p('PM pids unique', 'the reader gets the leader\'s pid (in PM and VFS alike)', (o) => {
    o.v.pm.mproc[o.reader]!.pid = o.v.pm.mproc[o.leader]!.pid;
    o.v.vfs.fproc[o.reader]!.pid = o.v.pm.mproc[o.leader]!.pid;
  }),
  p('PM: no process half exited', 'PM leaves the reader marked exiting', (o) => { o.v.pm.mproc[o.reader]!.flags |= EXITING; }),
  p('PM parent link', 'the reader\'s parent link names a free slot', (o) => { o.v.pm.mproc[o.reader]!.parent = o.freeSlot; }),
  p('PM process count', 'PM counts one process too many', (o) => { o.v.pm.procsInUse += 1; }),
  p('process groups and sessions', 'the reader moves to init\'s session but stays in the leader\'s group', (o) => { o.v.pm.mproc[o.reader]!.sid = 1; }),
  p('suspended in PM = waiting for PM', 'PM forgets that the leader is paused', (o) => { o.v.pm.mproc[o.leader]!.flags &= ~SIGSUSPENDED; }),
  p('suspended in VFS = waiting for VFS', 'VFS forgets the reader\'s suspended read', (o) => {
    const f = o.v.vfs.fproc[o.reader]!;
    f.blocked = BLK_NONE; f.blkFd = -1; f.blkBuf = 0; f.blkNbytes = 0; f.blkDone = 0; f.blkVnode = -1;
  }),
  /* signals */
  p('no alarm for a dead process', 'PM keeps an alarm in a free slot', (o) => { o.v.pm.mproc[o.freeSlot]!.alarmAt = o.v.world.kernel.now + 5e9; }),
  p('PM kernel alarm = earliest process alarm', 'the leader\'s alarm moves, PM\'s kernel alarm does not', (o) => { o.v.pm.mproc[o.leader]!.alarmAt += 1e9; }),
  p('PM kernel alarm = kernel', 'the kernel loses PM\'s alarm', (o) => { o.v.procs[PM]!.alarmAt = -1; }),
  p('RS heartbeat = kernel alarm', 'RS believes in another heartbeat time', (o) => { o.v.rs.heartbeatAt += 1; }),
  p('nothing pending for a free slot', 'the kernel holds a signal for a free slot', (o) => { o.v.procs[o.freeSlot]!.ksigs = sigbit(SIGTERM); }),
  p('kernel signals reach PM', 'a signal the kernel raised for the reader never reaches PM', (o) => { o.v.procs[o.reader]!.ksigs = sigbit(SIGTERM); }),
  p('pending signals are blocked ones', 'the leader\'s pending SIGUSR1 is unblocked without being delivered', (o) => {
    const m = o.v.pm.mproc[o.leader]!;
    if (!(m.sigPending & sigbit(SIGUSR1))) throw new Error('oracle self-test: the leader has no pending SIGUSR1');
    m.sigMask = (m.sigMask & ~sigbit(SIGUSR1)) >>> 0;
  }),
  /* memory */
  p('VM page table = kernel page table', 'VM maps one of the reader\'s pages to another frame than the kernel', (o) => {
    o.v.vm.vmproc[o.reader]!.pageFrame[o.readerPage] = freeFrame(o);
  }),
  p('frame refs = mappings', 'VM counts two references to a frame mapped once', (o) => { o.v.vm.frames[o.readerFrame]!.refs = 2; }),
  p('frame owner = mapping process', 'VM names the leader as the owner of a frame the reader maps', (o) => { o.v.vm.frames[o.readerFrame]!.owner = o.leader; }),
  p('frames in use = frames mapped', 'VM takes a frame for the reader that no page maps', (o) => {
    const f = o.v.vm.frames[freeFrame(o)]!;
    f.refs = 1; f.owner = o.reader; o.v.vm.freeFrames -= 1;
  }),
  p('VM free-frame count', 'VM\'s free count is one too high', (o) => { o.v.vm.freeFrames += 1; }),
  p('VM regions = page table', 'the reader\'s stack region shrinks by a page that stays mapped', (o) => {
    const r = o.v.vm.vmproc[o.reader]!.regions.find((x) => x.inUse && x.kind === 'stack');
    if (!r) throw new Error('oracle self-test: the reader has no stack region');
    r.pages -= 1;
  }),
  /* files */
  p('filp count = descriptors', 'the open file\'s filp counts a descriptor too many', (o) => { o.v.vfs.filp[o.fileFilp]!.count += 1; }),
  p('filp names a live vnode', 'a descriptor of the leader on an open filp that names no vnode', (o) => {
    const fi = freeIndex(o.v.vfs.filp, (f) => f.count === 0, 'filp');
    const f = o.v.vfs.filp[fi]!;
    f.count = 1; f.vnode = -1; f.pos = 0; f.flags = O_RDONLY;
    o.v.vfs.fproc[o.leader]!.fd[o.freeFd] = fi;
  }),
  p('vnode refs = references', 'the open file\'s vnode counts a reference too many', (o) => { o.v.vfs.vnode[o.fileVnode]!.refs += 1; }),
  p('cwd and root are directories', 'the leader\'s working directory becomes the open file (references moved along)', (o) => {
    const f = o.v.vfs.fproc[o.leader]!;
    o.v.vfs.vnode[f.cwd]!.refs -= 1;
    o.v.vfs.vnode[o.fileVnode]!.refs += 1;
    f.cwd = o.fileVnode;
  }),
  p('pipe ends = open filps', 'the pipe counts a reader too many', (o) => { o.v.vfs.vnode[o.pipeVnode]!.readers += 1; }),
  p('pipe buffers = pipes', 'a pipe buffer in use by no pipe', (o) => {
    const b = o.v.vfs.pipe[freeIndex(o.v.vfs.pipe, (x) => !x.inUse, 'pipe buffer')]!;
    b.inUse = true; b.start = 0; b.len = 0;
  }),
  p('suspended on an open pipe', 'the reader waits on the open file\'s vnode, not its pipe', (o) => { o.v.vfs.fproc[o.reader]!.blkVnode = o.fileVnode; }),
  p('one vnode per inode', 'VFS opens the linked file again under a second vnode (with its filp, descriptor and MFS reference)', (o) => {
    const vfs = o.v.vfs;
    const vi = freeIndex(vfs.vnode, (x) => x.refs === 0, 'vnode');
    const src = vfs.vnode[o.fileVnode]!;
    const x = vfs.vnode[vi]!;
    x.refs = 1; x.fsRefs = 1; x.ino = src.ino; x.mode = src.mode; x.size = src.size; x.uid = src.uid; x.gid = src.gid; x.pipe = -1; x.readers = 0; x.writers = 0;
    const fi = freeIndex(vfs.filp, (f) => f.count === 0, 'filp');
    const f = vfs.filp[fi]!;
    f.count = 1; f.vnode = vi; f.pos = 0; f.flags = O_RDONLY;
    vfs.fproc[o.leader]!.fd[o.freeFd] = fi;
    o.v.mfs.inodes[src.ino]!.count += 1;
  }),
  p('vnode names a live inode', 'VFS takes the open file for a directory', (o) => {
    const x = o.v.vfs.vnode[o.fileVnode]!;
    x.mode = S_IFDIR | (x.mode & 0o7777);
  }),
  p('MFS inode count = VFS references', 'MFS counts a VFS reference too many on the linked file', (o) => { o.v.mfs.inodes[o.fileIno]!.count += 1; }),
  /* fsck */
  p('link count = directory entries', 'the linked file\'s link count is one too high', (o) => { o.v.mfs.inodes[o.fileIno]!.nlinks += 1; }),
  p('directory . and ..', 'the subdirectory\'s ".." entry is renamed "."', (o) => {
    const off = entryOffset(o.v.mfs, o.subIno, '..');
    if (off < 0) throw new Error('oracle self-test: no ".." in the subdirectory');
    o.v.mfs.disk[off + 5] = 0;
  }),
  p('no entry names a free inode', 'the subdirectory gets an entry naming a free inode', (o) => {
    const mfs = o.v.mfs;
    const dip = mfs.inodes[o.subIno]!;
    if (dip.size + DIRENT_SIZE > BLOCK_SIZE || dip.zones[0] === 0) throw new Error('oracle self-test: the subdirectory has no room in its block');
    const free = freeInode(o);
    const off = dip.zones[0]! * BLOCK_SIZE + dip.size;
    mfs.disk[off] = free & 0xff; mfs.disk[off + 1] = (free >>> 8) & 0xff; mfs.disk[off + 2] = 0; mfs.disk[off + 3] = 0;
    mfs.disk[off + 4] = 0x67; mfs.disk[off + 5] = 0;
    dip.size += DIRENT_SIZE;
  }),
  p('inode bitmap = reachable inodes', 'MFS allocates an inode with one link that no entry names', (o) => {
    const mfs = o.v.mfs;
    const ip = mfs.inodes[freeInode(o)]!;
    ip.mode = S_IFREG | 0o644; ip.nlinks = 1;
    mfs.freeInodes -= 1;
  }),
  p('zone bitmap = blocks in use', 'MFS marks a block used that no inode uses', (o) => {
    const mfs = o.v.mfs;
    let b = FIRST_DATA;
    while (b < NR_BLOCKS && mfs.blockUsed[b] !== 0) b++;
    if (b === NR_BLOCKS) throw new Error('oracle self-test: the disk is full');
    mfs.blockUsed[b] = 1;
    mfs.freeBlocks -= 1;
  }),
  /* services */
  p('servers at rest', 'DS has a notification queued that it never received', (o) => { o.v.procs[DS]!.notifyPending = [KERNEL]; }),
  p('DS key owners are alive', 'the leader\'s DS key is owned by an endpoint that exited', (o) => { o.v.ds.keys[o.dsKey]!.owner = deadEndpoint(o); }),
  p('DS subscribers are alive', 'the leader\'s DS subscription belongs to an endpoint that exited', (o) => { o.v.ds.subs[o.dsSub]!.owner = deadEndpoint(o); }),
  p('DS counts', 'DS counts one key too many', (o) => { o.v.ds.nKeys += 1; }),
  p('RS table = kernel', 'RS lists a service whose endpoint is gone', (o) => {
    const s = o.v.rs.services[freeIndex(o.v.rs.services, (x) => !x.inUse, 'RS slot')]!;
    s.inUse = true; s.label = 'ghost'; s.endpoint = NONE; s.callMask = 0; s.flags = 1;
  }),
  p('RS table = kernel privileges', 'the kernel lets VM make a call RS did not grant', (o) => {
    const vm = o.v.procs[VM]!;
    vm.callMask = (vm.callMask ^ (1 << SYS_ABORT)) >>> 0;
  }),
  p('RS table = running servers', 'RS marks VM crashed while it runs', (o) => {
    const s = o.v.rs.services.find((x) => x.inUse && x.label === 'vm');
    if (!s) throw new Error('oracle self-test: RS does not list vm');
    s.flags = RSF_CRASHED;
  }),
];
