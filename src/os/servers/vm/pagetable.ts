/*
 * Pages and the kernel's page table: VM's own page -> frame table is the
 * truth, and every change to it is passed to the kernel with SYS_VMCTL.
 * Frame contents are zeroed or copied with SYS_PHYSZERO / SYS_PHYSCOPY.
 *
 * The entry points into this file are:
 *   mapPage(ctx, vp, page, frame)            back a page with a frame
 *   unmapPage(ctx, vp, page)                 drop a page's frame; returns the frame
 *   fillPages(ctx, vp, start, frames)        zero fresh frames and map them from `start` on
 *   copyRegion(ctx, parent, child, idx, f)   give the child a private copy of a parent region
 *   clearPageTable(ctx, vp)                  forget every mapping (the kernel's too)
 */
import { panic } from '../../kernel/errors';
import { ESRCH } from '../../proto/errno';
import { VMCTL_CLEAR, VMCTL_MAP, VMCTL_UNMAP } from '../../proto/kcalls';
import { VPAGES } from '../../proto/vm';
import { ServerCtx } from '../../sef/server';
import { NO_FRAME, VmProc, VmState } from './state';

function checkPage(page: number): void {
  if (!Number.isInteger(page) || page < 1 || page >= VPAGES) panic('vm', `page ${page} outside the address space`);
}

export function mapPage(ctx: ServerCtx<VmState>, vp: VmProc, page: number, frame: number): void {
  checkPage(page);
  if (vp.pageFrame[page] !== NO_FRAME) panic('vm', `map: page ${page} of ${vp.endpoint} already mapped to frame ${vp.pageFrame[page]}`);
  vp.pageFrame[page] = frame;
  const r = ctx.sys.vmctl(VMCTL_MAP, vp.endpoint, page, frame);
  if (r < 0) panic('vm', `vmctl map ${vp.endpoint} page ${page} -> ${frame} failed: ${r}`);
}

export function unmapPage(ctx: ServerCtx<VmState>, vp: VmProc, page: number): number {
  checkPage(page);
  const frame = vp.pageFrame[page]!;
  if (frame === NO_FRAME) panic('vm', `unmap: page ${page} of ${vp.endpoint} not mapped`);
  vp.pageFrame[page] = NO_FRAME;
  const r = ctx.sys.vmctl(VMCTL_UNMAP, vp.endpoint, page, 0);
  if (r < 0) panic('vm', `vmctl unmap ${vp.endpoint} page ${page} failed: ${r}`);
  return frame;
}

export function fillPages(ctx: ServerCtx<VmState>, vp: VmProc, start: number, frames: number[]): void {
  for (let i = 0; i < frames.length; i++) {
    const r = ctx.sys.physzero(frames[i]!);
    if (r < 0) panic('vm', `physzero ${frames[i]} failed: ${r}`);
    mapPage(ctx, vp, start + i, frames[i]!);
  }
}

/** Eager fork copy (no copy-on-write): the child region sits in the same slot and range as the parent's. */
export function copyRegion(ctx: ServerCtx<VmState>, parent: VmProc, child: VmProc, idx: number, frames: number[]): void {
  const pr = parent.regions[idx]!;
  const cr = child.regions[idx]!;
  if (!pr.inUse) panic('vm', `copyRegion: parent region ${idx} not in use`);
  if (cr.inUse) panic('vm', `copyRegion: child region ${idx} already in use`);
  if (frames.length !== pr.pages) panic('vm', `copyRegion: ${frames.length} frames for ${pr.pages} pages`);
  cr.inUse = true;
  cr.kind = pr.kind;
  cr.startPage = pr.startPage;
  cr.pages = pr.pages;
  for (let i = 0; i < pr.pages; i++) {
    const page = pr.startPage + i;
    const src = parent.pageFrame[page]!;
    if (src === NO_FRAME) panic('vm', `copyRegion: parent page ${page} of region ${idx} not mapped`);
    const r = ctx.sys.physcopy(src, frames[i]!);
    if (r < 0) panic('vm', `physcopy ${src} -> ${frames[i]} failed: ${r}`);
    mapPage(ctx, child, page, frames[i]!);
  }
}

/**
 * The kernel may already have removed the process (PM's SYS_EXIT can come
 * before VM_EXIT), so ESRCH from the kernel is expected here.
 */
export function clearPageTable(ctx: ServerCtx<VmState>, vp: VmProc): void {
  for (let p = 0; p < VPAGES; p++) vp.pageFrame[p] = NO_FRAME;
  const r = ctx.sys.vmctl(VMCTL_CLEAR, vp.endpoint, 0, 0);
  if (r < 0 && r !== -ESRCH) panic('vm', `vmctl clear ${vp.endpoint} failed: ${r}`);
}
