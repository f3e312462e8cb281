/*
 * The complete user-side API: process, file, DS and RS calls. Programs get
 * one `Libc` per process.
 */
import { Co } from '../kernel/types';
import { RS } from '../proto/endpoints';
import { RS_SERVICE_FI, RS_LOOKUP } from '../proto/calls';
import { LibcDs } from './ds';

export class Libc extends LibcDs {
  /** `service fi <label>`: ask RS to crash a server (recovery pre-tests). */
  serviceFi(label: string): Co<number> { return this.intcall(RS, { type: RS_SERVICE_FI, label }); }

  /** The endpoint of a service by label, or -1. */
  serviceLookup(label: string): Co<number> { return this.intcall(RS, { type: RS_LOOKUP, label }); }
}
