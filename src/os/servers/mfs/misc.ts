/*
 * VFS's references to inodes, truncation and sync (MINIX's inode.c
 * fs_getnode/fs_putnode, link.c fs_ftrunc, misc.c fs_sync).
 *
 * The entry points into this file are:
 *   do_getnode  REQ_GETNODE: one more VFS reference
 *   do_putnode  REQ_PUTNODE: drop references, freeing an unlinked inode
 *   do_ftrunc   REQ_FTRUNC:  set a regular file's length
 *   do_sync     REQ_SYNC:    flush to the disk: MFS waits for the disk's alarm
 */
import { panic } from '../../kernel/errors';
import { receive } from '../../kernel/ipc-api';
import { COST } from '../../kernel/cost';
import { CLOCK } from '../../proto/endpoints';
import { Co } from '../../kernel/types';
import { EFBIG, EINVAL, EISDIR } from '../../proto/errno';
import { S_ISDIR, S_ISREG } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { MAX_FILE_SIZE, NR_INODES } from './const';
import { inoFields, liveInode, nowSecs, releaseIfDead, truncateData } from './inode';
import { MfsState } from './state';
import type { NotifyMsg, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

export function* do_getnode(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_GETNODE>): Co<Reply<typeof C.REQ_GETNODE> | null> {
  const ip = liveInode(ctx.st, m.ino);
  if (!ip) return { type: -EINVAL };
  ip.count++;
  return { type: 0, ...inoFields(m.ino, ip) };
}

export function* do_putnode(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_PUTNODE>): Co<Reply<typeof C.REQ_PUTNODE> | null> {
  const st = ctx.st;
  const n = m.count;
  if (!Number.isInteger(m.ino) || m.ino < 1 || m.ino >= NR_INODES) return { type: -EINVAL };
  if (!Number.isInteger(n) || n < 1) return { type: -EINVAL };
  const ip = st.inodes[m.ino]!;
  if (ip.mode === 0 || ip.count < n) panic('mfs', `putnode of inode ${m.ino}: count ${ip.count} - ${n} below zero`);
  ip.count -= n;
  releaseIfDead(st, m.ino);
  return { type: 0 };
}

export function* do_ftrunc(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_FTRUNC>): Co<Reply<typeof C.REQ_FTRUNC> | null> {
  const st = ctx.st;
  const ip = liveInode(st, m.ino);
  if (!ip) return { type: -EINVAL };
  if (S_ISDIR(ip.mode)) return { type: -EISDIR };
  if (!S_ISREG(ip.mode)) return { type: -EINVAL };
  if (!Number.isInteger(m.length) || m.length < 0) return { type: -EINVAL };
  if (m.length > MAX_FILE_SIZE) return { type: -EFBIG };
  truncateData(st, ip, m.length);
  const now = nowSecs(ctx);
  ip.mtime = now;
  ip.ctime = now;
  return { type: 0 };
}

/**
 * The image is the disk, but a flush still takes the disk's time: MFS
 * blocks until an alarm, as it would wait for the driver. Meanwhile VFS's
 * other workers and the user processes run.
 */
export function* do_sync(ctx: ServerCtx<MfsState>, _m: Req<typeof C.REQ_SYNC>): Co<Reply<typeof C.REQ_SYNC> | null> {
  ctx.st.syncs += 1;
  ctx.sys.setalarm(ctx.sys.times(ctx.self).now + COST.diskFlush, false);
  const done: NotifyMsg = yield receive(CLOCK);
  void done;
  return { type: 0 };
}
