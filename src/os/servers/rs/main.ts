/*
 * RS, the reincarnation server: it knows every system service, gives them
 * their kernel privileges at boot, watches them with heartbeats, learns of
 * crashes from the kernel and decides what happens next (recovery.ts).
 *
 * The entry points into this file are:
 *   rsServer   the server definition
 */
import { Co } from '../../kernel/types';
import { PRIO_SYSTEM_HIGH } from '../../kernel/proc';
import { RS } from '../../proto/endpoints';
import { SERVICE_CALL_MASKS } from '../../proto/privileges';
import { ServerCtx, ServerDef } from '../../sef/server';
import { NR_SERVICES, RSF_PING_PENDING, RsState, initialState } from './state';
import { bootServices, installPrivileges } from './services';
import { armHeartbeat } from './heartbeat';
import { rs_notify } from './notify';
import { rsTable } from './table';

function* initFresh(ctx: ServerCtx<RsState>): Co<void> {
  bootServices(ctx.st);
  installPrivileges(ctx);
  armHeartbeat(ctx);
}

/** A restarted RS cannot know which pongs it missed while down: start the heartbeat afresh. */
function* initRestart(ctx: ServerCtx<RsState>): Co<void> {
  for (let i = 0; i < NR_SERVICES; i++) {
    const s = ctx.st.services[i]!;
    if (s.inUse && s.flags & RSF_PING_PENDING) s.flags &= ~RSF_PING_PENDING;
  }
  armHeartbeat(ctx);
}

export const rsServer: ServerDef<RsState> = {
  name: 'rs',
  slot: RS,
  prio: PRIO_SYSTEM_HIGH,
  callMask: SERVICE_CALL_MASKS.rs,
  initialState,
  initFresh,
  initRestart,
  table: rsTable,
  notify: rs_notify,
};
