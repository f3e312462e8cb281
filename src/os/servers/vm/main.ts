/*
 * The VM server: physical frames and user address spaces. At boot it builds
 * init's address space (the system processes are servers without one); every
 * other space is made by fork and exec on PM's behalf.
 *
 * The entry points into this file are:
 *   vmServer   the server definition (slot, priority, kernel calls, table, startup)
 */
import { panic } from '../../kernel/errors';
import { PRIO_SYSTEM_HIGH } from '../../kernel/proc';
import { Co } from '../../kernel/types';
import { INIT, VM } from '../../proto/endpoints';
import { SYS_DIAGCTL, SYS_FORK, SYS_GETINFO, SYS_PHYSCOPY, SYS_PHYSZERO, SYS_TIMES, SYS_VMCTL } from '../../proto/kcalls';
import { NR_FRAMES } from '../../proto/vm';
import { ServerCtx, ServerDef } from '../../sef/server';
import { auditFrames } from './frames';
import { auditSpace, buildImage, IMAGE_PAGES } from './space';
import { initialState, VmState } from './state';
import { vmTable } from './table';

function* initFresh(ctx: ServerCtx<VmState>): Co<void> {
  const st = ctx.st;
  const vp = st.vmproc[INIT]!;
  if (vp.inUse) panic('vm', 'boot: init already has an address space');
  if (st.freeFrames < IMAGE_PAGES) panic('vm', `boot: ${st.freeFrames} frames, init needs ${IMAGE_PAGES}`);
  vp.inUse = true;
  vp.endpoint = INIT;
  vp.flags = 0;
  vp.lastSig = 0;
  buildImage(ctx, INIT);
  auditSpace(st, INIT);
  auditFrames(st);
  ctx.sys.diag(`${NR_FRAMES} frames, ${st.freeFrames} free after init's image`);
}

export const vmServer: ServerDef<VmState> = {
  name: 'vm',
  slot: VM,
  prio: PRIO_SYSTEM_HIGH,
  callMask: (1 << SYS_FORK) | (1 << SYS_VMCTL) | (1 << SYS_PHYSCOPY) | (1 << SYS_PHYSZERO)
    | (1 << SYS_TIMES) | (1 << SYS_GETINFO) | (1 << SYS_DIAGCTL),
  initialState,
  initFresh,
  table: vmTable,
};
