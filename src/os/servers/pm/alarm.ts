/*
 * alarm(): PM keeps every process's alarm and holds one kernel alarm for
 * the earliest of them, as MINIX's PM does with its timer queue.
 *
 * The entry points into this file are:
 *   do_alarm       PM_ALARM: set or cancel the caller's alarm
 *   cancelAlarm    drop a process's alarm (exit)
 *   expireAlarms   the kernel alarm fired: SIGALRM to every process due
 */
import { Co } from '../../kernel/types';
import { NR_SLOTS } from '../../proto/endpoints';
import { EINVAL } from '../../proto/errno';
import { SIGALRM } from '../../proto/signals';
import { ServerCtx } from '../../sef/server';
import { IN_USE, PmState, ZOMBIE } from './state';
import { callerSlot } from './utility';
import { sigProc } from './signal';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<PmState>;

function now(ctx: Ctx): number {
  return ctx.sys.times(ctx.self).now;
}

/** Point the kernel alarm at the earliest process alarm. */
function resetKernelAlarm(ctx: Ctx): void {
  const st = ctx.st;
  let next = -1;
  for (let i = 0; i < NR_SLOTS; i++) {
    const rmp = st.mproc[i]!;
    if (rmp.flags & IN_USE && rmp.alarmAt >= 0 && (next < 0 || rmp.alarmAt < next)) next = rmp.alarmAt;
  }
  if (next !== st.kernelAlarm) {
    st.kernelAlarm = next;
    ctx.sys.setalarm(next, false);
  }
}

export function* do_alarm(ctx: Ctx, m: Req<typeof C.PM_ALARM>): Co<Reply<typeof C.PM_ALARM> | null> {
  const st = ctx.st;
  const rmp = st.mproc[callerSlot(st, m.source)]!;
  const ns = Number(m.ns);
  if (!Number.isFinite(ns) || ns < 0) return { type: -EINVAL };
  const t = now(ctx);
  const remaining = rmp.alarmAt >= 0 ? Math.max(0, rmp.alarmAt - t) : 0;
  rmp.alarmAt = ns > 0 ? t + ns : -1;
  resetKernelAlarm(ctx);
  return { type: 0, remaining };
}

export function cancelAlarm(ctx: Ctx, slot: number): void {
  const rmp = ctx.st.mproc[slot]!;
  if (rmp.alarmAt < 0) return;
  rmp.alarmAt = -1;
  resetKernelAlarm(ctx);
}

export function* expireAlarms(ctx: Ctx): Co<void> {
  const st = ctx.st;
  const t = now(ctx);
  st.kernelAlarm = -1;
  for (let i = 0; i < NR_SLOTS; i++) {
    const rmp = st.mproc[i]!;
    if (!(rmp.flags & IN_USE) || rmp.flags & ZOMBIE || rmp.alarmAt < 0 || rmp.alarmAt > t) continue;
    rmp.alarmAt = -1;
    yield* sigProc(ctx, i, SIGALRM);
  }
  resetKernelAlarm(ctx);
}
