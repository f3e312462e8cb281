/*
 * Notifications to RS: the heartbeat alarm (CLOCK), crash reports (KERNEL)
 * and pongs (a service answering its heartbeat ping).
 *
 * The entry points into this file are:
 *   rs_notify(ctx, m)          route one notification
 */
import type { CrashInfo } from '../../kernel/kernel';
import { Co } from '../../kernel/types';
import type { NotifyMsg } from '../../proto/messages';
import { CLOCK, KERNEL } from '../../proto/endpoints';
import { GET_CRASHINFO } from '../../proto/kcalls';
import { ServerCtx } from '../../sef/server';
import { RSF_CRASHED, RsState } from './state';
import { findByEndpoint, markCrashed } from './services';
import { do_heartbeat, do_pong } from './heartbeat';
import { handleCrash } from './recovery';

export function* rs_notify(ctx: ServerCtx<RsState>, m: NotifyMsg): Co<void> {
  if (m.source === CLOCK) return yield* do_heartbeat(ctx);
  if (m.source === KERNEL) return yield* do_crash_report(ctx);
  const slot = findByEndpoint(ctx.st, m.source);
  if (slot < 0 || !do_pong(ctx, slot)) ctx.st.counters.strayNotifies += 1;
}

function* do_crash_report(ctx: ServerCtx<RsState>): Co<void> {
  const st = ctx.st;
  const info = ctx.sys.getinfo(GET_CRASHINFO) as CrashInfo | null;
  if (!info) {
    st.counters.strayNotifies += 1;
    return;
  }
  const slot = findByEndpoint(st, info.endpoint);
  if (slot >= 0) {
    const s = st.services[slot]!;
    // Already handled: the heartbeat found the hang before the kernel reported it.
    if (s.flags & RSF_CRASHED) return;
    markCrashed(s);
  }
  st.counters.crashes += 1;
  const label = slot >= 0 ? st.services[slot]!.label : info.name;
  yield* handleCrash(ctx, label, info.reason, info.message);
}
