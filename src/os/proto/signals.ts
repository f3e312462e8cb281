/*
 * Signal numbers, default actions and wait-status macros (MINIX/NetBSD
 * numbering).
 *
 * The entry points into this file are:
 *   SIG*, NSIG, SIG_DFL, SIG_IGN, SA_*, SIG_BLOCK/UNBLOCK/SETMASK   signals and sigaction
 *   defaultAction, isUncatchable, sigbit                          what a signal does by default, and its mask bit
 *   W_EXITCODE, WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WNOHANG   wait() statuses
 */
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGEMT = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGBUS = 10;
export const SIGSEGV = 11;
export const SIGSYS = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGURG = 16;
export const SIGSTOP = 17;
export const SIGTSTP = 18;
export const SIGCONT = 19;
export const SIGCHLD = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGUSR1 = 30;
export const SIGUSR2 = 31;
export const NSIG = 32;

export const SIG_DFL = 0;
export const SIG_IGN = 1;
/** Handler ids >= SIG_FIRST_HANDLER name a handler registered by libc. */
export const SIG_FIRST_HANDLER = 2;

export const SIG_BLOCK = 1;
export const SIG_UNBLOCK = 2;
export const SIG_SETMASK = 3;

export const SA_RESETHAND = 0x4;
export const SA_NODEFER = 0x10;
export const SA_NOCLDSTOP = 0x8;

export type DefaultAction = 'term' | 'core' | 'ign' | 'stop' | 'cont';

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIGCHLD: case SIGURG: return 'ign';
    case SIGCONT: return 'cont';
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return 'stop';
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGEMT: case SIGFPE:
    case SIGBUS: case SIGSEGV: case SIGSYS: return 'core';
    default: return 'term';
  }
}

/** Signals that can be neither caught, blocked nor ignored. */
export function isUncatchable(sig: number): boolean {
  return sig === SIGKILL || sig === SIGSTOP;
}

export function sigbit(sig: number): number {
  return (1 << (sig - 1)) >>> 0;
}

/* wait() status encoding, as in <sys/wait.h>. */
export const WNOHANG = 1;
export const WUNTRACED = 2;
export function W_EXITCODE(ret: number, sig: number): number { return ((ret & 0xff) << 8) | (sig & 0x7f); }
export function WIFEXITED(s: number): boolean { return (s & 0x7f) === 0; }
export function WEXITSTATUS(s: number): number { return (s >> 8) & 0xff; }
export function WIFSIGNALED(s: number): boolean { return (s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f; }
export function WTERMSIG(s: number): number { return s & 0x7f; }
export const WCOREFLAG = 0x80;
