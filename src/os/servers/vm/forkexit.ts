/*
 * Process creation and removal as PM asks for them: fork copies the
 * parent's address space eagerly into new frames; exit releases every frame
 * and region. Also the bookkeeping-only notices PM sends on the way out.
 *
 * The entry points into this file are:
 *   do_fork(ctx, m)        VM_FORK {parent, slot}: kernel fork plus address-space copy
 *   do_exit(ctx, m)        VM_EXIT {endpoint}: release the address space
 *   do_willexit(ctx, m)    VM_WILLEXIT {endpoint}: note that the process is exiting
 *   do_notify_sig(ctx, m)  VM_NOTIFY_SIG {endpoint, sig}: note a signal for the process
 */
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { FIRST_USER_SLOT, NR_SLOTS, PM, slotOf } from '../../proto/endpoints';
import { EINVAL, ENOMEM, EPERM } from '../../proto/errno';
import { NSIG } from '../../proto/signals';
import { ServerCtx } from '../../sef/server';
import { allocFrames, auditFrames } from './frames';
import { copyRegion } from './pagetable';
import { mappedPages } from './region';
import { auditSpace, lookupSlot, releaseSpace } from './space';
import { NR_REGIONS, VMF_EXITING, VMF_SIGNALED, VmState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

export function* do_fork(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_FORK>): Co<Reply<typeof C.VM_FORK> | null> {
  const st = ctx.st;
  if (m.source !== PM) return { type: -EPERM };
  const pslot = lookupSlot(st, m.parent);
  if (pslot < 0) return { type: -EINVAL };
  const slot = m.slot;
  if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < FIRST_USER_SLOT || slot >= NR_SLOTS) return { type: -EINVAL };
  if (st.vmproc[slot]!.inUse) return { type: -EINVAL };
  const parent = st.vmproc[pslot]!;
  if (mappedPages(parent) > st.freeFrames) return { type: -ENOMEM };

  // Everything is checked: from the kernel's fork on, nothing may fail.
  const child = ctx.sys.fork(m.parent, slot);
  if (child < 0) return { type: child };
  if (slotOf(child) !== slot) panic('vm', `kernel forked into slot ${slotOf(child)}, asked for ${slot}`);

  const vc = st.vmproc[slot]!;
  vc.inUse = true;
  vc.endpoint = child;
  vc.flags = 0;
  vc.lastSig = 0;
  vc.brkPage = parent.brkPage;
  for (let i = 0; i < NR_REGIONS; i++) {
    const r = parent.regions[i]!;
    if (!r.inUse) continue;
    copyRegion(ctx, parent, vc, i, allocFrames(st, r.pages, slot));
  }
  st.stats.forks++;
  auditSpace(st, slot);
  auditFrames(st);
  return { type: 0, endpoint: child };
}

export function* do_exit(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_EXIT>): Co<Reply<typeof C.VM_EXIT> | null> {
  const st = ctx.st;
  if (m.source !== PM) return { type: -EPERM };
  const slot = lookupSlot(st, m.endpoint);
  if (slot < 0) return { type: -EINVAL };
  releaseSpace(ctx, slot);
  const vp = st.vmproc[slot]!;
  vp.inUse = false;
  vp.endpoint = -1;
  vp.flags = 0;
  vp.lastSig = 0;
  st.stats.exits++;
  auditFrames(st);
  return { type: 0 };
}

export function* do_willexit(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_WILLEXIT>): Co<Reply<typeof C.VM_WILLEXIT> | null> {
  if (m.source !== PM) return { type: -EPERM };
  const slot = lookupSlot(ctx.st, m.endpoint);
  if (slot < 0) return { type: -EINVAL };
  ctx.st.vmproc[slot]!.flags |= VMF_EXITING;
  return { type: 0 };
}

export function* do_notify_sig(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_NOTIFY_SIG>): Co<Reply<typeof C.VM_NOTIFY_SIG> | null> {
  if (m.source !== PM) return { type: -EPERM };
  const slot = lookupSlot(ctx.st, m.endpoint);
  if (slot < 0) return { type: -EINVAL };
  const sig = m.sig;
  if (typeof sig !== 'number' || !Number.isInteger(sig) || sig < 1 || sig >= NSIG) return { type: -EINVAL };
  const vp = ctx.st.vmproc[slot]!;
  vp.flags |= VMF_SIGNALED;
  vp.lastSig = sig;
  ctx.st.stats.signals++;
  return { type: 0 };
}
