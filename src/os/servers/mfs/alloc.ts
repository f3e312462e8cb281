/*
 * Allocation and release of blocks and inodes, and the byte-level copies
 * in and out of the disk image (MINIX's super.c and cache.c). Every change
 * to the bitmaps, the free counters or bulk disk contents goes through here.
 *
 * The entry points into this file are:
 *   allocBlock(st)            a zeroed free data block, or 0 when the disk is full
 *   freeBlock(st, b)          return a data block to the bitmap
 *   allocInode(st, ...)       a fresh inode number, or 0 when none is free
 *   freeInode(st, ino)        release an inode whose blocks are already gone
 *   copyBytes(dst, ...)       byte copy between the disk and a buffer
 *   zeroBytes(dst, off, n)    clear a byte range
 *   getU32 / putU32           little-endian words on the disk
 */
import { panic } from '../../kernel/errors';
import { BLOCK_SIZE, FIRST_DATA, NR_BLOCKS, NR_DZONES, NR_INODES } from './const';
import { MfsState } from './state';

export function copyBytes(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, n: number): void {
  if (n < 0 || dstOff < 0 || srcOff < 0 || dstOff + n > dst.length || srcOff + n > src.length) {
    panic('mfs', `copyBytes out of range (${dstOff}+${n} of ${dst.length}, ${srcOff} of ${src.length})`);
  }
  for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
}

export function zeroBytes(dst: Uint8Array, off: number, n: number): void {
  if (n < 0 || off < 0 || off + n > dst.length) panic('mfs', `zeroBytes out of range (${off}+${n})`);
  for (let i = 0; i < n; i++) dst[off + i] = 0;
}

export function getU32(disk: Uint8Array, off: number): number {
  return (disk[off]! | (disk[off + 1]! << 8) | (disk[off + 2]! << 16) | (disk[off + 3]! << 24)) >>> 0;
}

export function putU32(disk: Uint8Array, off: number, v: number): void {
  disk[off] = v & 0xff;
  disk[off + 1] = (v >>> 8) & 0xff;
  disk[off + 2] = (v >>> 16) & 0xff;
  disk[off + 3] = (v >>> 24) & 0xff;
}

export function allocBlock(st: MfsState): number {
  if (st.freeBlocks <= 0) return 0;
  for (let b = FIRST_DATA; b < NR_BLOCKS; b++) {
    if (st.blockUsed[b] !== 0) continue;
    st.blockUsed[b] = 1;
    st.freeBlocks--;
    // A new block must read as zeros: holes and directory slots rely on it.
    zeroBytes(st.disk, b * BLOCK_SIZE, BLOCK_SIZE);
    return b;
  }
  return panic('mfs', `free block count ${st.freeBlocks} but the bitmap is full`);
}

export function freeBlock(st: MfsState, b: number): void {
  if (b < FIRST_DATA || b >= NR_BLOCKS) panic('mfs', `freeing block ${b} outside the data zones`);
  if (st.blockUsed[b] === 0) panic('mfs', `freeing free block ${b}`);
  st.blockUsed[b] = 0;
  st.freeBlocks++;
}

/** Whether `b` is a block number an inode may legitimately point at. */
export function checkZone(st: MfsState, b: number): void {
  if (b < FIRST_DATA || b >= NR_BLOCKS) panic('mfs', `zone ${b} outside the data zones`);
  if (st.blockUsed[b] === 0) panic('mfs', `zone ${b} points at a free block`);
}

export function allocInode(st: MfsState, mode: number, uid: number, gid: number, now: number): number {
  if (mode === 0) panic('mfs', 'allocating an inode without a type');
  if (st.freeInodes <= 0) return 0;
  for (let ino = 1; ino < NR_INODES; ino++) {
    const ip = st.inodes[ino]!;
    if (ip.mode !== 0) continue;
    ip.mode = mode;
    ip.nlinks = 0;
    ip.uid = uid;
    ip.gid = gid;
    ip.size = 0;
    ip.atime = now;
    ip.mtime = now;
    ip.ctime = now;
    for (let z = 0; z < NR_DZONES; z++) ip.zones[z] = 0;
    ip.indirect = 0;
    ip.count = 0;
    st.freeInodes--;
    return ino;
  }
  return panic('mfs', `free inode count ${st.freeInodes} but the inode table is full`);
}

export function freeInode(st: MfsState, ino: number): void {
  const ip = st.inodes[ino];
  if (!ip || ino < 1 || ip.mode === 0) panic('mfs', `freeing free inode ${ino}`);
  if (ip.nlinks !== 0 || ip.count !== 0) panic('mfs', `freeing inode ${ino} still in use`);
  for (let z = 0; z < NR_DZONES; z++) if (ip.zones[z] !== 0) panic('mfs', `freeing inode ${ino} with blocks`);
  if (ip.indirect !== 0) panic('mfs', `freeing inode ${ino} with an indirect block`);
  ip.mode = 0;
  ip.size = 0;
  ip.uid = 0;
  ip.gid = 0;
  st.freeInodes++;
}
