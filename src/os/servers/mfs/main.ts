/*
 * MFS, the MINIX file system server: a single-threaded server that holds
 * the whole disk image in its data section and answers VFS's requests.
 *
 * The entry points into this file are:
 *   mfsServer   the server definition (slot, priority, kernel calls, call table)
 */
import { PRIO_FS } from '../../kernel/proc';
import { MFS } from '../../proto/endpoints';
import { SERVICE_CALL_MASKS } from '../../proto/privileges';
import { ServerDef } from '../../sef/server';
import { initialState } from './mkfs';
import { MfsState } from './state';
import { mfsTable } from './table';

export const mfsServer: ServerDef<MfsState> = {
  name: 'mfs',
  slot: MFS,
  prio: PRIO_FS,
  callMask: SERVICE_CALL_MASKS.mfs,
  initialState,
  table: mfsTable,
};
