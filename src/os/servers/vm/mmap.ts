/*
 * Anonymous memory mappings: zero-filled read/write regions placed in the
 * mmap area [MMAP_BASE_PAGE, STACK_PAGE), first fit unless the hint fits.
 * munmap removes whole regions or trims them at either end; a hole in the
 * middle of a region would need a split and is refused with EINVAL.
 *
 * The entry points into this file are:
 *   do_mmap(ctx, m)      VM_MMAP {addr, len}: map len bytes -> {addr}
 *   do_munmap(ctx, m)    VM_MUNMAP {addr, len}: unmap [addr, addr+len)
 *   do_mprotect(ctx, m)  VM_MPROTECT {addr, len, prot}: all pages stay read/write; only validates
 */
import { panic } from '../../kernel/errors';
import { Co } from '../../kernel/types';
import { EINVAL, ENOMEM } from '../../proto/errno';
import { MMAP_BASE_PAGE, PAGE_SIZE, STACK_PAGE, VPAGES } from '../../proto/vm';
import { ServerCtx } from '../../sef/server';
import { allocFrames, freeFrames } from './frames';
import { fillPages, unmapPage } from './pagetable';
import { allocRegion, freeRegion, freeRegionSlot, rangeFree, regionOf } from './region';
import { auditSpace, lookupSlot } from './space';
import { NR_REGIONS, VmProc, VmState } from './state';
import type { Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** The hint's page when the whole range fits in the mmap area and is free, else -1. */
function hintPage(vp: VmProc, addr: unknown, pages: number): number {
  if (!isInt(addr) || addr === 0 || addr % PAGE_SIZE !== 0) return -1;
  const p = addr / PAGE_SIZE;
  if (p < MMAP_BASE_PAGE || p + pages > STACK_PAGE) return -1;
  return rangeFree(vp, p, pages) ? p : -1;
}

function firstFit(vp: VmProc, pages: number): number {
  for (let p = MMAP_BASE_PAGE; p + pages <= STACK_PAGE; p++) {
    if (rangeFree(vp, p, pages)) return p;
  }
  return -1;
}

export function* do_mmap(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_MMAP>): Co<Reply<typeof C.VM_MMAP> | null> {
  const st = ctx.st;
  const slot = lookupSlot(st, m.source);
  if (slot < 0) return { type: -EINVAL };
  if (!isInt(m.len) || m.len <= 0) return { type: -EINVAL };
  const pages = Math.ceil(m.len / PAGE_SIZE);
  if (pages > STACK_PAGE - MMAP_BASE_PAGE) return { type: -ENOMEM };
  const vp = st.vmproc[slot]!;
  let start = hintPage(vp, m.addr, pages);
  if (start < 0) start = firstFit(vp, pages);
  if (start < 0) return { type: -ENOMEM };
  if (freeRegionSlot(vp) < 0) return { type: -ENOMEM };
  if (pages > st.freeFrames) return { type: -ENOMEM };

  if (allocRegion(vp, 'mmap', start, pages) < 0) panic('vm', 'mmap: region slot vanished');
  fillPages(ctx, vp, start, allocFrames(st, pages, slot));
  st.stats.mmaps++;
  auditSpace(st, slot);
  return { type: 0, addr: start * PAGE_SIZE };
}

/** The part [lo, hi) of one region that an munmap removes. */
interface Cut { idx: number; lo: number; hi: number }

export function* do_munmap(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_MUNMAP>): Co<Reply<typeof C.VM_MUNMAP> | null> {
  const st = ctx.st;
  const slot = lookupSlot(st, m.source);
  if (slot < 0) return { type: -EINVAL };
  if (!isInt(m.addr) || m.addr % PAGE_SIZE !== 0 || !isInt(m.len) || m.len <= 0) return { type: -EINVAL };
  const start = m.addr / PAGE_SIZE;
  const end = start + Math.ceil(m.len / PAGE_SIZE);
  if (start < MMAP_BASE_PAGE || end > STACK_PAGE) return { type: -EINVAL };
  const vp = st.vmproc[slot]!;
  for (let p = start; p < end; p++) {
    const i = regionOf(vp, p);
    if (i < 0 || vp.regions[i]!.kind !== 'mmap') return { type: -EINVAL };
  }
  const cuts: Cut[] = [];
  for (let i = 0; i < NR_REGIONS; i++) {
    const r = vp.regions[i]!;
    if (!r.inUse || r.kind !== 'mmap') continue;
    const lo = Math.max(start, r.startPage);
    const hi = Math.min(end, r.startPage + r.pages);
    if (lo >= hi) continue;
    if (lo > r.startPage && hi < r.startPage + r.pages) return { type: -EINVAL };
    cuts.push({ idx: i, lo, hi });
  }
  if (cuts.length === 0) panic('vm', `munmap: pages ${start}..${end} in mmap regions, but none overlaps`);

  for (const c of cuts) trimRegion(ctx, vp, slot, c);
  st.stats.munmaps++;
  auditSpace(st, slot);
  return { type: 0 };
}

function trimRegion(ctx: ServerCtx<VmState>, vp: VmProc, slot: number, c: Cut): void {
  const r = vp.regions[c.idx]!;
  const released: number[] = [];
  for (let p = c.lo; p < c.hi; p++) released.push(unmapPage(ctx, vp, p));
  freeFrames(ctx.st, released, slot);
  const n = c.hi - c.lo;
  if (n === r.pages) {
    freeRegion(vp, c.idx);
  } else if (c.lo === r.startPage) {
    r.startPage += n;
    r.pages -= n;
  } else if (c.hi === r.startPage + r.pages) {
    r.pages -= n;
  } else {
    panic('vm', `munmap: cut ${c.lo}..${c.hi} splits region ${c.idx}`);
  }
}

export function* do_mprotect(ctx: ServerCtx<VmState>, m: Req<typeof C.VM_MPROTECT>): Co<Reply<typeof C.VM_MPROTECT> | null> {
  const slot = lookupSlot(ctx.st, m.source);
  if (slot < 0) return { type: -EINVAL };
  if (!isInt(m.addr) || m.addr % PAGE_SIZE !== 0 || !isInt(m.len) || m.len <= 0) return { type: -EINVAL };
  const start = m.addr / PAGE_SIZE;
  const end = start + Math.ceil(m.len / PAGE_SIZE);
  if (start < 1 || end > VPAGES) return { type: -ENOMEM };
  const vp = ctx.st.vmproc[slot]!;
  for (let p = start; p < end; p++) if (regionOf(vp, p) < 0) return { type: -ENOMEM };
  return { type: 0 };
}
