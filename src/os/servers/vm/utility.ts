/*
 * Queries that change nothing: the frame count (libc's vminfo) and the frame
 * behind a virtual address (tests and the consistency oracle).
 *
 * The entry points into this file are:
 *   do_info(ctx, m)      VM_INFO {}: -> {free, total}
 *   do_getphys(ctx, m)   VM_GETPHYS {endpoint, addr}: -> the frame number as the result
 */
import { Co } from '../../kernel/types';
import { EFAULT, EINVAL } from '../../proto/errno';
import { NR_FRAMES, PAGE_SIZE, VPAGES } from '../../proto/vm';
import { ServerCtx } from '../../sef/server';
import { lookupSlot } from './space';
import { NO_FRAME, VmState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

export function* do_info(ctx: ServerCtx<VmState>, _m: Req<typeof C.VM_INFO>): Co<Reply<typeof C.VM_INFO> | null> {
  return { type: 0, free: ctx.st.freeFrames, total: NR_FRAMES };
}

export function* do_getphys(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_GETPHYS>): Co<Reply<typeof C.VM_GETPHYS> | null> {
  const slot = lookupSlot(ctx.st, m.endpoint);
  if (slot < 0) return { type: -EINVAL };
  const addr = m.addr;
  if (typeof addr !== 'number' || !Number.isInteger(addr) || addr < 0 || addr >= VPAGES * PAGE_SIZE) return { type: -EFAULT };
  const f = ctx.st.vmproc[slot]!.pageFrame[Math.floor(addr / PAGE_SIZE)]!;
  return f === NO_FRAME ? { type: -EFAULT } : { type: f };
}
