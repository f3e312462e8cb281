/*
 * The call table of RS: message type -> handler, one line per call.
 *
 * The entry points into this file are:
 *   rsTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallEntry, entry } from '../../sef/server';
import { RsState } from './state';
import { do_init, do_lookup, do_service_fi, do_status } from './service';

export const rsTable: Record<number, CallEntry<RsState>> = Object.freeze({
  [C.RS_SERVICE_FI]: entry('service_fi', do_service_fi),
  [C.RS_LOOKUP]: entry('rs_lookup', do_lookup),
  [C.RS_INIT]: entry('rs_init', do_init),
  [C.RS_STATUS]: entry('rs_status', do_status),
});
