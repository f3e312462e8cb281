/*
 * VFS, the virtual file system: per-process descriptors, open files,
 * vnodes, pipes; path resolution and file data are MFS's. Multithreaded:
 * NR_WORKERS cooperative workers, so a request waiting on MFS lets
 * another run (src/os/sef/threads.ts).
 *
 * The entry points into this file are:
 *   vfsServer   the server definition (slot, priority, kernel calls, call table, workers)
 */
import { VFS } from '../../proto/endpoints';
import { PRIO_SYSTEM } from '../../kernel/proc';
import { ServerDef } from '../../sef/server';
import { SERVICE_CALL_MASKS } from '../../proto/privileges';
import { NR_WORKERS, VfsState, initialState } from './state';
import { vfsTable } from './table';

export const vfsServer: ServerDef<VfsState> = {
  name: 'vfs',
  slot: VFS,
  prio: PRIO_SYSTEM,
  callMask: SERVICE_CALL_MASKS.vfs,
  initialState,
  table: vfsTable,
  workers: NR_WORKERS,
};
