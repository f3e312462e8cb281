/*
 * Whole address spaces: finding a process's space, building the fixed
 * text/data/heap/stack image (boot and exec), releasing everything (exit and
 * exec), and checking a space's invariants.
 *
 * The entry points into this file are:
 *   lookupSlot(st, ep)          the slot of a live address space, -1 when unknown
 *   IMAGE_PAGES                 frames a fresh image needs
 *   buildImage(ctx, slot)       a fresh zeroed image in an empty space
 *   releaseSpace(ctx, slot)     free all frames and regions of a space (it stays allocated)
 *   auditSpace(st, slot)        regions, page table and frame table agree
 */
import { panic } from '../../kernel/errors';
import { NR_SLOTS, slotOf } from '../../proto/endpoints';
import {
  DATA_PAGE, DATA_PAGES, HEAP_PAGE, MMAP_BASE_PAGE, STACK_PAGE, STACK_PAGES, TEXT_PAGE, TEXT_PAGES, VPAGES,
} from '../../proto/vm';
import { ServerCtx } from '../../sef/server';
import { allocFrames, freeFrames } from './frames';
import { clearPageTable, fillPages } from './pagetable';
import { allocRegion, findRegion, freeRegion } from './region';
import { NO_FRAME, NR_REGIONS, RegionKind, VmState } from './state';

export const IMAGE_PAGES = TEXT_PAGES + DATA_PAGES + STACK_PAGES;

export function lookupSlot(st: VmState, ep: unknown): number {
  if (typeof ep !== 'number' || !Number.isInteger(ep) || ep < 0) return -1;
  const slot = slotOf(ep);
  if (slot >= NR_SLOTS) return -1;
  const vp = st.vmproc[slot]!;
  return vp.inUse && vp.endpoint === ep ? slot : -1;
}

function buildRegion(ctx: ServerCtx<VmState>, slot: number, kind: RegionKind, start: number, pages: number): void {
  const vp = ctx.st.vmproc[slot]!;
  if (allocRegion(vp, kind, start, pages) < 0) panic('vm', `buildImage: no region slot for ${kind}`);
  fillPages(ctx, vp, start, allocFrames(ctx.st, pages, slot));
}

/** The caller checked that IMAGE_PAGES frames are free. */
export function buildImage(ctx: ServerCtx<VmState>, slot: number): void {
  const vp = ctx.st.vmproc[slot]!;
  if (!vp.inUse) panic('vm', `buildImage: slot ${slot} not in use`);
  for (let i = 0; i < NR_REGIONS; i++) if (vp.regions[i]!.inUse) panic('vm', `buildImage: slot ${slot} still has region ${i}`);
  buildRegion(ctx, slot, 'text', TEXT_PAGE, TEXT_PAGES);
  buildRegion(ctx, slot, 'data', DATA_PAGE, DATA_PAGES);
  // The heap exists from the start with no pages, so brk never needs a free region slot.
  buildRegion(ctx, slot, 'heap', HEAP_PAGE, 0);
  buildRegion(ctx, slot, 'stack', STACK_PAGE, STACK_PAGES);
  vp.brkPage = HEAP_PAGE;
}

export function releaseSpace(ctx: ServerCtx<VmState>, slot: number): void {
  const vp = ctx.st.vmproc[slot]!;
  const held: number[] = [];
  for (let p = 0; p < VPAGES; p++) if (vp.pageFrame[p] !== NO_FRAME) held.push(vp.pageFrame[p]!);
  clearPageTable(ctx, vp);
  freeFrames(ctx.st, held, slot);
  for (let i = 0; i < NR_REGIONS; i++) if (vp.regions[i]!.inUse) freeRegion(vp, i);
  vp.brkPage = 0;
}

const REQUIRED_KINDS: readonly RegionKind[] = Object.freeze(['text', 'data', 'heap', 'stack'] as RegionKind[]);

/**
 * Regions, page table and frame table of one address space agree.
 * @sanitycheck a scan of a whole address space (MINIX: SANITYCHECK, compiled out with SANITYCHECKS 0)
 */
export function auditSpace(st: VmState, slot: number): void {
  const vp = st.vmproc[slot]!;
  if (!vp.inUse) panic('vm', `audit: slot ${slot} not in use`);
  if (slotOf(vp.endpoint) !== slot) panic('vm', `audit: endpoint ${vp.endpoint} does not live in slot ${slot}`);
  const covered: boolean[] = new Array(VPAGES).fill(false);
  for (let i = 0; i < NR_REGIONS; i++) {
    const r = vp.regions[i]!;
    if (!r.inUse) continue;
    if (r.startPage < 1 || r.pages < 0 || r.startPage + r.pages > VPAGES) panic('vm', `audit: region ${i} range ${r.startPage}+${r.pages}`);
    if (r.kind === 'mmap' && (r.startPage < MMAP_BASE_PAGE || r.startPage + r.pages > STACK_PAGE || r.pages === 0)) {
      panic('vm', `audit: mmap region ${i} at ${r.startPage}+${r.pages} outside the mmap area`);
    }
    for (let p = r.startPage; p < r.startPage + r.pages; p++) {
      if (covered[p]) panic('vm', `audit: page ${p} in two regions`);
      covered[p] = true;
      const f = vp.pageFrame[p]!;
      if (f === NO_FRAME) panic('vm', `audit: page ${p} of region ${i} not backed`);
      const fr = st.frames[f];
      if (!fr || fr.refs !== 1 || fr.owner !== slot) panic('vm', `audit: frame ${f} of page ${p} not owned by slot ${slot}`);
    }
  }
  for (let p = 0; p < VPAGES; p++) {
    if (!covered[p] && vp.pageFrame[p] !== NO_FRAME) panic('vm', `audit: page ${p} mapped outside any region`);
  }
  for (const kind of REQUIRED_KINDS) if (findRegion(vp, kind) < 0) panic('vm', `audit: slot ${slot} has no ${kind} region`);
  const heap = vp.regions[findRegion(vp, 'heap')]!;
  if (heap.startPage !== HEAP_PAGE || heap.startPage + heap.pages !== vp.brkPage) panic('vm', `audit: heap ${heap.startPage}+${heap.pages} vs break ${vp.brkPage}`);
  if (vp.brkPage > MMAP_BASE_PAGE) panic('vm', `audit: break ${vp.brkPage} inside the mmap area`);
}
