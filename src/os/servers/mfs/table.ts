/*
 * The MFS call table: one line per request from VFS, the protocol name beside it.
 *
 * The entry points into this file are:
 *   mfsTable   message type -> handler
 */
import * as C from '../../proto/calls';
import { CallTable, entry } from '../../sef/server';
import { do_link, do_rdlink, do_rmdir, do_unlink } from './link';
import { do_ftrunc, do_getnode, do_putnode, do_sync } from './misc';
import { do_create, do_lookup, do_mkdir, do_mknod, do_slink } from './open';
import { do_chmod, do_chown, do_utime } from './protect';
import { do_getdents, do_read, do_write } from './read';
import { do_rename } from './rename';
import { do_stat, do_statvfs } from './stadir';
import { MfsState } from './state';

export const mfsTable: CallTable<MfsState> = {
  [C.REQ_LOOKUP]: entry(C.REQ_LOOKUP, 'req_lookup', do_lookup),
  [C.REQ_CREATE]: entry(C.REQ_CREATE, 'req_create', do_create),
  [C.REQ_MKDIR]: entry(C.REQ_MKDIR, 'req_mkdir', do_mkdir),
  [C.REQ_MKNOD]: entry(C.REQ_MKNOD, 'req_mknod', do_mknod),
  [C.REQ_UNLINK]: entry(C.REQ_UNLINK, 'req_unlink', do_unlink),
  [C.REQ_RMDIR]: entry(C.REQ_RMDIR, 'req_rmdir', do_rmdir),
  [C.REQ_RENAME]: entry(C.REQ_RENAME, 'req_rename', do_rename),
  [C.REQ_LINK]: entry(C.REQ_LINK, 'req_link', do_link),
  [C.REQ_SLINK]: entry(C.REQ_SLINK, 'req_slink', do_slink),
  [C.REQ_RDLINK]: entry(C.REQ_RDLINK, 'req_rdlink', do_rdlink),
  [C.REQ_READ]: entry(C.REQ_READ, 'req_read', do_read),
  [C.REQ_WRITE]: entry(C.REQ_WRITE, 'req_write', do_write),
  [C.REQ_GETDENTS]: entry(C.REQ_GETDENTS, 'req_getdents', do_getdents),
  [C.REQ_STAT]: entry(C.REQ_STAT, 'req_stat', do_stat),
  [C.REQ_CHMOD]: entry(C.REQ_CHMOD, 'req_chmod', do_chmod),
  [C.REQ_CHOWN]: entry(C.REQ_CHOWN, 'req_chown', do_chown),
  [C.REQ_FTRUNC]: entry(C.REQ_FTRUNC, 'req_ftrunc', do_ftrunc),
  [C.REQ_UTIME]: entry(C.REQ_UTIME, 'req_utime', do_utime),
  [C.REQ_PUTNODE]: entry(C.REQ_PUTNODE, 'req_putnode', do_putnode),
  [C.REQ_GETNODE]: entry(C.REQ_GETNODE, 'req_getnode', do_getnode),
  [C.REQ_SYNC]: entry(C.REQ_SYNC, 'req_sync', do_sync),
  [C.REQ_STATVFS]: entry(C.REQ_STATVFS, 'req_statvfs', do_statvfs),
};
