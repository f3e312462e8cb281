/*
 * Time and the rest: times(), gettimeofday(), reboot, and PM's
 * notifications (kernel signals, alarms).
 *
 * The entry points into this file are:
 *   do_times, do_gettimeofday, do_reboot
 *   pmNotify   a notification from the kernel (signals) or the clock (alarms)
 */
import { Co } from '../../kernel/types';
import { CLOCK, KERNEL } from '../../proto/endpoints';
import { ENOSYS, EPERM } from '../../proto/errno';
import { ServerCtx } from '../../sef/server';
import { PmState } from './state';
import { callerSlot } from './utility';
import { kernelSignals } from './signal';
import { expireAlarms } from './alarm';
import type { NotifyMsg, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<PmState>;

export function* do_times(ctx: Ctx, m: Req<typeof C.PM_TIMES>): Co<Reply<typeof C.PM_TIMES> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  const t = ctx.sys.times(m.source);
  return { type: 0, utime: t.user, stime: t.sys, cutime: rmp.cutime, cstime: rmp.cstime, now: t.now };
}

export function* do_gettimeofday(ctx: Ctx, m: Req<typeof C.PM_GETTIMEOFDAY>): Co<Reply<typeof C.PM_GETTIMEOFDAY> | null> {
  callerSlot(ctx.st, m.source);
  return { type: 0, now: ctx.sys.times(ctx.self).now };
}

export function* do_reboot(ctx: Ctx, m: Req<typeof C.PM_REBOOT>): Co<Reply<typeof C.PM_REBOOT> | null> {
  const rmp = ctx.st.mproc[callerSlot(ctx.st, m.source)]!;
  return { type: rmp.euid === 0 ? -ENOSYS : -EPERM };
}

export function* pmNotify(ctx: Ctx, m: NotifyMsg): Co<void> {
  if (m.source === KERNEL) yield* kernelSignals(ctx);
  else if (m.source === CLOCK) yield* expireAlarms(ctx);
}
