/*
 * Message types of the protocol, one range per receiving server, as in
 * MINIX's <minix/com.h> and <minix/callnr.h>. Replies carry the result in
 * `type` (>= 0 success, < 0 a negated errno). The SEEP table (src/osiris)
 * classifies every type listed here.
 *
 * The entry points into this file are:
 *   PM_*, VFS_*, VM_*, DS_*, RS_*, REQ_*   the message types, per receiving server (REQ_*: VFS to MFS)
 *   NOTIFY_MESSAGE                         the type of a notification
 *   MESSAGE_TYPES                          every message type by name: the protocol enumerated
 *   messageName                            a type's name, for traces and reports
 */

/* Notifications (kernel / clock / heartbeat). */
export const NOTIFY_MESSAGE = 0x1000;

/* ---- PM (process manager): 0x100 ---- */
export const PM_FORK = 0x101;
export const PM_EXEC = 0x102;
export const PM_EXIT = 0x103;
export const PM_WAITPID = 0x104;
export const PM_KILL = 0x105;
export const PM_SIGACTION = 0x106;
export const PM_SIGPROCMASK = 0x107;
export const PM_SIGPENDING = 0x108;
export const PM_SIGSUSPEND = 0x109;
export const PM_SIGRETURN = 0x10a;
export const PM_ALARM = 0x10b;
export const PM_GETPID = 0x10c;
export const PM_GETUID = 0x10d;
export const PM_GETGID = 0x10e;
export const PM_SETUID = 0x10f;
export const PM_SETGID = 0x110;
export const PM_SETEUID = 0x111;
export const PM_SETEGID = 0x112;
export const PM_TIMES = 0x113;
export const PM_GETTIMEOFDAY = 0x114;
export const PM_GETPGRP = 0x115;
export const PM_SETSID = 0x116;
export const PM_GETEPINFO = 0x117;
export const PM_GETPROCNR = 0x118;
export const PM_SETGROUPS = 0x119;
export const PM_GETGROUPS = 0x11a;
export const PM_SETPGID = 0x11b;
export const PM_GETPRIORITY = 0x11c;
export const PM_SETPRIORITY = 0x11d;
export const PM_REBOOT = 0x11e;

/* ---- VFS (virtual file system), calls from user processes: 0x200 ---- */
export const VFS_OPEN = 0x201;
export const VFS_CLOSE = 0x202;
export const VFS_READ = 0x203;
export const VFS_WRITE = 0x204;
export const VFS_LSEEK = 0x205;
export const VFS_PREAD = 0x206;
export const VFS_PWRITE = 0x207;
export const VFS_STAT = 0x208;
export const VFS_FSTAT = 0x209;
export const VFS_LSTAT = 0x20a;
export const VFS_UNLINK = 0x20b;
export const VFS_RENAME = 0x20c;
export const VFS_LINK = 0x20d;
export const VFS_SYMLINK = 0x20e;
export const VFS_READLINK = 0x20f;
export const VFS_MKDIR = 0x210;
export const VFS_RMDIR = 0x211;
export const VFS_CHDIR = 0x212;
export const VFS_FCHDIR = 0x213;
export const VFS_GETCWD = 0x214;
export const VFS_GETDENTS = 0x215;
export const VFS_DUP = 0x216;
export const VFS_DUP2 = 0x217;
export const VFS_FCNTL = 0x218;
export const VFS_CHMOD = 0x219;
export const VFS_FCHMOD = 0x21a;
export const VFS_CHOWN = 0x21b;
export const VFS_ACCESS = 0x21c;
export const VFS_UMASK = 0x21d;
export const VFS_TRUNCATE = 0x21e;
export const VFS_FTRUNCATE = 0x21f;
export const VFS_UTIME = 0x220;
export const VFS_PIPE = 0x221;
export const VFS_MKNOD = 0x222;
export const VFS_SYNC = 0x223;
export const VFS_FSYNC = 0x224;
export const VFS_STATVFS = 0x225;

/* ---- VFS, calls from PM: 0x280 ---- */
export const VFS_PM_FORK = 0x281;
export const VFS_PM_EXIT = 0x282;
export const VFS_PM_EXEC = 0x283;
export const VFS_PM_SETUID = 0x284;
export const VFS_PM_SETGID = 0x285;
export const VFS_PM_UNPAUSE = 0x286;
export const VFS_PM_DUMPCORE = 0x287;
export const VFS_PM_SETSID = 0x288;

/* ---- VM (virtual memory): 0x300 ---- */
export const VM_BRK = 0x301;
export const VM_MMAP = 0x302;
export const VM_MUNMAP = 0x303;
export const VM_FORK = 0x304;
export const VM_EXIT = 0x305;
export const VM_EXEC_NEWMEM = 0x306;
export const VM_WILLEXIT = 0x307;
export const VM_NOTIFY_SIG = 0x308;
export const VM_INFO = 0x309;
export const VM_GETPHYS = 0x30a;
export const VM_MPROTECT = 0x30b;

/* ---- DS (data store): 0x400 ---- */
export const DS_PUBLISH = 0x401;
export const DS_RETRIEVE = 0x402;
export const DS_DELETE = 0x403;
export const DS_CHECK = 0x404;
export const DS_SUBSCRIBE = 0x405;
export const DS_UNSUBSCRIBE = 0x406;
/** From PM: a process exited; DS drops its subscriptions. */
export const DS_PM_EXIT = 0x407;

/* ---- RS (reincarnation server): 0x500 ---- */
export const RS_SERVICE_FI = 0x501;
export const RS_LOOKUP = 0x502;
export const RS_INIT = 0x503;
export const RS_STATUS = 0x504;
/** From RS to a service: MINIX's `service fi` request (the service crashes handling it; the prototype's `service fi` mode). */
export const COMMON_REQ_FI_CTL = 0x505;

/* ---- MFS requests from VFS: 0x600 ---- */
export const REQ_LOOKUP = 0x601;
export const REQ_CREATE = 0x602;
export const REQ_MKDIR = 0x603;
export const REQ_MKNOD = 0x604;
export const REQ_UNLINK = 0x605;
export const REQ_RMDIR = 0x606;
export const REQ_RENAME = 0x607;
export const REQ_LINK = 0x608;
export const REQ_SLINK = 0x609;
export const REQ_RDLINK = 0x60a;
export const REQ_READ = 0x60b;
export const REQ_WRITE = 0x60c;
export const REQ_GETDENTS = 0x60d;
export const REQ_STAT = 0x60e;
export const REQ_CHMOD = 0x60f;
export const REQ_CHOWN = 0x610;
export const REQ_FTRUNC = 0x611;
export const REQ_UTIME = 0x612;
export const REQ_PUTNODE = 0x613;
export const REQ_GETNODE = 0x614;
export const REQ_SYNC = 0x615;
export const REQ_STATVFS = 0x616;
export const REQ_INHIBREAD = 0x617;

/** Every message type, by name: the protocol enumerated (used by the SEEP-table completeness test). */
export const MESSAGE_TYPES: Record<string, number> = {};
const all: Record<string, number> = {
  NOTIFY_MESSAGE,
  PM_FORK, PM_EXEC, PM_EXIT, PM_WAITPID, PM_KILL, PM_SIGACTION, PM_SIGPROCMASK, PM_SIGPENDING,
  PM_SIGSUSPEND, PM_SIGRETURN, PM_ALARM, PM_GETPID, PM_GETUID, PM_GETGID, PM_SETUID, PM_SETGID,
  PM_SETEUID, PM_SETEGID, PM_TIMES, PM_GETTIMEOFDAY, PM_GETPGRP, PM_SETSID, PM_GETEPINFO,
  PM_GETPROCNR, PM_SETGROUPS, PM_GETGROUPS, PM_SETPGID, PM_GETPRIORITY, PM_SETPRIORITY, PM_REBOOT,
  VFS_OPEN, VFS_CLOSE, VFS_READ, VFS_WRITE, VFS_LSEEK, VFS_PREAD, VFS_PWRITE, VFS_STAT, VFS_FSTAT,
  VFS_LSTAT, VFS_UNLINK, VFS_RENAME, VFS_LINK, VFS_SYMLINK, VFS_READLINK, VFS_MKDIR, VFS_RMDIR,
  VFS_CHDIR, VFS_FCHDIR, VFS_GETCWD, VFS_GETDENTS, VFS_DUP, VFS_DUP2, VFS_FCNTL, VFS_CHMOD,
  VFS_FCHMOD, VFS_CHOWN, VFS_ACCESS, VFS_UMASK, VFS_TRUNCATE, VFS_FTRUNCATE, VFS_UTIME, VFS_PIPE,
  VFS_MKNOD, VFS_SYNC, VFS_FSYNC, VFS_STATVFS,
  VFS_PM_FORK, VFS_PM_EXIT, VFS_PM_EXEC, VFS_PM_SETUID, VFS_PM_SETGID, VFS_PM_UNPAUSE,
  VFS_PM_DUMPCORE, VFS_PM_SETSID,
  VM_BRK, VM_MMAP, VM_MUNMAP, VM_FORK, VM_EXIT, VM_EXEC_NEWMEM, VM_WILLEXIT, VM_NOTIFY_SIG,
  VM_INFO, VM_GETPHYS, VM_MPROTECT,
  DS_PUBLISH, DS_RETRIEVE, DS_DELETE, DS_CHECK, DS_SUBSCRIBE, DS_UNSUBSCRIBE, DS_PM_EXIT,
  RS_SERVICE_FI, RS_LOOKUP, RS_INIT, RS_STATUS, COMMON_REQ_FI_CTL,
  REQ_LOOKUP, REQ_CREATE, REQ_MKDIR, REQ_MKNOD, REQ_UNLINK, REQ_RMDIR, REQ_RENAME, REQ_LINK,
  REQ_SLINK, REQ_RDLINK, REQ_READ, REQ_WRITE, REQ_GETDENTS, REQ_STAT, REQ_CHMOD, REQ_CHOWN,
  REQ_FTRUNC, REQ_UTIME, REQ_PUTNODE, REQ_GETNODE, REQ_SYNC, REQ_STATVFS, REQ_INHIBREAD,
};
Object.assign(MESSAGE_TYPES, all);

const names: Record<number, string> = {};
for (const [k, v] of Object.entries(all)) names[v] = k;

export function messageName(type: number): string {
  return names[type] ?? `0x${type.toString(16)}`;
}
