/*
 * The layouts of PM's messages (requests from user processes): request
 * fields and reply fields with their types, as messages.ts describes them.
 * A reply's result (a pid, an id, 0) travels in `type` and is not a field.
 */
import * as C from './calls';
import type { Layout } from './layout';

export const PM_LAYOUTS = {
  [C.PM_FORK]: { req: {}, reply: {} },
  [C.PM_EXEC]: { req: { path: 's', argv: 's' }, reply: {} },
  [C.PM_EXIT]: { req: { status: 'n' }, reply: {} },
  [C.PM_WAITPID]: { req: { pid: 'n', options: 'n' }, reply: { status: 'n' } },
  [C.PM_KILL]: { req: { pid: 'n', sig: 'n' }, reply: {} },
  [C.PM_SIGACTION]: {
    req: { sig: 'n', handler: 'n', mask: 'n', flags: 'n' },
    reply: { oldHandler: 'n', oldMask: 'n', oldFlags: 'n' },
  },
  [C.PM_SIGPROCMASK]: { req: { how: 'n', mask: 'n' }, reply: { old: 'n' } },
  [C.PM_SIGPENDING]: { req: {}, reply: { mask: 'n' } },
  [C.PM_SIGSUSPEND]: { req: { mask: 'n' }, reply: {} },
  [C.PM_SIGRETURN]: { req: { mask: 'n' }, reply: {} },
  [C.PM_ALARM]: { req: { ns: 'n' }, reply: { remaining: 'n' } },
  [C.PM_GETPID]: { req: {}, reply: { ppid: 'n' } },
  [C.PM_GETUID]: { req: {}, reply: { euid: 'n' } },
  [C.PM_GETGID]: { req: {}, reply: { egid: 'n' } },
  [C.PM_SETUID]: { req: { uid: 'n' }, reply: {} },
  [C.PM_SETGID]: { req: { gid: 'n' }, reply: {} },
  [C.PM_SETEUID]: { req: { uid: 'n' }, reply: {} },
  [C.PM_SETEGID]: { req: { gid: 'n' }, reply: {} },
  [C.PM_TIMES]: { req: {}, reply: { utime: 'n', stime: 'n', cutime: 'n', cstime: 'n', now: 'n' } },
  [C.PM_GETTIMEOFDAY]: { req: {}, reply: { now: 'n' } },
  [C.PM_GETPGRP]: { req: {}, reply: {} },
  [C.PM_SETSID]: { req: {}, reply: {} },
  [C.PM_GETEPINFO]: { req: { endpoint: 'n' }, reply: { uid: 'n', gid: 'n', ruid: 'n', rgid: 'n' } },
  [C.PM_GETPROCNR]: { req: { pid: 'n' }, reply: { endpoint: 'n' } },
  /* Supplementary groups are not kept: no handler, the call ends in ENOSYS. */
  [C.PM_SETGROUPS]: { req: {}, reply: {} },
  [C.PM_GETGROUPS]: { req: {}, reply: {} },
  [C.PM_SETPGID]: { req: { pid: 'n', pgid: 'n' }, reply: {} },
  [C.PM_GETPRIORITY]: { req: {}, reply: {} },
  [C.PM_SETPRIORITY]: { req: { prio: 'n' }, reply: {} },
  [C.PM_REBOOT]: { req: {}, reply: {} },
} as const satisfies Record<number, Layout>;
