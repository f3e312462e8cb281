/*
 * Reporting on inodes and on the file system (MINIX's stadir.c).
 *
 * The entry points into this file are:
 *   do_stat     REQ_STAT:    an inode's attributes
 *   do_statvfs  REQ_STATVFS: block and inode totals
 */
import { Co } from '../../kernel/types';
import { EINVAL } from '../../proto/errno';
import { ServerCtx } from '../../sef/server';
import { BLOCK_SIZE, FS_DEV, NR_BLOCKS, NR_INODES } from './const';
import { dataBlocks, liveInode } from './inode';
import { MfsState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

export function* do_stat(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_STAT>): Co<Reply<typeof C.REQ_STAT> | null> {
  const ip = liveInode(ctx.st, m.ino);
  if (!ip) return { type: -EINVAL };
  return {
    type: 0, dev: FS_DEV, ino: m.ino, mode: ip.mode, nlink: ip.nlinks, uid: ip.uid, gid: ip.gid,
    size: ip.size, atime: ip.atime, mtime: ip.mtime, ctime: ip.ctime,
    // st_blocks counts 512-byte units.
    blocks: dataBlocks(ctx.st, ip) * (BLOCK_SIZE / 512),
  };
}

export function* do_statvfs(ctx: ServerCtx<MfsState>, _m: Req<typeof C.REQ_STATVFS>): Co<Reply<typeof C.REQ_STATVFS> | null> {
  const st = ctx.st;
  return { type: 0, bsize: BLOCK_SIZE, blocks: NR_BLOCKS, bfree: st.freeBlocks, files: NR_INODES, ffree: st.freeInodes };
}
