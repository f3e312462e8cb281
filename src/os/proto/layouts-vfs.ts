/*
 * The layouts of VFS's messages: the POSIX calls of user processes and the
 * calls PM makes when a process forks, exits, execs or changes ids.
 * Buffers travel as an address in the caller's memory (`buf`) that VFS
 * copies from or grants MFS access to; paths travel inline.
 *
 * The entry points into this file are:
 *   VFS_LAYOUTS   every VFS_* message type's layout
 *   StatCall, ReadWriteCall   the types some of VFS's (and libc's) helpers serve
 */
import * as C from './calls';
import type { Layout } from './layout';

/** The reply of stat, lstat and fstat: MINIX's struct stat, flattened. */
const STAT_REPLY = {
  dev: 'n', ino: 'n', mode: 'n', nlink: 'n', uid: 'n', gid: 'n', size: 'n', atime: 'n', mtime: 'n', ctime: 'n', blocks: 'n',
} as const;

const STATVFS_REPLY = { bsize: 'n', blocks: 'n', bfree: 'n', files: 'n', ffree: 'n' } as const;

export const VFS_LAYOUTS = {
  [C.VFS_OPEN]: { req: { path: 's', flags: 'n', mode: 'n' }, reply: {} },
  [C.VFS_CLOSE]: { req: { fd: 'n' }, reply: {} },
  [C.VFS_READ]: { req: { fd: 'n', buf: 'n', nbytes: 'n' }, reply: {} },
  [C.VFS_WRITE]: { req: { fd: 'n', buf: 'n', nbytes: 'n' }, reply: {} },
  [C.VFS_LSEEK]: { req: { fd: 'n', offset: 'n', whence: 'n' }, reply: {} },
  [C.VFS_PREAD]: { req: { fd: 'n', buf: 'n', nbytes: 'n', offset: 'n' }, reply: {} },
  [C.VFS_PWRITE]: { req: { fd: 'n', buf: 'n', nbytes: 'n', offset: 'n' }, reply: {} },
  [C.VFS_STAT]: { req: { path: 's' }, reply: STAT_REPLY },
  [C.VFS_FSTAT]: { req: { fd: 'n' }, reply: STAT_REPLY },
  [C.VFS_LSTAT]: { req: { path: 's' }, reply: STAT_REPLY },
  [C.VFS_UNLINK]: { req: { path: 's' }, reply: {} },
  [C.VFS_RENAME]: { req: { path: 's', path2: 's' }, reply: {} },
  [C.VFS_LINK]: { req: { path: 's', path2: 's' }, reply: {} },
  /* path: the link's target; path2: where the link is made (symlink(2)'s argument order). */
  [C.VFS_SYMLINK]: { req: { path: 's', path2: 's' }, reply: {} },
  [C.VFS_READLINK]: { req: { path: 's', buf: 'n', nbytes: 'n' }, reply: {} },
  [C.VFS_MKDIR]: { req: { path: 's', mode: 'n' }, reply: {} },
  [C.VFS_RMDIR]: { req: { path: 's' }, reply: {} },
  [C.VFS_CHDIR]: { req: { path: 's' }, reply: {} },
  [C.VFS_FCHDIR]: { req: { fd: 'n' }, reply: {} },
  [C.VFS_GETCWD]: { req: {}, reply: { path: 's' } },
  [C.VFS_GETDENTS]: { req: { fd: 'n', buf: 'n', nbytes: 'n' }, reply: {} },
  [C.VFS_DUP]: { req: { fd: 'n' }, reply: {} },
  [C.VFS_DUP2]: { req: { fd: 'n', fd2: 'n' }, reply: {} },
  [C.VFS_FCNTL]: { req: { fd: 'n', cmd: 'n', arg: 'n' }, reply: {} },
  [C.VFS_CHMOD]: { req: { path: 's', mode: 'n' }, reply: {} },
  [C.VFS_FCHMOD]: { req: { fd: 'n', mode: 'n' }, reply: {} },
  [C.VFS_CHOWN]: { req: { path: 's', uid: 'n', gid: 'n' }, reply: {} },
  [C.VFS_ACCESS]: { req: { path: 's', mode: 'n' }, reply: {} },
  [C.VFS_UMASK]: { req: { mask: 'n' }, reply: {} },
  [C.VFS_TRUNCATE]: { req: { path: 's', length: 'n' }, reply: {} },
  [C.VFS_FTRUNCATE]: { req: { fd: 'n', length: 'n' }, reply: {} },
  [C.VFS_UTIME]: { req: { path: 's', atime: 'n', mtime: 'n' }, reply: {} },
  [C.VFS_PIPE]: { req: {}, reply: { fd0: 'n', fd1: 'n' } },
  [C.VFS_MKNOD]: { req: { path: 's', mode: 'n' }, reply: {} },
  [C.VFS_SYNC]: { req: {}, reply: {} },
  [C.VFS_FSYNC]: { req: { fd: 'n' }, reply: {} },
  [C.VFS_STATVFS]: { req: { path: 's' }, reply: STATVFS_REPLY },

  [C.VFS_PM_FORK]: { req: { parent: 'n', child: 'n', pid: 'n' }, reply: {} },
  [C.VFS_PM_EXIT]: { req: { endpoint: 'n' }, reply: {} },
  [C.VFS_PM_EXEC]: {
    req: { endpoint: 'n', path: 's', uid: 'n', gid: 'n' },
    reply: { program: 's', setuid: 'n', fileUid: 'n', setgid: 'n', fileGid: 'n' },
  },
  [C.VFS_PM_SETUID]: { req: { endpoint: 'n', ruid: 'n', euid: 'n' }, reply: {} },
  [C.VFS_PM_SETGID]: { req: { endpoint: 'n', rgid: 'n', egid: 'n' }, reply: {} },
  [C.VFS_PM_UNPAUSE]: { req: { endpoint: 'n' }, reply: {} },
  [C.VFS_PM_DUMPCORE]: { req: { endpoint: 'n' }, reply: {} },
  [C.VFS_PM_SETSID]: { req: { endpoint: 'n' }, reply: {} },
} as const satisfies Record<number, Layout>;

/** The calls whose reply is a struct stat. */
export type StatCall = typeof C.VFS_STAT | typeof C.VFS_LSTAT | typeof C.VFS_FSTAT;

/** The calls that move bytes between a descriptor and the caller's buffer. */
export type ReadWriteCall = typeof C.VFS_READ | typeof C.VFS_WRITE | typeof C.VFS_PREAD | typeof C.VFS_PWRITE;
