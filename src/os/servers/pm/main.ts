/*
 * PM, the process manager: process creation and termination, signals,
 * identities and time. Single-threaded: one request at a time, top to
 * bottom, talking to VM, VFS and the kernel on the way.
 *
 * The entry points into this file are:
 *   pmServer   the server definition (slot, priority, kernel calls, call table, notifications)
 */
import { PM } from '../../proto/endpoints';
import { PRIO_SYSTEM } from '../../kernel/proc';
import { ServerDef } from '../../sef/server';
import { SERVICE_CALL_MASKS } from '../../proto/privileges';
import { PmState, initialState } from './state';
import { pmTable } from './table';
import { pmNotify } from './misc';

export const pmServer: ServerDef<PmState> = {
  name: 'pm',
  slot: PM,
  prio: PRIO_SYSTEM,
  callMask: SERVICE_CALL_MASKS.pm,
  initialState,
  table: pmTable,
  notify: pmNotify,
};
