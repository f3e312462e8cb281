/*
 * Invariants about open files: VFS's filp and vnode reference counts equal
 * the references to them; a pipe's reader and writer counts equal its open
 * ends; pipe buffers belong to exactly one pipe; a process suspended on a
 * pipe names an open end of it; working and root directories are
 * directories; a vnode names a live MFS inode of its type, one vnode per
 * inode; MFS's inode counts equal VFS's references.
 *
 * The entry points into this file are:
 *   checkFiles(v, out)   add the findings of this group
 */
import { NR_SLOTS } from '../../os/proto/endpoints';
import { O_ACCMODE, O_RDONLY, O_WRONLY, PIPE_SIZE, S_IFMT, S_ISDIR, S_ISFIFO } from '../../os/proto/fs';
import { NR_INODES } from '../../os/servers/mfs/const';
import { BLK_NONE, PIPE_INO_BASE } from '../../os/servers/vfs/state';
import { Findings, View } from './view';
import { procName } from './processes';

function refCounts(v: View, out: Findings): void {
  const { filp, vnode, fproc } = v.vfs;
  const filpRefs = new Int32Array(filp.length);
  const vnodeRefs = new Int32Array(vnode.length);
  const inRange = (i: number, n: number) => Number.isInteger(i) && i >= 0 && i < n;
  for (let s = 0; s < NR_SLOTS; s++) {
    const f = fproc[s]!;
    if (!f.inUse) continue;
    for (let fd = 0; fd < f.fd.length; fd++) {
      const fi = f.fd[fd]!;
      if (fi < 0) continue;
      if (inRange(fi, filp.length)) filpRefs[fi]!++;
      else out.add('filp count = descriptors', ['vfs'], `${procName(v, s)} fd ${fd}`, `names filp ${fi}, past the table`);
    }
    for (const [what, vi] of [['working', f.cwd], ['root', f.root]] as const) {
      if (inRange(vi, vnode.length)) {
        vnodeRefs[vi]!++;
        if (!S_ISDIR(vnode[vi]!.mode) || vnode[vi]!.refs <= 0) out.add('cwd and root are directories', ['vfs'], procName(v, s), `${what} directory is vnode ${vi} (mode 0${vnode[vi]!.mode.toString(8)}, refs ${vnode[vi]!.refs})`);
      } else out.add('cwd and root are directories', ['vfs'], procName(v, s), `${what} directory is vnode ${vi}`);
    }
  }
  for (let i = 0; i < filp.length; i++) {
    const f = filp[i]!;
    if (f.count !== filpRefs[i]) out.add('filp count = descriptors', ['vfs'], `filp ${i}`, `filp ${i}: count ${f.count}, referenced by ${filpRefs[i]} descriptors`);
    if (f.count <= 0) continue;
    if (!inRange(f.vnode, vnode.length) || vnode[f.vnode]!.refs <= 0) { out.add('filp names a live vnode', ['vfs'], `filp ${i}`, `open, names vnode ${f.vnode}`); continue; }
    vnodeRefs[f.vnode]!++;
  }
  for (let i = 0; i < vnode.length; i++) {
    const x = vnode[i]!;
    if (x.refs !== vnodeRefs[i]) out.add('vnode refs = references', ['vfs'], `vnode ${i} (ino ${x.ino})`, `vnode ${i} (ino ${x.ino}): refs ${x.refs}, referenced ${vnodeRefs[i]} times`);
  }
}

/** Readers and writers of each pipe or FIFO = its open filps of each kind; buffers belong to live pipes. */
function pipes(v: View, out: Findings): void {
  const { filp, vnode, pipe } = v.vfs;
  const readers = new Int32Array(vnode.length);
  const writers = new Int32Array(vnode.length);
  for (const f of filp) {
    if (f.count <= 0 || f.vnode < 0 || f.vnode >= vnode.length) continue;
    const acc = f.flags & O_ACCMODE;
    if (acc !== O_WRONLY) readers[f.vnode]!++;
    if (acc !== O_RDONLY) writers[f.vnode]!++;
  }
  const owners = new Int32Array(pipe.length);
  for (let i = 0; i < vnode.length; i++) {
    const x = vnode[i]!;
    if (x.refs <= 0) continue;
    const obj = `vnode ${i} (ino ${x.ino})`;
    const fifo = S_ISFIFO(x.mode);
    const r = fifo ? readers[i]! : 0;
    const w = fifo ? writers[i]! : 0;
    if (x.readers !== r || x.writers !== w) out.add('pipe ends = open filps', ['vfs'], obj, `readers ${x.readers} writers ${x.writers}, open ends: ${r} read, ${w} write`);
    if (x.pipe >= 0) {
      if (x.pipe >= pipe.length || !pipe[x.pipe]!.inUse) { out.add('pipe buffers = pipes', ['vfs'], obj, `names free pipe buffer ${x.pipe}`); continue; }
      owners[x.pipe]!++;
    }
    if (fifo && (x.pipe >= 0) !== (x.readers + x.writers > 0)) {
      out.add('pipe buffers = pipes', ['vfs'], obj, `${x.pipe >= 0 ? `buffer ${x.pipe}` : 'no buffer'} with ${x.readers + x.writers} open ends`);
    }
  }
  for (let p = 0; p < pipe.length; p++) {
    const b = pipe[p]!;
    if (b.inUse && owners[p] !== 1) out.add('pipe buffers = pipes', ['vfs'], `pipe buffer ${p}`, `in use by ${owners[p]} vnodes`);
    if (b.inUse && (b.len < 0 || b.len > PIPE_SIZE || b.start < 0 || b.start >= PIPE_SIZE)) out.add('pipe buffers = pipes', ['vfs'], `pipe buffer ${p}`, `start ${b.start}, length ${b.len}`);
  }
}

/** A process suspended in VFS waits on an open end of a live pipe it names. */
function suspended(v: View, out: Findings): void {
  const { fproc, filp, vnode } = v.vfs;
  for (let s = 0; s < NR_SLOTS; s++) {
    const f = fproc[s]!;
    if (!f.inUse || f.blocked === BLK_NONE) continue;
    const vi = f.blkVnode;
    const fi = f.blkFd >= 0 && f.blkFd < f.fd.length ? f.fd[f.blkFd]! : -1;
    const ok = vi >= 0 && vi < vnode.length && vnode[vi]!.refs > 0 && vnode[vi]!.pipe >= 0 && fi >= 0 && fi < filp.length && filp[fi]!.count > 0 && filp[fi]!.vnode === vi;
    if (!ok) out.add('suspended on an open pipe', ['vfs'], procName(v, s), `suspended (${f.blocked}) on fd ${f.blkFd} (filp ${fi}) and vnode ${vi}`);
  }
}

/** Each vnode of an MFS inode names a live inode of the same type, once; MFS's counts are VFS's references. */
function vnodesAndInodes(v: View, out: Findings): void {
  const { vnode } = v.vfs;
  const inodes = v.mfs.inodes;
  const seen = new Map<number, number>();
  const held = new Int32Array(NR_INODES);
  for (let i = 0; i < vnode.length; i++) {
    const x = vnode[i]!;
    if (x.refs <= 0 || x.ino >= PIPE_INO_BASE) continue;
    const obj = `vnode ${i} (ino ${x.ino})`;
    const prev = seen.get(x.ino);
    if (prev !== undefined) out.add('one vnode per inode', ['vfs'], `inode ${x.ino}`, `vnodes ${prev} and ${i} both name inode ${x.ino}`);
    else seen.set(x.ino, i);
    const ip = x.ino >= 1 && x.ino < NR_INODES ? inodes[x.ino] : null;
    if (!ip || ip.mode === 0) { out.add('vnode names a live inode', ['vfs', 'mfs'], obj, `MFS inode ${x.ino} is free`); continue; }
    if ((ip.mode & S_IFMT) !== (x.mode & S_IFMT)) out.add('vnode names a live inode', ['vfs', 'mfs'], obj, `VFS type 0${(x.mode & S_IFMT).toString(8)}, MFS type 0${(ip.mode & S_IFMT).toString(8)}`);
    if (x.fsRefs > 0) held[x.ino]! += x.fsRefs;
  }
  for (let i = 0; i < inodes.length; i++) {
    if (inodes[i]!.count !== held[i]) out.add('MFS inode count = VFS references', ['mfs', 'vfs'], `inode ${i}`, `inode ${i}: count ${inodes[i]!.count}, VFS holds ${held[i]}`);
  }
}

export function checkFiles(v: View, out: Findings): void {
  refCounts(v, out);
  pipes(v, out);
  suspended(v, out);
  vnodesAndInodes(v, out);
}
