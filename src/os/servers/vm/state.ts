/*
 * VM's data section: the physical frame table, the per-process address
 * spaces (regions and a page -> frame table mirroring the kernel's page
 * table) and counters. Fixed-size tables of plain records, made once here.
 *
 * The entry points into this file are:
 *   initialState()   the boot-time data section (no address space yet)
 */
import { NR_SLOTS } from '../../proto/endpoints';
import { NR_FRAMES, VPAGES } from '../../proto/vm';
import { BootParams } from '../../sef/server';

/** Region slots per address space: text, data, heap and stack leave four for mmap. */
export const NR_REGIONS = 8;
/** A page not backed by a frame, a frame without an owner. */
export const NO_FRAME = -1;
export const NO_OWNER = -1;

/* vmproc flags. */
/** PM announced the process is exiting (VM_WILLEXIT). */
export const VMF_EXITING = 0x1;
/** PM told VM about a signal for the process (VM_NOTIFY_SIG). */
export const VMF_SIGNALED = 0x2;

export type RegionKind = 'text' | 'data' | 'heap' | 'mmap' | 'stack';

export interface Region {
  inUse: boolean;
  kind: RegionKind;
  startPage: number;
  /** Every page of a region is backed by a frame (eager allocation); the heap may have 0 pages. */
  pages: number;
}

export interface Frame {
  /** 0 = free. Without copy-on-write a used frame always has exactly one reference. */
  refs: number;
  /** Slot of the process whose page it backs, NO_OWNER when free. */
  owner: number;
}

export interface VmProc {
  inUse: boolean;
  endpoint: number;
  flags: number;
  /** The last signal PM reported (VM_NOTIFY_SIG), 0 if none. */
  lastSig: number;
  regions: Region[];
  /** Virtual page -> frame, NO_FRAME when unmapped: what VM told the kernel's page table. */
  pageFrame: number[];
  /** First page past the heap. */
  brkPage: number;
}

export interface VmStats {
  forks: number;
  exits: number;
  execs: number;
  brks: number;
  mmaps: number;
  munmaps: number;
  signals: number;
}

export interface VmState {
  frames: Frame[];
  /** Number of frames with refs === 0 (recounted by auditFrames). */
  freeFrames: number;
  vmproc: VmProc[];
  stats: VmStats;
}

function newRegion(): Region {
  return { inUse: false, kind: 'mmap', startPage: 0, pages: 0 };
}

function newVmProc(): VmProc {
  const regions: Region[] = new Array(NR_REGIONS);
  for (let i = 0; i < NR_REGIONS; i++) regions[i] = newRegion();
  const pageFrame: number[] = new Array(VPAGES);
  for (let i = 0; i < VPAGES; i++) pageFrame[i] = NO_FRAME;
  return { inUse: false, endpoint: -1, flags: 0, lastSig: 0, regions, pageFrame, brkPage: 0 };
}

export function initialState(_params: BootParams): VmState {
  const frames: Frame[] = new Array(NR_FRAMES);
  for (let i = 0; i < NR_FRAMES; i++) frames[i] = { refs: 0, owner: NO_OWNER };
  const vmproc: VmProc[] = new Array(NR_SLOTS);
  for (let i = 0; i < NR_SLOTS; i++) vmproc[i] = newVmProc();
  return {
    frames,
    freeFrames: NR_FRAMES,
    vmproc,
    stats: { forks: 0, exits: 0, execs: 0, brks: 0, mmaps: 0, munmaps: 0, signals: 0 },
  };
}
