/*
 * exec: the process keeps its slot and endpoint but gets a fresh image
 * (zeroed text, data and stack, an empty heap). Frames of the old image
 * count as available, since they are released first.
 *
 * The entry points into this file are:
 *   do_exec_newmem(ctx, m)   VM_EXEC_NEWMEM {endpoint}: replace the address space
 */
import { Co } from '../../kernel/types';
import { PM } from '../../proto/endpoints';
import { EINVAL, ENOMEM, EPERM } from '../../proto/errno';
import { ServerCtx } from '../../sef/server';
import { auditFrames } from './frames';
import { mappedPages } from './region';
import { auditSpace, buildImage, IMAGE_PAGES, lookupSlot, releaseSpace } from './space';
import { VMF_SIGNALED, VmState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

export function* do_exec_newmem(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_EXEC_NEWMEM>): Co<Reply<typeof C.VM_EXEC_NEWMEM> | null> {
  const st = ctx.st;
  if (m.source !== PM) return { type: -EPERM };
  const slot = lookupSlot(st, m.endpoint);
  if (slot < 0) return { type: -EINVAL };
  const vp = st.vmproc[slot]!;
  if (IMAGE_PAGES > st.freeFrames + mappedPages(vp)) return { type: -ENOMEM };

  releaseSpace(ctx, slot);
  buildImage(ctx, slot);
  // A new image has no signal history; an exit notice (VMF_EXITING) stays.
  vp.flags &= ~VMF_SIGNALED;
  vp.lastSig = 0;
  st.stats.execs++;
  auditSpace(st, slot);
  auditFrames(st);
  return { type: 0 };
}
