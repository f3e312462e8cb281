/*
 * VFS's data section: per-process file state (fproc), the open-file table
 * (filp), the in-memory inode table (vnode), pipe buffers, and the worker
 * table. Tables are fixed; slots are free when their count is 0.
 *
 * The entry points into this file are:
 *   VfsState, FProc, Filp, Vnode, PipeBuf, WorkerRec   the data section and its records
 *   NR_FILPS, NR_VNODES, NR_PIPES, NR_WORKERS          the table sizes
 *   PIPE_INO_BASE                                      inode numbers of anonymous pipes
 *   BLK_*                                              why a process is suspended in VFS
 *   initialState(params)                               a fresh data section, as at boot
 */
import { INIT, NONE, NR_SLOTS } from '../../proto/endpoints';
import { OPEN_MAX, PIPE_SIZE, S_IFDIR } from '../../proto/fs';
import { BootParams } from '../../sef/server';

export const NR_FILPS = 128;
export const NR_VNODES = 96;
export const NR_PIPES = 16;
export const NR_WORKERS = 4;
export const ROOT_INO = 1;
/** Anonymous pipes get pseudo inode numbers from here up (never an MFS inode). */
export const PIPE_INO_BASE = 1 << 20;
/** Vnode slot of the root directory (held from boot). */
export const ROOT_VNODE = 0;

/* What a suspended process waits for (fp.blocked). */
export const BLK_NONE = 0;
export const BLK_PIPE_READ = 1;
export const BLK_PIPE_WRITE = 2;
export const BLK_FIFO_OPEN = 3;

export interface FProc {
  inUse: boolean;
  endpoint: number;
  pid: number;
  ruid: number;
  euid: number;
  rgid: number;
  egid: number;
  umask: number;
  /** Vnode slots of the working and root directories. */
  cwd: number;
  root: number;
  /** Filp slot per descriptor, -1 when closed. */
  fd: number[];
  cloexec: number[];
  blocked: number;
  blkFd: number;
  blkBuf: number;
  blkNbytes: number;
  /** Bytes already moved by a suspended read or write. */
  blkDone: number;
  blkVnode: number;
}

export interface Filp {
  count: number;
  vnode: number;
  pos: number;
  /** Open flags (O_ACCMODE bits, O_APPEND, O_NONBLOCK, ...). */
  flags: number;
}

export interface Vnode {
  refs: number;
  /** References MFS holds for us (returned with REQ_PUTNODE). */
  fsRefs: number;
  ino: number;
  mode: number;
  size: number;
  uid: number;
  gid: number;
  /** Pipe buffer slot for pipes and FIFOs, -1 otherwise. */
  pipe: number;
  /** Open read and write ends (pipes and FIFOs). */
  readers: number;
  writers: number;
}

export interface PipeBuf {
  inUse: boolean;
  data: Uint8Array;
  start: number;
  len: number;
}

export interface WorkerRec {
  busy: boolean;
  requester: number;
  call: number;
}

export interface VfsState {
  fproc: FProc[];
  filp: Filp[];
  vnode: Vnode[];
  pipe: PipeBuf[];
  workers: WorkerRec[];
  /** Pseudo inode numbers for anonymous pipes (never collide with MFS inodes). */
  nextPipeIno: number;
  /** Names of the programs in /bin, fixed at boot: exec refuses another before closing anything. */
  programs: string[];
  stats: { opens: number; reads: number; writes: number; suspends: number };
}

function emptyFproc(): FProc {
  const fd: number[] = [];
  const cloexec: number[] = [];
  for (let i = 0; i < OPEN_MAX; i++) { fd[i] = -1; cloexec[i] = 0; }
  return {
    inUse: false, endpoint: NONE, pid: 0, ruid: 0, euid: 0, rgid: 0, egid: 0, umask: 0o022, cwd: -1, root: -1,
    fd, cloexec, blocked: BLK_NONE, blkFd: -1, blkBuf: 0, blkNbytes: 0, blkDone: 0, blkVnode: -1,
  };
}

export function initialState(params: BootParams): VfsState {
  const fproc: FProc[] = [];
  for (let i = 0; i < NR_SLOTS; i++) fproc[i] = emptyFproc();
  const filp: Filp[] = [];
  for (let i = 0; i < NR_FILPS; i++) filp[i] = { count: 0, vnode: -1, pos: 0, flags: 0 };
  const vnode: Vnode[] = [];
  for (let i = 0; i < NR_VNODES; i++) vnode[i] = { refs: 0, fsRefs: 0, ino: 0, mode: 0, size: 0, uid: 0, gid: 0, pipe: -1, readers: 0, writers: 0 };
  const pipe: PipeBuf[] = [];
  for (let i = 0; i < NR_PIPES; i++) pipe[i] = { inUse: false, data: new Uint8Array(PIPE_SIZE), start: 0, len: 0 };
  const workers: WorkerRec[] = [];
  for (let i = 0; i < NR_WORKERS; i++) workers[i] = { busy: false, requester: NONE, call: 0 };
  // The root directory, held by init as its root and working directory.
  const root = vnode[ROOT_VNODE]!;
  root.refs = 2; root.ino = ROOT_INO; root.mode = S_IFDIR | 0o755;
  const init = fproc[INIT]!;
  init.inUse = true; init.endpoint = INIT; init.pid = 1; init.cwd = ROOT_VNODE; init.root = ROOT_VNODE;
  const programs: string[] = [];
  for (let i = 0; i < params.programs.length; i++) programs[i] = String(params.programs[i]);
  return { fproc, filp, vnode, pipe, workers, nextPipeIno: PIPE_INO_BASE, programs, stats: { opens: 0, reads: 0, writes: 0, suspends: 0 } };
}
