/*
 * The MFS call table: one line per request from VFS, the protocol name beside it.
 *
 * The entry points into this file are:
 *   mfsTable   message type -> handler
 */
import * as C from '../../proto/calls';
import { CallEntry, entry } from '../../sef/server';
import { do_link, do_rdlink, do_rmdir, do_unlink } from './link';
import { do_ftrunc, do_getnode, do_putnode, do_sync } from './misc';
import { do_create, do_lookup, do_mkdir, do_mknod, do_slink } from './open';
import { do_chmod, do_chown, do_utime } from './protect';
import { do_getdents, do_read, do_write } from './read';
import { do_rename } from './rename';
import { do_stat, do_statvfs } from './stadir';
import { MfsState } from './state';

export const mfsTable: Record<number, CallEntry<MfsState>> = {
  [C.REQ_LOOKUP]: entry('req_lookup', do_lookup),
  [C.REQ_CREATE]: entry('req_create', do_create),
  [C.REQ_MKDIR]: entry('req_mkdir', do_mkdir),
  [C.REQ_MKNOD]: entry('req_mknod', do_mknod),
  [C.REQ_UNLINK]: entry('req_unlink', do_unlink),
  [C.REQ_RMDIR]: entry('req_rmdir', do_rmdir),
  [C.REQ_RENAME]: entry('req_rename', do_rename),
  [C.REQ_LINK]: entry('req_link', do_link),
  [C.REQ_SLINK]: entry('req_slink', do_slink),
  [C.REQ_RDLINK]: entry('req_rdlink', do_rdlink),
  [C.REQ_READ]: entry('req_read', do_read),
  [C.REQ_WRITE]: entry('req_write', do_write),
  [C.REQ_GETDENTS]: entry('req_getdents', do_getdents),
  [C.REQ_STAT]: entry('req_stat', do_stat),
  [C.REQ_CHMOD]: entry('req_chmod', do_chmod),
  [C.REQ_CHOWN]: entry('req_chown', do_chown),
  [C.REQ_FTRUNC]: entry('req_ftrunc', do_ftrunc),
  [C.REQ_UTIME]: entry('req_utime', do_utime),
  [C.REQ_PUTNODE]: entry('req_putnode', do_putnode),
  [C.REQ_GETNODE]: entry('req_getnode', do_getnode),
  [C.REQ_SYNC]: entry('req_sync', do_sync),
  [C.REQ_STATVFS]: entry('req_statvfs', do_statvfs),
};
