/*
 * Test programs: regular files (modelled on the MINIX 3 POSIX tests for
 * open/creat, read/write/lseek, sparse and large files, pread/pwrite,
 * truncate, stat, timestamps, unlink of an open file, hard links, rename
 * and symlinks). Every program works under /tmp/<its name>.* and removes
 * what it made.
 *
 * The entry points into this file are:
 *   fileTests   the file_* programs, in running order
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import {
  EBADF, EEXIST, EFBIG, EINVAL, EISDIR, ELOOP, EMFILE, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM, ESPIPE,
} from '../../proto/errno';
import {
  F_GETFL, F_OK, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, OPEN_MAX, SEEK_CUR,
  SEEK_END, SEEK_SET, S_IFMT, S_IFREG, S_ISDIR, S_ISLNK, S_ISREG, S_ISVTX,
} from '../../proto/fs';
import { MAX_FILE_SIZE } from '../../servers/mfs/const';
import { T, TestProgram, test } from '../test-api';

const decoder = new TextDecoder();

/** Deterministic bytes: a different run for every seed. */
export function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  return b;
}

/** Fletcher-style checksum, sensitive to order. */
export function checksum(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (let i = 0; i < b.length; i++) { a = (a + b[i]!) % 65521; s = (s + a) % 65521; }
  return s * 65536 + a;
}

/** A call that must succeed, its non-null result. */
function must<V>(t: T, v: V | null, what: string): V {
  return t.okCall(v, what) as V;
}

/** A byte-returning call's result in the form t.err expects. */
function rc(v: unknown): number | null {
  return v === null ? null : 0;
}

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function str(b: Uint8Array | null): string | null {
  return b === null ? null : decoder.decode(b);
}

export const fileTests: TestProgram[] = [
  test('file_open', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_open.a';
    t.err(yield* u.open(P, O_RDONLY), ENOENT, 'open of a missing file');
    const fd = must(t, yield* u.open(P, O_CREAT | O_EXCL | O_RDWR, 0o640), 'O_CREAT|O_EXCL creates');
    t.err(yield* u.open(P, O_CREAT | O_EXCL | O_WRONLY, 0o640), EEXIST, 'O_CREAT|O_EXCL on an existing file');
    const s = must(t, yield* u.fstat(fd), 'fstat new file');
    t.ok(S_ISREG(s.mode), 'new file is regular');
    t.eq(s.mode & 0o7777, 0o640, 'mode of new file (umask 022 keeps 0640)');
    t.eq(s.size, 0, 'new file is empty');
    t.eq(s.nlink, 1, 'new file has one link');
    t.eq(s.uid, yield* u.geteuid(), 'owner is the effective uid');
    const fd2 = must(t, yield* u.open(P, O_CREAT | O_RDWR, 0o600), 'O_CREAT without O_EXCL opens the existing file');
    t.ok(fd2 !== fd, 'a second descriptor');
    t.eq(must(t, yield* u.stat(P), 'stat(P)').mode & 0o7777, 0o640, 'O_CREAT on an existing file leaves its mode');
    t.err(yield* u.open(P, 3), EINVAL, 'access mode O_ACCMODE is invalid');
    t.err(yield* u.open('/tmp', O_WRONLY), EISDIR, 'directory opened for writing');
    t.err(yield* u.open('/tmp', O_RDWR), EISDIR, 'directory opened for read/write');
    t.err(yield* u.open('/tmp', O_CREAT | O_RDONLY), EISDIR, 'O_CREAT on a directory');
    const dfd = must(t, yield* u.open('/tmp', O_RDONLY), 'directory opened for reading');
    t.hk.eq(yield* u.close(dfd), 0, 'close directory');
    t.err(yield* u.open(P + '/x', O_RDONLY), ENOTDIR, 'regular file used as a directory');
    t.err(yield* u.open(P + '/x', O_CREAT | O_WRONLY), ENOTDIR, 'O_CREAT below a regular file');
    t.err(yield* u.open('/tmp/file_open.nodir/x', O_CREAT | O_WRONLY), ENOENT, 'O_CREAT in a missing directory');
    const long = '/tmp/' + 'n'.repeat(61);
    t.err(yield* u.open(long, O_CREAT | O_RDWR), ENAMETOOLONG, 'create with a 61-char component');
    t.err(yield* u.open(long, O_RDONLY), ENAMETOOLONG, 'open with a 61-char component');
    const ok60 = '/tmp/' + 'm'.repeat(60);
    const fd3 = must(t, yield* u.open(ok60, O_CREAT | O_EXCL | O_WRONLY), 'a 60-char component is allowed');
    t.hk.eq(yield* u.close(fd3), 0, 'close 60-char file');
    t.hk.eq(yield* u.unlink(ok60), 0, 'unlink 60-char file');
    t.err(yield* u.open('', O_RDONLY), ENOENT, 'empty path');
    t.err(yield* u.open(P, O_RDONLY | O_DIRECTORY), ENOTDIR, 'O_DIRECTORY on a regular file');
    t.eq(yield* u.close(fd), 0, 'close');
    t.err(yield* u.close(fd), EBADF, 'close twice');
    t.err(yield* u.close(-1), EBADF, 'close(-1)');
    t.eq(yield* u.close(fd2), 0, 'close second');
    // The lowest free descriptor is handed out again.
    const fd4 = must(t, yield* u.open(P, O_RDONLY), 'reopen');
    t.eq(fd4, Math.min(fd, fd2), 'lowest free descriptor reused');
    t.hk.eq(yield* u.close(fd4), 0, 'close reopened');
    t.eq(yield* u.unlink(P), 0, 'unlink');
    t.err(yield* u.open(P, O_RDONLY), ENOENT, 'gone after unlink');
  }),

  test('file_creat_trunc', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_creat_trunc.a';
    t.eq(yield* u.writeFile(P, 'abcdefghij', 0o644), 10, 'write 10 bytes');
    t.eq(must(t, yield* u.stat(P), 'stat(P)').size, 10, 'size 10');
    const fd = must(t, yield* u.creat(P, 0o600), 'creat an existing file');
    const s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.eq(s.size, 0, 'creat truncates');
    t.eq(s.mode & 0o777, 0o644, 'creat of an existing file keeps its mode');
    t.err(rc(yield* u.read(fd, 4)), EBADF, 'creat opens write-only: read is EBADF');
    t.eq(yield* u.write(fd, 'xyz'), 3, 'write after creat');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.readFile(P), 'xyz', 'content after creat+write');
    const rd = must(t, yield* u.open(P, O_RDONLY), 'open for reading');
    t.err(yield* u.write(rd, 'no'), EBADF, 'write on a read-only descriptor');
    t.eq(yield* u.readStr(rd, 2), 'xy', 'read 2');
    const tr = must(t, yield* u.open(P, O_RDWR | O_TRUNC), 'O_RDWR|O_TRUNC');
    t.eq(must(t, yield* u.fstat(tr), 'fstat(tr)').size, 0, 'O_TRUNC empties the file');
    t.eq(yield* u.readStr(rd, 10), '', 'the other descriptor now reads end of file');
    t.eq(yield* u.write(tr, 'hello'), 5, 'write hello');
    t.hk.eq(yield* u.close(tr), 0, 'close truncating descriptor');
    const wr = must(t, yield* u.open(P, O_WRONLY), 'open without O_TRUNC');
    t.eq(must(t, yield* u.fstat(wr), 'fstat(wr)').size, 5, 'no truncation without O_TRUNC');
    t.eq(yield* u.write(wr, 'J'), 1, 'overwrite first byte');
    t.hk.eq(yield* u.close(wr), 0, 'close');
    t.eq(yield* u.readFile(P), 'Jello', 'overwritten in place');
    t.hk.eq(yield* u.close(rd), 0, 'close reader');
    t.err(yield* u.creat('/tmp', 0o644), EISDIR, 'creat on a directory');
    t.err(yield* u.creat(P + '/sub', 0o644), ENOTDIR, 'creat below a regular file');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),

  test('file_rw_seek', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_rw_seek.a';
    const fd = must(t, yield* u.open(P, O_CREAT | O_RDWR | O_TRUNC, 0o644), 'create');
    t.eq(yield* u.write(fd, 'abcdefghijklmnopqrstuvwxyz'), 26, 'write 26');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 26, 'offset after write');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    t.eq(yield* u.readStr(fd, 5), 'abcde', 'read 5');
    t.eq(yield* u.lseek(fd, 10, SEEK_CUR), 15, 'SEEK_CUR +10');
    t.eq(yield* u.readStr(fd, 3), 'pqr', 'read after SEEK_CUR');
    t.eq(yield* u.lseek(fd, -6, SEEK_END), 20, 'SEEK_END -6');
    t.eq(yield* u.readStr(fd, 100), 'uvwxyz', 'short read to end of file');
    t.eq(yield* u.readStr(fd, 100), '', 'read at end of file returns 0');
    t.err(yield* u.lseek(fd, -1, SEEK_SET), EINVAL, 'negative SEEK_SET');
    t.err(yield* u.lseek(fd, -100, SEEK_END), EINVAL, 'SEEK_END before the start');
    t.err(yield* u.lseek(fd, 0, 7), EINVAL, 'bad whence');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 26, 'failed lseek leaves the offset');
    t.eq(yield* u.lseek(fd, 3, SEEK_SET), 3, 'seek to 3');
    t.eq(yield* u.write(fd, 'XYZ'), 3, 'overwrite 3 bytes');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 6, 'offset after overwrite');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 26, 'overwrite keeps the size');
    t.eq(yield* u.lseek(fd, 100, SEEK_SET), 100, 'seek past the end');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 26, 'seeking alone does not extend');
    t.eq(yield* u.readStr(fd, 10), '', 'read past the end returns 0');
    const fd2 = must(t, yield* u.open(P, O_RDONLY), 'second descriptor');
    t.eq(yield* u.readStr(fd2, 26), 'abcXYZghijklmnopqrstuvwxyz', 'content via an independent offset');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 100, 'first offset unaffected');
    t.err(yield* u.lseek(99, 0, SEEK_SET), EBADF, 'lseek on a bad descriptor');
    t.err(rc(yield* u.read(99, 1)), EBADF, 'read on a bad descriptor');
    t.err(yield* u.write(-1, 'x'), EBADF, 'write on a bad descriptor');
    t.eq(yield* u.write(fd, ''), 0, 'zero-length write');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 26, 'zero-length write past the end does not extend');
    t.hk.eq(yield* u.close(fd2), 0, 'close 2');
    t.hk.eq(yield* u.close(fd), 0, 'close 1');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),

  test('file_sparse', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_sparse.a';
    const v0 = must(t, yield* u.statvfs('/tmp'), 'statvfs before');
    const fd = must(t, yield* u.open(P, O_CREAT | O_RDWR | O_TRUNC, 0o644), 'create');
    t.eq(yield* u.write(fd, 'head'), 4, 'write head');
    t.eq(yield* u.lseek(fd, 5000, SEEK_SET), 5000, 'seek to 5000');
    t.eq(yield* u.write(fd, 'tail'), 4, 'write after the hole');
    let s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.eq(s.size, 5004, 'size covers the hole');
    t.ok(s.blocks > 0 && s.blocks < 5004 / 512, `hole takes no blocks (st_blocks ${s.blocks})`);
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    const all = must(t, yield* u.read(fd, 5004), 'read whole file');
    t.eq(all.length, 5004, 'all bytes read');
    t.eq(str(all.subarray(0, 4)), 'head', 'data before the hole');
    t.ok(allZero(all.subarray(4, 5000)), 'the hole reads as zeros');
    t.eq(str(all.subarray(5000)), 'tail', 'data after the hole');
    // A hole that spans into the indirect block's range.
    t.eq(yield* u.lseek(fd, 30000, SEEK_SET), 30000, 'seek to 30000');
    t.eq(yield* u.write(fd, 'deep'), 4, 'write past the direct blocks');
    s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.eq(s.size, 30004, 'size 30004');
    t.ok(s.blocks < 30004 / 512 / 4, `long hole takes no blocks (st_blocks ${s.blocks})`);
    const near = must(t, yield* u.pread(fd, 20, 29984), 'pread around the far write');
    t.ok(allZero(near.subarray(0, 16)), 'zeros before the far write');
    t.eq(str(near.subarray(16)), 'deep', 'far data');
    t.eq(yield* u.lseek(fd, 2048, SEEK_SET), 2048, 'seek into the first hole');
    t.eq(yield* u.write(fd, 'mid'), 3, 'fill part of the hole');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 30004, 'filling a hole keeps the size');
    const mid = must(t, yield* u.pread(fd, 11, 2044), 'pread around the filled part');
    t.ok(allZero(mid.subarray(0, 4)) && allZero(mid.subarray(7)), 'zeros around the filled part');
    t.eq(str(mid.subarray(4, 7)), 'mid', 'filled part');
    const v1 = must(t, yield* u.statvfs('/tmp'), 'statvfs with the sparse file');
    t.ok(v0.bfree - v1.bfree <= 6, `sparse file uses few blocks (${v0.bfree - v1.bfree})`);
    t.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.unlink(P), 0, 'unlink');
    const v2 = must(t, yield* u.statvfs('/tmp'), 'statvfs after');
    t.eq(v2.bfree, v0.bfree, 'all blocks returned');
    t.eq(v2.ffree, v0.ffree, 'inode returned');
  }),

  test('file_large', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_large.a';
    const CHUNK = 4096;
    const N = 10;
    const v0 = must(t, yield* u.statvfs('/'), 'statvfs before');
    t.ok(v0.bsize > 0 && v0.bfree <= v0.blocks, 'statvfs is sane');
    const fd = must(t, yield* u.open(P, O_CREAT | O_RDWR | O_TRUNC, 0o644), 'create');
    const sums: number[] = [];
    for (let i = 0; i < N; i++) {
      const data = pattern(CHUNK, i);
      sums.push(checksum(data));
      t.eq(yield* u.write(fd, data), CHUNK, `write chunk ${i}`);
    }
    const s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.eq(s.size, CHUNK * N, 'size 40 KiB');
    t.ok(s.blocks * 512 >= CHUNK * N, `st_blocks covers the data (${s.blocks})`);
    const v1 = must(t, yield* u.statvfs('/'), 'statvfs with the file');
    t.ok(v0.bfree - v1.bfree >= (CHUNK * N) / v0.bsize, `blocks in use (${v0.bfree - v1.bfree})`);
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    for (let i = 0; i < N; i++) {
      const b = must(t, yield* u.read(fd, CHUNK), `read chunk ${i}`);
      t.ok(b.length === CHUNK && checksum(b) === sums[i], `checksum of chunk ${i}`);
    }
    t.eq(must(t, yield* u.read(fd, CHUNK), 'read(fd, CHUNK)').length, 0, 'end of file');
    // Straddle the last direct block and the first indirect one, and an unaligned middle range.
    const whole = new Uint8Array(CHUNK * N);
    for (let i = 0; i < N; i++) whole.set(pattern(CHUNK, i), i * CHUNK);
    const edge = must(t, yield* u.pread(fd, 300, 7 * 1024 - 150), 'pread across the indirect boundary');
    t.eq(checksum(edge), checksum(whole.subarray(7 * 1024 - 150, 7 * 1024 + 150)), 'bytes across the boundary');
    const odd = must(t, yield* u.pread(fd, 5000, 12345), 'unaligned pread');
    t.eq(checksum(odd), checksum(whole.subarray(12345, 17345)), 'unaligned range');
    t.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.unlink(P), 0, 'unlink');
    const v2 = must(t, yield* u.statvfs('/'), 'statvfs after');
    t.eq(v2.bfree, v0.bfree, 'every block freed');
  }),

  test('file_append', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_append.a';
    t.eq(yield* u.writeFile(P, '0123456789'), 10, 'initial content');
    const a = must(t, yield* u.open(P, O_WRONLY | O_APPEND), 'open O_APPEND');
    t.ok(((yield* u.fcntl(a, F_GETFL)) & O_APPEND) !== 0, 'F_GETFL shows O_APPEND');
    t.eq(yield* u.lseek(a, 0, SEEK_SET), 0, 'seek to 0');
    t.eq(yield* u.write(a, 'AB'), 2, 'append AB');
    t.eq(yield* u.lseek(a, 0, SEEK_CUR), 12, 'offset moved to the new end');
    const b = must(t, yield* u.open(P, O_RDWR | O_APPEND), 'second O_APPEND descriptor');
    t.eq(yield* u.write(b, 'CD'), 2, 'append CD via b');
    t.eq(yield* u.write(a, 'EF'), 2, 'append EF via a (its offset was stale)');
    t.eq(must(t, yield* u.fstat(a), 'fstat(a)').size, 16, 'size 16');
    t.eq(yield* u.readFile(P), '0123456789ABCDEF', 'appends never overwrite');
    const c = must(t, yield* u.open(P, O_RDWR), 'plain descriptor');
    t.eq(yield* u.write(c, 'zz'), 2, 'overwrite at 0');
    t.eq(yield* u.lseek(b, 0, SEEK_SET), 0, 'seek the O_APPEND reader');
    t.eq(yield* u.readStr(b, 4), 'zz23', 'reads honour the offset of an O_APPEND descriptor');
    t.eq(yield* u.ftruncate(c, 4), 0, 'shrink to 4');
    t.eq(yield* u.write(a, 'Q'), 1, 'append after the shrink');
    t.eq(yield* u.readFile(P), 'zz23Q', 'append goes to the new end');
    t.eq(yield* u.lseek(a, 0, SEEK_CUR), 5, 'offset after append');
    t.eq(yield* u.truncate(P, 2), 0, 'truncate by name while open');
    t.eq(yield* u.write(b, 'R'), 1, 'append after the truncate by name');
    t.eq(yield* u.readFile(P), 'zzR', 'append sees the size set by name');
    t.hk.eq(yield* u.close(a), 0, 'close a');
    t.hk.eq(yield* u.close(b), 0, 'close b');
    t.hk.eq(yield* u.close(c), 0, 'close c');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),

  test('file_pread_pwrite', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_pread_pwrite.a';
    const fd = must(t, yield* u.open(P, O_CREAT | O_RDWR | O_TRUNC, 0o644), 'create');
    t.eq(yield* u.write(fd, 'abcdefghij'), 10, 'write 10');
    t.eq(yield* u.pwrite(fd, 'XY', 2), 2, 'pwrite at 2');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 10, 'pwrite leaves the offset');
    t.eq(str(yield* u.pread(fd, 4, 1)), 'bXYe', 'pread sees the pwrite');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 10, 'pread leaves the offset');
    t.eq(str(yield* u.pread(fd, 100, 8)), 'ij', 'short pread at the end');
    t.eq(str(yield* u.pread(fd, 10, 10)), '', 'pread at end of file');
    t.eq(str(yield* u.pread(fd, 10, 50)), '', 'pread past end of file');
    t.eq(yield* u.pwrite(fd, 'Z', 20), 1, 'pwrite past the end');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 21, 'pwrite extends the file');
    const gap = must(t, yield* u.pread(fd, 11, 10), 'pread the gap');
    t.ok(gap.length === 11 && allZero(gap.subarray(0, 10)) && gap[10] === 0x5a, 'gap is zeros then Z');
    const r = must(t, yield* u.read(fd, 3), 'read continues at the old offset');
    t.ok(r.length === 3 && allZero(r), 'read from offset 10 sees zeros');
    t.err(rc(yield* u.pread(fd, 4, -1)), EINVAL, 'pread at a negative offset');
    t.err(yield* u.pwrite(fd, 'x', -5), EINVAL, 'pwrite at a negative offset');
    const ro = must(t, yield* u.open(P, O_RDONLY), 'read-only descriptor');
    t.err(yield* u.pwrite(ro, 'x', 0), EBADF, 'pwrite on a read-only descriptor');
    const wo = must(t, yield* u.open(P, O_WRONLY), 'write-only descriptor');
    t.err(rc(yield* u.pread(wo, 1, 0)), EBADF, 'pread on a write-only descriptor');
    const p = must(t, yield* u.pipe(), 'pipe');
    t.err(rc(yield* u.pread(p[0], 1, 0)), ESPIPE, 'pread on a pipe');
    t.err(yield* u.lseek(p[0], 0, SEEK_SET), ESPIPE, 'lseek on a pipe');
    t.hk.eq(yield* u.close(p[0]), 0, 'close pipe read end');
    t.hk.eq(yield* u.close(p[1]), 0, 'close pipe write end');
    const d = must(t, yield* u.open('/tmp', O_RDONLY), 'open a directory');
    t.err(rc(yield* u.pread(d, 8, 0)), EISDIR, 'pread on a directory');
    for (const x of [d, wo, ro, fd]) t.hk.eq(yield* u.close(x), 0, 'close');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),

  test('file_truncate', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_truncate.a';
    t.eq(yield* u.writeFile(P, 'abcdefghij'), 10, 'write 10');
    t.eq(yield* u.truncate(P, 4), 0, 'truncate to 4');
    t.eq(must(t, yield* u.stat(P), 'stat(P)').size, 4, 'size 4');
    t.eq(yield* u.readFile(P), 'abcd', 'content shrunk');
    t.eq(yield* u.truncate(P, 8), 0, 'truncate up to 8');
    t.eq(yield* u.readFile(P), 'abcd\0\0\0\0', 'growing adds zeros, not the old bytes');
    const fd = must(t, yield* u.open(P, O_RDWR), 'open');
    t.eq(yield* u.lseek(fd, 0, SEEK_END), 8, 'offset at end');
    t.eq(yield* u.ftruncate(fd, 2), 0, 'ftruncate to 2');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 8, 'ftruncate leaves the offset');
    t.eq(yield* u.write(fd, 'Z'), 1, 'write at the old offset');
    t.eq(yield* u.readFile(P), 'ab\0\0\0\0\0\0Z', 'hole between the end and the write');
    t.eq(yield* u.ftruncate(fd, 3000), 0, 'ftruncate grows across blocks');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 3000, 'size 3000');
    const tail = must(t, yield* u.pread(fd, 20, 2980), 'pread grown tail');
    t.ok(tail.length === 20 && allZero(tail), 'grown tail is zeros');
    t.eq(yield* u.ftruncate(fd, 0), 0, 'ftruncate to 0');
    const s0 = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.ok(s0.size === 0 && s0.blocks === 0, 'empty file holds no blocks');
    // Shrinking a file that uses the indirect block returns its blocks.
    const v0 = must(t, yield* u.statvfs('/tmp'), 'statvfs');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    t.eq(yield* u.write(fd, pattern(10 * 1024, 3)), 10 * 1024, 'write 10 KiB');
    t.eq(yield* u.ftruncate(fd, 1500), 0, 'shrink to 1500');
    const v1 = must(t, yield* u.statvfs('/tmp'), 'statvfs after shrink');
    t.eq(v0.bfree - v1.bfree, 2, 'two blocks remain in use');
    t.eq(checksum(must(t, yield* u.pread(fd, 2000, 0), 'pread(fd, 2000, 0)')), checksum(pattern(10 * 1024, 3).subarray(0, 1500)), 'kept bytes intact');
    t.eq(yield* u.ftruncate(fd, 2048), 0, 'grow to 2048');
    const grown = must(t, yield* u.pread(fd, 548, 1500), 'pread regrown part');
    t.ok(grown.length === 548 && allZero(grown), 'regrown part reads zeros');
    t.eq(yield* u.truncate(P, 4000), 0, 'truncate by name while open');
    t.eq(yield* u.lseek(fd, 0, SEEK_END), 4000, 'SEEK_END sees the new size');
    t.eq(yield* u.truncate(P, 2048), 0, 'and back to 2048');
    const ro = must(t, yield* u.open(P, O_RDONLY), 'read-only descriptor');
    const rr = yield* u.ftruncate(ro, 1);
    t.ok(rr === -1 && (u.errno === EINVAL || u.errno === EBADF), 'ftruncate on a read-only descriptor fails (EINVAL or EBADF)');
    t.err(yield* u.ftruncate(77, 1), EBADF, 'ftruncate on a bad descriptor');
    t.err(yield* u.truncate('/tmp', 0), EISDIR, 'truncate a directory');
    t.err(yield* u.truncate('/tmp/file_truncate.none', 0), ENOENT, 'truncate a missing file');
    t.err(yield* u.truncate(P + '/x', 0), ENOTDIR, 'truncate below a regular file');
    t.err(yield* u.truncate(P, -1), EINVAL, 'negative length');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 2048, 'failed truncates change nothing');
    t.hk.eq(yield* u.close(ro), 0, 'close ro');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),

  test('file_stat', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_stat.a';
    const Q = '/tmp/file_stat.b';
    t.eq(yield* u.writeFile(P, 'twelve bytes', 0o640), 12, 'write 12');
    const s = must(t, yield* u.stat(P), 'stat');
    t.eq(s.mode & S_IFMT, S_IFREG, 'type bits: regular');
    t.eq(s.mode & 0o7777, 0o640, 'permission bits');
    t.eq(s.nlink, 1, 'one link');
    t.eq(s.size, 12, 'size');
    t.eq(s.uid, yield* u.getuid(), 'owner uid');
    t.eq(s.gid, yield* u.getegid(), 'owner gid');
    t.ok(s.blocks >= 2, 'st_blocks counts the data block');
    const fd = must(t, yield* u.open(P, O_RDWR), 'open');
    const f = must(t, yield* u.fstat(fd), 'fstat');
    t.ok(f.ino === s.ino && f.dev === s.dev && f.mode === s.mode && f.size === 12, 'fstat agrees with stat');
    t.eq(yield* u.lseek(fd, 0, SEEK_END), 12, 'seek to end');
    t.eq(yield* u.write(fd, 'abc'), 3, 'append 3');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 15, 'fstat sees the new size');
    const l = must(t, yield* u.lstat(P), 'lstat of a regular file');
    t.ok(l.ino === s.ino && l.size === 15, 'lstat of a non-link equals stat');
    t.eq(yield* u.writeFile(Q, ''), 0, 'second file');
    t.ok(must(t, yield* u.stat(Q), 'stat(Q)').ino !== s.ino, 'distinct files, distinct inodes');
    const tmp = must(t, yield* u.stat('/tmp'), 'stat /tmp');
    t.ok(S_ISDIR(tmp.mode) && (tmp.mode & S_ISVTX) !== 0, '/tmp is a sticky directory');
    t.ok(tmp.nlink >= 2, '/tmp nlink >= 2');
    t.eq(tmp.dev, s.dev, 'same device');
    const root = must(t, yield* u.stat('/'), 'stat /');
    t.ok(S_ISDIR(root.mode), '/ is a directory');
    t.eq(must(t, yield* u.stat('/.'), 'stat(/.)').ino, root.ino, '/. is /');
    t.eq(must(t, yield* u.stat('/..'), 'stat(/..)').ino, root.ino, '/.. is /');
    t.eq(must(t, yield* u.stat('//tmp/./file_stat.a'), 'stat(//tmp/./file_stat.a)').ino, s.ino, 'extra slashes and dots');
    const pw = must(t, yield* u.stat('/etc/passwd'), 'stat /etc/passwd');
    t.ok(S_ISREG(pw.mode) && pw.size > 0, '/etc/passwd is a non-empty file');
    t.err(rc(yield* u.stat('/tmp/file_stat.none')), ENOENT, 'stat a missing file');
    t.err(rc(yield* u.stat(P + '/x')), ENOTDIR, 'stat below a regular file');
    t.err(rc(yield* u.stat('')), ENOENT, 'stat of the empty path');
    t.err(rc(yield* u.fstat(-1)), EBADF, 'fstat(-1)');
    t.eq(yield* u.close(fd), 0, 'close');
    t.err(rc(yield* u.fstat(fd)), EBADF, 'fstat of a closed descriptor');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink a');
    t.hk.eq(yield* u.unlink(Q), 0, 'unlink b');
  }),

  test('file_times', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_times.a';
    const D = '/tmp/file_times.d';
    t.eq(yield* u.writeFile(P, 'x'), 1, 'create');
    t.eq(yield* u.utime(P, 1000, 2000), 0, 'utime');
    let s = must(t, yield* u.stat(P), 'stat(P)');
    t.ok(s.atime === 1000 && s.mtime === 2000, 'utime sets atime and mtime');
    const c0 = Math.floor((yield* u.clock()) / 1e9);
    const fd = must(t, yield* u.open(P, O_RDWR), 'open');
    t.eq(yield* u.write(fd, 'more'), 4, 'write');
    const c1 = Math.floor((yield* u.clock()) / 1e9);
    s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.ok(s.mtime !== 2000 && s.mtime >= c0 && s.mtime <= c1, `write sets mtime to now (${s.mtime})`);
    t.ok(s.ctime >= c0 && s.ctime <= c1, 'write sets ctime to now');
    t.eq(s.atime, 1000, 'write leaves atime');
    t.eq(yield* u.utime(P, 1000, 2000), 0, 'utime again');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    t.eq(yield* u.readStr(fd, 5), 'more', 'read');
    s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.ok(s.atime !== 1000 && s.atime <= c1 + 1, 'read sets atime');
    t.eq(s.mtime, 2000, 'read leaves mtime');
    t.eq(yield* u.utime(P, 5, 6), 0, 'utime to 5/6');
    t.eq(yield* u.fchmod(fd, 0o600), 0, 'fchmod');
    s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.ok(s.mtime === 6 && s.atime === 5, 'chmod leaves atime and mtime');
    t.ok(s.ctime >= c0, 'chmod sets ctime');
    t.eq(yield* u.ftruncate(fd, 1), 0, 'ftruncate');
    t.ok(must(t, yield* u.fstat(fd), 'fstat(fd)').mtime !== 6, 'ftruncate sets mtime');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.err(yield* u.utime('/tmp/file_times.none', 1, 2), ENOENT, 'utime of a missing file');
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    t.eq(yield* u.utime(D, 300, 400), 0, 'utime of a directory');
    t.eq(must(t, yield* u.stat(D), 'stat(D)').mtime, 400, 'directory mtime set');
    t.eq(yield* u.writeFile(D + '/f', 'y'), 1, 'create an entry');
    t.ok(must(t, yield* u.stat(D), 'stat(D)').mtime !== 400, 'a new entry sets the directory mtime');
    t.hk.eq(yield* u.unlink(D + '/f'), 0, 'unlink entry');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),

  test('file_unlink_open', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_unlink_open.a';
    const v0 = must(t, yield* u.statvfs('/tmp'), 'statvfs before');
    const fd = must(t, yield* u.open(P, O_CREAT | O_RDWR | O_TRUNC, 0o644), 'create');
    t.eq(yield* u.write(fd, 'still here'), 10, 'write');
    const fd2 = must(t, yield* u.open(P, O_RDONLY), 'second descriptor');
    const ino = must(t, yield* u.fstat(fd), 'fstat(fd)').ino;
    t.eq(yield* u.unlink(P), 0, 'unlink while open');
    t.err(rc(yield* u.stat(P)), ENOENT, 'name is gone');
    t.err(yield* u.open(P, O_RDONLY), ENOENT, 'cannot be reopened');
    const s = must(t, yield* u.fstat(fd), 'fstat(fd)');
    t.ok(s.nlink === 0 && s.size === 10, 'open file has no links and keeps its data');
    t.eq(str(yield* u.pread(fd2, 100, 0)), 'still here', 'still readable');
    t.eq(yield* u.write(fd, ' and more'), 9, 'still writable');
    t.eq(yield* u.readStr(fd2, 100), 'still here and more', 'reader sees the write');
    const v1 = must(t, yield* u.statvfs('/tmp'), 'statvfs while open');
    t.eq(v1.ffree, v0.ffree - 1, 'inode still allocated');
    t.eq(yield* u.close(fd), 0, 'close first');
    t.eq(str(yield* u.pread(fd2, 5, 0)), 'still', 'readable through the last descriptor');
    const fd3 = must(t, yield* u.open(P, O_CREAT | O_EXCL | O_RDWR, 0o644), 'a new file under the old name');
    t.ok(must(t, yield* u.fstat(fd3), 'fstat(fd3)').ino !== ino, 'new file is a different inode');
    t.eq(must(t, yield* u.fstat(fd3), 'fstat(fd3)').size, 0, 'new file is empty');
    t.eq(yield* u.close(fd2), 0, 'close last descriptor of the unlinked file');
    const v2 = must(t, yield* u.statvfs('/tmp'), 'statvfs after close');
    t.eq(v2.ffree, v0.ffree - 1, 'unlinked inode freed (only the new one in use)');
    t.eq(yield* u.close(fd3), 0, 'close new');
    t.eq(yield* u.unlink(P), 0, 'unlink new');
    t.err(yield* u.unlink(P), ENOENT, 'unlink twice');
    const v3 = must(t, yield* u.statvfs('/tmp'), 'statvfs at the end');
    t.ok(v3.ffree === v0.ffree && v3.bfree === v0.bfree, 'everything returned');
  }),

  test('file_link', 'file', function* (t: T, u: Libc): Co<void> {
    const A = '/tmp/file_link.a';
    const B = '/tmp/file_link.b';
    const C = '/tmp/file_link.c';
    t.eq(yield* u.writeFile(A, 'shared'), 6, 'create a');
    t.eq(yield* u.link(A, B), 0, 'link a -> b');
    const sa = must(t, yield* u.stat(A), 'stat(A)');
    const sb = must(t, yield* u.stat(B), 'stat(B)');
    t.eq(sa.ino, sb.ino, 'same inode');
    t.ok(sa.nlink === 2 && sb.nlink === 2, 'nlink 2 on both names');
    const fd = must(t, yield* u.open(B, O_WRONLY | O_APPEND), 'open via b');
    t.eq(yield* u.write(fd, '!'), 1, 'write via b');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.readFile(A), 'shared!', 'visible via a');
    t.err(yield* u.link(A, B), EEXIST, 'link onto an existing name');
    t.err(yield* u.link('/tmp/file_link.none', C), ENOENT, 'link of a missing file');
    t.err(yield* u.link(A, '/tmp/file_link.nodir/c'), ENOENT, 'link into a missing directory');
    t.err(yield* u.link(A, B + '/c'), ENOTDIR, 'link below a regular file');
    t.err(yield* u.link('/tmp', C), EPERM, 'link of a directory');
    t.err(yield* u.link(A, '/tmp/' + 'q'.repeat(61)), ENAMETOOLONG, 'link to a 61-char name');
    t.err(rc(yield* u.stat(C)), ENOENT, 'failed links left nothing');
    t.eq(yield* u.link(B, C), 0, 'third name');
    t.eq(must(t, yield* u.stat(A), 'stat(A)').nlink, 3, 'nlink 3');
    t.eq(yield* u.unlink(A), 0, 'unlink a');
    t.eq(must(t, yield* u.stat(B), 'stat(B)').nlink, 2, 'nlink back to 2');
    t.eq(yield* u.readFile(C), 'shared!', 'data kept');
    t.eq(yield* u.unlink(C), 0, 'unlink c');
    t.eq(must(t, yield* u.stat(B), 'stat(B)').nlink, 1, 'nlink 1');
    t.eq(yield* u.unlink(B), 0, 'unlink b');
    t.err(rc(yield* u.stat(B)), ENOENT, 'all names gone');
  }),

  test('file_rename', 'file', function* (t: T, u: Libc): Co<void> {
    const A = '/tmp/file_rename.a';
    const B = '/tmp/file_rename.b';
    const C = '/tmp/file_rename.c';
    const D = '/tmp/file_rename.d';
    t.eq(yield* u.writeFile(A, 'aaa'), 3, 'create a');
    t.eq(yield* u.writeFile(B, 'bbbbb'), 5, 'create b');
    const ia = must(t, yield* u.stat(A), 'stat(A)').ino;
    t.eq(yield* u.rename(A, C), 0, 'rename a -> c');
    t.err(rc(yield* u.stat(A)), ENOENT, 'old name gone');
    t.eq(must(t, yield* u.stat(C), 'stat(C)').ino, ia, 'new name, same inode');
    const fb = must(t, yield* u.open(B, O_RDONLY), 'hold b open');
    t.eq(yield* u.rename(C, B), 0, 'rename over an existing file');
    t.eq(must(t, yield* u.stat(B), 'stat(B)').ino, ia, 'b now names the moved file');
    t.eq(yield* u.readFile(B), 'aaa', 'content of the moved file');
    t.err(rc(yield* u.stat(C)), ENOENT, 'source name gone');
    t.eq(must(t, yield* u.fstat(fb), 'fstat(fb)').nlink, 0, 'replaced file lost its name');
    t.eq(str(yield* u.pread(fb, 10, 0)), 'bbbbb', 'replaced file still readable while open');
    t.hk.eq(yield* u.close(fb), 0, 'close replaced file');
    t.eq(yield* u.rename(B, B), 0, 'rename to itself');
    t.eq(must(t, yield* u.stat(B), 'stat(B)').ino, ia, 'still there');
    t.eq(yield* u.link(B, D), 0, 'second link');
    t.eq(yield* u.rename(B, D), 0, 'rename between links of one file');
    t.ok((yield* u.stat(B)) !== null && must(t, yield* u.stat(D), 'stat(D)').nlink === 2, 'both links remain');
    t.hk.eq(yield* u.unlink(D), 0, 'unlink d');
    t.err(yield* u.rename('/tmp/file_rename.none', C), ENOENT, 'rename a missing file');
    t.err(yield* u.rename(B, '/tmp/file_rename.nodir/x'), ENOENT, 'rename into a missing directory');
    t.err(yield* u.rename(B, '/tmp'), EISDIR, 'rename a file over a directory');
    t.err(yield* u.rename(B, ''), ENOENT, 'rename to the empty path');
    t.err(yield* u.rename(B, '/tmp/' + 'r'.repeat(61)), ENAMETOOLONG, 'rename to a 61-char name');
    const dir = '/tmp/file_rename.dir';
    t.eq(yield* u.mkdir(dir, 0o755), 0, 'mkdir');
    t.eq(yield* u.rename(B, dir + '/moved'), 0, 'move into a directory');
    t.eq(yield* u.readFile(dir + '/moved'), 'aaa', 'moved content');
    t.err(yield* u.rmdir(dir), ENOTEMPTY, 'directory holds the file');
    t.eq(yield* u.rename(dir + '/moved', B), 0, 'move back');
    t.hk.eq(yield* u.rmdir(dir), 0, 'rmdir');
    t.hk.eq(yield* u.unlink(B), 0, 'unlink');
  }),

  test('file_symlink', 'file', function* (t: T, u: Libc): Co<void> {
    const T_ = '/tmp/file_symlink.t';
    const L = '/tmp/file_symlink.l';
    const R = '/tmp/file_symlink.r';
    const D = '/tmp/file_symlink.dangling';
    const NONE = '/tmp/file_symlink.none';
    const LA = '/tmp/file_symlink.la';
    const LB = '/tmp/file_symlink.lb';
    const LD = '/tmp/file_symlink.ld';
    t.eq(yield* u.writeFile(T_, 'target data'), 11, 'target');
    t.eq(yield* u.symlink(T_, L), 0, 'symlink');
    t.eq(yield* u.readlink(L), T_, 'readlink gives the target text');
    const ls = must(t, yield* u.lstat(L), 'lstat');
    t.ok(S_ISLNK(ls.mode), 'lstat sees a symlink');
    t.eq(ls.size, T_.length, 'symlink size is the target length');
    const ss = must(t, yield* u.stat(L), 'stat follows');
    t.ok(S_ISREG(ss.mode) && ss.ino === must(t, yield* u.stat(T_), 'stat(T_)').ino, 'stat reaches the target');
    t.eq(yield* u.readFile(L), 'target data', 'open follows the link');
    t.eq(yield* u.symlink('file_symlink.t', R), 0, 'relative symlink');
    t.eq(yield* u.readFile(R), 'target data', 'relative to the link\'s directory');
    t.err(yield* u.symlink(T_, L), EEXIST, 'symlink onto an existing name');
    t.err(rc(yield* u.readlink(T_)), EINVAL, 'readlink of a regular file');
    t.err(rc(yield* u.readlink(NONE)), ENOENT, 'readlink of a missing name');
    t.eq(yield* u.symlink(NONE, D), 0, 'dangling symlink');
    t.err(rc(yield* u.stat(D)), ENOENT, 'stat of a dangling link');
    t.ok(S_ISLNK(must(t, yield* u.lstat(D), 'lstat(D)').mode), 'lstat of a dangling link');
    t.err(yield* u.open(D, O_RDONLY), ENOENT, 'open of a dangling link');
    t.err(yield* u.mkdir(D, 0o755), EEXIST, 'mkdir over a dangling link');
    t.err(yield* u.access(D, F_OK), ENOENT, 'access follows the dangling link');
    t.err(yield* u.open(D, O_CREAT | O_EXCL | O_WRONLY), EEXIST, 'O_EXCL refuses a symlink');
    const fd = must(t, yield* u.open(D, O_CREAT | O_WRONLY, 0o644), 'O_CREAT through a dangling link');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.ok(S_ISREG(must(t, yield* u.stat(NONE), 'stat(NONE)').mode), 'the target was created');
    t.hk.eq(yield* u.unlink(NONE), 0, 'unlink created target');
    t.eq(yield* u.symlink(LB, LA), 0, 'loop a -> b');
    t.eq(yield* u.symlink(LA, LB), 0, 'loop b -> a');
    t.err(rc(yield* u.stat(LA)), ELOOP, 'stat of a loop');
    t.err(yield* u.open(LB, O_RDONLY), ELOOP, 'open of a loop');
    t.eq(yield* u.symlink('/tmp', LD), 0, 'link to a directory');
    t.ok(S_ISDIR(must(t, yield* u.stat(LD), 'stat(LD)').mode), 'stat follows to the directory');
    t.eq(must(t, yield* u.stat(LD + '/file_symlink.t'), 'stat(LD + /file_symlink.t)').ino, ss.ino, 'link in the middle of a path');
    t.ok(S_ISDIR(must(t, yield* u.lstat(LD + '/'), 'lstat(LD + /)').mode), 'a trailing slash makes lstat follow the link');
    t.eq(yield* u.rename(R, R + '2'), 0, 'rename a symlink');
    t.ok(S_ISLNK(must(t, yield* u.lstat(R + '2'), 'lstat(R + 2)').mode) && (yield* u.readFile(R + '2')) === 'target data', 'the link moved, still working');
    t.eq(yield* u.rename(R + '2', R), 0, 'rename it back');
    const re = yield* u.symlink('', '/tmp/file_symlink.empty');
    t.ok(re === -1 && (u.errno === ENOENT || u.errno === EINVAL), 'empty target refused (ENOENT or EINVAL)');
    t.eq(yield* u.unlink(L), 0, 'unlink the link');
    t.eq(yield* u.readFile(T_), 'target data', 'target untouched');
    for (const p of [R, D, LA, LB, LD, T_]) t.hk.eq(yield* u.unlink(p), 0, `unlink ${p}`);
  }),

  test('file_limits', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_limits.a';
    const v0 = must(t, yield* u.statvfs('/tmp'), 'statvfs');
    const fd = must(t, yield* u.open(P, O_CREAT | O_RDWR | O_TRUNC, 0o644), 'create');
    const far = 4 * 1024 * 1024;
    t.eq(yield* u.lseek(fd, far, SEEK_SET), far, 'seek beyond the largest file');
    t.err(yield* u.write(fd, 'x'), EFBIG, 'write beyond the largest file');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), far, 'failed write leaves the offset');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, 0, 'failed write leaves the size');
    t.err(yield* u.pwrite(fd, 'x', far), EFBIG, 'pwrite beyond the largest file');
    const rf = yield* u.ftruncate(fd, far);
    t.ok(rf === -1 && (u.errno === EFBIG || u.errno === EINVAL), 'ftruncate beyond the largest file (EFBIG or EINVAL)');
    // A write that crosses the limit is cut short; one starting at the limit fails.
    t.eq(yield* u.pwrite(fd, 'abcdefghijklmnopqrst', MAX_FILE_SIZE - 10), 10, 'short write at the limit');
    t.eq(must(t, yield* u.fstat(fd), 'fstat(fd)').size, MAX_FILE_SIZE, 'file at its largest size');
    t.eq(str(yield* u.pread(fd, 20, MAX_FILE_SIZE - 10)), 'abcdefghij', 'the bytes that fit');
    t.err(yield* u.pwrite(fd, 'z', MAX_FILE_SIZE), EFBIG, 'write at the limit');
    t.eq(str(yield* u.pread(fd, 4, MAX_FILE_SIZE)), '', 'read at the limit is end of file');
    const v1 = must(t, yield* u.statvfs('/tmp'), 'statvfs with the big sparse file');
    t.ok(v0.bfree - v1.bfree <= 3, 'one data block and the indirect block');
    t.eq(yield* u.ftruncate(fd, 0), 0, 'truncate to 0');
    t.eq(must(t, yield* u.statvfs('/tmp'), 'statvfs(/tmp)').bfree, v0.bfree, 'blocks returned by truncate');
    // Descriptor limits.
    const fds: number[] = [];
    for (let i = 0; i < OPEN_MAX; i++) {
      const f = yield* u.open(P, O_RDONLY);
      if (f < 0) break;
      fds.push(f);
    }
    t.err(yield* u.open(P, O_RDONLY), EMFILE, 'open past OPEN_MAX');
    t.ok(fds.length >= OPEN_MAX - 4 && fds.length < OPEN_MAX, `descriptors up to OPEN_MAX (${fds.length} more)`);
    let closed = 0;
    for (const f of fds) if ((yield* u.close(f)) === 0) closed++;
    t.eq(closed, fds.length, 'all extra descriptors closed');
    t.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.unlink(P), 0, 'unlink');
    const v2 = must(t, yield* u.statvfs('/tmp'), 'statvfs at the end');
    t.ok(v2.bfree === v0.bfree && v2.ffree === v0.ffree, 'disk as before');
  }),

  test('file_multi_fd', 'file', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/file_multi_fd.a';
    t.eq(yield* u.writeFile(P, '0123456789'), 10, 'create');
    const a = must(t, yield* u.open(P, O_RDONLY), 'open a');
    const b = must(t, yield* u.open(P, O_RDWR), 'open b');
    t.eq(yield* u.readStr(a, 3), '012', 'a reads 3');
    t.eq(yield* u.readStr(b, 5), '01234', 'b starts at 0');
    t.eq(yield* u.readStr(a, 2), '34', 'a continues at its own offset');
    const d = must(t, yield* u.dup(a), 'dup a');
    t.eq(yield* u.readStr(d, 2), '56', 'dup shares the offset');
    t.eq(yield* u.readStr(a, 2), '78', 'and a sees the dup\'s reads');
    t.eq(yield* u.lseek(d, 1, SEEK_SET), 1, 'seek the dup');
    t.eq(yield* u.lseek(a, 0, SEEK_CUR), 1, 'the original moved too');
    t.eq(yield* u.write(b, 'XY'), 2, 'b writes at 5');
    t.eq(yield* u.readStr(a, 9), '1234XY789', 'a sees b\'s write');
    t.eq(yield* u.close(a), 0, 'close a');
    t.eq(yield* u.readStr(d, 10), '', 'dup still open at the end of the file');
    t.eq(yield* u.lseek(d, -2, SEEK_END), 8, 'dup still usable after closing the original');
    t.eq(yield* u.readStr(d, 10), '89', 'read via dup');
    const sb = must(t, yield* u.fstat(b), 'fstat(b)');
    const sd = must(t, yield* u.fstat(d), 'fstat(d)');
    t.eq(sb.ino, sd.ino, 'one inode behind every descriptor');
    t.eq(yield* u.write(b, pattern(3000, 9)), 3000, 'b grows the file');
    t.eq(must(t, yield* u.fstat(d), 'fstat(d)').size, 3007, 'every descriptor sees the new size');
    t.eq(yield* u.close(d), 0, 'close dup');
    t.hk.eq(yield* u.close(b), 0, 'close b');
    t.err(rc(yield* u.read(d, 1)), EBADF, 'read on the closed dup');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
  }),
];
