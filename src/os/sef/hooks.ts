/*
 * The points where the server loop calls into the recovery layer: the
 * top-of-loop checkpoint and a VFS worker switch. No-ops until OSIRIS is
 * installed (src/osiris), so the plain system runs without recovery.
 *
 * The entry points into this file are:
 *   SefHooks       requestStart, workerSwitch, requestEnd
 *   NO_SEF_HOOKS   the hooks of a system without recovery
 *   chainHooks     two sets of hooks, the first's before the second's at every event
 */
import { Proc } from '../kernel/proc';
import { Msg } from '../kernel/types';

export interface SefHooks {
  /** A request was received at the top of the loop (or a worker starts one): checkpoint, open the window. */
  requestStart(server: Proc, m: Msg, replyable: boolean): void;
  /** Another worker ran since this one's request started: the window closes. `m` is the resumed worker's request. */
  workerSwitch(server: Proc, m: Msg, replyable: boolean): void;
  /** The request is done (reply sent or suspended). */
  requestEnd(server: Proc): void;
}

export const NO_SEF_HOOKS: SefHooks = { requestStart() {}, workerSwitch() {}, requestEnd() {} };

/** `first`'s hooks, then `then`'s, at every SEF event. */
export function chainHooks(first: SefHooks, then: SefHooks): SefHooks {
  return {
    requestStart: (p, m, r) => { first.requestStart(p, m, r); then.requestStart(p, m, r); },
    workerSwitch: (p, m, r) => { first.workerSwitch(p, m, r); then.workerSwitch(p, m, r); },
    requestEnd: (p) => { first.requestEnd(p); then.requestEnd(p); },
  };
}
