/*
 * A snapshot of a whole world at a quiescent point, as plain data: the
 * kernel (clock, trace fingerprint, crash list, process table), physical
 * memory and every server's data section. What one process-table entry
 * keeps is listed here field by field; the IPC queues are empty at a
 * quiescent point and coroutines are rebuilt on restore.
 *
 * The entry points into this file are:
 *   procImage / loadProcImage   one process-table entry to data and back
 */
import type { CrashInfo } from './kernel/kernel';
import type { Grant, Proc, ProcKind, UserData } from './kernel/proc';
import type { TraceState } from './kernel/trace';
import { cloneSnapshotData } from './snapshot-copy';

export interface ProcImage {
  endpoint: number;
  gen: number;
  name: string;
  kind: ProcKind;
  prio: number;
  flags: number;
  recvFrom: number;
  alarmAt: number;
  alarmWatchdog: boolean;
  userTime: number;
  sysTime: number;
  pt: Int32Array;
  grants: (Grant | null)[];
  ksigs: number;
  callMask: number;
  program: string;
  lastReplyable: boolean;
  lastRequestSource: number;
  steps: number;
  /** The libc runtime's data (init's; null for servers and free slots). */
  user: UserData | null;
}

export interface KernelImage {
  now: number;
  overheadNs: number;
  trace: TraceState;
  crashes: CrashInfo[];
  procs: ProcImage[];
  /** Slot of the process that ran last (a context switch is charged when another runs), -1 for none. */
  lastRun: number;
}

export interface Snapshot {
  kernel: KernelImage;
  mem: Uint8Array;
  /** Each server's data section by slot (each server's own state type). */
  states: Record<number, unknown>;
}

export function procImage(p: Proc): ProcImage {
  return {
    endpoint: p.endpoint, gen: p.gen, name: p.name, kind: p.kind, prio: p.prio, flags: p.flags, recvFrom: p.recvFrom,
    alarmAt: p.alarmAt, alarmWatchdog: p.alarmWatchdog, userTime: p.userTime, sysTime: p.sysTime,
    pt: p.pt.slice(), grants: structuredClone(p.grants), ksigs: p.ksigs, callMask: p.callMask, program: p.program,
    lastReplyable: p.lastReplyable, lastRequestSource: p.lastRequestSource, steps: p.steps,
    user: p.user ? p.user.toData() : null,
  };
}

/** Load an entry from its image: the slot keeps its own page table (filled from the image's copy); the libc runtime is rebuilt apart. */
export function loadProcImage(p: Proc, d: ProcImage): void {
  const pt = p.pt;
  p.reset();
  p.endpoint = d.endpoint; p.gen = d.gen; p.name = d.name; p.kind = d.kind; p.prio = d.prio; p.flags = d.flags;
  p.recvFrom = d.recvFrom; p.alarmAt = d.alarmAt; p.alarmWatchdog = d.alarmWatchdog; p.userTime = d.userTime;
  p.sysTime = d.sysTime; p.ksigs = d.ksigs; p.callMask = d.callMask; p.program = d.program;
  p.lastReplyable = d.lastReplyable; p.lastRequestSource = d.lastRequestSource; p.steps = d.steps;
  pt.set(d.pt);
  p.grants = cloneSnapshotData(d.grants);
  p.user = null;
}
