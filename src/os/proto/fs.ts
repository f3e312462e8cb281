/*
 * File-system constants shared by libc, VFS and MFS (<fcntl.h>,
 * <sys/stat.h>, <limits.h>), and the layouts of directory entries and of
 * stat results in a reply.
 *
 * The entry points into this file are:
 *   O_*, F_*, SEEK_*, R_OK/W_OK/X_OK   open flags, fcntl commands, seek origins, access bits
 *   S_IF*, S_IS*                       file types and their tests
 *   OPEN_MAX, PATH_MAX, NAME_MAX, PIPE_BUF, ...   limits
 *   Dirent, Stat, STAT_FIELDS          a getdents entry and a stat result
 */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0x40;
export const O_EXCL = 0x80;
export const O_NOCTTY = 0x100;
export const O_TRUNC = 0x200;
export const O_APPEND = 0x400;
export const O_NONBLOCK = 0x800;
export const O_DIRECTORY = 0x10000;
export const O_CLOEXEC = 0x80000;

export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
export const ALLPERMS = 0o7777;

export function S_ISREG(m: number): boolean { return (m & S_IFMT) === S_IFREG; }
export function S_ISDIR(m: number): boolean { return (m & S_IFMT) === S_IFDIR; }
export function S_ISFIFO(m: number): boolean { return (m & S_IFMT) === S_IFIFO; }
export function S_ISLNK(m: number): boolean { return (m & S_IFMT) === S_IFLNK; }

export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;
export const F_OK = 0;

export const PATH_MAX = 255;
/** Longest name MINIX's V3 file system stores: a directory entry's whole 60-byte name field. */
export const NAME_MAX = 60;
export const OPEN_MAX = 32;
export const PIPE_BUF = 512;
export const PIPE_SIZE = 4096;
export const BLOCK_SIZE = 1024;
export const SYMLOOP_MAX = 8;

/** Layout of one directory entry returned by getdents: name and inode. */
export interface Dirent { ino: number; name: string }

/** stat() result fields as carried in a reply message. */
export const STAT_FIELDS = ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'size', 'atime', 'mtime', 'ctime', 'blocks'] as const;
export type Stat = Record<(typeof STAT_FIELDS)[number], number>;
