/*
 * Test programs: pipes and FIFOs (modelled on the MINIX 3 POSIX tests of
 * pipe(), FIFOs, blocking and non-blocking I/O, SIGPIPE, atomic writes and
 * interrupted calls). A forked child checks with its own `T` (errno is per
 * process); every program closes its descriptors, reaps its children and
 * removes what it made under /tmp.
 *
 * The entry points into this file are:
 *   pipeTests   the pipe_* programs, in running order
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { EAGAIN, EBADF, EEXIST, EINTR, EINVAL, EMFILE, ENFILE, ENOENT, ENXIO, EPIPE, ESPIPE } from '../../proto/errno';
import {
  F_GETFD, F_GETFL, F_SETFL, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, OPEN_MAX, PIPE_BUF, PIPE_SIZE, S_ISFIFO,
} from '../../proto/fs';
import {
  SIGALRM, SIGKILL, SIGPIPE, SIGUSR1, SIG_DFL, SIG_IGN, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WNOHANG, WTERMSIG,
} from '../../proto/signals';
import { NR_PIPES } from '../../servers/vfs/state';
import { T, TestProgram, test } from '../test-api';

const decoder = new TextDecoder();

/** Deterministic bytes, different for every seed. */
function fill(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7 + (i >> 9)) & 0xff;
  return b;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function uniform(b: Uint8Array, c: number): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== c) return false;
  return true;
}

function* reapExit(t: T, u: Libc, pid: number, code: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFEXITED(status), `${what}: exited normally (status ${status})`);
  t.eq(WEXITSTATUS(status), code, `${what}: exit status`);
}

/** A new pipe whose ends must be there. */
function* mkpipe(t: T, u: Libc, what: string): Co<[number, number]> {
  const p = yield* u.pipe();
  return t.okCall(p, what) as [number, number];
}

/** Poll (giving other processes the CPU) until the pipe behind fd holds `size` bytes; the last size seen. */
function* waitSize(u: Libc, fd: number, size: number): Co<number> {
  let n = -1;
  for (let i = 0; i < 200; i++) {
    const s = yield* u.fstat(fd);
    n = s ? s.size : -1;
    if (n === size) return n;
    yield* u.compute(50_000);
  }
  return n;
}

export const pipeTests: TestProgram[] = [
  test('pipe_basic', 'pipe', function* (t: T, u: Libc): Co<void> {
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    t.ok(r >= 0 && r < OPEN_MAX, 'the read end is a valid descriptor');
    t.eq(w, r + 1, 'the write end is the next free descriptor');
    const s = t.okCall(yield* u.fstat(r), 'fstat of the read end')!;
    t.ok(S_ISFIFO(s.mode), 'a pipe is S_IFIFO');
    t.eq(s.size, 0, 'a new pipe is empty');
    t.eq(t.okCall(yield* u.fstat(w), 'fstat of the write end')!.ino, s.ino, 'both ends are one pipe');
    t.eq(yield* u.fcntl(r, F_GETFL), O_RDONLY, 'the read end is O_RDONLY');
    t.eq(yield* u.fcntl(w, F_GETFL), O_WRONLY, 'the write end is O_WRONLY');
    t.eq(yield* u.write(w, 'hello'), 5, 'write 5 bytes');
    t.eq(t.okCall(yield* u.fstat(r), 'fstat')!.size, 5, 'fstat shows the bytes in the pipe');
    t.eq(yield* u.readStr(r, 100), 'hello', 'read returns what was written');
    t.eq(yield* u.write(w, 'abcdefghij'), 10, 'write 10 bytes');
    t.eq(yield* u.readStr(r, 4), 'abcd', 'a short read takes the front');
    t.eq(yield* u.readStr(r, 100), 'efghij', 'the next read takes the rest');
    t.eq(yield* u.write(w, ''), 0, 'an empty write returns 0');
    t.eq((yield* u.read(r, 0))?.length, 0, 'an empty read returns 0 without waiting');
    t.err(yield* u.read(w, 1), EBADF, 'read on the write end');
    t.err(yield* u.write(r, 'x'), EBADF, 'write on the read end');
    t.err(yield* u.lseek(r, 0, 0), ESPIPE, 'lseek on a pipe');
    t.err(yield* u.pread(r, 1, 0), ESPIPE, 'pread on a pipe');
    t.err(yield* u.pwrite(w, 'x', 0), ESPIPE, 'pwrite on a pipe');
    t.err(yield* u.ftruncate(w, 0), EINVAL, 'ftruncate on a pipe');
    // Two pipes are independent.
    const [r2, w2] = yield* mkpipe(t, u, 'a second pipe');
    t.ok(r2 !== r && w2 !== w, 'new descriptors');
    t.ok(t.okCall(yield* u.fstat(r2), 'fstat')!.ino !== s.ino, 'a different pipe');
    t.eq(yield* u.write(w, 'one'), 3, 'write to pipe 1');
    t.eq(yield* u.write(w2, 'two'), 3, 'write to pipe 2');
    t.eq(yield* u.readStr(r2, 10), 'two', 'pipe 2 has its own data');
    t.eq(yield* u.readStr(r, 10), 'one', 'pipe 1 has its own data');
    for (const fd of [r, w, r2, w2]) t.eq(yield* u.close(fd), 0, `close ${fd}`);
    t.err(yield* u.close(r), EBADF, 'close of a closed pipe end');
    t.err(yield* u.read(r, 1), EBADF, 'read on a closed pipe end');
  }),

  test('pipe_eof', 'pipe', function* (t: T, u: Libc): Co<void> {
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    t.eq(yield* u.write(w, 'last words'), 10, 'write');
    t.eq(yield* u.close(w), 0, 'close the only write end');
    t.eq(yield* u.readStr(r, 100), 'last words', 'data written before the close is still read');
    t.eq(yield* u.readStr(r, 100), '', 'then end of file');
    t.eq(yield* u.readStr(r, 100), '', 'end of file again');
    t.hk.eq(yield* u.close(r), 0, 'close');
    // End of file needs every write end closed, also duplicates.
    const [r2, w2] = yield* mkpipe(t, u, 'pipe()');
    const d = t.okCall(yield* u.dup(w2), 'dup of the write end');
    t.eq(yield* u.close(w2), 0, 'close the original write end');
    t.eq(yield* u.fcntl(r2, F_SETFL, O_NONBLOCK), 0, 'non-blocking reads');
    t.err(yield* u.read(r2, 10), EAGAIN, 'no end of file while a duplicate writer is open');
    t.eq(yield* u.close(d), 0, 'close the duplicate');
    t.eq((yield* u.read(r2, 10))?.length, 0, 'end of file once no writer is left');
    t.hk.eq(yield* u.close(r2), 0, 'close');
    // A child's write end closes when it exits; the parent's own copy still counts.
    const [r3, w3] = yield* mkpipe(t, u, 'pipe()');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      ct.hk.eq(yield* c.close(r3), 0, 'child: close the read end');
      ct.eq(yield* c.write(w3, 'from child'), 10, 'child: write');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, pid, 0, 'writer child');
    t.eq(yield* u.fcntl(r3, F_SETFL, O_NONBLOCK), 0, 'non-blocking reads');
    t.eq(yield* u.readStr(r3, 100), 'from child', 'the exited child\'s data is there');
    t.err(yield* u.read(r3, 10), EAGAIN, 'the parent still holds a write end');
    t.eq(yield* u.close(w3), 0, 'close it');
    t.eq((yield* u.read(r3, 10))?.length, 0, 'now end of file');
    t.hk.eq(yield* u.close(r3), 0, 'close');
  }),

  test('pipe_sigpipe', 'pipe', function* (t: T, u: Libc): Co<void> {
    let caught = 0;
    let count = 0;
    t.eq(yield* u.signal(SIGPIPE, function* (_c, sig: number): Co<void> { caught = sig; count++; }), 0, 'catch SIGPIPE');
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    t.eq(yield* u.close(r), 0, 'close the only read end');
    t.err(yield* u.write(w, 'x'), EPIPE, 'write without a reader fails with EPIPE');
    yield* u.getpid();
    t.eq(caught, SIGPIPE, 'the handler got SIGPIPE');
    t.eq(count, 1, 'one SIGPIPE per failed write');
    t.err(yield* u.write(w, 'again'), EPIPE, 'a second write fails too');
    yield* u.getpid();
    t.eq(count, 2, 'and raises SIGPIPE again');
    t.eq(yield* u.signal(SIGPIPE, SIG_IGN), 0, 'ignore SIGPIPE');
    t.err(yield* u.write(w, 'x'), EPIPE, 'EPIPE with SIGPIPE ignored');
    t.ok((yield* u.getpid()) > 1, 'the process survives an ignored SIGPIPE');
    t.eq(count, 2, 'the old handler did not run');
    t.hk.eq(yield* u.close(w), 0, 'close');
    t.eq(yield* u.signal(SIGPIPE, SIG_DFL), 0, 'default action for SIGPIPE');
    // The default action ends the writer.
    const victim = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const p = yield* c.pipe();
      if (!p) return 2;
      yield* c.close(p[0]);
      yield* c.write(p[1], 'x');
      for (let i = 0; i < 3; i++) yield* c.getpid();
      return 55;
    }), 'fork a writer');
    const [pw, status] = yield* u.waitpid(victim);
    t.eq(pw, victim, 'reap the writer');
    t.ok(WIFSIGNALED(status), `killed by a signal (status ${status})`);
    t.eq(WTERMSIG(status), SIGPIPE, 'by SIGPIPE');
    // Writers waiting for room learn that the last reader left.
    const [r2, w2] = yield* mkpipe(t, u, 'pipe()');
    const child = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      let got = 0;
      ct.eq(yield* c.signal(SIGPIPE, function* (): Co<void> { got++; }), 0, 'child: catch SIGPIPE');
      yield* c.close(r2);
      ct.eq(yield* c.write(w2, fill(6000, 1)), PIPE_SIZE, 'child: a big write cut short by the last reader\'s close returns the count');
      ct.eq(got, 1, 'child: SIGPIPE with the partial write');
      ct.err(yield* c.write(w2, 'x'), EPIPE, 'child: then EPIPE');
      ct.eq(got, 2, 'child: and SIGPIPE again');
      return 0;
    }), 'fork a blocked writer');
    t.hk.eq(yield* u.close(w2), 0, 'parent: close its write end');
    t.eq(yield* waitSize(u, r2, PIPE_SIZE), PIPE_SIZE, 'the writer filled the pipe');
    yield* u.compute(200_000);
    const [none] = yield* u.waitpid(child, WNOHANG);
    t.eq(none, 0, 'the writer waits for room');
    t.eq(yield* u.close(r2), 0, 'the last reader goes away');
    yield* reapExit(t, u, child, 0, 'the interrupted writer');
  }),

  test('pipe_block_read', 'pipe', function* (t: T, u: Libc): Co<void> {
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      yield* c.close(r);
      // Many short bursts: the parent gets the CPU in between and goes to sleep in read().
      for (let i = 0; i < 10; i++) yield* c.compute(200_000);
      ct.eq(yield* c.write(w, 'wake up'), 7, 'child: first write');
      for (let i = 0; i < 10; i++) yield* c.compute(100_000);
      ct.eq(yield* c.write(w, 'second'), 6, 'child: second write');
      return 0;
    }), 'fork a slow writer');
    t.eq(yield* u.close(w), 0, 'parent: close its write end');
    const t0 = yield* u.clock();
    t.eq(yield* u.readStr(r, 100), 'wake up', 'a blocked read returns the writer\'s bytes');
    const t1 = yield* u.clock();
    t.ok(t1 - t0 >= 1_000_000, `the read waited for the writer (${t1 - t0} ns)`);
    t.eq(yield* u.readStr(r, 100), 'second', 'the next write wakes the next read');
    t.ok((yield* u.clock()) - t1 >= 500_000, 'the second read waited too');
    t.eq(yield* u.readStr(r, 100), '', 'end of file when the writer exits');
    yield* reapExit(t, u, pid, 0, 'writer');
    t.hk.eq(yield* u.close(r), 0, 'close');
    // Two readers asleep on one pipe share one write.
    const [r2, w2] = yield* mkpipe(t, u, 'pipe()');
    const reader = function* (c: Libc): Co<number> {
      yield* c.close(w2);
      const b = yield* c.read(r2, 5);
      yield* c.close(r2);
      if (!b || b.length !== 5) return 9;
      return uniform(b, 0x41) ? 1 : uniform(b, 0x42) ? 2 : 8;
    };
    const a = t.okCall(yield* u.fork(reader), 'fork reader 1');
    const b = t.okCall(yield* u.fork(reader), 'fork reader 2');
    t.hk.eq(yield* u.close(r2), 0, 'parent: close its read end');
    yield* u.compute(500_000);
    t.eq(yield* u.write(w2, 'AAAAABBBBB'), 10, 'one write for both readers');
    t.hk.eq(yield* u.close(w2), 0, 'close the write end');
    const codes: number[] = [];
    for (const pid2 of [a, b]) {
      const [x, st] = yield* u.waitpid(pid2);
      t.eq(x, pid2, 'reap a reader');
      t.ok(WIFEXITED(st), 'the reader exited');
      codes.push(WEXITSTATUS(st));
    }
    t.eq(codes.slice().sort().join(','), '1,2', 'each reader got one whole half');
  }),

  test('pipe_block_write', 'pipe', function* (t: T, u: Libc): Co<void> {
    const N = 10_000;
    const data = fill(N, 5);
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      yield* c.close(r);
      ct.eq(yield* c.write(w, data), N, 'child: a write larger than the pipe completes');
      ct.hk.eq(yield* c.close(w), 0, 'child: close');
      return 0;
    }), 'fork a writer');
    t.eq(yield* u.close(w), 0, 'parent: close its write end');
    t.eq(yield* waitSize(u, r, PIPE_SIZE), PIPE_SIZE, 'the writer fills the pipe');
    yield* u.compute(500_000);
    t.eq(t.okCall(yield* u.fstat(r), 'fstat')!.size, PIPE_SIZE, 'the pipe stays full: the writer waits');
    const [none] = yield* u.waitpid(pid, WNOHANG);
    t.eq(none, 0, 'the writer has not finished');
    const got = new Uint8Array(N);
    let total = 0;
    let reads = 0;
    while (true) {
      const b = yield* u.read(r, 1000);
      if (b === null) { t.fail(`read failed: errno ${u.errno}`); }
      if (b.length === 0) break;
      t.ok(b.length <= 1000 && total + b.length <= N, `read ${reads}: ${b.length} bytes`);
      got.set(b, total);
      total += b.length;
      reads++;
      yield* u.compute(100_000);
    }
    t.eq(total, N, 'every byte arrived');
    t.ok(same(got, data), 'in order');
    t.ok(reads >= N / 1000, 'in reads of at most 1000 bytes');
    yield* reapExit(t, u, pid, 0, 'writer');
    t.hk.eq(yield* u.close(r), 0, 'close');
  }),

  test('pipe_nonblock', 'pipe', function* (t: T, u: Libc): Co<void> {
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    t.eq(yield* u.fcntl(r, F_SETFL, O_NONBLOCK), 0, 'F_SETFL O_NONBLOCK on the read end');
    t.eq(yield* u.fcntl(r, F_GETFL), O_RDONLY | O_NONBLOCK, 'F_GETFL shows it');
    t.err(yield* u.read(r, 10), EAGAIN, 'reading an empty pipe would block: EAGAIN');
    t.eq(yield* u.fcntl(w, F_SETFL, O_NONBLOCK | O_RDWR), 0, 'F_SETFL on the write end');
    t.eq(yield* u.fcntl(w, F_GETFL), O_WRONLY | O_NONBLOCK, 'F_SETFL cannot change the access mode');
    t.eq(yield* u.write(w, fill(PIPE_SIZE, 1)), PIPE_SIZE, 'fill the pipe');
    t.err(yield* u.write(w, 'x'), EAGAIN, 'a full pipe: EAGAIN for a small write');
    t.err(yield* u.write(w, fill(1000, 2)), EAGAIN, 'and for a big one');
    t.eq((yield* u.read(r, 100))?.length, 100, 'make room for 100 bytes');
    t.eq(yield* u.write(w, fill(1000, 2)), 100, 'a big write is partial');
    t.eq((yield* u.read(r, 50))?.length, 50, 'make room for 50 bytes');
    t.err(yield* u.write(w, fill(100, 3)), EAGAIN, 'a write of at most PIPE_BUF is never split');
    t.eq(yield* u.write(w, fill(50, 3)), 50, 'one that fits goes in');
    const all = yield* u.read(r, 3 * PIPE_SIZE);
    t.eq(all?.length, PIPE_SIZE, 'the pipe held PIPE_SIZE bytes');
    t.ok(all !== null && same(all.subarray(PIPE_SIZE - 150, PIPE_SIZE - 50), fill(100, 2)), 'the partial write\'s bytes');
    t.ok(all !== null && same(all.subarray(PIPE_SIZE - 50), fill(50, 3)), 'the last write\'s bytes');
    t.err(yield* u.read(r, 10), EAGAIN, 'empty again');
    // The status flags belong to the open file: a duplicate shares them.
    const d = t.okCall(yield* u.dup(r), 'dup the read end');
    t.eq(yield* u.fcntl(d, F_GETFL), O_RDONLY | O_NONBLOCK, 'the duplicate is non-blocking too');
    t.eq(yield* u.fcntl(d, F_SETFL, 0), 0, 'clear O_NONBLOCK through the duplicate');
    t.eq(yield* u.fcntl(r, F_GETFL), O_RDONLY, 'the original sees it');
    t.eq(yield* u.close(w), 0, 'close the write end');
    t.eq((yield* u.read(r, 10))?.length, 0, 'a blocking read with no writer is end of file');
    t.hk.eq(yield* u.close(d), 0, 'close');
    t.hk.eq(yield* u.close(r), 0, 'close');
  }),

  test('pipe_atomic', 'pipe', function* (t: T, u: Libc): Co<void> {
    const ROUNDS = 16;
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    const writer = (ch: number) => function* (c: Libc): Co<number> {
      yield* c.close(r);
      const msg = new Uint8Array(PIPE_BUF).fill(ch);
      for (let i = 0; i < ROUNDS; i++) if ((yield* c.write(w, msg)) !== PIPE_BUF) return 3;
      return 0;
    };
    const a = t.okCall(yield* u.fork(writer(0x61)), 'fork writer a');
    const b = t.okCall(yield* u.fork(writer(0x62)), 'fork writer b');
    t.eq(yield* u.close(w), 0, 'parent: close its write end');
    let na = 0;
    let nb = 0;
    while (true) {
      const chunk = yield* u.read(r, PIPE_BUF);
      if (chunk === null) t.fail(`read failed: errno ${u.errno}`);
      if (chunk.length === 0) break;
      yield* u.compute(20_000);
      t.eq(chunk.length, PIPE_BUF, 'reads come in whole messages');
      const ch = chunk[0];
      t.ok((ch === 0x61 || ch === 0x62) && uniform(chunk, ch), 'a message is never interleaved with another');
      if (ch === 0x61) na++; else nb++;
    }
    t.eq(na, ROUNDS, 'every message of writer a');
    t.eq(nb, ROUNDS, 'every message of writer b');
    yield* reapExit(t, u, a, 0, 'writer a');
    yield* reapExit(t, u, b, 0, 'writer b');
    t.hk.eq(yield* u.close(r), 0, 'close');
  }),

  test('pipe_checksum', 'pipe', function* (t: T, u: Libc): Co<void> {
    const TOTAL = 65_536;
    const data = fill(TOTAL, 9);
    const [dr, dw] = yield* mkpipe(t, u, 'pipe down');
    const [ur, uw] = yield* mkpipe(t, u, 'pipe up');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      yield* c.close(dw);
      yield* c.close(ur);
      let got = 0;
      let sum = 0;
      for (let i = 0; ; i++) {
        const b = yield* c.read(dr, ((i * 577) % 2500) + 1);
        if (b === null) ct.fail(`child: read failed: errno ${c.errno}`);
        if (b.length === 0) break;
        ct.ok(same(b, data.subarray(got, got + b.length)), `child: bytes ${got}..${got + b.length} arrive in order`);
        for (let k = 0; k < b.length; k++) sum = (sum * 31 + b[k]!) % 1_000_003;
        got += b.length;
      }
      ct.eq(yield* c.write(uw, `${got} ${sum}`), `${got} ${sum}`.length, 'child: report');
      return 0;
    }), 'fork the consumer');
    t.hk.eq(yield* u.close(dr), 0, 'close the unused read end');
    t.eq(yield* u.close(uw), 0, 'close the unused write end');
    let sent = 0;
    for (let i = 0; sent < TOTAL; i++) {
      const n = Math.min(((i * 733) % 3000) + 1, TOTAL - sent);
      t.eq(yield* u.write(dw, data.subarray(sent, sent + n)), n, `write ${n} bytes at ${sent}`);
      sent += n;
    }
    t.eq(yield* u.close(dw), 0, 'close: end of the stream');
    let expect = 0;
    for (let k = 0; k < TOTAL; k++) expect = (expect * 31 + data[k]!) % 1_000_003;
    t.eq(yield* u.readStr(ur, 100), `${TOTAL} ${expect}`, 'the consumer saw every byte with the right checksum');
    t.eq(yield* u.readStr(ur, 100), '', 'end of the report');
    yield* reapExit(t, u, pid, 0, 'consumer');
    t.hk.eq(yield* u.close(ur), 0, 'close');
  }),

  test('pipe_fifo', 'pipe', function* (t: T, u: Libc): Co<void> {
    const path = `/tmp/pipe_fifo.${yield* u.getpid()}`;
    t.eq(yield* u.mkfifo(path, 0o600), 0, 'mkfifo');
    t.err(yield* u.mkfifo(path, 0o600), EEXIST, 'mkfifo of an existing name');
    const s = t.okCall(yield* u.stat(path), 'stat the FIFO')!;
    t.ok(S_ISFIFO(s.mode), 'stat shows S_IFIFO');
    t.eq(s.mode & 0o777, 0o600, 'with the permission bits asked for');
    t.eq(s.size, 0, 'and size 0');
    t.err(yield* u.open(path, O_WRONLY | O_NONBLOCK), ENXIO, 'non-blocking write-open without a reader');
    const rd = t.okCall(yield* u.open(path, O_RDONLY | O_NONBLOCK), 'non-blocking read-open succeeds at once');
    t.eq((yield* u.read(rd, 10))?.length, 0, 'no writer yet: end of file');
    const wr = t.okCall(yield* u.open(path, O_WRONLY | O_NONBLOCK), 'write-open with a reader');
    const fs = t.okCall(yield* u.fstat(wr), 'fstat the FIFO descriptor')!;
    t.ok(S_ISFIFO(fs.mode) && fs.ino === s.ino, 'fstat names the same FIFO');
    t.eq(yield* u.write(wr, 'through the fifo'), 16, 'write');
    t.eq(yield* u.readStr(rd, 100), 'through the fifo', 'read');
    t.err(yield* u.lseek(rd, 0, 0), ESPIPE, 'lseek on a FIFO');
    t.eq(yield* u.close(wr), 0, 'close the writer');
    t.eq(yield* u.close(rd), 0, 'close the reader');
    // Unread data does not outlive the last close.
    const rw = t.okCall(yield* u.open(path, O_RDWR), 'O_RDWR open does not wait');
    t.eq(yield* u.write(rw, 'lost'), 4, 'write into the FIFO');
    t.eq(yield* u.close(rw), 0, 'last close');
    const rd2 = t.okCall(yield* u.open(path, O_RDONLY | O_NONBLOCK), 'reopen');
    t.eq((yield* u.read(rd2, 10))?.length, 0, 'the data went with the last close');
    t.eq(yield* u.close(rd2), 0, 'close');
    // A writer waits in open() for a reader in another process.
    const wpid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      const fd = ct.okCall(yield* c.open(path, O_WRONLY), 'child: open for writing');
      ct.eq(yield* c.write(fd, 'hello via fifo'), 14, 'child: write');
      ct.hk.eq(yield* c.close(fd), 0, 'child: close');
      return 0;
    }), 'fork a writer');
    yield* u.compute(1_000_000);
    const [none] = yield* u.waitpid(wpid, WNOHANG);
    t.eq(none, 0, 'the writer waits in open()');
    const fd = t.okCall(yield* u.open(path, O_RDONLY), 'open for reading meets the writer');
    t.eq(yield* u.readStr(fd, 100), 'hello via fifo', 'the writer\'s bytes');
    t.eq(yield* u.readStr(fd, 100), '', 'end of file when it closes');
    t.eq(yield* u.close(fd), 0, 'close');
    yield* reapExit(t, u, wpid, 0, 'FIFO writer');
    // A reader waits in open() for a writer.
    const rpid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      const t0 = yield* c.clock();
      const rfd = ct.okCall(yield* c.open(path, O_RDONLY), 'child: open for reading');
      ct.ok((yield* c.clock()) - t0 >= 500_000, 'child: open waited for the writer');
      ct.eq(yield* c.readStr(rfd, 100), 'ping', 'child: read');
      ct.hk.eq(yield* c.close(rfd), 0, 'child: close');
      return 0;
    }), 'fork a reader');
    for (let i = 0; i < 10; i++) yield* u.compute(100_000);
    const wfd = t.okCall(yield* u.open(path, O_WRONLY), 'write-open finds the waiting reader');
    t.eq(yield* u.write(wfd, 'ping'), 4, 'write');
    t.eq(yield* u.close(wfd), 0, 'close');
    yield* reapExit(t, u, rpid, 0, 'FIFO reader');
    // A signal interrupts a waiting open(); a killed waiter leaves no end behind.
    let alarms = 0;
    t.eq(yield* u.signal(SIGALRM, function* (): Co<void> { alarms++; }), 0, 'catch SIGALRM');
    let low = 0;
    while ((yield* u.fcntl(low, F_GETFD)) >= 0) low++;
    yield* u.alarmNs(1_000_000);
    t.err(yield* u.open(path, O_RDONLY), EINTR, 'a signal interrupts open() waiting for a writer');
    t.eq(alarms, 1, 'the handler ran');
    t.err(yield* u.fcntl(low, F_GETFD), EBADF, 'the interrupted open left no descriptor');
    t.err(yield* u.open(path, O_WRONLY | O_NONBLOCK), ENXIO, 'nor a reader');
    t.hk.eq(yield* u.signal(SIGALRM, SIG_DFL), 0, 'restore SIGALRM');
    const victim = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.open(path, O_RDONLY);
      return 5;
    }), 'fork a reader to kill');
    for (let i = 0; i < 5; i++) yield* u.compute(100_000);
    t.eq(yield* u.kill(victim, SIGKILL), 0, 'kill it while it waits in open()');
    const [vw, vst] = yield* u.waitpid(victim);
    t.ok(vw === victim && WIFSIGNALED(vst) && WTERMSIG(vst) === SIGKILL, 'it died of SIGKILL');
    t.err(yield* u.open(path, O_WRONLY | O_NONBLOCK), ENXIO, 'its end went with it');
    t.eq(yield* u.unlink(path), 0, 'unlink the FIFO');
    t.err(yield* u.stat(path), ENOENT, 'gone');
  }),

  test('pipe_eintr', 'pipe', function* (t: T, u: Libc): Co<void> {
    let alarms = 0;
    let usr = 0;
    t.eq(yield* u.signal(SIGALRM, function* (): Co<void> { alarms++; }), 0, 'catch SIGALRM');
    const [r, w] = yield* mkpipe(t, u, 'pipe()');
    t.eq(yield* u.alarmNs(1_000_000), 0, 'an alarm in 1 ms');
    const t0 = yield* u.clock();
    t.err(yield* u.read(r, 10), EINTR, 'a blocked read is interrupted');
    t.ok((yield* u.clock()) - t0 >= 1_000_000, 'after the alarm');
    t.eq(alarms, 1, 'the handler ran');
    t.eq(yield* u.write(w, 'ok'), 2, 'the pipe still works');
    t.eq(yield* u.readStr(r, 10), 'ok', 'read');
    t.eq(yield* u.write(w, fill(PIPE_SIZE, 4)), PIPE_SIZE, 'fill the pipe');
    yield* u.alarmNs(1_000_000);
    t.err(yield* u.write(w, 'small'), EINTR, 'a blocked small write is interrupted');
    t.eq(alarms, 2, 'the handler ran again');
    t.eq(t.okCall(yield* u.fstat(r), 'fstat')!.size, PIPE_SIZE, 'nothing of it was written');
    t.eq((yield* u.read(r, PIPE_SIZE))?.length, PIPE_SIZE, 'drain');
    yield* u.alarmNs(1_000_000);
    t.eq(yield* u.write(w, fill(6000, 6)), PIPE_SIZE, 'an interrupted big write returns what it wrote');
    t.eq(alarms, 3, 'the handler ran a third time');
    const part = yield* u.read(r, PIPE_SIZE);
    t.ok(part !== null && same(part, fill(6000, 6).subarray(0, PIPE_SIZE)), 'those bytes are in the pipe');
    // A signal from another process.
    t.eq(yield* u.signal(SIGUSR1, function* (): Co<void> { usr++; }), 0, 'catch SIGUSR1');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.compute(2_000_000);
      return (yield* c.kill(yield* c.getppid(), SIGUSR1)) === 0 ? 0 : 1;
    }), 'fork a signaller');
    t.err(yield* u.read(r, 10), EINTR, 'kill() interrupts a blocked read');
    t.eq(usr, 1, 'the SIGUSR1 handler ran');
    yield* reapExit(t, u, pid, 0, 'signaller');
    // A reader killed while it waits leaves the pipe working.
    const victim = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.read(r, 10);
      return 5;
    }), 'fork a reader to kill');
    for (let i = 0; i < 5; i++) yield* u.compute(100_000);
    t.eq(yield* u.kill(victim, SIGKILL), 0, 'kill the waiting reader');
    const [vw, vst] = yield* u.waitpid(victim);
    t.ok(vw === victim && WIFSIGNALED(vst) && WTERMSIG(vst) === SIGKILL, 'it died of SIGKILL');
    t.eq(yield* u.write(w, 'still'), 5, 'write after its death');
    t.eq(yield* u.readStr(r, 10), 'still', 'the bytes were not taken by the dead reader');
    t.hk.eq(yield* u.signal(SIGALRM, SIG_DFL), 0, 'restore SIGALRM');
    t.hk.eq(yield* u.signal(SIGUSR1, SIG_DFL), 0, 'restore SIGUSR1');
    t.hk.eq(yield* u.close(r), 0, 'close');
    t.hk.eq(yield* u.close(w), 0, 'close');
  }),

  test('pipe_limits', 'pipe', function* (t: T, u: Libc): Co<void> {
    let free = 0;
    for (let fd = 0; fd < OPEN_MAX; fd++) if ((yield* u.fcntl(fd, F_GETFL)) < 0) free++;
    const fds: number[] = [];
    let p = yield* u.pipe();
    while (p !== null) { fds.push(p[0], p[1]); p = yield* u.pipe(); }
    t.eq(u.errno, EMFILE, 'pipe() fails with EMFILE when descriptors run out');
    t.eq(fds.length / 2, Math.floor(free / 2), 'every pair of free descriptors became a pipe');
    const made = fds.length / 2;
    t.ok(made <= NR_PIPES, 'no more pipes than buffers');
    t.eq(yield* u.close(fds[0]!), 0, 'free one descriptor');
    t.err((yield* u.pipe()) === null ? -1 : 0, EMFILE, 'one free descriptor is not enough');
    t.eq(yield* u.dup(fds[1]!), fds[0], 'the failed pipe() left that descriptor free');
    // Fill the remaining buffers from a child that starts with no descriptors.
    const path = `/tmp/pipe_limits.${yield* u.getpid()}`;
    t.eq(yield* u.mkfifo(path), 0, 'mkfifo');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      for (const fd of fds) yield* c.close(fd);
      let n = 0;
      let q = yield* c.pipe();
      while (q !== null) { n++; q = yield* c.pipe(); }
      ct.eq(c.errno, ENFILE, 'child: pipe() fails with ENFILE when buffers run out');
      ct.eq(n, NR_PIPES - made, 'child: every free buffer became a pipe');
      ct.err(yield* c.open(path, O_RDONLY | O_NONBLOCK), ENFILE, 'child: a FIFO needs a buffer too');
      ct.err(yield* c.fcntl(fds[2]!, F_GETFL), EBADF, 'child: its copies are closed');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, pid, 0, 'child');
    t.eq(yield* u.fcntl(fds[2]!, F_GETFL), O_RDONLY, 'the child\'s closes left the parent\'s descriptors open');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink the FIFO');
    for (const fd of fds) t.eq(yield* u.close(fd), 0, `close ${fd}`);
    const again = yield* mkpipe(t, u, 'pipes work again');
    t.eq(again[0], fds[0]! < fds[1]! ? fds[0] : fds[1], 'from the lowest free descriptor');
    t.hk.eq(yield* u.close(again[0]), 0, 'close');
    t.hk.eq(yield* u.close(again[1]), 0, 'close');
  }),

  test('pipe_pipeline', 'pipe', function* (t: T, u: Libc): Co<void> {
    // parent -> upcase -> reverse-lines -> parent, each stage on descriptors 0 and 1.
    const [ar, aw] = yield* mkpipe(t, u, 'pipe a');
    const [br, bw] = yield* mkpipe(t, u, 'pipe b');
    const [cr, cw] = yield* mkpipe(t, u, 'pipe c');
    const all = [ar, aw, br, bw, cr, cw];
    const stage = (inFd: number, outFd: number, f: (s: string) => string) => function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      ct.eq(yield* c.dup2(inFd, 20), 20, 'stage: dup2 its input to 20');
      ct.eq(yield* c.dup2(outFd, 21), 21, 'stage: dup2 its output to 21');
      for (const fd of all) ct.eq(yield* c.close(fd), 0, 'stage: close the originals');
      const input = yield* c.readAll(20, 64);
      if (input === null) return ct.fail('stage: read failed');
      const out = f(decoder.decode(input));
      ct.eq(yield* c.write(21, out), out.length, 'stage: write its output');
      return 0;
    };
    const up = t.okCall(yield* u.fork(stage(ar, bw, (s) => s.toUpperCase())), 'fork upcase');
    const rev = t.okCall(yield* u.fork(stage(br, cw, (s) => s.split('\n').reverse().join('\n'))), 'fork reverse');
    for (const fd of [ar, br, bw, cw]) t.eq(yield* u.close(fd), 0, 'parent: close a stage\'s end');
    const text = 'one\ntwo\nthree\nfour';
    t.eq(yield* u.write(aw, text), text.length, 'feed the pipeline');
    t.eq(yield* u.close(aw), 0, 'end of input');
    const out = yield* u.readAll(cr, 7);
    t.eq(out === null ? null : decoder.decode(out), 'FOUR\nTHREE\nTWO\nONE', 'the pipeline\'s output');
    yield* reapExit(t, u, up, 0, 'upcase');
    yield* reapExit(t, u, rev, 0, 'reverse');
    t.hk.eq(yield* u.close(cr), 0, 'close');
  }),
];
