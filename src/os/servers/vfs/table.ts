/* VFS's call table: message type -> handler, with the POSIX name beside it. */
import * as C from '../../proto/calls';
import { CallEntry, entry } from '../../sef/server';
import { VfsState } from './state';
import { do_close, do_mkdir, do_mknod, do_open } from './open';
import { do_getdents, do_pread, do_pwrite, do_read, do_write } from './read-write';
import { do_chdir, do_fchdir, do_fstat, do_getcwd, do_lstat, do_stat } from './stat';
import { do_pipe } from './pipe';
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
  [C.VFS_PIPE]: entry('pipe', do_pipe),
  [C.VFS_PM_FORK]: entry('pm_fork', pm_fork),
  [C.VFS_PM_EXIT]: entry('pm_exit', pm_exit),
  [C.VFS_PM_EXEC]: entry('pm_exec', pm_exec),
  [C.VFS_PM_SETUID]: entry('pm_setuid', pm_setuid),
  [C.VFS_PM_SETGID]: entry('pm_setgid', pm_setgid),
  [C.VFS_PM_UNPAUSE]: entry('pm_unpause', pm_unpause),
  [C.VFS_PM_SETSID]: entry('pm_setsid', pm_setsid),
  [C.VFS_PM_DUMPCORE]: entry('pm_dumpcore', pm_dumpcore),
};
