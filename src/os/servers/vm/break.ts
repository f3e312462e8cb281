/*
 * The program break: the heap region grows and shrinks page by page between
 * HEAP_PAGE and the mmap area. New heap pages are zeroed.
 *
 * The entry points into this file are:
 *   do_brk(ctx, m)   VM_BRK {addr}: set the caller's break to addr (rounded up to a page)
 */
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { EINVAL, ENOMEM } from '../../proto/errno';
import { HEAP_PAGE, MMAP_BASE_PAGE, PAGE_SIZE } from '../../proto/vm';
import { ServerCtx } from '../../sef/server';
import { allocFrames, freeFrames } from './frames';
import { fillPages, unmapPage } from './pagetable';
import { findRegion, rangeFree } from './region';
import { auditSpace, lookupSlot } from './space';
import { VmProc, VmState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

export function* do_brk(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_BRK>): Co<Reply<typeof C.VM_BRK> | null> {
  const st = ctx.st;
  const slot = lookupSlot(st, m.source);
  if (slot < 0) return { type: -EINVAL };
  const addr = m.addr;
  if (typeof addr !== 'number' || !Number.isInteger(addr)) return { type: -EINVAL };
  // The break is the first byte past the heap; the heap may fill the pages up to MMAP_BASE_PAGE.
  if (addr < HEAP_PAGE * PAGE_SIZE || addr > MMAP_BASE_PAGE * PAGE_SIZE) return { type: -ENOMEM };
  const vp = st.vmproc[slot]!;
  const hi = findRegion(vp, 'heap');
  if (hi < 0) panic('vm', `brk: slot ${slot} has no heap region`);
  const heap = vp.regions[hi]!;
  if (heap.startPage + heap.pages !== vp.brkPage) panic('vm', `brk: heap end ${heap.startPage + heap.pages} != break ${vp.brkPage}`);

  const newBrk = Math.ceil(addr / PAGE_SIZE);
  if (newBrk > vp.brkPage) {
    const n = newBrk - vp.brkPage;
    if (n > st.freeFrames) return { type: -ENOMEM };
    if (!rangeFree(vp, vp.brkPage, n)) panic('vm', `brk: heap growth ${vp.brkPage}+${n} runs into a region`);
    growHeap(ctx, vp, slot, hi, n);
  } else if (newBrk < vp.brkPage) {
    shrinkHeap(ctx, vp, slot, hi, vp.brkPage - newBrk);
  }
  st.stats.brks++;
  auditSpace(st, slot);
  return { type: 0 };
}

function growHeap(ctx: ServerCtx<VmState>, vp: VmProc, slot: number, hi: number, n: number): void {
  const start = vp.brkPage;
  const frames = allocFrames(ctx.st, n, slot);
  vp.regions[hi]!.pages += n;
  vp.brkPage = start + n;
  fillPages(ctx, vp, start, frames);
}

function shrinkHeap(ctx: ServerCtx<VmState>, vp: VmProc, slot: number, hi: number, n: number): void {
  const released: number[] = [];
  for (let p = vp.brkPage - n; p < vp.brkPage; p++) released.push(unmapPage(ctx, vp, p));
  freeFrames(ctx.st, released, slot);
  vp.regions[hi]!.pages -= n;
  vp.brkPage -= n;
}
