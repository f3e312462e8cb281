/*
 * Test programs: descriptor plumbing (modelled on the MINIX 3 POSIX tests
 * of dup, dup2, fcntl, lseek, O_APPEND, pread/pwrite, close-on-exec and
 * descriptors shared across fork). A forked child checks with its own `T`
 * (errno is per process); every program works under /tmp/<its name>.<pid>
 * and removes what it made.
 *
 * The entry points into this file are:
 *   fdTests   the fd_* programs, in running order
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { EBADF, EINVAL, EISDIR, EMFILE, ENOENT, ENOEXEC } from '../../proto/errno';
import {
  FD_CLOEXEC, F_DUPFD, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_APPEND, O_CLOEXEC, O_CREAT, O_NONBLOCK, O_RDONLY,
  O_RDWR, O_TRUNC, O_WRONLY, OPEN_MAX, SEEK_CUR, SEEK_END, SEEK_SET,
} from '../../proto/fs';
import { WEXITSTATUS, WIFEXITED, WNOHANG } from '../../proto/signals';
import { T, TestProgram, test } from '../test-api';

const decoder = new TextDecoder();

function* tmpName(u: Libc, name: string, suffix = ''): Co<string> {
  return `/tmp/${name}.${yield* u.getpid()}${suffix}`;
}

/** The lowest descriptor that is not open. */
function* lowestFree(u: Libc): Co<number> {
  for (let fd = 0; fd < OPEN_MAX; fd++) if ((yield* u.fcntl(fd, F_GETFD)) < 0) return fd;
  return -1;
}

function* countFree(u: Libc): Co<number> {
  let n = 0;
  for (let fd = 0; fd < OPEN_MAX; fd++) if ((yield* u.fcntl(fd, F_GETFD)) < 0) n++;
  return n;
}

function* reapExit(t: T, u: Libc, pid: number, code: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFEXITED(status), `${what}: exited normally (status ${status})`);
  t.eq(WEXITSTATUS(status), code, `${what}: exit status`);
}

function* openOk(t: T, u: Libc, path: string, flags: number, what: string): Co<number> {
  return t.okCall(yield* u.open(path, flags, 0o644), what);
}

function str(b: Uint8Array | null): string | null {
  return b === null ? null : decoder.decode(b);
}

/** The argv of the close-on-exec program's second life (after exec). */
const CLOEXEC_CHILD = 'after-exec';

/** fd_cloexec after exec: a, w1 were close-on-exec; b (offset 3) and r2 were not. */
function* cloexecAfterExec(t: T, u: Libc, argv: string[]): Co<void> {
  const [a, w1, b, r2] = argv.slice(2).map(Number) as [number, number, number, number];
  t.eq(argv.length, 6, 'exec passed the arguments');
  t.err(yield* u.fcntl(a, F_GETFD), EBADF, 'exec closed the close-on-exec file');
  t.err(yield* u.fcntl(w1, F_GETFD), EBADF, 'exec closed the close-on-exec pipe end');
  t.err(yield* u.read(a, 1), EBADF, 'the closed descriptor cannot be read');
  t.eq(yield* u.fcntl(b, F_GETFD), 0, 'the other file is still open');
  t.eq(yield* u.lseek(b, 0, SEEK_CUR), 3, 'with its offset');
  t.eq(yield* u.readStr(b, 100), 'defgh', 'and its data');
  t.eq(yield* u.fcntl(r2, F_GETFD), 0, 'the kept pipe end is open');
  t.eq(yield* lowestFree(u), Math.min(a, w1), 'the lowest free descriptor is one exec closed');
  t.eq(yield* u.readStr(r2, 10), 'go', 'wait for the parent');
  t.eq(yield* u.readStr(r2, 10), '', 'then end of file');
}

export const fdTests: TestProgram[] = [
  test('fd_dup', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_dup');
    const fd = yield* openOk(t, u, path, O_CREAT | O_RDWR | O_TRUNC, 'create');
    t.eq(yield* u.write(fd, 'abcdefghij'), 10, 'write');
    const want = yield* lowestFree(u);
    const d = t.okCall(yield* u.dup(fd), 'dup');
    t.eq(d, want, 'dup returns the lowest free descriptor');
    t.eq(yield* u.lseek(d, 0, SEEK_CUR), 10, 'the duplicate shares the offset');
    t.eq(yield* u.lseek(fd, 2, SEEK_SET), 2, 'seek through the original');
    t.eq(yield* u.lseek(d, 0, SEEK_CUR), 2, 'the duplicate sees it');
    t.eq(yield* u.readStr(d, 3), 'cde', 'read through the duplicate');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 5, 'moves the original\'s offset');
    t.eq(t.okCall(yield* u.fstat(d), 'fstat')!.ino, t.okCall(yield* u.fstat(fd), 'fstat')!.ino, 'the same file');
    t.eq(yield* u.fcntl(d, F_GETFL), O_RDWR, 'the same status flags');
    t.eq(yield* u.close(fd), 0, 'close the original');
    t.eq(yield* u.readStr(d, 100), 'fghij', 'the duplicate still works');
    t.err(yield* u.dup(fd), EBADF, 'dup of a closed descriptor');
    t.err(yield* u.dup(-1), EBADF, 'dup(-1)');
    t.err(yield* u.dup(OPEN_MAX), EBADF, 'dup(OPEN_MAX)');
    t.eq(yield* u.dup(d), fd, 'the next dup reuses the lowest (just closed) descriptor');
    const d3 = t.okCall(yield* u.dup(d), 'a third reference');
    t.ok(d3 !== d && d3 !== fd, 'distinct descriptors');
    t.eq(yield* u.fcntl(d, F_SETFD, FD_CLOEXEC), 0, 'mark close-on-exec');
    const d4 = t.okCall(yield* u.dup(d), 'dup a close-on-exec descriptor');
    t.eq(yield* u.fcntl(d4, F_GETFD), 0, 'dup clears FD_CLOEXEC on the new descriptor');
    t.eq(yield* u.fcntl(d, F_GETFD), FD_CLOEXEC, 'the old one keeps it');
    for (const x of [fd, d, d3, d4]) t.hk.eq(yield* u.close(x), 0, `close ${x}`);
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_dup2', 'fd', function* (t: T, u: Libc): Co<void> {
    const pa = yield* tmpName(u, 'fd_dup2', '.a');
    const pb = yield* tmpName(u, 'fd_dup2', '.b');
    t.eq(yield* u.writeFile(pa, 'AAAA'), 4, 'make file a');
    t.eq(yield* u.writeFile(pb, 'BBBB'), 4, 'make file b');
    const fa = yield* openOk(t, u, pa, O_RDWR, 'open a');
    const fb = yield* openOk(t, u, pb, O_RDWR, 'open b');
    t.eq(yield* u.readStr(fa, 1), 'A', 'read one byte of a');
    t.eq(yield* u.dup2(fa, fa), fa, 'dup2 onto itself returns the descriptor');
    t.eq(yield* u.lseek(fa, 0, SEEK_CUR), 1, 'and leaves it alone');
    t.eq(yield* u.dup2(fa, 20), 20, 'dup2 to a free descriptor');
    t.eq(yield* u.lseek(20, 0, SEEK_CUR), 1, 'shares the offset');
    t.eq(yield* u.dup2(fa, fb), fb, 'dup2 onto an open descriptor');
    t.eq(yield* u.lseek(fb, 0, SEEK_SET), 0, 'rewind it');
    t.eq(yield* u.readStr(fb, 10), 'AAAA', 'it now reads file a');
    t.eq(yield* u.readFile(pb), 'BBBB', 'file b was closed, not changed');
    t.err(yield* u.dup2(fa, OPEN_MAX), EBADF, 'dup2 to OPEN_MAX');
    t.err(yield* u.dup2(fa, -1), EBADF, 'dup2 to -1');
    t.err(yield* u.dup2(25, 26), EBADF, 'dup2 of a closed descriptor');
    t.err(yield* u.fcntl(26, F_GETFD), EBADF, 'created nothing');
    t.err(yield* u.dup2(25, 20), EBADF, 'dup2 of a closed descriptor onto an open one');
    t.eq(yield* u.fcntl(20, F_GETFL), O_RDWR, 'a failed dup2 does not close its target');
    t.err(yield* u.dup2(25, 25), EBADF, 'dup2 of a closed descriptor onto itself');
    t.eq(yield* u.fcntl(fa, F_SETFD, FD_CLOEXEC), 0, 'close-on-exec on a');
    t.eq(yield* u.dup2(fa, fa), fa, 'dup2 onto itself');
    t.eq(yield* u.fcntl(fa, F_GETFD), FD_CLOEXEC, 'keeps FD_CLOEXEC');
    t.eq(yield* u.dup2(fa, 22), 22, 'dup2 of a close-on-exec descriptor');
    t.eq(yield* u.fcntl(22, F_GETFD), 0, 'the copy is not close-on-exec');
    t.eq(yield* u.fcntl(22, F_SETFD, FD_CLOEXEC), 0, 'mark the copy');
    t.eq(yield* u.dup2(fb, 22), 22, 'dup2 over it');
    t.eq(yield* u.fcntl(22, F_GETFD), 0, 'the new descriptor is not close-on-exec');
    // Replacing the last write end of a pipe gives its reader end of file.
    const p = t.okCall(yield* u.pipe(), 'pipe')!;
    t.eq(yield* u.dup2(fa, p[1]), p[1], 'dup2 over the write end');
    t.eq(yield* u.readStr(p[0], 10), '', 'the reader sees end of file');
    for (const x of [fa, fb, 20, 22, p[0], p[1]]) t.hk.eq(yield* u.close(x), 0, `close ${x}`);
    t.hk.eq(yield* u.unlink(pa), 0, 'unlink a');
    t.hk.eq(yield* u.unlink(pb), 0, 'unlink b');
  }),

  test('fd_badfd', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_badfd');
    const fd = yield* openOk(t, u, path, O_CREAT | O_RDWR, 'create');
    t.eq(yield* u.close(fd), 0, 'close it');
    for (const bad of [fd, -1, OPEN_MAX, 1000]) {
      const w = `descriptor ${bad}`;
      t.err(yield* u.read(bad, 1), EBADF, `read, ${w}`);
      t.err(yield* u.write(bad, 'x'), EBADF, `write, ${w}`);
      t.err(yield* u.close(bad), EBADF, `close, ${w}`);
      t.err(yield* u.lseek(bad, 0, SEEK_SET), EBADF, `lseek, ${w}`);
      t.err(yield* u.fstat(bad), EBADF, `fstat, ${w}`);
      t.err(yield* u.dup(bad), EBADF, `dup, ${w}`);
      t.err(yield* u.dup2(bad, 5), EBADF, `dup2, ${w}`);
      t.err(yield* u.fcntl(bad, F_GETFD), EBADF, `fcntl, ${w}`);
      t.err(yield* u.fsync(bad), EBADF, `fsync, ${w}`);
      t.err(yield* u.ftruncate(bad, 0), EBADF, `ftruncate, ${w}`);
      t.err(yield* u.fchmod(bad, 0o600), EBADF, `fchmod, ${w}`);
      t.err(yield* u.fchdir(bad), EBADF, `fchdir, ${w}`);
      t.err(yield* u.pread(bad, 1, 0), EBADF, `pread, ${w}`);
      t.err(yield* u.pwrite(bad, 'x', 0), EBADF, `pwrite, ${w}`);
      t.err(yield* u.getdents(bad), EBADF, `getdents, ${w}`);
    }
    // The access mode decides which transfers a descriptor allows.
    const ro = yield* openOk(t, u, path, O_RDONLY, 'open read-only');
    t.err(yield* u.write(ro, 'x'), EBADF, 'write on a read-only descriptor');
    t.err(yield* u.pwrite(ro, 'x', 0), EBADF, 'pwrite on a read-only descriptor');
    t.err(yield* u.ftruncate(ro, 0), EBADF, 'ftruncate on a read-only descriptor');
    const wo = yield* openOk(t, u, path, O_WRONLY, 'open write-only');
    t.err(yield* u.read(wo, 1), EBADF, 'read on a write-only descriptor');
    t.err(yield* u.pread(wo, 1, 0), EBADF, 'pread on a write-only descriptor');
    t.eq(yield* u.fsync(wo), 0, 'fsync works on a valid descriptor');
    t.hk.eq(yield* u.close(ro), 0, 'close');
    t.hk.eq(yield* u.close(wo), 0, 'close');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_emfile', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_emfile');
    const fresh = yield* tmpName(u, 'fd_emfile', '.new');
    t.eq(yield* u.writeFile(path, 'x'), 1, 'make a file');
    const free = yield* countFree(u);
    const fds: number[] = [];
    let fd = yield* u.open(path, O_RDONLY);
    while (fd >= 0) { fds.push(fd); fd = yield* u.open(path, O_RDONLY); }
    t.eq(u.errno, EMFILE, 'open fails with EMFILE when the table is full');
    t.eq(fds.length, free, 'every free descriptor was used');
    t.eq(yield* countFree(u), 0, 'none is left');
    t.err(yield* u.open(fresh, O_CREAT | O_WRONLY), EMFILE, 'open O_CREAT with a full table');
    t.err(yield* u.stat(fresh), ENOENT, 'did not create the file');
    t.err(yield* u.dup(fds[0]!), EMFILE, 'dup');
    t.err(yield* u.fcntl(fds[0]!, F_DUPFD, 0), EMFILE, 'F_DUPFD');
    t.err((yield* u.pipe()) === null ? -1 : 0, EMFILE, 'pipe');
    const mid = fds[Math.floor(fds.length / 2)]!;
    t.eq(yield* u.close(mid), 0, 'free a descriptor in the middle');
    t.err(yield* u.fcntl(fds[0]!, F_DUPFD, mid + 1), mid + 1 < OPEN_MAX ? EMFILE : EINVAL, 'F_DUPFD above the free one');
    t.eq(yield* u.fcntl(fds[0]!, F_DUPFD, 0), mid, 'F_DUPFD finds it');
    t.eq(yield* u.close(mid), 0, 'free it again');
    t.eq(yield* u.open(path, O_RDONLY), mid, 'open takes it');
    t.err(yield* u.fcntl(fds[0]!, F_DUPFD, OPEN_MAX), EINVAL, 'F_DUPFD with arg OPEN_MAX');
    t.err(yield* u.fcntl(fds[0]!, F_DUPFD, -1), EINVAL, 'F_DUPFD with a negative arg');
    for (const x of fds) t.eq(yield* u.close(x), 0, `close ${x}`);
    t.eq(yield* countFree(u), free, 'all descriptors are free again');
    const again = yield* openOk(t, u, path, O_RDONLY, 'open works again');
    t.eq(again, fds[0], 'from the lowest descriptor');
    t.hk.eq(yield* u.close(again), 0, 'close');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_fcntl', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_fcntl');
    const fd = yield* openOk(t, u, path, O_CREAT | O_RDWR | O_TRUNC, 'create');
    t.eq(yield* u.write(fd, 'hello'), 5, 'write');
    t.eq(yield* u.fcntl(fd, F_GETFD), 0, 'not close-on-exec by default');
    t.eq(yield* u.fcntl(fd, F_SETFD, FD_CLOEXEC), 0, 'F_SETFD FD_CLOEXEC');
    t.eq(yield* u.fcntl(fd, F_GETFD), FD_CLOEXEC, 'F_GETFD shows it');
    t.eq(yield* u.fcntl(fd, F_SETFD, 0), 0, 'F_SETFD 0');
    t.eq(yield* u.fcntl(fd, F_GETFD), 0, 'cleared');
    t.eq(yield* u.fcntl(fd, F_SETFD, 0xf0 | FD_CLOEXEC), 0, 'F_SETFD with other bits');
    t.eq(yield* u.fcntl(fd, F_GETFD), FD_CLOEXEC, 'only FD_CLOEXEC is kept');
    t.eq(yield* u.fcntl(fd, F_GETFL), O_RDWR, 'F_GETFL: creation flags are not kept');
    const ce = yield* openOk(t, u, path, O_RDONLY | O_CLOEXEC, 'open O_CLOEXEC');
    t.eq(yield* u.fcntl(ce, F_GETFD), FD_CLOEXEC, 'O_CLOEXEC sets FD_CLOEXEC');
    t.eq(yield* u.fcntl(ce, F_GETFL), O_RDONLY, 'but is no status flag');
    const ten = (yield* u.fcntl(10, F_GETFD)) < 0 ? 10 : -1;
    t.eq(ten, 10, 'descriptor 10 is free');
    t.eq(yield* u.fcntl(ce, F_DUPFD, 10), 10, 'F_DUPFD returns the arg when free');
    t.eq(yield* u.fcntl(ce, F_DUPFD, 10), 11, 'else the next free one above it');
    t.eq(yield* u.fcntl(10, F_GETFD), 0, 'F_DUPFD clears FD_CLOEXEC');
    t.eq(yield* u.lseek(10, 2, SEEK_SET), 2, 'seek through the copy');
    t.eq(yield* u.lseek(ce, 0, SEEK_CUR), 2, 'the copy shares the offset');
    const low = yield* lowestFree(u);
    t.eq(yield* u.fcntl(ce, F_DUPFD, 0), low, 'F_DUPFD 0 is the lowest free');
    t.eq(yield* u.fcntl(fd, F_SETFL, O_RDONLY | O_TRUNC | O_NONBLOCK), 0, 'F_SETFL with other bits');
    t.eq(yield* u.fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK, 'only O_NONBLOCK changed');
    t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.size, 5, 'O_TRUNC in F_SETFL truncates nothing');
    t.eq(yield* u.fcntl(fd, F_SETFL, O_APPEND), 0, 'F_SETFL O_APPEND');
    t.eq(yield* u.fcntl(fd, F_GETFL), O_RDWR | O_APPEND, 'O_NONBLOCK went, O_APPEND came');
    t.err(yield* u.fcntl(fd, 99), EINVAL, 'an unknown command');
    t.err(yield* u.fcntl(fd, -1), EINVAL, 'a negative command');
    const wa = yield* openOk(t, u, path, O_WRONLY | O_APPEND, 'open O_WRONLY|O_APPEND');
    t.eq(yield* u.fcntl(wa, F_GETFL), O_WRONLY | O_APPEND, 'F_GETFL');
    for (const x of [fd, ce, 10, 11, low, wa]) t.eq(yield* u.close(x), 0, `close ${x}`);
    t.err(yield* u.fcntl(fd, F_GETFL), EBADF, 'fcntl on a closed descriptor');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_cloexec', 'fd', function* (t: T, u: Libc, argv: string[]): Co<void> {
    if (argv[1] === CLOEXEC_CHILD) return yield* cloexecAfterExec(t, u, argv);
    const path = yield* tmpName(u, 'fd_cloexec');
    t.eq(yield* u.writeFile(path, 'abcdefgh'), 8, 'make a file');
    const a = yield* openOk(t, u, path, O_RDONLY | O_CLOEXEC, 'open with O_CLOEXEC');
    const b = yield* openOk(t, u, path, O_RDONLY, 'open without');
    t.eq(yield* u.lseek(b, 3, SEEK_SET), 3, 'move b\'s offset');
    const [r1, w1] = t.okCall(yield* u.pipe(), 'pipe 1')!;
    const [r2, w2] = t.okCall(yield* u.pipe(), 'pipe 2')!;
    t.eq(yield* u.fcntl(w1, F_SETFD, FD_CLOEXEC), 0, 'the write end of pipe 1 is close-on-exec');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      ct.eq(yield* c.fcntl(a, F_GETFD), FD_CLOEXEC, 'child: fork keeps FD_CLOEXEC');
      ct.hk.eq(yield* c.close(r1), 0, 'child: close the read end of pipe 1');
      ct.eq(yield* c.close(w2), 0, 'child: close the write end of pipe 2');
      yield* c.exec('/bin/fd_cloexec', ['fd_cloexec', CLOEXEC_CHILD, String(a), String(w1), String(b), String(r2)]);
      return 100 + c.errno;
    }), 'fork');
    t.eq(yield* u.close(w1), 0, 'parent: close its write end of pipe 1');
    t.hk.eq(yield* u.close(r2), 0, 'parent: close its read end of pipe 2');
    t.eq(yield* u.fcntl(r1, F_SETFL, O_NONBLOCK), 0, 'poll pipe 1');
    let eof = false;
    for (let i = 0; i < 200 && !eof; i++) {
      const got = yield* u.read(r1, 10);
      if (got !== null && got.length === 0) eof = true;
      else yield* u.compute(50_000);
    }
    t.ok(eof, 'pipe 1 reaches end of file: exec closed the child\'s write end');
    const [none] = yield* u.waitpid(pid, WNOHANG);
    t.eq(none, 0, 'while the child still runs');
    t.eq(yield* u.write(w2, 'go'), 2, 'let the child finish');
    t.eq(yield* u.close(w2), 0, 'close pipe 2');
    yield* reapExit(t, u, pid, 0, 'the exec\'d child');
    // A failed exec closes nothing; a good one runs the program.
    const prog = yield* tmpName(u, 'fd_cloexec', '.prog');
    t.eq(yield* u.writeFile(prog, '#!osiris no_such_program\n', 0o755), 25, 'a program file naming no installed program');
    const failed = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      ct.err(yield* c.exec('/bin/no_such_program.fd'), ENOENT, 'child: exec of a missing file');
      ct.eq(yield* c.fcntl(a, F_GETFD), FD_CLOEXEC, 'child: the close-on-exec descriptor survives a failed exec');
      ct.eq(yield* c.readStr(a, 3), 'abc', 'child: and works');
      const p = ct.okCall(yield* c.open(prog, O_RDONLY | O_CLOEXEC), 'child: open the program file with O_CLOEXEC');
      ct.err(yield* c.exec(prog, [prog]), ENOEXEC, 'child: exec of a program that is not installed');
      ct.eq(yield* c.fcntl(p, F_GETFD), FD_CLOEXEC, 'child: its close-on-exec descriptor survives ENOEXEC');
      ct.eq(yield* c.fcntl(a, F_GETFD), FD_CLOEXEC, 'child: and so does the other one');
      ct.eq(yield* c.readStr(p, 9), '#!osiris ', 'child: the survivor reads');
      ct.eq(yield* c.readStr(a, 2), 'de', 'child: at its kept offset');
      ct.hk.eq(yield* c.close(p), 0, 'child: close the program file');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, failed, 0, 'failed exec');
    const good = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.exec('/bin/smoke_fork', ['smoke_fork']);
      return 100 + c.errno;
    }), 'fork');
    yield* reapExit(t, u, good, 0, 'a known-good program after exec');
    for (const x of [a, b, r1]) t.hk.eq(yield* u.close(x), 0, `close ${x}`);
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
    t.hk.eq(yield* u.unlink(prog), 0, 'unlink the program file');
  }),

  test('fd_lseek', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_lseek');
    const fd = yield* openOk(t, u, path, O_CREAT | O_RDWR | O_TRUNC, 'create');
    t.eq(yield* u.lseek(fd, 0, SEEK_END), 0, 'SEEK_END of an empty file');
    t.eq(yield* u.write(fd, 'hello'), 5, 'write');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 5, 'SEEK_CUR after the write');
    t.eq(yield* u.lseek(fd, 100, SEEK_SET), 100, 'seek past the end');
    t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.size, 5, 'seeking does not grow the file');
    t.eq((yield* u.read(fd, 10))?.length, 0, 'reading past the end gives 0');
    t.eq(yield* u.write(fd, 'X'), 1, 'write past the end');
    t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.size, 101, 'now the file is 101 bytes');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    const all = yield* u.read(fd, 200);
    t.eq(all?.length, 101, 'read the whole file');
    t.eq(str(all!.subarray(0, 5)), 'hello', 'the start');
    t.ok(all!.subarray(5, 100).every((x) => x === 0), 'the gap reads as zeros');
    t.eq(all![100], 0x58, 'the byte written past the end');
    t.eq(yield* u.lseek(fd, -1, SEEK_END), 100, 'SEEK_END -1');
    t.eq(yield* u.lseek(fd, -2, SEEK_CUR), 98, 'SEEK_CUR -2');
    t.err(yield* u.lseek(fd, -200, SEEK_CUR), EINVAL, 'a negative result');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 98, 'a failed lseek keeps the offset');
    t.err(yield* u.lseek(fd, 0, 3), EINVAL, 'bad whence');
    t.err(yield* u.lseek(fd, 1.5, SEEK_SET), EINVAL, 'a fractional offset');
    // A hole across blocks.
    t.eq(yield* u.lseek(fd, 5000, SEEK_SET), 5000, 'seek to 5000');
    t.eq(yield* u.write(fd, 'end'), 3, 'write at 5000');
    const s = t.okCall(yield* u.fstat(fd), 'fstat')!;
    t.eq(s.size, 5003, 'size 5003');
    t.ok(s.blocks < Math.ceil(5003 / 512), `the hole has no blocks (${s.blocks})`);
    const hole = yield* u.pread(fd, 1000, 2000);
    t.ok(hole !== null && hole.length === 1000 && hole.every((x) => x === 0), 'the hole reads as zeros');
    t.eq(yield* u.ftruncate(fd, 3), 0, 'truncate to 3');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 5003, 'truncation leaves the offset');
    t.eq(yield* u.lseek(fd, 0, SEEK_END), 3, 'SEEK_END follows the new size');
    t.eq(yield* u.lseek(fd, 5003, SEEK_SET), 5003, 'back past the end');
    t.eq(yield* u.write(fd, 'Z'), 1, 'write there');
    t.eq(str(yield* u.pread(fd, 4, 5000)), '\0\0\0Z', 'the old bytes are gone');
    t.eq(str(yield* u.pread(fd, 5, 0)), 'hel\0\0', 'and the truncated tail reads as zeros');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_append', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_append');
    const fd = yield* openOk(t, u, path, O_CREAT | O_WRONLY | O_TRUNC | O_APPEND, 'create with O_APPEND');
    t.eq(yield* u.write(fd, 'one'), 3, 'write');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'seek to the start');
    t.eq(yield* u.write(fd, 'two'), 3, 'write again');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 6, 'an O_APPEND write goes to the end');
    const rw = yield* openOk(t, u, path, O_RDWR, 'a second, plain descriptor');
    t.eq(yield* u.write(rw, 'XY'), 2, 'a plain write at offset 0');
    t.eq(yield* u.readFile(path), 'XYetwo', 'overwrote the start');
    t.eq(yield* u.write(fd, 'three'), 5, 'append after the other write');
    t.eq(yield* u.readFile(path), 'XYetwothree', 'at the end');
    t.eq(yield* u.write(rw, 'Q'), 1, 'the plain descriptor writes at its own offset');
    t.eq(yield* u.readFile(path), 'XYQtwothree', 'in the middle');
    t.eq(yield* u.fcntl(fd, F_SETFL, 0), 0, 'clear O_APPEND');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'seek to the start');
    t.eq(yield* u.write(fd, 'ab'), 2, 'write');
    t.eq(yield* u.readFile(path), 'abQtwothree', 'without O_APPEND the write is at the offset');
    t.eq(yield* u.fcntl(fd, F_SETFL, O_APPEND), 0, 'set O_APPEND again');
    t.eq(yield* u.write(fd, 'Z'), 1, 'write');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 12, 'at the end again');
    // Appenders in two processes lose nothing.
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const mine = yield* c.open(path, O_WRONLY | O_APPEND);
      if (mine < 0) return 2;
      for (let i = 0; i < 5; i++) { if ((yield* c.write(mine, 'c')) !== 1) return 3; yield* c.compute(10_000); }
      return (yield* c.close(mine)) === 0 ? 0 : 4;
    }), 'fork an appender');
    for (let i = 0; i < 5; i++) { t.eq(yield* u.write(fd, 'p'), 1, `parent append ${i}`); yield* u.compute(10_000); }
    yield* reapExit(t, u, pid, 0, 'the appender');
    const text = yield* u.readFile(path);
    t.eq(text?.length, 22, 'every appended byte is there');
    t.eq(text?.slice(0, 12), 'abQtwothreeZ', 'nothing was overwritten');
    t.eq(text?.slice(12).split('').sort().join(''), 'cccccppppp', 'five from each appender');
    for (const x of [fd, rw]) t.hk.eq(yield* u.close(x), 0, `close ${x}`);
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_pread', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_pread');
    const fd = yield* openOk(t, u, path, O_CREAT | O_RDWR | O_TRUNC, 'create');
    t.eq(yield* u.write(fd, '0123456789'), 10, 'write');
    t.eq(str(yield* u.pread(fd, 4, 2)), '2345', 'pread at 2');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 10, 'pread leaves the offset');
    t.eq(yield* u.pwrite(fd, 'ab', 3), 2, 'pwrite at 3');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 10, 'pwrite leaves the offset');
    t.eq(str(yield* u.pread(fd, 10, 0)), '012ab56789', 'pwrite changed the bytes');
    t.eq(str(yield* u.pread(fd, 100, 8)), '89', 'a short pread at the end');
    t.eq(str(yield* u.pread(fd, 10, 10)), '', 'pread at the end');
    t.eq(str(yield* u.pread(fd, 10, 50)), '', 'pread past the end');
    t.eq(yield* u.pwrite(fd, 'Z', 20), 1, 'pwrite past the end');
    t.eq(t.okCall(yield* u.fstat(fd), 'fstat')!.size, 21, 'grows the file');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 10, 'still leaves the offset');
    t.eq(str(yield* u.read(fd, 3)), '\0\0\0', 'read from the offset: the gap');
    t.err(yield* u.pread(fd, 1, -1), EINVAL, 'pread at a negative offset');
    t.err(yield* u.pwrite(fd, 'x', -5), EINVAL, 'pwrite at a negative offset');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 13, 'failed calls leave the offset');
    const dir = yield* openOk(t, u, '/tmp', O_RDONLY, 'open a directory');
    t.err(yield* u.pread(dir, 10, 0), EISDIR, 'pread on a directory');
    const d = t.okCall(yield* u.dup(fd), 'dup');
    t.eq(yield* u.pwrite(d, 'yy', 0), 2, 'pwrite through the duplicate');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 13, 'leaves the shared offset');
    t.eq(str(yield* u.pread(fd, 3, 0)), 'yy2', 'the data changed');
    for (const x of [fd, dir, d]) t.hk.eq(yield* u.close(x), 0, `close ${x}`);
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),

  test('fd_fork_share', 'fd', function* (t: T, u: Libc): Co<void> {
    const path = yield* tmpName(u, 'fd_fork_share');
    const fd = yield* openOk(t, u, path, O_CREAT | O_RDWR | O_TRUNC, 'create');
    t.eq(yield* u.fcntl(fd, F_SETFD, FD_CLOEXEC), 0, 'close-on-exec');
    const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      ct.eq(yield* c.fcntl(fd, F_GETFD), FD_CLOEXEC, 'child: FD_CLOEXEC is inherited');
      ct.eq(yield* c.write(fd, 'child'), 5, 'child: write');
      ct.eq(yield* c.lseek(fd, 0, SEEK_CUR), 5, 'child: its offset moved');
      ct.eq(yield* c.fcntl(fd, F_SETFD, 0), 0, 'child: clear its FD_CLOEXEC');
      ct.eq(yield* c.fcntl(fd, F_SETFL, O_APPEND), 0, 'child: set O_APPEND on the shared file');
      ct.eq(yield* c.close(fd), 0, 'child: close its descriptor');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, pid, 0, 'child');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 5, 'the parent sees the child\'s offset');
    t.eq(yield* u.fcntl(fd, F_GETFD), FD_CLOEXEC, 'the descriptor flag is per process');
    t.eq(yield* u.fcntl(fd, F_GETFL), O_RDWR | O_APPEND, 'the status flags are shared');
    t.eq(yield* u.write(fd, 'parent'), 6, 'the child\'s close left the parent\'s descriptor open');
    t.eq(yield* u.readFile(path), 'childparent', 'the writes follow each other');
    // An open() of its own gives the child a private offset.
    t.eq(yield* u.lseek(fd, 2, SEEK_SET), 2, 'parent: seek to 2');
    const pid2 = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct: T = new T(c);
      const own = ct.okCall(yield* c.open(path, O_RDONLY), 'child: open the file itself');
      ct.eq(yield* c.readStr(own, 5), 'child', 'child: its own offset starts at 0');
      ct.eq(yield* c.readStr(fd, 3), 'ild', 'child: the inherited descriptor reads from 2');
      ct.hk.eq(yield* c.close(own), 0, 'child: close');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, pid2, 0, 'second child');
    t.eq(yield* u.lseek(fd, 0, SEEK_CUR), 5, 'only the inherited descriptor moved the parent\'s offset');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink');
  }),
];
