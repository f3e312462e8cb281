/*
 * PM's data section: the process table (MINIX's mproc[]), indexed by
 * kernel slot, plus PID allocation and the kernel alarm PM holds for all
 * user alarms.
 *
 * The entry points into this file are:
 *   PmState, MProc                 the data section and a process table entry
 *   IN_USE, WAITING, ZOMBIE, ...   an entry's flags
 *   MAX_PID, NR_USER_PROCS, LAST_FEW   the limits fork checks
 *   initialState(params)           a fresh data section, as at boot
 */
import { INIT, NONE, NR_SLOTS } from '../../proto/endpoints';
import { NSIG, SIG_DFL } from '../../proto/signals';
import { BootParams } from '../../sef/server';

/* mp_flags */
export const IN_USE = 0x1;
export const WAITING = 0x2;
export const ZOMBIE = 0x4;
export const EXITING = 0x8;
/** Suspended in sigsuspend() or pause(). */
export const SIGSUSPENDED = 0x10;

export const MAX_PID = 30000;
/**
 * At most this many user processes (the rest of the slots belong to the
 * system). Kept below what VM's frames can hold for minimal processes, so a
 * runaway fork hits the process limit (EAGAIN) before memory runs out.
 */
export const NR_USER_PROCS = 32;
/** The last few process slots are kept for root (MINIX's LAST_FEW). */
export const LAST_FEW = 2;

export interface MProc {
  flags: number;
  pid: number;
  /** Slot of the parent. */
  parent: number;
  endpoint: number;
  name: string;
  exitStatus: number;
  sigStatus: number;
  waitPid: number;
  waitOptions: number;
  ruid: number;
  euid: number;
  /** Saved set-user-ID (POSIX _POSIX_SAVED_IDS): the euid after the last exec. */
  suid: number;
  rgid: number;
  egid: number;
  /** Saved set-group-ID. */
  sgid: number;
  pgrp: number;
  sid: number;
  sigMask: number;
  sigPending: number;
  /** Mask to restore when a sigsuspend() ends. */
  sigSavedMask: number;
  sigHandler: number[];
  sigActMask: number[];
  sigActFlags: number[];
  /** Absolute simulated time of the pending alarm, -1 for none. */
  alarmAt: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  prio: number;
}

export interface PmState {
  mproc: MProc[];
  nextPid: number;
  procsInUse: number;
  /** The kernel alarm PM has set (earliest user alarm), -1 for none. */
  kernelAlarm: number;
  /** Names of the programs in /bin, fixed at boot: exec checks one before the point of no return. */
  programs: string[];
  stats: { forks: number; exits: number; signals: number; execs: number };
}

function emptyProc(): MProc {
  const sigHandler: number[] = [];
  const sigActMask: number[] = [];
  const sigActFlags: number[] = [];
  for (let i = 0; i < NSIG; i++) { sigHandler[i] = SIG_DFL; sigActMask[i] = 0; sigActFlags[i] = 0; }
  return {
    flags: 0, pid: 0, parent: 0, endpoint: NONE, name: '', exitStatus: 0, sigStatus: 0, waitPid: 0, waitOptions: 0,
    ruid: 0, euid: 0, suid: 0, rgid: 0, egid: 0, sgid: 0, pgrp: 0, sid: 0, sigMask: 0, sigPending: 0, sigSavedMask: 0,
    sigHandler, sigActMask, sigActFlags, alarmAt: -1, utime: 0, stime: 0, cutime: 0, cstime: 0, prio: 0,
  };
}

export function initialState(params: BootParams): PmState {
  const mproc: MProc[] = [];
  for (let i = 0; i < NR_SLOTS; i++) mproc[i] = emptyProc();
  const init = mproc[INIT]!;
  init.flags = IN_USE; init.pid = 1; init.parent = INIT; init.endpoint = INIT; init.name = 'init';
  init.pgrp = 1; init.sid = 1;
  const programs: string[] = [];
  for (let i = 0; i < params.programs.length; i++) programs[i] = String(params.programs[i]);
  return { mproc, nextPid: 2, procsInUse: 1, kernelAlarm: -1, programs, stats: { forks: 0, exits: 0, signals: 0, execs: 0 } };
}
