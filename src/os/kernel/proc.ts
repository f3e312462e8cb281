/*
 * The kernel's process table entry. Everything but the coroutine, the
 * user-space runtime and the IPC queues is plain data, which is what a
 * snapshot copies (queues are empty at a quiescent point).
 *
 * The entry points into this file are:
 *   Proc                   one process table slot
 *   F_*                    the slot's state flags (free, sending, receiving, crashed, ...)
 *   PRIO_*, NR_PRIOS       the scheduler's priority levels
 *   Grant, UserRuntime     a memory grant, and what the kernel needs of a user process's runtime
 */
import { NONE } from '../proto/endpoints';
import { Co, Msg } from './types';

/* Scheduling state bits (MINIX's RTS_* flags). A process runs when flags === 0. */
export const F_FREE = 0x1;
export const F_SENDING = 0x2;
export const F_RECEIVING = 0x4;
/** A server that crashed and awaits recovery; a user process killed by a fault. */
export const F_CRASHED = 0x8;
/** init waiting for the harness. */
export const F_HARNESS = 0x10;
/** Not yet started (a forked child before its first reply). */
export const F_NOSTART = 0x20;

export const PRIO_SYSTEM_HIGH = 0;
export const PRIO_SYSTEM = 1;
export const PRIO_FS = 2;
export const PRIO_USER = 3;
export const NR_PRIOS = 4;

export type ProcKind = 'free' | 'server' | 'user';

export interface Grant {
  grantee: number;
  /** Whose memory the grant exposes: the granter, or (a VFS "magic" grant) a user process. */
  owner: number;
  addr: number;
  len: number;
  access: number;
}

/** What the kernel needs of a user process's libc runtime. */
export interface UserRuntime {
  /** Caught signals the kernel asked libc to run handlers for (set by SYS_SIGSEND). */
  pendingCatch: { sig: number; handler: number; mask: number }[];
  /** Data-only view of the runtime for snapshots. */
  toData(): UserData;
}

/** What a snapshot keeps of a user process's libc runtime (init's, at a quiescent point). */
export interface UserData { errno: number; brkAddr: number; handlers: number }

export class Proc {
  endpoint = NONE;
  gen = 0;
  name = '';
  kind: ProcKind = 'free';
  prio = PRIO_USER;
  flags = F_FREE;
  /* IPC state */
  sendTo = NONE;
  outMsg: Msg | null = null;
  outIsSendrec = false;
  recvFrom = NONE;
  /** Blocked in the receive half of a sendrec: only the reply may be delivered. */
  replyPending = false;
  sendq: Proc[] = [];
  notifyPending: number[] = [];
  asyncq: Msg[] = [];
  /** Whether the request this server last received was the send half of a sendrec. */
  lastReplyable = false;
  lastRequestSource = NONE;
  /** The trace's message count at this server's last receive from ANY (the top of its loop; livelock.ts), -1: none since reset. */
  topAt = -1;
  /** Receives from ANY since reset (livelock.ts: has the heartbeat's owner handled its last alarm?). */
  tops = 0;
  /* execution */
  co: Co<unknown> | null = null;
  resumeVal: unknown = undefined;
  inReady = false;
  steps = 0;
  /* time and alarms */
  alarmAt = -1;
  alarmWatchdog = false;
  userTime = 0;
  sysTime = 0;
  /* memory */
  pt: Int32Array;
  grants: (Grant | null)[] = [];
  /** `service fi`: crash this server at its next request (set through RS). */
  fiArmed = false;
  /* signals the kernel raised for PM to handle (bitmask) */
  ksigs = 0;
  /* privileges: allowed kernel calls as a bitmask over call numbers */
  callMask = 0;
  /* user space */
  program = '';
  user: UserRuntime | null = null;
  forkBody: unknown = null;

  /** `pt`: this slot's page table, when the kernel hands out slices of one table for all slots. */
  constructor(readonly slot: number, vpages: number, pt?: Int32Array) {
    if (pt && pt.length !== vpages) throw new RangeError(`page table of ${pt.length} entries for ${vpages} pages`);
    this.pt = (pt ?? new Int32Array(vpages)).fill(-1);
  }

  reset(): void {
    this.endpoint = NONE; this.name = ''; this.kind = 'free'; this.flags = F_FREE;
    this.sendTo = NONE; this.outMsg = null; this.outIsSendrec = false; this.recvFrom = NONE; this.replyPending = false;
    this.sendq = []; this.notifyPending = []; this.asyncq = [];
    this.lastReplyable = false; this.lastRequestSource = NONE; this.topAt = -1; this.tops = 0;
    this.co = null; this.resumeVal = undefined; this.steps = 0;
    this.alarmAt = -1; this.alarmWatchdog = false; this.userTime = 0; this.sysTime = 0;
    this.pt.fill(-1); this.grants = []; this.ksigs = 0; this.fiArmed = false; this.callMask = 0;
    this.program = ''; this.user = null; this.forkBody = null;
  }
}
