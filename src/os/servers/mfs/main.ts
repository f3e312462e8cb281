/*
 * MFS, the MINIX file system server: a single-threaded server that holds
 * the whole disk image in its data section and answers VFS's requests.
 *
 * The entry points into this file are:
 *   mfsServer   the server definition (slot, priority, kernel calls, call table)
 */
import { PRIO_FS } from '../../kernel/proc';
import { MFS } from '../../proto/endpoints';
import { SYS_DIAGCTL, SYS_GETINFO, SYS_SAFECOPYFROM, SYS_SAFECOPYTO, SYS_TIMES } from '../../proto/kcalls';
import { ServerDef } from '../../sef/server';
import { initialState, MfsState } from './state';
import { mfsTable } from './table';

export const mfsServer: ServerDef<MfsState> = {
  name: 'mfs',
  slot: MFS,
  prio: PRIO_FS,
  callMask: ((1 << SYS_SAFECOPYFROM) | (1 << SYS_SAFECOPYTO) | (1 << SYS_TIMES) | (1 << SYS_DIAGCTL) | (1 << SYS_GETINFO)) >>> 0,
  initialState,
  table: mfsTable,
};
