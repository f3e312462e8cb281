/*
 * Directories: 64-byte entries (ino u32 LE + NUL-padded name) stored in
 * the directory's data blocks; ino 0 marks a free slot (MINIX's path.c
 * search_dir).
 *
 * The entry points into this file are:
 *   nameBytes(name)                      a name's on-disk bytes
 *   nameLength(name)                     the length of those bytes
 *   findEntry(st, dino, name)            byte position of a name's entry, or -1
 *   searchDir(st, dino, name)            the inode a name refers to, or 0
 *   searchDirName(st, dino, name)        the same for a name given as a string
 *   entryInoAt(st, dip, pos)             the inode of the entry at pos (0 = free)
 *   entryNameAt(st, dip, pos)            the name bytes of the entry at pos
 *   entryBlocksNeeded(st, dino)          new blocks one more entry would take, -1 when full
 *   addEntry(st, dino, name, ino, now)   enter a name (space checked by the caller)
 *   setEntryIno(st, dino, pos, ino, now) point an existing entry elsewhere
 *   removeEntry(st, dino, pos, now)      free an entry's slot
 *   dirIsEmpty(st, dino)                 only "." and ".." left
 */
import { panic } from '../../kernel/errors';
import { S_ISDIR } from '../../proto/fs';
import { copyBytes, getU32, putU32, zeroBytes } from './alloc';
import { BLOCK_SIZE, DIRENT_NAME, DIRENT_SIZE, MAX_FILE_SIZE, NR_DZONES, NR_INODES } from './const';
import { bmap, writeData } from './inode';
import { Inode, MfsState } from './state';

const encoder = new TextEncoder();

/** UTF-8 bytes of a name; names are nearly always ASCII, which needs no encoder. */
export function nameBytes(name: string): Uint8Array {
  if (typeof name !== 'string') return encoder.encode(name);
  const n = name.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(name);
    out[i] = c;
  }
  return out;
}

/** nameBytes(name).length, without building the bytes for an ASCII name. */
export function nameLength(name: string): number {
  return isAscii(name) ? name.length : encoder.encode(name).length;
}

/** A string whose UTF-8 bytes are its char codes. */
function isAscii(name: string): boolean {
  if (typeof name !== 'string') return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 0x80) return false;
  return true;
}

function dirOf(st: MfsState, dino: number): Inode {
  const dip = st.inodes[dino];
  if (!dip || dip.mode === 0 || !S_ISDIR(dip.mode)) panic('mfs', `inode ${dino} used as a directory`);
  if (dip.size % DIRENT_SIZE !== 0) panic('mfs', `directory ${dino} has size ${dip.size}`);
  return dip;
}

/** Disk offset of the entry at byte position pos: directories have no holes. */
function entryOff(st: MfsState, dip: Inode, pos: number): number {
  const b = bmap(st, dip, Math.floor(pos / BLOCK_SIZE));
  if (b === 0) panic('mfs', `directory with a hole at ${pos}`);
  return b * BLOCK_SIZE + (pos % BLOCK_SIZE);
}

export function entryInoAt(st: MfsState, dip: Inode, pos: number): number {
  const ino = getU32(st.disk, entryOff(st, dip, pos));
  if (ino === 0) return 0;
  if (ino >= NR_INODES || st.inodes[ino]!.mode === 0) panic('mfs', `directory entry points at free inode ${ino}`);
  return ino;
}

export function entryNameAt(st: MfsState, dip: Inode, pos: number): Uint8Array {
  const off = entryOff(st, dip, pos) + 4;
  let len = 0;
  while (len < DIRENT_NAME && st.disk[off + len] !== 0) len++;
  if (len === 0) panic('mfs', 'directory entry with an empty name');
  return st.disk.subarray(off, off + len);
}

/** A name that fills the field has no NUL after it: the next byte is the next entry's. */
function sameName(disk: Uint8Array, off: number, name: Uint8Array): boolean {
  const n = name.length;
  if (n > DIRENT_NAME || (n < DIRENT_NAME && disk[off + 4 + n] !== 0)) return false;
  for (let k = 0; k < n; k++) if (disk[off + 4 + k] !== name[k]) return false;
  return true;
}

/** sameName for an ASCII name given as a string (no bytes to build). */
function sameAsciiName(disk: Uint8Array, off: number, name: string): boolean {
  const n = name.length;
  if (n > DIRENT_NAME || (n < DIRENT_NAME && disk[off + 4 + n] !== 0)) return false;
  for (let k = 0; k < n; k++) if (disk[off + 4 + k] !== name.charCodeAt(k)) return false;
  return true;
}

/** Disk offset of the block holding position pos (entryOff's check, once per block). */
function blockOff(st: MfsState, dip: Inode, pos: number): number {
  const b = bmap(st, dip, Math.floor(pos / BLOCK_SIZE));
  if (b === 0) panic('mfs', `directory with a hole at ${pos}`);
  return b * BLOCK_SIZE;
}

export function findEntry(st: MfsState, dino: number, name: Uint8Array | string): number {
  const dip = dirOf(st, dino);
  const disk = st.disk;
  const size = dip.size;
  const ascii = typeof name === 'string';
  // Entries never straddle blocks: map each block once, then scan its entries.
  for (let start = 0; start < size; start += BLOCK_SIZE) {
    const base = blockOff(st, dip, start);
    const end = Math.min(size, start + BLOCK_SIZE);
    for (let pos = start; pos < end; pos += DIRENT_SIZE) {
      const off = base + (pos - start);
      if ((disk[off]! | disk[off + 1]! | disk[off + 2]! | disk[off + 3]!) === 0) continue;
      if (ascii ? sameAsciiName(disk, off, name) : sameName(disk, off, name)) return pos;
    }
  }
  return -1;
}

export function searchDir(st: MfsState, dino: number, name: Uint8Array): number {
  const pos = findEntry(st, dino, name);
  return pos < 0 ? 0 : entryInoAt(st, st.inodes[dino]!, pos);
}

export function searchDirName(st: MfsState, dino: number, name: string): number {
  // An ASCII name is compared as it is; anything else through its UTF-8 bytes.
  const pos = findEntry(st, dino, isAscii(name) ? name : nameBytes(name));
  return pos < 0 ? 0 : entryInoAt(st, st.inodes[dino]!, pos);
}

function freeSlot(st: MfsState, dip: Inode): number {
  const disk = st.disk;
  const size = dip.size;
  for (let start = 0; start < size; start += BLOCK_SIZE) {
    const base = blockOff(st, dip, start);
    const end = Math.min(size, start + BLOCK_SIZE);
    for (let pos = start; pos < end; pos += DIRENT_SIZE) {
      const off = base + (pos - start);
      if ((disk[off]! | disk[off + 1]! | disk[off + 2]! | disk[off + 3]!) === 0) return pos;
    }
  }
  return -1;
}

export function entryBlocksNeeded(st: MfsState, dino: number): number {
  const dip = dirOf(st, dino);
  if (freeSlot(st, dip) >= 0) return 0;
  if (dip.size % BLOCK_SIZE !== 0) return 0;
  if (dip.size + DIRENT_SIZE > MAX_FILE_SIZE) return -1;
  const idx = dip.size / BLOCK_SIZE;
  return idx >= NR_DZONES && dip.indirect === 0 ? 2 : 1;
}

export function addEntry(st: MfsState, dino: number, name: Uint8Array, ino: number, now: number): void {
  const dip = dirOf(st, dino);
  if (name.length === 0 || name.length > DIRENT_NAME) panic('mfs', `entering a name of ${name.length} bytes`);
  if (ino < 1 || ino >= NR_INODES || st.inodes[ino]!.mode === 0) panic('mfs', `entering free inode ${ino}`);
  let pos = freeSlot(st, dip);
  if (pos < 0) {
    pos = dip.size;
    // Grow by one zeroed entry; the caller made sure the block is available.
    const got = writeData(st, dip, pos, new Uint8Array(DIRENT_SIZE), DIRENT_SIZE);
    if (got !== DIRENT_SIZE) panic('mfs', `directory ${dino} could not grow`);
  }
  const off = entryOff(st, dip, pos);
  putU32(st.disk, off, ino);
  zeroBytes(st.disk, off + 4, DIRENT_NAME);
  copyBytes(st.disk, off + 4, name, 0, name.length);
  dip.mtime = now;
  dip.ctime = now;
}

export function setEntryIno(st: MfsState, dino: number, pos: number, ino: number, now: number): void {
  const dip = dirOf(st, dino);
  if (ino < 1 || ino >= NR_INODES || st.inodes[ino]!.mode === 0) panic('mfs', `entering free inode ${ino}`);
  putU32(st.disk, entryOff(st, dip, pos), ino);
  dip.mtime = now;
  dip.ctime = now;
}

export function removeEntry(st: MfsState, dino: number, pos: number, now: number): void {
  const dip = dirOf(st, dino);
  if (pos < 0 || pos >= dip.size) panic('mfs', `removing entry ${pos} past the end of directory ${dino}`);
  const off = entryOff(st, dip, pos);
  putU32(st.disk, off, 0);
  zeroBytes(st.disk, off + 4, DIRENT_NAME);
  dip.mtime = now;
  dip.ctime = now;
}

export function dirIsEmpty(st: MfsState, dino: number): boolean {
  const dip = dirOf(st, dino);
  for (let pos = 0; pos < dip.size; pos += DIRENT_SIZE) {
    if (entryInoAt(st, dip, pos) === 0) continue;
    const n = entryNameAt(st, dip, pos);
    const dot = n.length === 1 && n[0] === 0x2e;
    const dotdot = n.length === 2 && n[0] === 0x2e && n[1] === 0x2e;
    if (!dot && !dotdot) return false;
  }
  return true;
}
