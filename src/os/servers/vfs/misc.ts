/*
 * Whole-file-system calls: sync, fsync and statvfs (MINIX's misc.c and
 * stadir.c). MFS's image is its disk, so a sync has nothing to write back,
 * but the request still goes to MFS as it would to a real file server.
 *
 * The entry points into this file are:
 *   do_sync      sync(): flush every file system
 *   do_fsync     fsync(): flush one open file (the descriptor must be valid)
 *   do_statvfs   statvfs(): block and inode totals of the file system holding a path
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { MFS } from '../../proto/endpoints';
import { EINVAL } from '../../proto/errno';
import { REQ_STATVFS, REQ_SYNC } from '../../proto/calls';
import { ServerCtx } from '../../sef/server';
import { VfsState } from './state';
import { lookup } from './path';
import { caller } from './perm';
import { getFilpOf } from './vnode';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<VfsState>;

export function* do_sync(ctx: Ctx, m: Req<typeof C.VFS_SYNC>): Co<Reply<typeof C.VFS_SYNC> | null> {
  caller(ctx.st, m.source);
  const r: Received<typeof C.REQ_SYNC> = yield sendrec(MFS, { type: REQ_SYNC });
  return { type: r.type < 0 ? r.type : 0 };
}

export function* do_fsync(ctx: Ctx, m: Req<typeof C.VFS_FSYNC>): Co<Reply<typeof C.VFS_FSYNC> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const fi = getFilpOf(st, fp, m.fd);
  if (fi < 0) return { type: fi };
  // A pipe has nothing to synchronize (POSIX: EINVAL for a file that does not support it).
  if (st.vnode[st.filp[fi]!.vnode]!.pipe >= 0) return { type: -EINVAL };
  const r: Received<typeof C.REQ_SYNC> = yield sendrec(MFS, { type: REQ_SYNC });
  return { type: r.type < 0 ? r.type : 0 };
}

export function* do_statvfs(ctx: Ctx, m: Req<typeof C.VFS_STATVFS>): Co<Reply<typeof C.VFS_STATVFS> | null> {
  const st = ctx.st;
  const fp = caller(st, m.source);
  const r = yield* lookup(st, fp, m.path, false, false);
  if (r.type < 0) return { type: r.type };
  const s: Received<typeof C.REQ_STATVFS> = yield sendrec(MFS, { type: REQ_STATVFS });
  if (s.type < 0) return { type: s.type };
  return { type: 0, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, files: s.files, ffree: s.ffree };
}
