/*
 * read and write (and pread/pwrite, getdents): regular files and
 * directories go through MFS with a grant on the caller's buffer; pipes
 * and FIFOs are served from VFS's own buffers (pipe.ts).
 *
 * The entry points into this file are:
 *   do_read, do_write, do_pread, do_pwrite, do_getdents
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { EINVAL, EISDIR, ESPIPE, ENOTDIR } from '../../proto/errno';
import { O_APPEND, R_OK, S_ISDIR, S_ISREG, W_OK } from '../../proto/fs';
import { CPF_READ, CPF_WRITE } from '../../proto/kcalls';
import { REQ_GETDENTS, REQ_READ, REQ_WRITE } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { FProc, VfsState } from './state';
import { caller } from './perm';
import { filpFor } from './open';
import { pipeRead, pipeWrite } from './pipe';
import type { Received, Reply, Req, ReqAny } from '../../proto/messages';
import type { ReadWriteCall as ReadWrite } from '../../proto/layouts-vfs';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

/** Move bytes between a regular file and the caller's buffer through MFS. */
function* fileIo(ctx: Ctx, fp: FProc, vi: number, write: boolean, pos: number, buf: number, nbytes: number): Co<number> {
  const st = ctx.st;
  const v = st.vnode[vi]!;
  const grant = ctx.sys.setgrant(MFS, fp.endpoint, buf, nbytes, write ? CPF_READ : CPF_WRITE);
  if (grant < 0) return grant;
  const r: Received<typeof C.REQ_WRITE | typeof C.REQ_READ> = yield sendrec(MFS, { type: write ? REQ_WRITE : REQ_READ, ino: v.ino, pos, nbytes, grant });
  ctx.sys.revoke(grant);
  if (write && r.type > 0 && pos + r.type > v.size) v.size = pos + r.type;
  return r.type;
}

function* readOrWrite(ctx: Ctx, m: ReqAny<ReadWrite>, write: boolean, positional: boolean): Co<Reply<ReadWrite> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = filpFor(st, fp, m.fd, write ? W_OK : R_OK);
  if (fi < 0) return { type: fi };
  const nbytes = m.nbytes | 0;
  if (nbytes < 0) return { type: -EINVAL };
  const f = st.filp[fi]!;
  const vi = f.vnode;
  const v = st.vnode[vi]!;
  if (v.pipe >= 0) {
    if (positional) return { type: -ESPIPE };
    return write ? yield* pipeWrite(ctx, fp, m.fd, fi, m.buf, nbytes) : yield* pipeRead(ctx, fp, m.fd, fi, m.buf, nbytes);
  }
  if (S_ISDIR(v.mode)) return { type: -EISDIR };
  if (!S_ISREG(v.mode)) return { type: -EINVAL };
  if (nbytes === 0) return { type: 0 };
  let pos = positional ? Number(m.offset) : f.pos;
  if (positional && (!Number.isInteger(pos) || pos < 0)) return { type: -EINVAL };
  if (write && !positional && f.flags & O_APPEND) pos = v.size;
  if (write) st.stats.writes++; else st.stats.reads++;
  const n = yield* fileIo(ctx, fp, vi, write, pos, m.buf, nbytes);
  if (n >= 0 && !positional) f.pos = pos + n;
  return { type: n };
}

export function* do_read(ctx: Ctx, m: Req<typeof C.VFS_READ>): Co<Reply<typeof C.VFS_READ> | null> { return yield* readOrWrite(ctx, m, false, false); }
export function* do_write(ctx: Ctx, m: Req<typeof C.VFS_WRITE>): Co<Reply<typeof C.VFS_WRITE> | null> { return yield* readOrWrite(ctx, m, true, false); }
export function* do_pread(ctx: Ctx, m: Req<typeof C.VFS_PREAD>): Co<Reply<typeof C.VFS_PREAD> | null> { return yield* readOrWrite(ctx, m, false, true); }
export function* do_pwrite(ctx: Ctx, m: Req<typeof C.VFS_PWRITE>): Co<Reply<typeof C.VFS_PWRITE> | null> { return yield* readOrWrite(ctx, m, true, true); }

export function* do_getdents(ctx: Ctx, m: Req<typeof C.VFS_GETDENTS>): Co<Reply<typeof C.VFS_GETDENTS> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = filpFor(st, fp, m.fd, R_OK);
  if (fi < 0) return { type: fi };
  const f = st.filp[fi]!;
  const v = st.vnode[f.vnode]!;
  if (!S_ISDIR(v.mode)) return { type: -ENOTDIR };
  const nbytes = m.nbytes | 0;
  if (nbytes < 64) return { type: -EINVAL };
  const grant = ctx.sys.setgrant(MFS, fp.endpoint, m.buf, nbytes, CPF_WRITE);
  if (grant < 0) return { type: grant };
  const r: Received<typeof C.REQ_GETDENTS> = yield sendrec(MFS, { type: REQ_GETDENTS, ino: v.ino, pos: f.pos, nbytes, grant });
  ctx.sys.revoke(grant);
  if (r.type >= 0) f.pos = r.pos;
  return { type: r.type };
}
