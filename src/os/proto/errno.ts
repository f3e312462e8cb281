/*
 * errno values (POSIX numbering as in MINIX's <sys/errno.h>, positive).
 * Servers reply with the negative value; libc turns it into errno. The
 * table is the whole protocol's, including values no server returns yet.
 *
 * The entry points into this file are:
 *   OK, EPERM, ENOENT, ...   the POSIX values
 *   ECRASH                   the error reply of a request interrupted by a recovered crash
 *   ELOCKED, EDEADSRCDST, ENOTREADY, ECALLDENIED   the kernel's IPC and privilege refusals
 *   errnoName                a value's name, for messages and reports
 */
export const OK = 0;
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const EPIPE = 32;
export const EDOM = 33;
export const ERANGE = 34;
export const EDEADLK = 35;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
/** Error reply sent by recovery to the requester of a rolled-back request (the paper's E_CRASH). */
export const ECRASH = 200;

/* IPC-level errors returned by the kernel for a failed IPC trap. */
export const ELOCKED = 301;
export const EDEADSRCDST = 302;
export const ENOTREADY = 303;
export const ECALLDENIED = 304;

const ERRNO_NAMES: Record<number, string> = {
  0: 'OK', 1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG',
  8: 'ENOEXEC', 9: 'EBADF', 10: 'ECHILD', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES',
  14: 'EFAULT', 16: 'EBUSY', 17: 'EEXIST', 18: 'EXDEV', 19: 'ENODEV', 20: 'ENOTDIR',
  21: 'EISDIR', 22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 25: 'ENOTTY', 27: 'EFBIG',
  28: 'ENOSPC', 29: 'ESPIPE', 30: 'EROFS', 31: 'EMLINK', 32: 'EPIPE', 33: 'EDOM',
  34: 'ERANGE', 35: 'EDEADLK', 36: 'ENAMETOOLONG', 38: 'ENOSYS', 39: 'ENOTEMPTY',
  40: 'ELOOP', 200: 'ECRASH', 301: 'ELOCKED', 302: 'EDEADSRCDST', 303: 'ENOTREADY',
  304: 'ECALLDENIED',
};

export function errnoName(e: number): string {
  return ERRNO_NAMES[Math.abs(e)] ?? `E#${e}`;
}
