/*
 * The call table of DS: message type -> handler, one line per call.
 *
 * The entry points into this file are:
 *   dsTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallTable, entry } from '../../sef/server';
import { DsState } from './state';
import { do_delete, do_publish, do_retrieve } from './store';
import { do_check, do_subscribe, do_unsubscribe, do_pm_exit } from './subscribe';

export const dsTable: CallTable<DsState> = Object.freeze({
  [C.DS_PUBLISH]: entry(C.DS_PUBLISH, 'ds_publish', do_publish),
  [C.DS_RETRIEVE]: entry(C.DS_RETRIEVE, 'ds_retrieve', do_retrieve),
  [C.DS_DELETE]: entry(C.DS_DELETE, 'ds_delete', do_delete),
  [C.DS_CHECK]: entry(C.DS_CHECK, 'ds_check', do_check),
  [C.DS_SUBSCRIBE]: entry(C.DS_SUBSCRIBE, 'ds_subscribe', do_subscribe),
  [C.DS_UNSUBSCRIBE]: entry(C.DS_UNSUBSCRIBE, 'ds_unsubscribe', do_unsubscribe),
  [C.DS_PM_EXIT]: entry(C.DS_PM_EXIT, 'pm_exit', do_pm_exit),
});
