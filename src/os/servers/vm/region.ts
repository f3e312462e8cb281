/*
 * The region table of one address space: which virtual pages belong to
 * which region (text, data, heap, mmap, stack). Pure bookkeeping; the page
 * table and frames are handled in pagetable.ts.
 *
 * The entry points into this file are:
 *   allocRegion(vp, kind, start, pages)  claim a free region slot, -1 when none
 *   freeRegion(vp, idx)                  release a region slot (its pages must be gone)
 *   freeRegionSlot(vp)                   index of an unused region slot, -1 when none
 *   findRegion(vp, kind)                 the first region of a kind, -1 when none
 *   regionOf(vp, page)                   the region holding a page, -1 when none
 *   rangeFree(vp, start, pages)          no region touches [start, start+pages)
 *   mappedPages(vp)                      pages backed by frames in the whole space
 */
import { panic } from '../../kernel/errors';
import { VPAGES } from '../../proto/vm';
import { NO_FRAME, NR_REGIONS, RegionKind, VmProc } from './state';

export function freeRegionSlot(vp: VmProc): number {
  for (let i = 0; i < NR_REGIONS; i++) if (!vp.regions[i]!.inUse) return i;
  return -1;
}

export function allocRegion(vp: VmProc, kind: RegionKind, start: number, pages: number): number {
  if (start < 1 || pages < 0 || start + pages > VPAGES) panic('vm', `allocRegion: bad range ${start}+${pages}`);
  if (!rangeFree(vp, start, pages)) panic('vm', `allocRegion: ${kind} at ${start}+${pages} overlaps a region`);
  const idx = freeRegionSlot(vp);
  if (idx < 0) return -1;
  const r = vp.regions[idx]!;
  r.inUse = true;
  r.kind = kind;
  r.startPage = start;
  r.pages = pages;
  return idx;
}

export function freeRegion(vp: VmProc, idx: number): void {
  const r = vp.regions[idx];
  if (!r || !r.inUse) panic('vm', `freeRegion: region ${idx} not in use`);
  for (let p = r.startPage; p < r.startPage + r.pages; p++) {
    if (vp.pageFrame[p] !== NO_FRAME) panic('vm', `freeRegion: page ${p} of region ${idx} still mapped`);
  }
  r.inUse = false;
  r.kind = 'mmap';
  r.startPage = 0;
  r.pages = 0;
}

export function findRegion(vp: VmProc, kind: RegionKind): number {
  for (let i = 0; i < NR_REGIONS; i++) {
    const r = vp.regions[i]!;
    if (r.inUse && r.kind === kind) return i;
  }
  return -1;
}

export function regionOf(vp: VmProc, page: number): number {
  for (let i = 0; i < NR_REGIONS; i++) {
    const r = vp.regions[i]!;
    if (r.inUse && page >= r.startPage && page < r.startPage + r.pages) return i;
  }
  return -1;
}

export function rangeFree(vp: VmProc, start: number, pages: number): boolean {
  const end = start + pages;
  for (let i = 0; i < NR_REGIONS; i++) {
    const r = vp.regions[i]!;
    if (!r.inUse || r.pages === 0) continue;
    if (start < r.startPage + r.pages && r.startPage < end) return false;
  }
  return true;
}

export function mappedPages(vp: VmProc): number {
  let n = 0;
  for (let p = 0; p < VPAGES; p++) if (vp.pageFrame[p] !== NO_FRAME) n++;
  return n;
}
