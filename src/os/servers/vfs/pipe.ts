/*
 * Pipes and FIFOs: creation, reading and writing through VFS's own ring
 * buffers, suspension of readers, writers and FIFO openers that must wait,
 * their revival when the other end acts, and interruption by signals
 * (MINIX's pipe.c). A suspended process gets no reply until it is revived;
 * the revival replies with sendnb. Closing a descriptor is here too: the
 * last close of a pipe end wakes the other end, and an interrupted or
 * failed FIFO open closes the descriptor it had installed.
 *
 * The entry points into this file are:
 *   closeFd        close one descriptor of a process (close, dup2, exit, exec)
 *   do_pipe        pipe(): a buffer, a vnode and two filps
 *   pipeRead       read() on a pipe or FIFO
 *   pipeWrite      write() on a pipe or FIFO
 *   fifoOpen       the FIFO part of open(): wait for the other end
 *   unpause        a signal interrupts a suspended call
 */
import { sendnb } from '../../kernel/ipc-api';
import { Co, Outgoing } from '../../kernel/types';
import { panic } from '../../kernel/errors';
import { NR_SLOTS } from '../../proto/endpoints';
import { EAGAIN, EINTR, EMFILE, ENFILE, ENXIO, EPIPE } from '../../proto/errno';
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_WRONLY, OPEN_MAX, PIPE_BUF, PIPE_SIZE, S_IFIFO } from '../../proto/fs';
import { SIGPIPE } from '../../proto/signals';
import { ServerCtx } from '../../sef/server';
import {
  BLK_FIFO_OPEN, BLK_NONE, BLK_PIPE_READ, BLK_PIPE_WRITE, FProc, NR_FILPS, NR_VNODES, PIPE_INO_BASE, VfsState,
} from './state';
import { caller } from './perm';
import { allocFilp, putVnode } from './vnode';
import { allocPipe, pipeDrop, pipePeek, pipePut, releasePipe } from './pipe-buf';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

/* ---- close ---- */

/** Close descriptor `fd` of `fp`; the last reference to a filp releases its vnode. */
export function* closeFd(ctx: Ctx, fp: FProc, fd: number): Co<void> {
  const st = ctx.st;
  const fi = fp.fd[fd]!;
  if (fi < 0) return;
  fp.fd[fd] = -1;
  fp.cloexec[fd] = 0;
  const f = st.filp[fi]!;
  f.count--;
  if (f.count > 0) return;
  const vi = f.vnode;
  const flags = f.flags;
  f.vnode = -1; f.pos = 0; f.flags = 0;
  if (st.vnode[vi]!.pipe >= 0) yield* pipeEndClosed(ctx, vi, flags);
  yield* putVnode(st, vi);
}

/* ---- pipe() ---- */

function freeFilps(st: VfsState): number {
  let n = 0;
  for (let i = 0; i < NR_FILPS; i++) if (st.filp[i]!.count === 0) n++;
  return n;
}

function freeVnodeSlot(st: VfsState): number {
  for (let i = 0; i < NR_VNODES; i++) if (st.vnode[i]!.refs === 0) return i;
  return -1;
}

export function* do_pipe(ctx: Ctx, m: Req<typeof C.VFS_PIPE>): Co<Reply<typeof C.VFS_PIPE> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  // Two descriptors, two filps, a vnode and a buffer: all found before anything changes.
  let fd0 = -1;
  let fd1 = -1;
  for (let i = 0; i < OPEN_MAX && fd1 < 0; i++) {
    if (fp.fd[i]! >= 0) continue;
    if (fd0 < 0) fd0 = i; else fd1 = i;
  }
  if (fd1 < 0) return { type: -EMFILE };
  if (freeFilps(st) < 2) return { type: -ENFILE };
  const vi = freeVnodeSlot(st);
  if (vi < 0) return { type: -ENFILE };
  const pi = allocPipe(st);
  if (pi < 0) return { type: -ENFILE };
  const v = st.vnode[vi]!;
  v.refs = 2; v.fsRefs = 0; v.ino = st.nextPipeIno++; v.mode = S_IFIFO | 0o600; v.size = 0;
  v.uid = fp.euid; v.gid = fp.egid; v.pipe = pi; v.readers = 1; v.writers = 1;
  if (v.ino < PIPE_INO_BASE) panic('vfs', `pipe inode number ${v.ino} below the pipe range`);
  const f0 = allocFilp(st, vi, O_RDONLY);
  const f1 = allocFilp(st, vi, O_WRONLY);
  if (f0 < 0 || f1 < 0) panic('vfs', 'no filp for a pipe after the check');
  fp.fd[fd0] = f0; fp.cloexec[fd0] = 0;
  fp.fd[fd1] = f1; fp.cloexec[fd1] = 0;
  st.stats.opens += 2;
  return { type: 0, fd0, fd1 };
}

/* ---- suspension and revival ---- */

function suspend(st: VfsState, fp: FProc, what: number, fd: number, buf: number, nbytes: number, done: number, vi: number): void {
  if (fp.blocked !== BLK_NONE) panic('vfs', `process ${fp.endpoint} suspended twice`);
  fp.blocked = what;
  fp.blkFd = fd; fp.blkBuf = buf; fp.blkNbytes = nbytes; fp.blkDone = done; fp.blkVnode = vi;
  st.stats.suspends++;
}

function clearBlocked(fp: FProc): void {
  fp.blocked = BLK_NONE;
  fp.blkFd = -1; fp.blkBuf = 0; fp.blkNbytes = 0; fp.blkDone = 0; fp.blkVnode = -1;
}

/** Finish a suspended call: clear the suspension and send the reply it waits for. */
function* revive(fp: FProc, result: number): Co<void> {
  const ep = fp.endpoint;
  clearBlocked(fp);
  yield sendnb(ep, { type: result });
}

/** Copy up to n bytes from the pipe to the user's buffer; the count, or a negative errno. */
function readInto(ctx: Ctx, ep: number, vi: number, buf: number, n: number): number {
  const st = ctx.st;
  const pi = st.vnode[vi]!.pipe;
  const bytes = pipePeek(st, pi, n);
  const r = ctx.sys.vircopyTo(ep, buf, bytes);
  if (r < 0) return r;
  pipeDrop(st, pi, bytes.length);
  st.stats.reads++;
  return bytes.length;
}

/** Move as much of bytes [done, n) of the user's buffer into the pipe as the write's rules allow; the new done. */
function writeFrom(ctx: Ctx, ep: number, vi: number, buf: number, n: number, done: number): number {
  const st = ctx.st;
  const pi = st.vnode[vi]!.pipe;
  const room = PIPE_SIZE - st.pipe[pi]!.len;
  // Up to PIPE_BUF bytes go in whole or not at all.
  if (n <= PIPE_BUF && room < n - done) return done;
  const k = Math.min(room, n - done);
  if (k === 0) return done;
  const bytes = ctx.sys.vircopyFrom(ep, buf + done, k);
  if (typeof bytes === 'number') return bytes;
  pipePut(st, pi, bytes);
  st.stats.writes++;
  return done + k;
}

/** Try to finish one process suspended on vnode vi; true when something changed. */
function* tryRevive(ctx: Ctx, fp: FProc, vi: number): Co<boolean> {
  const st = ctx.st;
  const v = st.vnode[vi]!;
  const p = st.pipe[v.pipe]!;
  if (fp.blocked === BLK_PIPE_READ) {
    if (p.len > 0) {
      const r = readInto(ctx, fp.endpoint, vi, fp.blkBuf, fp.blkNbytes);
      yield* revive(fp, r);
      return true;
    }
    if (v.writers === 0) { yield* revive(fp, 0); return true; }
    return false;
  }
  if (fp.blocked === BLK_PIPE_WRITE) {
    if (v.readers === 0) {
      ctx.sys.kill(fp.endpoint, SIGPIPE);
      yield* revive(fp, fp.blkDone > 0 ? fp.blkDone : -EPIPE);
      return true;
    }
    const done = writeFrom(ctx, fp.endpoint, vi, fp.blkBuf, fp.blkNbytes, fp.blkDone);
    if (done < 0) { yield* revive(fp, fp.blkDone > 0 ? fp.blkDone : done); return true; }
    if (done === fp.blkNbytes) { yield* revive(fp, done); return true; }
    if (done === fp.blkDone) return false;
    fp.blkDone = done;
    return true;
  }
  if (fp.blocked === BLK_FIFO_OPEN) {
    const f = st.filp[fp.fd[fp.blkFd]!]!;
    const acc = f.flags & O_ACCMODE;
    const ready = acc === O_RDONLY ? v.writers > 0 : acc === O_WRONLY ? v.readers > 0 : true;
    if (!ready) return false;
    yield* revive(fp, fp.blkFd);
    return true;
  }
  return panic('vfs', `process ${fp.endpoint} blocked on ${fp.blocked}`);
}

/**
 * Revive every process suspended on vnode vi that can now go on, until
 * nothing changes: a revived reader makes room for a writer and a revived
 * writer feeds a reader. Each pass either completes a call or fills the
 * pipe, so the passes are bounded.
 */
function* wakeup(ctx: Ctx, vi: number): Co<void> {
  const st = ctx.st;
  for (let pass = 0; pass <= 2 * NR_SLOTS + 1; pass++) {
    let progress = false;
    for (let s = 0; s < NR_SLOTS; s++) {
      const fp = st.fproc[s]!;
      if (!fp.inUse || fp.blocked === BLK_NONE || fp.blkVnode !== vi) continue;
      if (st.vnode[vi]!.pipe < 0) panic('vfs', `process ${fp.endpoint} waits on vnode ${vi} without a pipe`);
      if (yield* tryRevive(ctx, fp, vi)) progress = true;
    }
    if (!progress) return;
  }
  panic('vfs', `pipe wakeup on vnode ${vi} does not settle`);
}

/* ---- read and write ---- */

export function* pipeRead(ctx: Ctx, fp: FProc, fd: number, fi: number, buf: number, n: number): Co<Outgoing | null> {
  const st = ctx.st;
  const f = st.filp[fi]!;
  const vi = f.vnode;
  const v = st.vnode[vi]!;
  if (v.pipe < 0) panic('vfs', `pipe read on vnode ${vi} without a buffer`);
  if (n === 0) return { type: 0 };
  if (st.pipe[v.pipe]!.len > 0) {
    const r = readInto(ctx, fp.endpoint, vi, buf, n);
    if (r > 0) yield* wakeup(ctx, vi);
    return { type: r };
  }
  if (v.writers === 0) return { type: 0 };
  if (f.flags & O_NONBLOCK) return { type: -EAGAIN };
  suspend(st, fp, BLK_PIPE_READ, fd, buf, n, 0, vi);
  return null;
}

export function* pipeWrite(ctx: Ctx, fp: FProc, fd: number, fi: number, buf: number, n: number): Co<Outgoing | null> {
  const st = ctx.st;
  const f = st.filp[fi]!;
  const vi = f.vnode;
  const v = st.vnode[vi]!;
  if (v.pipe < 0) panic('vfs', `pipe write on vnode ${vi} without a buffer`);
  if (v.readers === 0) {
    ctx.sys.kill(fp.endpoint, SIGPIPE);
    return { type: -EPIPE };
  }
  if (n === 0) return { type: 0 };
  const done = writeFrom(ctx, fp.endpoint, vi, buf, n, 0);
  if (done < 0) return { type: done };
  if (done === n) {
    yield* wakeup(ctx, vi);
    return { type: n };
  }
  if (f.flags & O_NONBLOCK) {
    if (done > 0) yield* wakeup(ctx, vi);
    return { type: done > 0 ? done : -EAGAIN };
  }
  // Wait for room; the wakeup may already finish the write (readers waiting for these bytes).
  suspend(st, fp, BLK_PIPE_WRITE, fd, buf, n, done, vi);
  if (done > 0) yield* wakeup(ctx, vi);
  return null;
}

/* ---- FIFOs ---- */

/** The FIFO part of open(): fd and filp fi are installed; count the end and wait for the other one. */
export function* fifoOpen(ctx: Ctx, fp: FProc, fd: number, fi: number): Co<Outgoing | null> {
  const st = ctx.st;
  const f = st.filp[fi]!;
  const vi = f.vnode;
  const v = st.vnode[vi]!;
  if (v.ino >= PIPE_INO_BASE) panic('vfs', `open of anonymous pipe vnode ${vi}`);
  if (v.pipe < 0) {
    const pi = allocPipe(st);
    if (pi < 0) { yield* closeFd(ctx, fp, fd); return { type: -ENFILE }; }
    if (v.readers !== 0 || v.writers !== 0) panic('vfs', `FIFO vnode ${vi} has ends but no buffer`);
    v.pipe = pi;
  }
  const acc = f.flags & O_ACCMODE;
  if (acc !== O_WRONLY) v.readers++;
  if (acc !== O_RDONLY) v.writers++;
  if (acc === O_WRONLY && v.readers === 0 && f.flags & O_NONBLOCK) {
    yield* closeFd(ctx, fp, fd);
    return { type: -ENXIO };
  }
  const ready = acc === O_RDONLY ? v.writers > 0 : acc === O_WRONLY ? v.readers > 0 : true;
  if (ready || f.flags & O_NONBLOCK) {
    yield* wakeup(ctx, vi);
    return { type: fd };
  }
  suspend(st, fp, BLK_FIFO_OPEN, fd, 0, 0, 0, vi);
  return null;
}

/** The last close of a filp on vnode vi opened with `flags`: one end fewer; waiters learn of it. */
function* pipeEndClosed(ctx: Ctx, vi: number, flags: number): Co<void> {
  const st = ctx.st;
  const v = st.vnode[vi]!;
  const acc = flags & O_ACCMODE;
  if (acc !== O_WRONLY) v.readers--;
  if (acc !== O_RDONLY) v.writers--;
  if (v.readers < 0 || v.writers < 0) panic('vfs', `vnode ${vi} ends went negative (${v.readers}/${v.writers})`);
  if (v.readers === 0 && v.writers === 0) {
    // Nobody is left to wait: unread data goes with the buffer.
    releasePipe(st, v.pipe);
    v.pipe = -1;
    return;
  }
  yield* wakeup(ctx, vi);
}

/** A signal interrupts a process suspended in VFS: reply EINTR (or the partial count); on exit just forget it. */
export function* unpause(ctx: Ctx, fp: FProc, reply: boolean): Co<void> {
  const what = fp.blocked;
  if (what === BLK_NONE) return;
  if (what !== BLK_PIPE_READ && what !== BLK_PIPE_WRITE && what !== BLK_FIFO_OPEN) panic('vfs', `unknown suspension ${what}`);
  const result = what === BLK_PIPE_WRITE && fp.blkDone > 0 ? fp.blkDone : -EINTR;
  const fd = fp.blkFd;
  const ep = fp.endpoint;
  clearBlocked(fp);
  if (!reply) return;
  // An interrupted open leaves no descriptor behind.
  if (what === BLK_FIFO_OPEN) yield* closeFd(ctx, fp, fd);
  yield sendnb(ep, { type: result });
}
