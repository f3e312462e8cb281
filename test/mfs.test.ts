/*
 * MFS handlers driven directly with a tiny fake server context: the disk
 * image from mkfs, path resolution, data, directories, links, limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as C from '../src/os/proto/calls';
import * as E from '../src/os/proto/errno';
import { S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG } from '../src/os/proto/fs';
import { ServerPanic } from '../src/os/kernel/errors';
import { SysCalls } from '../src/os/kernel/syscalls';
import type { Args, MsgType, ReplyFields, Req } from '../src/os/proto/messages';

/**
 * The harness drives a message type with any subset of its layout's fields (malformed requests leave some out),
 * so a request is cast to the handler's type; a reply is read as its requester reads it, every field typed.
 */
type Out<T extends MsgType> = { type: number } & ReplyFields<T>;
import { ServerCtx } from '../src/os/sef/server';
import { mfsServer } from '../src/os/servers/mfs/main';
import { initialState } from '../src/os/servers/mfs/mkfs';
import { MfsState } from '../src/os/servers/mfs/state';
import { MAX_FILE_SIZE } from '../src/os/servers/mfs/const';
import { CLOCK } from '../src/os/proto/endpoints';
import { COST } from '../src/os/kernel/cost';

const VFS_EP = 1;
const GRANT = 7;
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Harness {
  st: MfsState;
  /** The grant's memory on the VFS side. */
  buf: Uint8Array;
  /** The fake kernel calls (alarms set are recorded). */
  sys: { alarms: number[] };
  req<T extends MsgType>(type: T, fields?: Partial<Args<T>>): Out<T>;
  setNow(secs: number): void;
}

function harness(): Harness {
  const st = initialState({ programs: ['a', 'b'] });
  const buf = new Uint8Array(512 * 1024);
  let now = 5e9;
  const sys = {
    times: () => ({ now, user: 0, sys: 0 }),
    safecopyTo: (_ep: number, gid: number, off: number, data: Uint8Array) => {
      if (gid !== GRANT) return -E.EPERM;
      buf.set(data, off);
      return 0;
    },
    safecopyFrom: (_ep: number, gid: number, off: number, len: number) => (gid !== GRANT ? -E.EPERM : buf.slice(off, off + len)),
    alarms: [] as number[],
    setalarm(at: number) { this.alarms.push(at); return -1; },
  };
  const ctx: ServerCtx<MfsState> = { st, self: 5, name: 'mfs', sys: sys as unknown as SysCalls, replyable: () => true };
  return {
    st, buf, sys,
    req<T extends MsgType>(type: T, fields: Partial<Args<T>> = {}): Out<T> {
      const entry = mfsServer.table[type as number];
      assert.ok(entry, `no handler for ${C.messageName(type)}`);
      const m = { type, source: VFS_EP, uid: 0, gid: 0, dir: 1, ...fields } as Req<T>;
      const r = entry.handler(ctx, m).next();
      assert.equal(r.done, true, 'MFS handlers finish without IPC');
      assert.ok(r.value);
      return r.value as Out<T>;
    },
    setNow(secs) { now = secs * 1e9; },
  };
}

function lookup(h: Harness, path: string, extra: Partial<Args<typeof C.REQ_LOOKUP>> = {}): Out<typeof C.REQ_LOOKUP> {
  return h.req(C.REQ_LOOKUP, { path, nofollow: 0, getnode: 0, ...extra });
}

function create(h: Harness, path: string, extra: Partial<Args<typeof C.REQ_CREATE>> = {}): Out<typeof C.REQ_CREATE> {
  return h.req(C.REQ_CREATE, { path, mode: S_IFREG | 0o644, excl: 0, getnode: 0, ...extra });
}

function write(h: Harness, ino: number, pos: number, data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  h.buf.set(bytes, 0);
  return h.req(C.REQ_WRITE, { ino, pos, nbytes: bytes.length, grant: GRANT }).type;
}

function read(h: Harness, ino: number, pos: number, nbytes: number): Uint8Array | number {
  const r = h.req(C.REQ_READ, { ino, pos, nbytes, grant: GRANT }).type;
  return r < 0 ? r : h.buf.slice(0, r);
}

function readStr(h: Harness, ino: number): string {
  const r = read(h, ino, 0, 100000);
  assert.ok(r instanceof Uint8Array);
  return dec.decode(r);
}

function listDir(h: Harness, ino: number, nbytes = 1024): string[] {
  const names: string[] = [];
  let pos = 0;
  for (;;) {
    const r = h.req(C.REQ_GETDENTS, { ino, pos, nbytes, grant: GRANT });
    assert.ok(r.type >= 0, `getdents ${r.type}`);
    if (r.type === 0) return names;
    for (let i = 0; i < r.type;) {
      const n = h.buf[i + 4]!;
      names.push(dec.decode(h.buf.slice(i + 5, i + 5 + n)));
      i += 5 + n;
    }
    pos = r.pos;
  }
}

test('mkfs builds the boot tree', () => {
  const h = harness();
  const root = lookup(h, '');
  assert.equal(root.ino, 1);
  assert.equal(root.mode, S_IFDIR | 0o755);
  assert.equal(root.nlinks, 7, 'root: ., .., and bin tmp etc dev home');
  assert.deepEqual(listDir(h, lookup(h, 'bin').ino), ['.', '..', 'a', 'b']);
  const a = lookup(h, 'bin/a');
  assert.equal(a.mode, S_IFREG | 0o755);
  assert.equal(readStr(h, a.ino), '#!osiris a\n');
  assert.equal(lookup(h, 'tmp').mode, S_IFDIR | 0o1777);
  assert.equal(readStr(h, lookup(h, 'etc/passwd').ino), 'root:x:0:0::/:/bin/sh\nbin:x:2:2::/bin:\nuser:x:100:100::/tmp:\n');
  assert.equal(readStr(h, lookup(h, 'etc/motd').ino), 'welcome to osiris-fi\n');
  const user = lookup(h, 'home/user');
  assert.equal(user.uid, 100);
  assert.equal(user.gid, 100);
  assert.deepEqual(listDir(h, lookup(h, 'dev').ino), ['.', '..']);
  assert.equal(lookup(h, 'home/user/../..').ino, 1);
  assert.equal(lookup(h, '../..//./bin/').ino, lookup(h, 'bin').ino);
  // The data section must survive a state transfer.
  const copy = structuredClone(h.st);
  assert.deepEqual(copy.inodes[1], h.st.inodes[1]);
});

test('getdents resumes at the returned position with a small buffer', () => {
  const h = harness();
  const bin = lookup(h, 'bin').ino;
  assert.deepEqual(listDir(h, bin, 8), ['.', '..', 'a', 'b']);
  assert.equal(h.req(C.REQ_GETDENTS, { ino: bin, pos: 0, nbytes: 3, grant: GRANT }).type, -E.EINVAL);
  assert.equal(h.req(C.REQ_GETDENTS, { ino: lookup(h, 'bin/a').ino, pos: 0, nbytes: 64, grant: GRANT }).type, -E.ENOTDIR);
});

test('create, write and read back; stat; timestamps', () => {
  const h = harness();
  h.setNow(42);
  const c = create(h, 'tmp/f', { uid: 100, gid: 100, getnode: 1 });
  assert.equal(c.type, 0);
  assert.equal(c.created, 1);
  assert.equal(c.uid, 100);
  assert.equal(h.st.inodes[c.ino]!.count, 1);
  assert.equal(write(h, c.ino, 0, 'hello world'), 11);
  assert.equal(write(h, c.ino, 6, 'WORLD!'), 6);
  assert.equal(readStr(h, c.ino), 'hello WORLD!');
  const s = h.req(C.REQ_STAT, { ino: c.ino });
  assert.equal(s.size, 12);
  assert.equal(s.blocks, 2);
  assert.equal(s.nlink, 1);
  assert.equal(s.mtime, 42);
  assert.equal(s.dev, 1);
  assert.equal(create(h, 'tmp/f').created, 0);
  assert.equal(create(h, 'tmp/f', { excl: 1 }).type, -E.EEXIST);
  assert.equal(create(h, 'tmp', {}).type, -E.EISDIR);
  assert.equal(h.req(C.REQ_READ, { ino: c.ino, pos: 100, nbytes: 10, grant: GRANT }).type, 0, 'read at EOF');
  assert.equal(h.req(C.REQ_READ, { ino: lookup(h, 'tmp').ino, pos: 0, nbytes: 1, grant: GRANT }).type, -E.EISDIR);
});

test('large files use the indirect block; holes read as zeros; EFBIG', () => {
  const h = harness();
  const f = create(h, 'tmp/big');
  const before = h.st.freeBlocks;
  assert.equal(write(h, f.ino, 20 * 1024, 'tail'), 4);
  assert.equal(before - h.st.freeBlocks, 2, 'one data block and the indirect block');
  const r = read(h, f.ino, 0, 20 * 1024 + 4);
  assert.ok(r instanceof Uint8Array);
  assert.ok(r.subarray(0, 20 * 1024).every((b) => b === 0));
  assert.equal(dec.decode(r.subarray(20 * 1024)), 'tail');
  assert.equal(h.req(C.REQ_STAT, { ino: f.ino }).blocks, 2);
  assert.equal(write(h, f.ino, MAX_FILE_SIZE, 'x'), -E.EFBIG);
  assert.equal(write(h, f.ino, MAX_FILE_SIZE - 2, 'xyz'), 2);
  assert.equal(h.req(C.REQ_STAT, { ino: f.ino }).size, MAX_FILE_SIZE);
});

test('ftruncate shrinks (freeing blocks, zeroing the tail) and grows with holes', () => {
  const h = harness();
  const f = create(h, 'tmp/t');
  const free0 = h.st.freeBlocks;
  assert.equal(write(h, f.ino, 0, new Uint8Array(10 * 1024).fill(0x41)), 10 * 1024);
  assert.equal(free0 - h.st.freeBlocks, 11);
  assert.equal(h.req(C.REQ_FTRUNC, { ino: f.ino, length: 1500 }).type, 0);
  assert.equal(free0 - h.st.freeBlocks, 2);
  assert.equal(h.req(C.REQ_FTRUNC, { ino: f.ino, length: 3000 }).type, 0);
  const r = read(h, f.ino, 0, 3000);
  assert.ok(r instanceof Uint8Array);
  assert.ok(r.subarray(0, 1500).every((b) => b === 0x41));
  assert.ok(r.subarray(1500).every((b) => b === 0));
  assert.equal(h.req(C.REQ_FTRUNC, { ino: f.ino, length: 0 }).type, 0);
  assert.equal(h.st.freeBlocks, free0);
  assert.equal(h.req(C.REQ_FTRUNC, { ino: lookup(h, 'tmp').ino, length: 0 }).type, -E.EISDIR);
});

test('mkdir and rmdir: ENOTEMPTY, EEXIST, EINVAL, EBUSY, link counts', () => {
  const h = harness();
  const tmp = lookup(h, 'tmp');
  const d = h.req(C.REQ_MKDIR, { path: 'tmp/d', mode: 0o755 });
  assert.equal(d.type, 0);
  assert.equal(d.nlinks, 2);
  assert.equal(lookup(h, 'tmp').nlinks, tmp.nlinks + 1);
  assert.equal(h.req(C.REQ_MKDIR, { path: 'tmp/d', mode: 0o755 }).type, -E.EEXIST);
  assert.equal(h.req(C.REQ_MKDIR, { path: '', mode: 0o755 }).type, -E.EEXIST);
  assert.equal(create(h, 'tmp/d/x').type, 0);
  assert.equal(h.req(C.REQ_RMDIR, { path: 'tmp/d' }).type, -E.ENOTEMPTY);
  assert.equal(h.req(C.REQ_RMDIR, { path: 'tmp/d/x' }).type, -E.ENOTDIR);
  assert.equal(h.req(C.REQ_RMDIR, { path: 'tmp/d/.' }).type, -E.EINVAL);
  assert.equal(h.req(C.REQ_RMDIR, { path: '' }).type, -E.EBUSY);
  assert.equal(h.req(C.REQ_UNLINK, { path: 'tmp/d' }).type, -E.EPERM);
  assert.equal(h.req(C.REQ_UNLINK, { path: 'tmp/d/x' }).type, 0);
  const inodes = h.st.freeInodes;
  assert.equal(h.req(C.REQ_RMDIR, { path: 'tmp/d' }).type, 0);
  assert.equal(h.st.freeInodes, inodes + 1);
  assert.equal(lookup(h, 'tmp').nlinks, tmp.nlinks);
  assert.equal(lookup(h, 'tmp/d').type, -E.ENOENT);
});

test('a removed directory still held by VFS refuses new entries', () => {
  const h = harness();
  const d = h.req(C.REQ_MKDIR, { path: 'tmp/gone', mode: 0o755 });
  h.req(C.REQ_GETNODE, { ino: d.ino });
  assert.equal(h.req(C.REQ_RMDIR, { path: 'tmp/gone' }).type, 0);
  assert.equal(h.req(C.REQ_STAT, { ino: d.ino }).nlink, 0);
  assert.equal(create(h, 'f', { dir: d.ino }).type, -E.ENOENT);
  assert.equal(lookup(h, '..', { dir: d.ino }).type, -E.ENOENT);
  assert.deepEqual(listDir(h, d.ino), []);
  const inodes = h.st.freeInodes;
  assert.equal(h.req(C.REQ_PUTNODE, { ino: d.ino, count: 1 }).type, 0);
  assert.equal(h.st.freeInodes, inodes + 1);
});

test('an unlinked open file keeps its data until the last PUTNODE', () => {
  const h = harness();
  const f = create(h, 'tmp/open', { getnode: 1 });
  write(h, f.ino, 0, 'still here');
  const inodes = h.st.freeInodes;
  const blocks = h.st.freeBlocks;
  assert.equal(h.req(C.REQ_UNLINK, { path: 'tmp/open' }).type, 0);
  assert.equal(lookup(h, 'tmp/open').type, -E.ENOENT);
  assert.equal(readStr(h, f.ino), 'still here');
  assert.equal(h.st.freeInodes, inodes);
  assert.equal(h.req(C.REQ_GETNODE, { ino: f.ino }).nlinks, 0);
  assert.equal(h.req(C.REQ_PUTNODE, { ino: f.ino, count: 2 }).type, 0);
  assert.equal(h.st.freeInodes, inodes + 1);
  assert.equal(h.st.freeBlocks, blocks + 1);
  assert.equal(h.req(C.REQ_STAT, { ino: f.ino }).type, -E.EINVAL);
  assert.throws(() => h.req(C.REQ_PUTNODE, { ino: lookup(h, 'bin/a').ino, count: 1 }), ServerPanic);
});

test('rename: over a file, directories between parents, refusals', () => {
  const h = harness();
  const a = create(h, 'tmp/a');
  write(h, a.ino, 0, 'A');
  const b = create(h, 'tmp/b');
  write(h, b.ino, 0, 'B');
  const inodes = h.st.freeInodes;
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/a', dir2: 1, path2: 'tmp/b' }).type, 0);
  assert.equal(h.st.freeInodes, inodes + 1, 'the replaced file is freed');
  assert.equal(lookup(h, 'tmp/a').type, -E.ENOENT);
  assert.equal(readStr(h, lookup(h, 'tmp/b').ino), 'A');
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/b', dir2: 1, path2: 'tmp/b' }).type, 0);

  const home = lookup(h, 'home').nlinks;
  const tmp = lookup(h, 'tmp').nlinks;
  h.req(C.REQ_MKDIR, { path: 'tmp/d', mode: 0o755 });
  h.req(C.REQ_MKDIR, { path: 'tmp/d/sub', mode: 0o755 });
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/d', dir2: 1, path2: 'tmp/d/sub/x' }).type, -E.EINVAL);
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/d', dir2: 1, path2: 'tmp/b' }).type, -E.ENOTDIR);
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/b', dir2: 1, path2: 'tmp/d' }).type, -E.EISDIR);
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp', dir2: 1, path2: 'home' }).type, -E.ENOTEMPTY);
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/nope', dir2: 1, path2: 'tmp/x' }).type, -E.ENOENT);
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/d', dir2: 1, path2: 'home/d2' }).type, 0);
  assert.equal(lookup(h, 'home').nlinks, home + 1);
  assert.equal(lookup(h, 'tmp').nlinks, tmp);
  assert.equal(lookup(h, 'home/d2/sub/../..').ino, lookup(h, 'home').ino, '".." follows the move');
  // An empty directory may replace another empty one.
  h.req(C.REQ_MKDIR, { path: 'home/e', mode: 0o755 });
  assert.equal(h.req(C.REQ_RENAME, { path: 'home/d2/sub', dir2: 1, path2: 'home/e' }).type, 0);
  assert.equal(lookup(h, 'home').nlinks, home + 2);
  assert.equal(lookup(h, 'home/d2').nlinks, 2);
  assert.equal(lookup(h, 'home/e/..').ino, lookup(h, 'home').ino);
});

test('symlinks: followed mid-path, readlink, nofollow, ELOOP', () => {
  const h = harness();
  assert.equal(h.req(C.REQ_SLINK, { path: 'tmp/etc', target: '/etc' }).type, 0);
  assert.equal(h.req(C.REQ_SLINK, { path: 'tmp/rel', target: 'etc/motd' }).type, 0);
  assert.equal(lookup(h, 'tmp/etc/passwd').ino, lookup(h, 'etc/passwd').ino);
  assert.equal(lookup(h, 'tmp/rel').ino, lookup(h, 'etc/motd').ino);
  const l = lookup(h, 'tmp/rel', { nofollow: 1 });
  assert.equal(l.mode, S_IFLNK | 0o777);
  const rl = h.req(C.REQ_RDLINK, { path: 'tmp/rel' });
  assert.equal(rl.type, 8);
  assert.equal(rl.target, 'etc/motd');
  assert.equal(h.req(C.REQ_RDLINK, { path: 'etc/motd' }).type, -E.EINVAL);
  h.req(C.REQ_SLINK, { path: 'tmp/l1', target: 'l2' });
  h.req(C.REQ_SLINK, { path: 'tmp/l2', target: 'l1' });
  assert.equal(lookup(h, 'tmp/l1').type, -E.ELOOP);
  assert.equal(lookup(h, 'tmp/l1/x').type, -E.ELOOP);
  assert.equal(h.req(C.REQ_SLINK, { path: 'tmp/l1', target: 'x' }).type, -E.EEXIST);
  // Creating through a dangling symlink makes its target.
  h.req(C.REQ_SLINK, { path: 'tmp/dangle', target: 'made' });
  assert.equal(create(h, 'tmp/dangle').created, 1);
  assert.equal(lookup(h, 'tmp/made').type, 0);
  assert.equal(create(h, 'tmp/dangle', { excl: 1 }).type, -E.EEXIST);
  assert.equal(h.req(C.REQ_UNLINK, { path: 'tmp/dangle' }).type, 0);
  assert.equal(lookup(h, 'tmp/made').type, 0, 'unlink removes the link, not its target');
});

test('hard links, mknod, and name errors', () => {
  const h = harness();
  const f = create(h, 'tmp/f');
  const l = h.req(C.REQ_LINK, { path: 'tmp/f', dir2: 1, path2: 'home/g' });
  assert.equal(l.type, 0);
  assert.equal(l.nlinks, 2);
  assert.equal(lookup(h, 'home/g').ino, f.ino);
  assert.equal(h.req(C.REQ_LINK, { path: 'tmp', dir2: 1, path2: 'home/t' }).type, -E.EPERM);
  assert.equal(h.req(C.REQ_LINK, { path: 'tmp/f', dir2: 1, path2: 'home/g' }).type, -E.EEXIST);
  h.req(C.REQ_UNLINK, { path: 'tmp/f' });
  assert.equal(lookup(h, 'home/g').nlinks, 1);
  const p = h.req(C.REQ_MKNOD, { path: 'tmp/fifo', mode: S_IFIFO | 0o600, getnode: 0 });
  assert.equal(p.mode & S_IFMT, S_IFIFO);
  assert.equal(h.req(C.REQ_MKNOD, { path: 'tmp/c', mode: 0o020000 | 0o600 }).type, -E.EINVAL);
  assert.equal(lookup(h, 'x'.repeat(61)).type, -E.ENAMETOOLONG);
  assert.equal(lookup(h, 'a/'.repeat(130)).type, -E.ENAMETOOLONG);
  // 60 bytes fill the entry's name field with no NUL: the name still ends there, beside its neighbours.
  const full = create(h, 'tmp/' + 'x'.repeat(60));
  assert.equal(full.created, 1);
  assert.equal(create(h, 'tmp/' + 'x'.repeat(59)).created, 1);
  assert.equal(create(h, 'tmp/y').created, 1);
  assert.equal(lookup(h, 'tmp/' + 'x'.repeat(60)).ino, full.ino);
  assert.notEqual(lookup(h, 'tmp/' + 'x'.repeat(59)).ino, full.ino);
  assert.equal(lookup(h, 'etc/passwd/x').type, -E.ENOTDIR);
  assert.equal(lookup(h, 'nope/x').type, -E.ENOENT);
});

test('permissions: search, write on parents, sticky /tmp', () => {
  const h = harness();
  const user = { uid: 100, gid: 100 };
  const other = { uid: 200, gid: 200 };
  assert.equal(create(h, 'etc/x', user).type, -E.EACCES);
  assert.equal(h.req(C.REQ_MKDIR, { path: 'home/user/p', mode: 0o700, ...user }).type, 0);
  assert.equal(create(h, 'home/user/p/f', user).type, 0);
  assert.equal(lookup(h, 'home/user/p/f', other).type, -E.EACCES);
  assert.equal(lookup(h, 'home/user/p/f').type, 0, 'root bypasses search permission');
  assert.equal(create(h, 'tmp/mine', user).type, 0);
  assert.equal(h.req(C.REQ_UNLINK, { path: 'tmp/mine', ...other }).type, -E.EPERM);
  assert.equal(h.req(C.REQ_RENAME, { path: 'tmp/mine', dir2: 1, path2: 'tmp/theirs', ...other }).type, -E.EPERM);
  assert.equal(h.req(C.REQ_UNLINK, { path: 'tmp/mine', ...user }).type, 0);
  assert.equal(h.req(C.REQ_UNLINK, { path: 'etc/motd', ...user }).type, -E.EACCES);
});

test('chmod, chown, utime, statvfs, sync', () => {
  const h = harness();
  const f = create(h, 'tmp/f');
  h.setNow(77);
  const c = h.req(C.REQ_CHMOD, { ino: f.ino, mode: S_IFDIR | 0o4711 });
  assert.equal(c.mode, S_IFREG | 0o4711);
  assert.equal(h.req(C.REQ_CHOWN, { ino: f.ino, uid: 100, gid: -1 }).type, 0);
  assert.equal(h.req(C.REQ_UTIME, { ino: f.ino, atime: 10, mtime: 20 }).type, 0);
  const s = h.req(C.REQ_STAT, { ino: f.ino });
  assert.deepEqual([s.uid, s.gid, s.atime, s.mtime, s.ctime], [100, 0, 10, 20, 77]);
  const v = h.req(C.REQ_STATVFS);
  assert.deepEqual([v.bsize, v.blocks, v.files], [1024, 1024, 256]);
  assert.equal(v.bfree, h.st.freeBlocks);
  assert.equal(v.ffree, h.st.freeInodes);
  assert.equal(h.req(C.REQ_STAT, { ino: 0 }).type, -E.EINVAL);
});

test('sync waits for the disk: an alarm, then the clock\'s notification', () => {
  const h = harness();
  const ctx = { st: h.st, self: 5, name: 'mfs', sys: h.sys as unknown as SysCalls, replyable: () => true };
  const co = mfsServer.table[C.REQ_SYNC]!.handler(ctx, { type: C.REQ_SYNC, source: VFS_EP });
  const first = co.next();
  assert.equal(first.done, false);
  assert.deepEqual([(first.value as { op: number; ep: number }).ep], [CLOCK]);
  assert.deepEqual(h.sys.alarms, [5e9 + COST.diskFlush]);
  const end = co.next({ type: C.NOTIFY_MESSAGE, source: CLOCK });
  assert.equal(end.done, true);
  assert.equal((end.value as Out<typeof C.REQ_SYNC>).type, 0);
  assert.equal(h.st.syncs, 1);
});

test('ENOSPC when the disk fills; space comes back on unlink', () => {
  const h = harness();
  const chunk = new Uint8Array(200 * 1024).fill(7);
  const files: number[] = [];
  let last = 0;
  for (let i = 0; i < 10; i++) {
    const f = create(h, `tmp/fill${i}`);
    if (f.type < 0) { assert.equal(f.type, -E.ENOSPC); break; }
    files.push(f.ino);
    last = write(h, f.ino, 0, chunk);
    if (last < 0) break;
  }
  assert.equal(last, -E.ENOSPC);
  assert.equal(h.st.freeBlocks, 0);
  assert.ok(files.length >= 4);
  // The file before the full one got a short count.
  const partial = h.req(C.REQ_STAT, { ino: files[files.length - 2] }).size;
  assert.ok(partial > 0 && partial < chunk.length, `short write ${partial}`);
  assert.equal(h.req(C.REQ_MKDIR, { path: 'tmp/nodir', mode: 0o755 }).type, -E.ENOSPC);
  assert.equal(h.req(C.REQ_SLINK, { path: 'tmp/nolink', target: 'x' }).type, -E.ENOSPC);
  h.req(C.REQ_UNLINK, { path: 'tmp/fill0' });
  assert.ok(h.st.freeBlocks >= 200);
  assert.equal(h.req(C.REQ_MKDIR, { path: 'tmp/nodir', mode: 0o755 }).type, 0);
});

test('ENOSPC when the inode table is full', () => {
  const h = harness();
  let r: { type: number } = { type: 0 };
  let made = 0;
  while (r.type === 0) {
    r = h.req(C.REQ_MKNOD, { path: `tmp/n${made}`, mode: S_IFIFO | 0o644 });
    if (r.type === 0) made++;
  }
  assert.equal(r.type, -E.ENOSPC);
  assert.equal(h.st.freeInodes, 0);
  assert.ok(made > 200);
  assert.deepEqual(listDir(h, lookup(h, 'tmp').ino).length, made + 2);
});
