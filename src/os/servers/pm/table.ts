/*
 * PM's call table: message type -> handler, with the POSIX name beside it.
 *
 * The entry points into this file are:
 *   pmTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallTable, entry } from '../../sef/server';
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

export const pmTable: CallTable<PmState> = {
  [C.PM_FORK]: entry(C.PM_FORK, 'fork', do_fork),
  [C.PM_EXEC]: entry(C.PM_EXEC, 'execve', do_exec),
  [C.PM_EXIT]: entry(C.PM_EXIT, '_exit', do_exit),
  [C.PM_WAITPID]: entry(C.PM_WAITPID, 'waitpid', do_waitpid),
  [C.PM_KILL]: entry(C.PM_KILL, 'kill', do_kill),
  [C.PM_SIGACTION]: entry(C.PM_SIGACTION, 'sigaction', do_sigaction),
  [C.PM_SIGPROCMASK]: entry(C.PM_SIGPROCMASK, 'sigprocmask', do_sigprocmask),
  [C.PM_SIGPENDING]: entry(C.PM_SIGPENDING, 'sigpending', do_sigpending),
  [C.PM_SIGSUSPEND]: entry(C.PM_SIGSUSPEND, 'sigsuspend', do_sigsuspend),
  [C.PM_SIGRETURN]: entry(C.PM_SIGRETURN, 'sigreturn', do_sigreturn),
  [C.PM_ALARM]: entry(C.PM_ALARM, 'alarm', do_alarm),
  [C.PM_GETPID]: entry(C.PM_GETPID, 'getpid', do_getpid),
  [C.PM_GETUID]: entry(C.PM_GETUID, 'getuid', do_getuid),
  [C.PM_GETGID]: entry(C.PM_GETGID, 'getgid', do_getgid),
  [C.PM_SETUID]: entry(C.PM_SETUID, 'setuid', do_setuid),
  [C.PM_SETGID]: entry(C.PM_SETGID, 'setgid', do_setgid),
  [C.PM_SETEUID]: entry(C.PM_SETEUID, 'seteuid', do_seteuid),
  [C.PM_SETEGID]: entry(C.PM_SETEGID, 'setegid', do_setegid),
  [C.PM_TIMES]: entry(C.PM_TIMES, 'times', do_times),
  [C.PM_GETTIMEOFDAY]: entry(C.PM_GETTIMEOFDAY, 'gettimeofday', do_gettimeofday),
  [C.PM_GETPGRP]: entry(C.PM_GETPGRP, 'getpgrp', do_getpgrp),
  [C.PM_SETSID]: entry(C.PM_SETSID, 'setsid', do_setsid),
  [C.PM_SETPGID]: entry(C.PM_SETPGID, 'setpgid', do_setpgid),
  [C.PM_GETEPINFO]: entry(C.PM_GETEPINFO, 'getepinfo', do_getepinfo),
  [C.PM_GETPROCNR]: entry(C.PM_GETPROCNR, 'getprocnr', do_getprocnr),
  [C.PM_GETPRIORITY]: entry(C.PM_GETPRIORITY, 'getpriority', do_getpriority),
  [C.PM_SETPRIORITY]: entry(C.PM_SETPRIORITY, 'setpriority', do_setpriority),
  [C.PM_REBOOT]: entry(C.PM_REBOOT, 'reboot', do_reboot),
};
