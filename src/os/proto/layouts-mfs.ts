/*
 * The layouts of the requests VFS sends MFS (REQ_*), as MINIX's VFS/FS
 * protocol: a path is resolved from a directory inode (`dir`) with the
 * caller's ids; data travel by grant, or inline (`inline: 1`, then `data`
 * in the reply) for VFS's own small reads.
 *
 * The entry points into this file are:
 *   MFS_LAYOUTS   every REQ_* message type's layout
 */
import * as C from './calls';
import type { Layout } from './layout';

/** What a request that resolves a path returns about the inode it found or made. */
const NODE_REPLY = { ino: 'n', mode: 'n', size: 'n', uid: 'n', gid: 'n', nlinks: 'n' } as const;

export const MFS_LAYOUTS = {
  [C.REQ_LOOKUP]: { req: { dir: 'n', path: 's', uid: 'n', gid: 'n', nofollow: 'n', getnode: 'n' }, reply: NODE_REPLY },
  [C.REQ_CREATE]: {
    req: { dir: 'n', path: 's', mode: 'n', uid: 'n', gid: 'n', excl: 'n', getnode: 'n' },
    reply: { ...NODE_REPLY, created: 'n' },
  },
  [C.REQ_MKDIR]: { req: { dir: 'n', path: 's', mode: 'n', uid: 'n', gid: 'n' }, reply: NODE_REPLY },
  [C.REQ_MKNOD]: { req: { dir: 'n', path: 's', mode: 'n', uid: 'n', gid: 'n', getnode: 'n' }, reply: NODE_REPLY },
  [C.REQ_UNLINK]: { req: { dir: 'n', path: 's', uid: 'n', gid: 'n' }, reply: {} },
  [C.REQ_RMDIR]: { req: { dir: 'n', path: 's', uid: 'n', gid: 'n' }, reply: {} },
  [C.REQ_RENAME]: { req: { dir: 'n', path: 's', dir2: 'n', path2: 's', uid: 'n', gid: 'n' }, reply: {} },
  [C.REQ_LINK]: { req: { dir: 'n', path: 's', dir2: 'n', path2: 's', uid: 'n', gid: 'n' }, reply: NODE_REPLY },
  [C.REQ_SLINK]: { req: { dir: 'n', path: 's', target: 's', uid: 'n', gid: 'n' }, reply: NODE_REPLY },
  [C.REQ_RDLINK]: { req: { dir: 'n', path: 's', uid: 'n', gid: 'n' }, reply: { target: 's' } },
  [C.REQ_READ]: { req: { ino: 'n', pos: 'n', nbytes: 'n', grant: 'n', inline: 'n?' }, reply: { data: 's?' } },
  [C.REQ_WRITE]: { req: { ino: 'n', pos: 'n', nbytes: 'n', grant: 'n' }, reply: {} },
  [C.REQ_GETDENTS]: { req: { ino: 'n', pos: 'n', nbytes: 'n', grant: 'n', inline: 'n?' }, reply: { pos: 'n', data: 's?' } },
  [C.REQ_STAT]: {
    req: { ino: 'n' },
    reply: { dev: 'n', ino: 'n', mode: 'n', nlink: 'n', uid: 'n', gid: 'n', size: 'n', atime: 'n', mtime: 'n', ctime: 'n', blocks: 'n' },
  },
  [C.REQ_CHMOD]: { req: { ino: 'n', mode: 'n' }, reply: { mode: 'n' } },
  [C.REQ_CHOWN]: { req: { ino: 'n', uid: 'n', gid: 'n' }, reply: { mode: 'n' } },
  [C.REQ_FTRUNC]: { req: { ino: 'n', length: 'n' }, reply: {} },
  [C.REQ_UTIME]: { req: { ino: 'n', atime: 'n', mtime: 'n' }, reply: {} },
  [C.REQ_PUTNODE]: { req: { ino: 'n', count: 'n' }, reply: {} },
  [C.REQ_GETNODE]: { req: { ino: 'n' }, reply: NODE_REPLY },
  [C.REQ_SYNC]: { req: {}, reply: {} },
  [C.REQ_STATVFS]: { req: {}, reply: { bsize: 'n', blocks: 'n', bfree: 'n', files: 'n', ffree: 'n' } },
  /* Listed in the protocol for completeness; MFS has no handler (ENOSYS). */
  [C.REQ_INHIBREAD]: { req: { ino: 'n' }, reply: {} },
} as const satisfies Record<number, Layout>;
