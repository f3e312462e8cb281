/*
 * Test programs: a file-system image check. A program builds a directory
 * tree under /tmp from an in-program model (sizes and contents from a small
 * LCG with a fixed seed), walks it with readdir + lstat + read, and compares
 * a checksum of what it found with one computed from the model. Renames,
 * moves, links, holes and truncation change the image and the model
 * together; at the end everything is removed and statvfs must show every
 * block and inode free again.
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { StatVfs } from '../../libc/file';
import { EEXIST, EFBIG, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY } from '../../proto/errno';
import { BLOCK_SIZE, Stat, O_APPEND, O_CREAT, O_RDONLY, O_RDWR, O_WRONLY, S_ISDIR, S_ISREG, SEEK_END, SEEK_SET } from '../../proto/fs';
import { T, TestProgram, test } from '../test-api';

/** MFS inodes address 7 direct blocks and one indirect block of 256 (src/os/servers/mfs/const.ts). */
const DIRECT_BLOCKS = 7;
const MAX_FILE_SIZE = (DIRECT_BLOCKS + BLOCK_SIZE / 4) * BLOCK_SIZE;

/** A small LCG (Numerical Recipes constants): the only source of "random" sizes and bytes. */
class Lcg {
  constructor(private x: number) {}
  next(): number { this.x = (Math.imul(this.x, 1664525) + 1013904223) >>> 0; return this.x; }
  below(n: number): number { return this.next() % n; }
}

function content(seed: number, size: number): Uint8Array<ArrayBuffer> {
  const g = new Lcg(seed);
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = g.next() >>> 24;
  return b;
}

/** 32-bit FNV-1a, continuing from h. */
function fnv(b: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193) >>> 0;
  return h;
}

const enc = new TextEncoder();

/** One file or directory of the model; `data` is what a file must hold. */
interface Node { path: string; dir: boolean; data: Uint8Array<ArrayBuffer> }

/** The model: paths relative to the tree's root ('' is the root itself). */
class Model {
  nodes: Node[] = [];

  add(path: string, dir: boolean, data: Uint8Array<ArrayBuffer> = new Uint8Array(0)): Node {
    const n = { path, dir, data };
    this.nodes.push(n);
    return n;
  }

  find(path: string): Node | undefined { return this.nodes.find((n) => n.path === path); }

  remove(path: string): void { this.nodes = this.nodes.filter((n) => n.path !== path); }

  /** Move a node and, for a directory, everything below it. */
  move(from: string, to: string): void {
    for (const n of this.nodes) {
      if (n.path === from) n.path = to;
      else if (n.path.startsWith(from + '/')) n.path = to + n.path.slice(from.length);
    }
  }

  checksum(): number { return listingSum(this.nodes.map((n) => line(n.path, n.dir, n.data))); }

  /** Blocks the tree takes: one per directory (few entries each), data plus an indirect block per file. */
  blocks(): number {
    let b = 0;
    for (const n of this.nodes) b += n.dir ? 1 : fileBlocks(n.data.length);
    return b;
  }
}

function fileBlocks(size: number): number {
  const data = Math.ceil(size / BLOCK_SIZE);
  return data + (data > DIRECT_BLOCKS ? 1 : 0);
}

function line(path: string, dir: boolean, data: Uint8Array): string {
  return `${path}|${dir ? 'd' : 'f'}|${data.length}|${fnv(data).toString(16)}`;
}

function listingSum(lines: string[]): number {
  return fnv(enc.encode(lines.sort().join('\n')));
}

function join(root: string, rel: string): string {
  return rel === '' ? root : `${root}/${rel}`;
}

/** The whole file; `size` (from stat) saves the read that would find end of file. */
function* readBytes(u: Libc, path: string, size = -1): Co<Uint8Array | null> {
  const fd = yield* u.open(path, O_RDONLY);
  if (fd < 0) return null;
  const parts: Uint8Array[] = [];
  let total = 0;
  while (size < 0 || total < size) {
    const b = yield* u.read(fd, size < 0 ? 8192 : Math.min(8192, size - total));
    if (b === null) { yield* u.close(fd); return null; }
    if (b.length === 0) break;
    parts.push(b);
    total += b.length;
  }
  if ((yield* u.close(fd)) < 0) return null;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

/** What a walk of the real tree found. */
interface Walk { lines: string[]; inoMismatch: number; badNlink: number; paths: string[] }

/** readdir + lstat + read, depth first; directories' link counts and dirent inodes are checked on the way. */
function* walk(u: Libc, root: string): Co<Walk | null> {
  const w: Walk = { lines: [], inoMismatch: 0, badNlink: 0, paths: [] };
  const visit = function* (rel: string, st: Stat): Co<boolean> {
    const path = join(root, rel);
    if (S_ISDIR(st.mode)) {
      const ents = yield* u.readdir(path);
      if (ents === null) return false;
      let subdirs = 0;
      const names = ents.filter((e) => e.name !== '.' && e.name !== '..').sort((a, b) => (a.name < b.name ? -1 : 1));
      const self = ents.find((e) => e.name === '.');
      if (!self || self.ino !== st.ino) w.inoMismatch++;
      for (const e of names) {
        const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
        const cs = yield* u.lstat(join(root, childRel));
        if (cs === null) return false;
        if (cs.ino !== e.ino) w.inoMismatch++;
        if (S_ISDIR(cs.mode)) subdirs++;
        if (!(yield* visit(childRel, cs))) return false;
      }
      if (st.nlink !== 2 + subdirs) w.badNlink++;
      w.lines.push(line(rel, true, new Uint8Array(0)));
    } else if (S_ISREG(st.mode)) {
      const data = st.size === 0 ? new Uint8Array(0) : yield* readBytes(u, path, st.size);
      if (data === null || data.length !== st.size) return false;
      w.lines.push(line(rel, false, data));
    } else {
      return false;
    }
    w.paths.push(rel);
    return true;
  };
  const top = yield* u.lstat(root);
  return top !== null && (yield* visit('', top)) ? w : null;
}

/** Walk the tree and compare it with the model. */
function* verify(t: T, u: Libc, root: string, m: Model, what: string): Co<Walk> {
  const w = yield* walk(u, root);
  t.ok(w !== null, `${what}: the tree can be walked`);
  t.eq(w!.lines.length, m.nodes.length, `${what}: the walk found every node of the model`);
  t.eq(listingSum(w!.lines), m.checksum(), `${what}: the walk's checksum matches the model's`);
  t.eq(w!.inoMismatch, 0, `${what}: directory entries name the inodes lstat reports`);
  t.eq(w!.badNlink, 0, `${what}: every directory has 2 + subdirectories links`);
  return w!;
}

/** Remove a walked tree, children before parents (the walk lists them in that order). */
function* removeTree(t: T, u: Libc, root: string, w: Walk, m: Model): Co<void> {
  let failed = 0;
  for (const rel of w.paths) {
    const n = m.find(rel);
    const r = n && n.dir ? yield* u.rmdir(join(root, rel)) : yield* u.unlink(join(root, rel));
    if (r !== 0) failed++;
  }
  t.eq(failed, 0, 'every node removed');
  t.err(yield* u.lstat(root), ENOENT, 'the tree is gone');
}

function* space(t: T, u: Libc): Co<StatVfs> {
  return t.okCall(yield* u.statvfs('/tmp'), 'statvfs')!;
}

/** Build `m`'s tree on disk: directories first (the model lists parents before children). */
function* build(t: T, u: Libc, root: string, m: Model): Co<void> {
  let failed = 0;
  for (const n of m.nodes) {
    const path = join(root, n.path);
    if (n.dir) { if ((yield* u.mkdir(path, 0o755)) !== 0) failed++; continue; }
    const fd = yield* u.open(path, O_CREAT | O_WRONLY, 0o644);
    if (fd < 0) { failed++; continue; }
    if (n.data.length > 0 && (yield* u.write(fd, n.data)) !== n.data.length) failed++;
    if ((yield* u.close(fd)) !== 0) failed++;
  }
  t.eq(failed, 0, `build ${m.nodes.length} nodes under ${root}`);
}

const SIZES = [0, 1, 100, 1023, 1024, 1025, 2048, 3000, 7 * 1024, 7 * 1024 + 1, 9000];

/** A tree shaped by the seed: the given directories, one or two files in each but the last. */
function makeModel(seed: number, dirs: string[]): Model {
  const g = new Lcg(seed);
  const m = new Model();
  for (const d of dirs) m.add(d, true);
  for (let i = 0; i < dirs.length - 1; i++) {
    const files = 1 + g.below(2);
    for (let k = 0; k < files; k++) {
      const size = SIZES[g.below(SIZES.length)]!;
      m.add(dirs[i] === '' ? `f${k}` : `${dirs[i]}/f${k}`, false, content(g.next(), size));
    }
  }
  return m;
}

function* fsimgTree(t: T, u: Libc): Co<void> {
  const root = '/tmp/fsimg_tree';
  const s0 = yield* space(t, u);
  const m = makeModel(0x5eed, ['', 'a', 'a/b', 'a/b/c', 'a/b/c/d', 'e', 'e/f', 'g']);
  // Make sure the interesting sizes occur whatever the seed picked.
  m.add('a/b/c/d/direct', false, content(1, 7 * 1024));
  m.add('a/b/c/d/indirect', false, content(2, 7 * 1024 + 1));
  m.add('e/f/empty', false, new Uint8Array(0));
  yield* build(t, u, root, m);
  const s1 = yield* space(t, u);
  t.eq(s0.ffree - s1.ffree, m.nodes.length, 'one inode per file and directory');
  t.eq(s0.bfree - s1.bfree, m.blocks(), 'blocks: one per directory, data plus indirect blocks per file');
  const w = yield* verify(t, u, root, m, 'after building');
  t.eq(w.paths[w.paths.length - 1], '', 'the root is walked last');

  // Rewrite one file in place: the checksum follows the new contents.
  const f = m.find('a/b/c/d/indirect')!;
  const fresh = content(3, 100);
  const fd = t.okCall(yield* u.open(join(root, f.path), O_RDWR), 'open a file to rewrite');
  t.eq(yield* u.pwrite(fd, fresh, 2000), 100, 'overwrite 100 bytes in the middle');
  t.eq(yield* u.close(fd), 0, 'close it');
  f.data.set(fresh, 2000);
  yield* verify(t, u, root, m, 'after a rewrite');
  t.err(yield* u.rmdir(join(root, 'a')), ENOTEMPTY, 'a non-empty directory cannot be removed');

  yield* removeTree(t, u, root, w, m);
  const s2 = yield* space(t, u);
  t.eq(s2.ffree, s0.ffree, 'every inode is free again');
  t.eq(s2.bfree, s0.bfree, 'every block is free again');
}

function* fsimgRename(t: T, u: Libc): Co<void> {
  const root = '/tmp/fsimg_rename';
  const R = (p: string) => join(root, p);
  const s0 = yield* space(t, u);
  const m = makeModel(0xabcdef, ['', 'a', 'a/b', 'a/b/c', 'e', 'e/f', 'g', 'h']);
  m.add('a/one', false, content(11, 1500));
  m.add('e/two', false, content(12, 2500));
  m.add('g/victim', false, content(13, 4000));
  yield* build(t, u, root, m);
  yield* verify(t, u, root, m, 'after building');

  t.eq(yield* u.rename(R('a/one'), R('a/uno')), 0, 'rename within a directory');
  m.move('a/one', 'a/uno');
  t.eq(yield* u.rename(R('a/uno'), R('e/f/uno')), 0, 'move a file to another directory');
  m.move('a/uno', 'e/f/uno');
  const aLinks = t.okCall(yield* u.stat(R('a')), 'stat a')!.nlink;
  const fLinks = t.okCall(yield* u.stat(R('e/f')), 'stat e/f')!.nlink;
  t.eq(yield* u.rename(R('a/b'), R('e/f/moved')), 0, 'move a directory with its subtree');
  m.move('a/b', 'e/f/moved');
  t.eq(t.okCall(yield* u.stat(R('a')), 'stat a')!.nlink, aLinks - 1, 'the old parent lost the moved directory\'s ".."');
  t.eq(t.okCall(yield* u.stat(R('e/f')), 'stat e/f')!.nlink, fLinks + 1, 'the new parent gained it');
  t.eq(t.okCall(yield* u.stat(R('e/f/moved/..')), 'stat moved/..')!.ino, t.okCall(yield* u.stat(R('e/f')), 'stat e/f')!.ino,
    '".." of the moved directory is its new parent');

  // Replace an existing file: the old one's inode and blocks are freed.
  const before = yield* space(t, u);
  const victim = m.find('g/victim')!;
  t.eq(yield* u.rename(R('e/two'), R('g/victim')), 0, 'rename over an existing file');
  m.remove('g/victim');
  m.move('e/two', 'g/victim');
  const after = yield* space(t, u);
  t.eq(after.ffree, before.ffree + 1, 'the replaced file\'s inode was freed');
  t.eq(after.bfree, before.bfree + fileBlocks(victim.data.length), 'and its blocks');
  t.eq(yield* u.rename(R('h'), R('g/h')), 0, 'move an empty directory');
  m.move('h', 'g/h');
  t.eq(yield* u.mkdir(R('e/empty')), 0, 'an empty directory to replace');
  t.eq(yield* u.rename(R('g/h'), R('e/empty')), 0, 'rename a directory over an empty one');
  m.move('g/h', 'e/empty');

  // Refused renames change nothing.
  t.err(yield* u.rename(R('e'), R('e/f/inside')), EINVAL, 'a directory into its own subtree');
  t.err(yield* u.rename(R('g/victim'), R('e/f')), EISDIR, 'a file over a directory');
  t.err(yield* u.rename(R('e/empty'), R('g/victim')), ENOTDIR, 'a directory over a file');
  const full = yield* u.rename(R('e/empty'), R('e/f'));
  t.ok(full === -1 && (u.errno === ENOTEMPTY || u.errno === EEXIST), 'a directory over a non-empty one: ENOTEMPTY or EEXIST');
  t.err(yield* u.rename(R('nothing'), R('g/x')), ENOENT, 'a missing source');
  t.err(yield* u.rename(R('g/victim'), R('nodir/x')), ENOENT, 'a missing target directory');
  t.eq(yield* u.rename(R('g/victim'), R('g/victim')), 0, 'renaming a file onto itself succeeds');

  // A hard link is a second name for the same data.
  const linkBefore = yield* space(t, u);
  t.eq(yield* u.link(R('e/f/uno'), R('g/alias')), 0, 'link a second name');
  m.add('g/alias', false, m.find('e/f/uno')!.data);
  t.eq(t.okCall(yield* u.stat(R('g/alias')), 'stat the link')!.nlink, 2, 'two links');
  t.eq((yield* space(t, u)).ffree, linkBefore.ffree, 'a link takes no inode');
  const w = yield* verify(t, u, root, m, 'after renames, moves and a link');

  yield* removeTree(t, u, root, w, m);
  const s2 = yield* space(t, u);
  t.eq(s2.ffree, s0.ffree, 'every inode is free again');
  t.eq(s2.bfree, s0.bfree, 'every block is free again');
}

/** Files with holes, at the size limit, truncated, appended to, unlinked while open. */
function* fsimgSparse(t: T, u: Libc): Co<void> {
  const path = '/tmp/fsimg_sparse.f';
  const s0 = yield* space(t, u);
  const model = new Uint8Array(8 * BLOCK_SIZE);
  let size = 0;
  const put = (data: Uint8Array, off: number) => { model.set(data, off); size = Math.max(size, off + data.length); };
  const check = function* (what: string): Co<void> {
    const got = yield* readBytes(u, path);
    t.ok(got !== null && got.length === size && fnv(got) === fnv(model.subarray(0, size)), `${what}: contents match the model`);
  };
  const used = function* (): Co<number> { return s0.bfree - (yield* space(t, u)).bfree; };

  const fd = t.okCall(yield* u.open(path, O_CREAT | O_RDWR, 0o644), 'create')!;
  t.eq(yield* u.pwrite(fd, content(21, 10), 0), 10, 'write at 0');
  put(content(21, 10), 0);
  t.eq(yield* u.pwrite(fd, content(22, 10), 4 * BLOCK_SIZE + 100), 10, 'write past a hole');
  put(content(22, 10), 4 * BLOCK_SIZE + 100);
  t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.size, size, 'the size includes the hole');
  t.eq(yield* used(), 2, 'a hole takes no blocks');
  t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.blocks, 2 * (BLOCK_SIZE / 512), 'st_blocks counts only the written blocks');
  yield* check('with a hole');

  t.eq(yield* u.pwrite(fd, content(23, 5), DIRECT_BLOCKS * BLOCK_SIZE + 1), 5, 'write into the first indirect block');
  t.eq(yield* used(), 4, 'the first indirect data block brings the indirect block with it');
  t.eq(yield* u.pwrite(fd, Uint8Array.of(0x7e), MAX_FILE_SIZE - 1), 1, 'write the last byte a file can hold');
  t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.size, MAX_FILE_SIZE, 'the file has the largest size');
  t.eq(yield* used(), 5, 'one more data block, the same indirect block');
  t.err(yield* u.pwrite(fd, Uint8Array.of(1), MAX_FILE_SIZE), EFBIG, 'a byte past the largest file');

  t.eq(yield* u.ftruncate(fd, 6000), 0, 'truncate to 6000');
  size = 6000;
  t.eq(yield* used(), 2, 'truncation freed the indirect blocks');
  yield* check('after truncating');
  t.eq(yield* u.ftruncate(fd, 3), 0, 'truncate to 3');
  t.eq(yield* u.ftruncate(fd, 2000), 0, 'grow to 2000 again');
  model.fill(0, 3);
  size = 2000;
  t.eq(yield* used(), 1, 'one block left');
  yield* check('after shrinking and growing: the old bytes past 3 read as zeros');
  t.eq(yield* u.close(fd), 0, 'close');

  const afd = t.okCall(yield* u.open(path, O_WRONLY | O_APPEND), 'open O_APPEND')!;
  t.eq(yield* u.lseek(afd, 0, SEEK_SET), 0, 'seek to the start');
  t.eq(yield* u.write(afd, content(24, 1500)), 1500, 'append');
  put(content(24, 1500), 2000);
  t.eq(yield* u.lseek(afd, 0, SEEK_END), 3500, 'the append went to the end, not to the seek position');
  t.eq(yield* u.close(afd), 0, 'close');
  yield* check('after appending');

  // Unlinked while open: the data lives until the last close.
  const rfd = t.okCall(yield* u.open(path, O_RDONLY), 'open for reading')!;
  t.eq(yield* u.unlink(path), 0, 'unlink while open');
  t.err(yield* u.open(path, O_RDONLY), ENOENT, 'the name is gone');
  t.eq(t.okCall(yield* u.fstat(rfd), 'fstat the open file')!.nlink, 0, 'no links left');
  const got = yield* u.pread(rfd, 100, 2000);
  t.ok(got !== null && fnv(got) === fnv(model.subarray(2000, 2100)), 'the data is still readable');
  t.eq(yield* used(), 4, 'the blocks stay allocated while the file is open');
  t.eq((yield* space(t, u)).ffree, s0.ffree - 1, 'so does the inode');
  t.eq(yield* u.close(rfd), 0, 'the last close');
  const s1 = yield* space(t, u);
  t.eq(s1.bfree, s0.bfree, 'every block is free again');
  t.eq(s1.ffree, s0.ffree, 'every inode is free again');
}

export const fsimageTests: TestProgram[] = [
  test('fsimg_tree', 'fsimage', function* (t: T, u: Libc): Co<void> { yield* fsimgTree(t, u); }),
  test('fsimg_rename', 'fsimage', function* (t: T, u: Libc): Co<void> { yield* fsimgRename(t, u); }),
  test('fsimg_sparse', 'fsimage', function* (t: T, u: Libc): Co<void> { yield* fsimgSparse(t, u); }),
];
