/*
 * mkfs: the data section MFS boots with — a blank one (state.ts) with the
 * boot file tree written into it by the same allocation and directory code
 * the server runs (time 0, root): /bin with one file per installed
 * program, /tmp, /etc/passwd, /etc/motd, /dev, /home/user.
 *
 * The entry points into this file are:
 *   initialState(params)   a freshly made file system, as at boot
 */
import { panic } from '../../kernel/errors';
import { S_IFDIR, S_IFREG } from '../../proto/fs';
import { BootParams } from '../../sef/server';
import { allocInode } from './alloc';
import { BLOCK_SIZE, FIRST_DATA, NAME_MAX_BYTES, NR_BLOCKS, NR_INODES, ROOT_INO } from './const';
import { addEntry, nameBytes } from './dir';
import { writeData } from './inode';
import { checkNew, makeDir, makeNode } from './open';
import { walk } from './path';
import { blankState, MfsState } from './state';

const PASSWD = 'root:x:0:0::/:/bin/sh\nbin:x:2:2::/bin:\nuser:x:100:100::/tmp:\n';
const MOTD = 'welcome to osiris-fi\n';

/** A free slot for `name` in `dir`, as the root user at time 0; the image must fit. */
function slot(st: MfsState, dir: number, name: string, extra: number): Uint8Array {
  const w = walk(st, dir, name, 0, 0, false);
  if (typeof w === 'number') return panic('mfs', `mkfs: bad name "${name}" (${w})`);
  const err = checkNew(st, w, 0, 0, extra);
  if (err < 0) panic('mfs', `mkfs: cannot make "${name}" (${err})`);
  return nameBytes(name);
}

function mkdirAt(st: MfsState, dir: number, name: string, perm: number, uid = 0, gid = 0): number {
  return makeDir(st, dir, slot(st, dir, name, 1), perm, uid, gid, 0);
}

function mkfileAt(st: MfsState, dir: number, name: string, perm: number, text: string): number {
  const data = nameBytes(text);
  const blocks = Math.ceil(data.length / BLOCK_SIZE);
  const ino = makeNode(st, dir, slot(st, dir, name, blocks), S_IFREG | perm, 0, 0, 0);
  if (writeData(st, st.inodes[ino]!, 0, data, data.length) !== data.length) panic('mfs', `mkfs: "${name}" does not fit`);
  return ino;
}

/** A program name that can be a file in /bin; anything else is left out of the image. */
function validProgram(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !name.includes('/') && nameBytes(name).length <= NAME_MAX_BYTES;
}

export function initialState(params: BootParams): MfsState {
  const st = blankState();
  mkfs(st, params);
  return st;
}

function mkfs(st: MfsState, params: BootParams): void {
  for (let b = 0; b < FIRST_DATA; b++) st.blockUsed[b] = 1;
  st.freeBlocks = NR_BLOCKS - FIRST_DATA;
  // Inode 0 is never handed out: an entry with ino 0 is a free slot.
  st.freeInodes = NR_INODES - 1;
  const root = allocInode(st, S_IFDIR | 0o755, 0, 0, 0);
  if (root !== ROOT_INO) panic('mfs', `mkfs: root is inode ${root}`);
  addEntry(st, root, nameBytes('.'), root, 0);
  addEntry(st, root, nameBytes('..'), root, 0);
  st.inodes[root]!.nlinks = 2;

  const bin = mkdirAt(st, root, 'bin', 0o755);
  for (const p of params.programs) {
    if (!validProgram(p)) continue;
    const w = walk(st, bin, p, 0, 0, false);
    if (typeof w !== 'number' && w.ino !== 0) continue;
    mkfileAt(st, bin, p, 0o755, `#!osiris ${p}\n`);
  }
  mkdirAt(st, root, 'tmp', 0o1777);
  const etc = mkdirAt(st, root, 'etc', 0o755);
  mkfileAt(st, etc, 'passwd', 0o644, PASSWD);
  mkfileAt(st, etc, 'motd', 0o644, MOTD);
  mkdirAt(st, root, 'dev', 0o755);
  const home = mkdirAt(st, root, 'home', 0o755);
  mkdirAt(st, home, 'user', 0o755, 100, 100);
}
