/*
 * VFS's call table: message type -> handler, with the POSIX name beside
 * it; calls from user processes first, then PM's.
 *
 * The entry points into this file are:
 *   vfsTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallTable, entry } from '../../sef/server';
import { VfsState } from './state';
import { do_close, do_mkdir, do_mknod, do_open } from './open';
import { do_getdents, do_pread, do_pwrite, do_read, do_write } from './read-write';
import { do_chdir, do_fchdir, do_fstat, do_getcwd, do_lstat, do_stat } from './stat';
import { do_pipe } from './pipe';
import { do_dup, do_dup2, do_fcntl, do_lseek } from './filedes';
import { do_ftruncate, do_link, do_readlink, do_rename, do_rmdir, do_symlink, do_truncate, do_unlink } from './link';
import { do_access, do_chmod, do_chown, do_fchmod, do_umask, do_utime } from './protect';
import { do_fsync, do_statvfs, do_sync } from './misc';
import { pm_dumpcore, pm_exec, pm_exit, pm_fork, pm_setgid, pm_setsid, pm_setuid, pm_unpause } from './pm-calls';

export const vfsTable: CallTable<VfsState> = {
  [C.VFS_OPEN]: entry(C.VFS_OPEN, 'open', do_open),
  [C.VFS_CLOSE]: entry(C.VFS_CLOSE, 'close', do_close),
  [C.VFS_READ]: entry(C.VFS_READ, 'read', do_read),
  [C.VFS_WRITE]: entry(C.VFS_WRITE, 'write', do_write),
  [C.VFS_PREAD]: entry(C.VFS_PREAD, 'pread', do_pread),
  [C.VFS_PWRITE]: entry(C.VFS_PWRITE, 'pwrite', do_pwrite),
  [C.VFS_GETDENTS]: entry(C.VFS_GETDENTS, 'getdents', do_getdents),
  [C.VFS_STAT]: entry(C.VFS_STAT, 'stat', do_stat),
  [C.VFS_LSTAT]: entry(C.VFS_LSTAT, 'lstat', do_lstat),
  [C.VFS_FSTAT]: entry(C.VFS_FSTAT, 'fstat', do_fstat),
  [C.VFS_MKDIR]: entry(C.VFS_MKDIR, 'mkdir', do_mkdir),
  [C.VFS_MKNOD]: entry(C.VFS_MKNOD, 'mknod', do_mknod),
  [C.VFS_CHDIR]: entry(C.VFS_CHDIR, 'chdir', do_chdir),
  [C.VFS_FCHDIR]: entry(C.VFS_FCHDIR, 'fchdir', do_fchdir),
  [C.VFS_GETCWD]: entry(C.VFS_GETCWD, 'getcwd', do_getcwd),
  [C.VFS_LSEEK]: entry(C.VFS_LSEEK, 'lseek', do_lseek),
  [C.VFS_UNLINK]: entry(C.VFS_UNLINK, 'unlink', do_unlink),
  [C.VFS_RMDIR]: entry(C.VFS_RMDIR, 'rmdir', do_rmdir),
  [C.VFS_RENAME]: entry(C.VFS_RENAME, 'rename', do_rename),
  [C.VFS_LINK]: entry(C.VFS_LINK, 'link', do_link),
  [C.VFS_SYMLINK]: entry(C.VFS_SYMLINK, 'symlink', do_symlink),
  [C.VFS_READLINK]: entry(C.VFS_READLINK, 'readlink', do_readlink),
  [C.VFS_TRUNCATE]: entry(C.VFS_TRUNCATE, 'truncate', do_truncate),
  [C.VFS_FTRUNCATE]: entry(C.VFS_FTRUNCATE, 'ftruncate', do_ftruncate),
  [C.VFS_DUP]: entry(C.VFS_DUP, 'dup', do_dup),
  [C.VFS_DUP2]: entry(C.VFS_DUP2, 'dup2', do_dup2),
  [C.VFS_FCNTL]: entry(C.VFS_FCNTL, 'fcntl', do_fcntl),
  [C.VFS_CHMOD]: entry(C.VFS_CHMOD, 'chmod', do_chmod),
  [C.VFS_FCHMOD]: entry(C.VFS_FCHMOD, 'fchmod', do_fchmod),
  [C.VFS_CHOWN]: entry(C.VFS_CHOWN, 'chown', do_chown),
  [C.VFS_ACCESS]: entry(C.VFS_ACCESS, 'access', do_access),
  [C.VFS_UMASK]: entry(C.VFS_UMASK, 'umask', do_umask),
  [C.VFS_UTIME]: entry(C.VFS_UTIME, 'utime', do_utime),
  [C.VFS_PIPE]: entry(C.VFS_PIPE, 'pipe', do_pipe),
  [C.VFS_SYNC]: entry(C.VFS_SYNC, 'sync', do_sync),
  [C.VFS_FSYNC]: entry(C.VFS_FSYNC, 'fsync', do_fsync),
  [C.VFS_STATVFS]: entry(C.VFS_STATVFS, 'statvfs', do_statvfs),
  [C.VFS_PM_FORK]: entry(C.VFS_PM_FORK, 'pm_fork', pm_fork),
  [C.VFS_PM_EXIT]: entry(C.VFS_PM_EXIT, 'pm_exit', pm_exit),
  [C.VFS_PM_EXEC]: entry(C.VFS_PM_EXEC, 'pm_exec', pm_exec),
  [C.VFS_PM_SETUID]: entry(C.VFS_PM_SETUID, 'pm_setuid', pm_setuid),
  [C.VFS_PM_SETGID]: entry(C.VFS_PM_SETGID, 'pm_setgid', pm_setgid),
  [C.VFS_PM_UNPAUSE]: entry(C.VFS_PM_UNPAUSE, 'pm_unpause', pm_unpause),
  [C.VFS_PM_SETSID]: entry(C.VFS_PM_SETSID, 'pm_setsid', pm_setsid),
  [C.VFS_PM_DUMPCORE]: entry(C.VFS_PM_DUMPCORE, 'pm_dumpcore', pm_dumpcore),
};
