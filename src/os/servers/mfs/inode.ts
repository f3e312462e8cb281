/*
 * Inodes and their data: block mapping (direct zones plus one indirect
 * block), reading and writing file bytes, truncation, link counting and the
 * release of dead inodes (MINIX's inode.c, read.c's read_map, write.c).
 *
 * The entry points into this file are:
 *   liveInode(st, ino)             the record of an in-use inode, or null
 *   bmap(st, ip, idx)              block of a file's idx-th block, 0 for a hole
 *   readData(st, ip, pos, n)       file bytes into a fresh buffer (holes as zeros)
 *   writeData(st, ip, pos, src, n) file bytes from a buffer; the count written
 *   truncateData(st, ip, length)   shrink or grow, freeing blocks past the end
 *   dataBlocks(st, ip)             allocated data blocks of a file
 *   dropLink(st, ino)              nlinks--, releasing the inode when dead
 *   releaseIfDead(st, ino)         free an inode with no links and no VFS references
 *   inoFields(ino, ip)             the inode fields carried in a reply
 *   nowSecs(ctx)                   simulated seconds for timestamps
 */
import { panic } from '../../kernel/errors';
import { ServerCtx } from '../../sef/server';
import { allocBlock, checkZone, copyBytes, freeBlock, freeInode, getU32, putU32, zeroBytes } from './alloc';
import { BLOCK_SIZE, MAX_FILE_BLOCKS, NR_DZONES, NR_INDIRECTS, NR_INODES } from './const';
import { Inode, MfsState } from './state';

export function nowSecs(ctx: ServerCtx<MfsState>): number {
  return Math.floor(ctx.sys.times(ctx.self).now / 1e9);
}

export function liveInode(st: MfsState, ino: number): Inode | null {
  if (!Number.isInteger(ino) || ino < 1 || ino >= NR_INODES) return null;
  const ip = st.inodes[ino]!;
  if (ip.mode === 0) return null;
  if (ip.nlinks < 0) panic('mfs', `inode ${ino} has nlinks ${ip.nlinks}`);
  return ip;
}

export function inoFields(ino: number, ip: Inode): { ino: number; mode: number; size: number; uid: number; gid: number; nlinks: number } {
  return { ino, mode: ip.mode, size: ip.size, uid: ip.uid, gid: ip.gid, nlinks: ip.nlinks };
}

export function bmap(st: MfsState, ip: Inode, idx: number): number {
  if (idx < 0 || idx >= MAX_FILE_BLOCKS) panic('mfs', `block index ${idx} past the largest file`);
  if (idx < NR_DZONES) {
    const b = ip.zones[idx]!;
    if (b !== 0) checkZone(st, b);
    return b;
  }
  if (ip.indirect === 0) return 0;
  checkZone(st, ip.indirect);
  const b = getU32(st.disk, ip.indirect * BLOCK_SIZE + 4 * (idx - NR_DZONES));
  if (b !== 0) checkZone(st, b);
  return b;
}

/** The block behind index idx, allocating it (and the indirect block) when missing; 0 when the disk is full. */
function bmapAlloc(st: MfsState, ip: Inode, idx: number): number {
  const have = bmap(st, ip, idx);
  if (have !== 0) return have;
  if (idx < NR_DZONES) {
    const b = allocBlock(st);
    if (b !== 0) ip.zones[idx] = b;
    return b;
  }
  // Never leave an empty indirect block behind: take it only with its first data block.
  if (ip.indirect === 0 && st.freeBlocks < 2) return 0;
  if (ip.indirect === 0) ip.indirect = allocBlock(st);
  const b = allocBlock(st);
  if (b !== 0) putU32(st.disk, ip.indirect * BLOCK_SIZE + 4 * (idx - NR_DZONES), b);
  return b;
}

export function readData(st: MfsState, ip: Inode, pos: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let done = 0;
  while (done < n) {
    const p = pos + done;
    const boff = p % BLOCK_SIZE;
    const chunk = Math.min(BLOCK_SIZE - boff, n - done);
    const b = bmap(st, ip, Math.floor(p / BLOCK_SIZE));
    if (b !== 0) copyBytes(out, done, st.disk, b * BLOCK_SIZE + boff, chunk);
    done += chunk;
  }
  return out;
}

export function writeData(st: MfsState, ip: Inode, pos: number, src: Uint8Array, n: number): number {
  if (pos < 0 || pos + n > MAX_FILE_BLOCKS * BLOCK_SIZE) panic('mfs', `write of ${n} at ${pos} past the largest file`);
  let done = 0;
  while (done < n) {
    const p = pos + done;
    const boff = p % BLOCK_SIZE;
    const chunk = Math.min(BLOCK_SIZE - boff, n - done);
    const b = bmapAlloc(st, ip, Math.floor(p / BLOCK_SIZE));
    if (b === 0) break;
    copyBytes(st.disk, b * BLOCK_SIZE + boff, src, done, chunk);
    done += chunk;
  }
  if (pos + done > ip.size) ip.size = pos + done;
  return done;
}

export function truncateData(st: MfsState, ip: Inode, length: number): void {
  const keep = Math.ceil(length / BLOCK_SIZE);
  for (let idx = keep; idx < NR_DZONES; idx++) {
    const b = ip.zones[idx]!;
    if (b === 0) continue;
    checkZone(st, b);
    freeBlock(st, b);
    ip.zones[idx] = 0;
  }
  if (ip.indirect !== 0) {
    checkZone(st, ip.indirect);
    const base = ip.indirect * BLOCK_SIZE;
    const dropAll = keep <= NR_DZONES;
    for (let i = Math.max(0, keep - NR_DZONES); i < NR_INDIRECTS; i++) {
      const b = getU32(st.disk, base + 4 * i);
      if (b === 0) continue;
      checkZone(st, b);
      freeBlock(st, b);
      if (!dropAll) putU32(st.disk, base + 4 * i, 0);
    }
    if (dropAll) {
      freeBlock(st, ip.indirect);
      ip.indirect = 0;
    }
  }
  // Bytes past the end of a kept block must read as zeros if the file grows again.
  const tail = length % BLOCK_SIZE;
  if (tail !== 0 && length < ip.size) {
    const b = bmap(st, ip, Math.floor(length / BLOCK_SIZE));
    if (b !== 0) zeroBytes(st.disk, b * BLOCK_SIZE + tail, BLOCK_SIZE - tail);
  }
  ip.size = length;
}

export function dataBlocks(st: MfsState, ip: Inode): number {
  let n = 0;
  for (let z = 0; z < NR_DZONES; z++) if (ip.zones[z] !== 0) n++;
  if (ip.indirect !== 0) {
    checkZone(st, ip.indirect);
    for (let i = 0; i < NR_INDIRECTS; i++) if (getU32(st.disk, ip.indirect * BLOCK_SIZE + 4 * i) !== 0) n++;
  }
  return n;
}

export function releaseIfDead(st: MfsState, ino: number): void {
  const ip = st.inodes[ino]!;
  if (ip.nlinks < 0) panic('mfs', `inode ${ino} has nlinks ${ip.nlinks}`);
  if (ip.count < 0) panic('mfs', `inode ${ino} has count ${ip.count}`);
  if (ip.nlinks !== 0 || ip.count !== 0) return;
  truncateData(st, ip, 0);
  freeInode(st, ino);
}

export function dropLink(st: MfsState, ino: number, now: number): void {
  const ip = st.inodes[ino]!;
  ip.nlinks--;
  if (ip.nlinks < 0) panic('mfs', `inode ${ino} link count went negative`);
  ip.ctime = now;
  releaseIfDead(st, ino);
}
