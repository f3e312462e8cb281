/*
 * Changing an inode's attributes: permissions, owner, timestamps (MINIX's
 * protect.c and time.c). Whether the caller may do it is VFS's decision.
 *
 * The entry points into this file are:
 *   do_chmod   REQ_CHMOD: new permission bits, file type kept
 *   do_chown   REQ_CHOWN: new owner and group (a negative id keeps the old one); clears set-id bits
 *   do_utime   REQ_UTIME: new access and modification times
 */
import { Co } from '../../kernel/types';
import { EINVAL } from '../../proto/errno';
import { ALLPERMS, S_IFMT, S_ISGID, S_ISUID } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { liveInode, nowSecs } from './inode';
import { MfsState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function* do_chmod(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_CHMOD>): Co<Reply<typeof C.REQ_CHMOD> | null> {
  const ip = liveInode(ctx.st, m.ino);
  if (!ip || !isInt(m.mode)) return { type: -EINVAL };
  ip.mode = (ip.mode & S_IFMT) | (m.mode & ALLPERMS);
  ip.ctime = nowSecs(ctx);
  return { type: 0, mode: ip.mode };
}

export function* do_chown(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_CHOWN>): Co<Reply<typeof C.REQ_CHOWN> | null> {
  const ip = liveInode(ctx.st, m.ino);
  if (!ip || !isInt(m.uid) || !isInt(m.gid)) return { type: -EINVAL };
  if (m.uid >= 0) ip.uid = m.uid;
  if (m.gid >= 0) ip.gid = m.gid;
  // Every chown drops set-user-id and set-group-id, whoever asks and whatever the file (MINIX's fs_chown).
  ip.mode &= ~(S_ISUID | S_ISGID);
  ip.ctime = nowSecs(ctx);
  return { type: 0, mode: ip.mode };
}

export function* do_utime(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_UTIME>): Co<Reply<typeof C.REQ_UTIME> | null> {
  const ip = liveInode(ctx.st, m.ino);
  if (!ip || !isInt(m.atime) || !isInt(m.mtime)) return { type: -EINVAL };
  ip.atime = m.atime;
  ip.mtime = m.mtime;
  ip.ctime = nowSecs(ctx);
  return { type: 0 };
}
