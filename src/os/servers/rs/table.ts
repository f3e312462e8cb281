/*
 * The call table of RS: message type -> handler, one line per call.
 *
 * The entry points into this file are:
 *   rsTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallTable, entry } from '../../sef/server';
import { RsState } from './state';
import { do_init, do_lookup, do_service_fi, do_status } from './service';

export const rsTable: CallTable<RsState> = Object.freeze({
  [C.RS_SERVICE_FI]: entry(C.RS_SERVICE_FI, 'service_fi', do_service_fi),
  [C.RS_LOOKUP]: entry(C.RS_LOOKUP, 'rs_lookup', do_lookup),
  [C.RS_INIT]: entry(C.RS_INIT, 'rs_init', do_init),
  [C.RS_STATUS]: entry(C.RS_STATUS, 'rs_status', do_status),
});
