/*
 * Heartbeats: every HEARTBEAT_NS RS pings each live service with a
 * notification; SEF in the service answers with one. A service that has not
 * answered by the next tick is hung, and a hang is handled as a crash
 * (hangs become fail-stop).
 *
 * The entry points into this file are:
 *   HEARTBEAT_NS            the heartbeat period, in simulated nanoseconds
 *   armHeartbeat(ctx)       set the next heartbeat alarm
 *   do_heartbeat(ctx)       a heartbeat tick (RS's alarm fired)
 *   do_pong(ctx, slot)      a service answered its ping
 */
import { notify } from '../../kernel/ipc-api';
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { ServerCtx } from '../../sef/server';
import { NR_SERVICES, RSF_PING_PENDING, RsState } from './state';
import { isLive, markCrashed } from './services';
import { handleCrash } from './recovery';

export const HEARTBEAT_NS = 20_000_000;

export function armHeartbeat(ctx: ServerCtx<RsState>): void {
  const at = ctx.sys.times(ctx.self).now + HEARTBEAT_NS;
  // A watchdog alarm: it keeps time moving but does not count as progress for deadlock detection.
  const r = ctx.sys.setalarm(at, true);
  if (r < -1) panic('rs', `setalarm failed: ${r}`);
  ctx.st.heartbeatAt = at;
}

export function* do_heartbeat(ctx: ServerCtx<RsState>): Co<void> {
  const st = ctx.st;
  st.counters.ticks += 1;
  const hung: number[] = [];
  const ping: number[] = [];
  for (let i = 0; i < NR_SERVICES; i++) {
    const s = st.services[i]!;
    if (!isLive(s) || s.endpoint === ctx.self) continue;
    if (s.flags & RSF_PING_PENDING) {
      markCrashed(s);
      st.counters.hangs += 1;
      hung.push(i);
    } else {
      s.flags |= RSF_PING_PENDING;
      s.pings += 1;
      st.counters.pingsSent += 1;
      ping.push(i);
    }
  }
  armHeartbeat(ctx);
  for (const i of ping) yield notify(st.services[i]!.endpoint);
  for (const i of hung) {
    yield* handleCrash(ctx, st.services[i]!.label, 'hang', `no heartbeat reply within ${HEARTBEAT_NS} ns`);
  }
}

/** Returns false when no ping was outstanding (a stray notification). */
export function do_pong(ctx: ServerCtx<RsState>, slot: number): boolean {
  const st = ctx.st;
  const s = st.services[slot]!;
  if ((s.flags & RSF_PING_PENDING) === 0) return false;
  s.flags &= ~RSF_PING_PENDING;
  s.pongs += 1;
  st.counters.pongs += 1;
  return true;
}
