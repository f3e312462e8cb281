/*
 * VFS's call table: message type -> handler, with the POSIX name beside
 * it; calls from user processes first, then PM's.
 *
 * The entry points into this file are:
 *   vfsTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallEntry, entry } from '../../sef/server';
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

export const vfsTable: Record<number, CallEntry<VfsState>> = {
  [C.VFS_OPEN]: entry('open', do_open),
  [C.VFS_CLOSE]: entry('close', do_close),
  [C.VFS_READ]: entry('read', do_read),
  [C.VFS_WRITE]: entry('write', do_write),
  [C.VFS_PREAD]: entry('pread', do_pread),
  [C.VFS_PWRITE]: entry('pwrite', do_pwrite),
  [C.VFS_GETDENTS]: entry('getdents', do_getdents),
  [C.VFS_STAT]: entry('stat', do_stat),
  [C.VFS_LSTAT]: entry('lstat', do_lstat),
  [C.VFS_FSTAT]: entry('fstat', do_fstat),
  [C.VFS_MKDIR]: entry('mkdir', do_mkdir),
  [C.VFS_MKNOD]: entry('mknod', do_mknod),
  [C.VFS_CHDIR]: entry('chdir', do_chdir),
  [C.VFS_FCHDIR]: entry('fchdir', do_fchdir),
  [C.VFS_GETCWD]: entry('getcwd', do_getcwd),
  [C.VFS_LSEEK]: entry('lseek', do_lseek),
  [C.VFS_UNLINK]: entry('unlink', do_unlink),
  [C.VFS_RMDIR]: entry('rmdir', do_rmdir),
  [C.VFS_RENAME]: entry('rename', do_rename),
  [C.VFS_LINK]: entry('link', do_link),
  [C.VFS_SYMLINK]: entry('symlink', do_symlink),
  [C.VFS_READLINK]: entry('readlink', do_readlink),
  [C.VFS_TRUNCATE]: entry('truncate', do_truncate),
  [C.VFS_FTRUNCATE]: entry('ftruncate', do_ftruncate),
  [C.VFS_DUP]: entry('dup', do_dup),
  [C.VFS_DUP2]: entry('dup2', do_dup2),
  [C.VFS_FCNTL]: entry('fcntl', do_fcntl),
  [C.VFS_CHMOD]: entry('chmod', do_chmod),
  [C.VFS_FCHMOD]: entry('fchmod', do_fchmod),
  [C.VFS_CHOWN]: entry('chown', do_chown),
  [C.VFS_ACCESS]: entry('access', do_access),
  [C.VFS_UMASK]: entry('umask', do_umask),
  [C.VFS_UTIME]: entry('utime', do_utime),
  [C.VFS_PIPE]: entry('pipe', do_pipe),
  [C.VFS_SYNC]: entry('sync', do_sync),
  [C.VFS_FSYNC]: entry('fsync', do_fsync),
  [C.VFS_STATVFS]: entry('statvfs', do_statvfs),
  [C.VFS_PM_FORK]: entry('pm_fork', pm_fork),
  [C.VFS_PM_EXIT]: entry('pm_exit', pm_exit),
  [C.VFS_PM_EXEC]: entry('pm_exec', pm_exec),
  [C.VFS_PM_SETUID]: entry('pm_setuid', pm_setuid),
  [C.VFS_PM_SETGID]: entry('pm_setgid', pm_setgid),
  [C.VFS_PM_UNPAUSE]: entry('pm_unpause', pm_unpause),
  [C.VFS_PM_SETSID]: entry('pm_setsid', pm_setsid),
  [C.VFS_PM_DUMPCORE]: entry('pm_dumpcore', pm_dumpcore),
};
