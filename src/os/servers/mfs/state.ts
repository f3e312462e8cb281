/*
 * The MFS data section: the whole disk image, the inode table and the
 * block bitmap, as fixed-size tables. The data section a server boots
 * with is this blank one with the boot file tree written into it
 * (`initialState` in mkfs.ts, which needs the server's own allocation and
 * directory code).
 *
 * The entry points into this file are:
 *   Inode, MfsState   the inode record and the data section
 *   blankState        a data section with an unformatted disk and free inodes
 */
import { BLOCK_SIZE, NR_BLOCKS, NR_DZONES, NR_INODES } from './const';

export interface Inode {
  /** File type and permission bits; 0 marks a free inode. */
  mode: number;
  nlinks: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  /** Direct block numbers (0 = none). */
  zones: number[];
  /** Block holding NR_INDIRECTS u32 block numbers (0 = none). */
  indirect: number;
  /** References held by VFS (vnodes). */
  count: number;
}

export interface MfsState {
  disk: Uint8Array;
  inodes: Inode[];
  blockUsed: Uint8Array;
  freeBlocks: number;
  freeInodes: number;
  /** Flushes to the disk so far. */
  syncs: number;
}

function emptyInode(): Inode {
  const zones: number[] = [];
  for (let i = 0; i < NR_DZONES; i++) zones[i] = 0;
  return { mode: 0, nlinks: 0, uid: 0, gid: 0, size: 0, atime: 0, mtime: 0, ctime: 0, zones, indirect: 0, count: 0 };
}

export function blankState(): MfsState {
  const inodes: Inode[] = [];
  for (let i = 0; i < NR_INODES; i++) inodes[i] = emptyInode();
  return {
    disk: new Uint8Array(NR_BLOCKS * BLOCK_SIZE),
    inodes,
    blockUsed: new Uint8Array(NR_BLOCKS),
    freeBlocks: 0,
    freeInodes: 0,
    syncs: 0,
  };
}
