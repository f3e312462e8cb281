/*
 * An fsck of MFS's data section: walk the tree from the root directory and
 * check that every directory has one "." naming itself and one ".." naming
 * its parent, that no entry names a free inode and no directory is entered
 * twice, that each inode's link count is the number of entries naming it,
 * that the allocated inodes are those reachable (or unlinked but still open),
 * and that the zone bitmap marks exactly the blocks the inodes use, each
 * used once. It reads the disk image itself: MFS's own code panics on the
 * very damage looked for here.
 *
 * The entry points into this file are:
 *   checkFileSystem(v, out)   add the findings of this group
 *   lookupName(st, dino, name) the inode a name in a directory names, 0 when none (the self-test finds its objects so)
 *   entryOffset(st, dino, name) where that entry lies on the disk, -1 when none
 */
import { S_ISDIR } from '../../os/proto/fs';
import { BLOCK_SIZE, DIRENT_NAME, DIRENT_SIZE, FIRST_DATA, NR_BLOCKS, NR_DZONES, NR_INDIRECTS, NR_INODES, ROOT_INO } from '../../os/servers/mfs/const';
import type { Inode, MfsState } from '../../os/servers/mfs/state';
import { Findings } from './view';

const LINKS = 'link count = directory entries';
const DOTS = 'directory . and ..';
const FREE_ENTRY = 'no entry names a free inode';
const INODE_MAP = 'inode bitmap = reachable inodes';
const ZONE_MAP = 'zone bitmap = blocks in use';

function u32(disk: Uint8Array, off: number): number {
  return (disk[off]! | (disk[off + 1]! << 8) | (disk[off + 2]! << 16) | (disk[off + 3]! << 24)) >>> 0;
}

function dataZone(b: number): boolean {
  return b >= FIRST_DATA && b < NR_BLOCKS;
}

/** The block holding the idx-th block of a file (0: a hole or a bad pointer, which the zone check reports). */
function bmap(st: MfsState, ip: Inode, idx: number): number {
  if (idx < NR_DZONES) return dataZone(ip.zones[idx]!) ? ip.zones[idx]! : 0;
  if (!dataZone(ip.indirect) || idx - NR_DZONES >= NR_INDIRECTS) return 0;
  const b = u32(st.disk, ip.indirect * BLOCK_SIZE + 4 * (idx - NR_DZONES));
  return dataZone(b) ? b : 0;
}

/** A live directory entry: its inode, whether it is "." (1), ".." (2) or another name (0), and where its name lies. */
interface Entry { ino: number; dots: number; off: number }

function nameAt(st: MfsState, e: Entry): string {
  let len = 0;
  while (len < DIRENT_NAME && st.disk[e.off + 4 + len] !== 0) len++;
  return String.fromCharCode(...st.disk.subarray(e.off + 4, e.off + 4 + len));
}

/** The live entries of directory `dino`, or a description of why they cannot be read. */
function entries(st: MfsState, dino: number): Entry[] | string {
  const dip = st.inodes[dino];
  if (!dip) return `no inode ${dino}`;
  if (dip.size % DIRENT_SIZE !== 0) return `size ${dip.size} is not a whole number of entries`;
  const out: Entry[] = [];
  for (let pos = 0; pos < dip.size; pos += DIRENT_SIZE) {
    const b = bmap(st, dip, Math.floor(pos / BLOCK_SIZE));
    if (b === 0) return `hole at byte ${pos}`;
    const off = b * BLOCK_SIZE + (pos % BLOCK_SIZE);
    const ino = u32(st.disk, off);
    if (ino === 0) continue;
    const d = st.disk;
    const dots = d[off + 4] !== 0x2e ? 0 : d[off + 5] === 0 ? 1 : d[off + 5] === 0x2e && d[off + 6] === 0 ? 2 : 0;
    out.push({ ino, dots, off });
  }
  return out;
}

export function entryOffset(st: MfsState, dino: number, name: string): number {
  const list = entries(st, dino);
  if (typeof list === 'string') return -1;
  for (const e of list) if (nameAt(st, e) === name) return e.off;
  return -1;
}

export function lookupName(st: MfsState, dino: number, name: string): number {
  const off = entryOffset(st, dino, name);
  return off < 0 ? 0 : u32(st.disk, off);
}

/** Walk from the root: entries naming each inode, and the directories reached. */
function walkTree(st: MfsState, out: Findings): Int32Array {
  const refs = new Int32Array(NR_INODES);
  const parent = new Int32Array(NR_INODES).fill(-1);
  const root = st.inodes[ROOT_INO]!;
  if (root.mode === 0 || !S_ISDIR(root.mode)) { out.add(DOTS, ['mfs'], `inode ${ROOT_INO}`, 'the root is not an allocated directory'); return refs; }
  parent[ROOT_INO] = ROOT_INO;
  const queue = [ROOT_INO];
  for (let qi = 0; qi < queue.length; qi++) {
    const d = queue[qi]!;
    const list = entries(st, d);
    if (typeof list === 'string') { out.add(DOTS, ['mfs'], `directory inode ${d}`, list); continue; }
    let dots = 0;
    let dotdots = 0;
    for (const e of list) {
      if (e.ino >= NR_INODES || st.inodes[e.ino]!.mode === 0) {
        out.add(FREE_ENTRY, ['mfs'], `directory inode ${d}, entry "${nameAt(st, e)}"`, `names ${e.ino >= NR_INODES ? 'no' : 'free'} inode ${e.ino}`);
        continue;
      }
      refs[e.ino]!++;
      if (e.dots === 1) {
        dots++;
        if (e.ino !== d) out.add(DOTS, ['mfs'], `directory inode ${d}`, `"." names inode ${e.ino}`);
      } else if (e.dots === 2) {
        dotdots++;
        if (e.ino !== parent[d]) out.add(DOTS, ['mfs'], `directory inode ${d}`, `".." names inode ${e.ino}, its parent is ${parent[d]}`);
      } else if (S_ISDIR(st.inodes[e.ino]!.mode)) {
        if (parent[e.ino]! >= 0) { out.add(LINKS, ['mfs'], `directory inode ${e.ino}`, `entered twice (in ${parent[e.ino]} and as "${nameAt(st, e)}" in ${d})`); continue; }
        parent[e.ino] = d;
        queue.push(e.ino);
      }
    }
    if (dots !== 1 || dotdots !== 1) out.add(DOTS, ['mfs'], `directory inode ${d}`, `${dots} "." and ${dotdots} ".." entries`);
  }
  return refs;
}

/**
 * Claim the blocks inode i uses (direct zones, the indirect block and the
 * blocks it lists) in `claim`; `from` says what pointed at a block, only
 * when a finding needs it.
 */
function claimBlocks(st: MfsState, i: number, claim: Int32Array, out: Findings): void {
  const ip = st.inodes[i]!;
  const one = (b: number, from: () => string): void => {
    if (!dataZone(b)) { out.add(ZONE_MAP, ['mfs'], `inode ${i}`, `${from()} points at block ${b}, outside the data zones`); return; }
    if (claim[b] !== 0) out.add(ZONE_MAP, ['mfs'], `block ${b}`, `used by inode ${claim[b]} and inode ${i}`);
    else claim[b] = i;
    if (st.blockUsed[b] === 0) out.add(ZONE_MAP, ['mfs'], `block ${b}`, `inode ${i} uses it (${from()}), the bitmap says free`);
  };
  for (let z = 0; z < NR_DZONES; z++) if (ip.zones[z] !== 0) one(ip.zones[z]!, () => `zone ${z}`);
  if (ip.indirect === 0) return;
  one(ip.indirect, () => 'indirect block');
  if (!dataZone(ip.indirect)) return;
  const base = ip.indirect * BLOCK_SIZE;
  for (let k = 0; k < NR_INDIRECTS; k++) {
    const b = u32(st.disk, base + 4 * k);
    if (b !== 0) one(b, () => `indirect entry ${k}`);
  }
}

function inodesAndZones(st: MfsState, refs: Int32Array, out: Findings): void {
  const claim = new Int32Array(NR_BLOCKS);
  let free = 0;
  if (st.inodes[0]!.mode !== 0) out.add(INODE_MAP, ['mfs'], 'inode 0', 'inode 0 is allocated (it marks free entries)');
  for (let i = 1; i < NR_INODES; i++) {
    const ip = st.inodes[i]!;
    if (ip.mode === 0) { free++; continue; }
    if (refs[i]! > 0 && ip.nlinks !== refs[i]) out.add(LINKS, ['mfs'], `inode ${i}`, `nlinks ${ip.nlinks}, named by ${refs[i]} entries`);
    if (refs[i] === 0 && ip.nlinks > 0) out.add(INODE_MAP, ['mfs'], `inode ${i}`, `allocated with nlinks ${ip.nlinks}, but no entry reaches it`);
    if (refs[i] === 0 && ip.nlinks === 0 && ip.count === 0) out.add(INODE_MAP, ['mfs'], `inode ${i}`, 'allocated, unlinked and not open: it should be free');
    claimBlocks(st, i, claim, out);
  }
  if (st.freeInodes !== free) out.add(INODE_MAP, ['mfs'], 'inode table', `freeInodes ${st.freeInodes}, ${free} inodes free`);
  const leaked: number[] = [];
  let freeBlocks = 0;
  for (let b = 0; b < NR_BLOCKS; b++) {
    if (st.blockUsed[b] === 0) {
      freeBlocks++;
      if (b < FIRST_DATA) out.add(ZONE_MAP, ['mfs'], `block ${b}`, 'a metadata block marked free');
    } else if (b >= FIRST_DATA && claim[b] === 0) leaked.push(b);
  }
  if (leaked.length) out.add(ZONE_MAP, ['mfs'], `blocks [${leaked.slice(0, 16).join(',')}${leaked.length > 16 ? ',…' : ''}]`, `${leaked.length} blocks marked used that no inode uses`);
  if (st.freeBlocks !== freeBlocks) out.add(ZONE_MAP, ['mfs'], 'zone bitmap', `freeBlocks ${st.freeBlocks}, ${freeBlocks} blocks free`);
}

export function checkFileSystem(st: MfsState, out: Findings): void {
  inodesAndZones(st, walkTree(st, out), out);
}
