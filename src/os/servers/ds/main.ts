/*
 * DS, the data store: a small key-value store of typed values (u32, string,
 * memory) with owner-based access control and prefix subscriptions, as
 * MINIX's ds. It has no startup work; the SEF loop receives, dispatches
 * through the call table and replies.
 *
 * The entry points into this file are:
 *   dsServer   the server definition
 */
import { PRIO_SYSTEM } from '../../kernel/proc';
import { DS } from '../../proto/endpoints';
import { SERVICE_CALL_MASKS } from '../../proto/privileges';
import { ServerDef } from '../../sef/server';
import { DsState, initialState } from './state';
import { dsTable } from './table';

export const dsServer: ServerDef<DsState> = {
  name: 'ds',
  slot: DS,
  prio: PRIO_SYSTEM,
  callMask: SERVICE_CALL_MASKS.ds,
  initialState,
  table: dsTable,
};
