/*
 * File data and directory listings moving to and from VFS through grants
 * (MINIX's read.c: fs_readwrite and fs_getdents).
 *
 * The entry points into this file are:
 *   do_read      REQ_READ:     file bytes to the caller's grant
 *   do_write     REQ_WRITE:    file bytes from the caller's grant
 *   do_getdents  REQ_GETDENTS: packed directory entries to the caller's grant (or inline to VFS)
 */
import { Co } from '../../kernel/types';
import { EFBIG, EINVAL, EISDIR, ENOSPC, ENOTDIR } from '../../proto/errno';
import { S_ISDIR, S_ISREG } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { copyBytes } from './alloc';
import { DIRENT_SIZE, GETDENTS_MAX, MAX_FILE_SIZE } from './const';
import { entryInoAt, entryNameAt } from './dir';
import { liveInode, nowSecs, readData, writeData } from './inode';
import { Inode, MfsState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

/** Largest read or listing VFS may ask for inline (REQ_READ or REQ_GETDENTS with inline: 1). */
const INLINE_MAX = 256;

function latin1(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) s += String.fromCharCode(data[i]!);
  return s;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** The regular file a read or write is aimed at, or the errno refusing it. */
function dataFile(st: MfsState, ino: number): Inode | number {
  const ip = liveInode(st, ino);
  if (!ip) return -EINVAL;
  if (S_ISDIR(ip.mode)) return -EISDIR;
  if (!S_ISREG(ip.mode)) return -EINVAL;
  return ip;
}

export function* do_read(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_READ>): Co<Reply<typeof C.REQ_READ> | null> {
  const st = ctx.st;
  const ip = dataFile(st, m.ino);
  if (typeof ip === 'number') return { type: ip };
  if (!isCount(m.pos) || !isCount(m.nbytes)) return { type: -EINVAL };
  if (m.pos >= ip.size || m.nbytes === 0) return { type: 0 };
  const n = Math.min(m.nbytes, ip.size - m.pos);
  const data = readData(st, ip, m.pos, n);
  if (m.inline === 1) {
    // A small read for VFS itself (exec reading a program header): the bytes travel in the reply.
    if (n > INLINE_MAX) return { type: -EINVAL };
    ip.atime = nowSecs(ctx);
    return { type: n, data: latin1(data) };
  }
  const r = ctx.sys.safecopyTo(m.source, m.grant, 0, data);
  if (r < 0) return { type: r };
  ip.atime = nowSecs(ctx);
  return { type: n };
}

export function* do_write(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_WRITE>): Co<Reply<typeof C.REQ_WRITE> | null> {
  const st = ctx.st;
  const ip = dataFile(st, m.ino);
  if (typeof ip === 'number') return { type: ip };
  if (!isCount(m.pos) || !isCount(m.nbytes)) return { type: -EINVAL };
  if (m.nbytes === 0) return { type: 0 };
  if (m.pos >= MAX_FILE_SIZE) return { type: -EFBIG };
  // Write what fits below the largest file size; the caller sees a short count.
  const n = Math.min(m.nbytes, MAX_FILE_SIZE - m.pos);
  const data = ctx.sys.safecopyFrom(m.source, m.grant, 0, n);
  if (typeof data === 'number') return { type: data };
  const done = writeData(st, ip, m.pos, data, n);
  if (done === 0) return { type: -ENOSPC };
  const now = nowSecs(ctx);
  ip.mtime = now;
  ip.ctime = now;
  return { type: done };
}

export function* do_getdents(ctx: ServerCtx<MfsState>, m: Req<typeof C.REQ_GETDENTS>): Co<Reply<typeof C.REQ_GETDENTS> | null> {
  const st = ctx.st;
  const dip = liveInode(st, m.ino);
  if (!dip) return { type: -EINVAL };
  if (!S_ISDIR(dip.mode)) return { type: -ENOTDIR };
  if (!isCount(m.pos) || !isCount(m.nbytes) || m.pos % DIRENT_SIZE !== 0) return { type: -EINVAL };
  // A small listing for VFS itself (getcwd finding a name): the entries travel in the reply.
  if (m.inline === 1 && m.nbytes > INLINE_MAX) return { type: -EINVAL };
  const out = new Uint8Array(Math.min(m.nbytes, GETDENTS_MAX));
  let used = 0;
  let pos = m.pos;
  for (; pos < dip.size; pos += DIRENT_SIZE) {
    const ino = entryInoAt(st, dip, pos);
    if (ino === 0) continue;
    const name = entryNameAt(st, dip, pos);
    if (used + 5 + name.length > out.length) break;
    out[used] = ino & 0xff;
    out[used + 1] = (ino >>> 8) & 0xff;
    out[used + 2] = (ino >>> 16) & 0xff;
    out[used + 3] = (ino >>> 24) & 0xff;
    out[used + 4] = name.length;
    copyBytes(out, used + 5, name, 0, name.length);
    used += 5 + name.length;
  }
  // Not even one entry fits the caller's buffer.
  if (used === 0 && pos < dip.size) return { type: -EINVAL };
  if (used > 0 && m.inline !== 1) {
    const r = ctx.sys.safecopyTo(m.source, m.grant, 0, out.subarray(0, used));
    if (r < 0) return { type: r };
  }
  dip.atime = nowSecs(ctx);
  if (m.inline === 1) return { type: used, pos, data: latin1(out.subarray(0, used)) };
  return { type: used, pos };
}
