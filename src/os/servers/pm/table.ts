/*
 * PM's call table: message type -> handler, with the POSIX name beside it.
 *
 * The entry points into this file are:
 *   pmTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallEntry, entry } from '../../sef/server';
import { PmState } from './state';
import { do_exit, do_fork, do_waitpid } from './forkexit';
import { do_exec } from './exec';
import { do_kill, do_sigaction, do_sigpending, do_sigprocmask, do_sigreturn, do_sigsuspend } from './signal';
import { do_alarm } from './alarm';
import {
  do_getepinfo, do_getgid, do_getpgrp, do_getpid, do_getpriority, do_getprocnr, do_getuid, do_setegid, do_seteuid,
  do_setgid, do_setpgid, do_setpriority, do_setsid, do_setuid,
} from './getset';
import { do_gettimeofday, do_reboot, do_times } from './misc';

export const pmTable: Record<number, CallEntry<PmState>> = {
  [C.PM_FORK]: entry('fork', do_fork),
  [C.PM_EXEC]: entry('execve', do_exec),
  [C.PM_EXIT]: entry('_exit', do_exit),
  [C.PM_WAITPID]: entry('waitpid', do_waitpid),
  [C.PM_KILL]: entry('kill', do_kill),
  [C.PM_SIGACTION]: entry('sigaction', do_sigaction),
  [C.PM_SIGPROCMASK]: entry('sigprocmask', do_sigprocmask),
  [C.PM_SIGPENDING]: entry('sigpending', do_sigpending),
  [C.PM_SIGSUSPEND]: entry('sigsuspend', do_sigsuspend),
  [C.PM_SIGRETURN]: entry('sigreturn', do_sigreturn),
  [C.PM_ALARM]: entry('alarm', do_alarm),
  [C.PM_GETPID]: entry('getpid', do_getpid),
  [C.PM_GETUID]: entry('getuid', do_getuid),
  [C.PM_GETGID]: entry('getgid', do_getgid),
  [C.PM_SETUID]: entry('setuid', do_setuid),
  [C.PM_SETGID]: entry('setgid', do_setgid),
  [C.PM_SETEUID]: entry('seteuid', do_seteuid),
  [C.PM_SETEGID]: entry('setegid', do_setegid),
  [C.PM_TIMES]: entry('times', do_times),
  [C.PM_GETTIMEOFDAY]: entry('gettimeofday', do_gettimeofday),
  [C.PM_GETPGRP]: entry('getpgrp', do_getpgrp),
  [C.PM_SETSID]: entry('setsid', do_setsid),
  [C.PM_SETPGID]: entry('setpgid', do_setpgid),
  [C.PM_GETEPINFO]: entry('getepinfo', do_getepinfo),
  [C.PM_GETPROCNR]: entry('getprocnr', do_getprocnr),
  [C.PM_GETPRIORITY]: entry('getpriority', do_getpriority),
  [C.PM_SETPRIORITY]: entry('setpriority', do_setpriority),
  [C.PM_REBOOT]: entry('reboot', do_reboot),
};
