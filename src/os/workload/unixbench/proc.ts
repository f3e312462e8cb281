/*
 * The process and IPC benchmarks: execl, spawn, syscall, pipe and
 * context1, after Unixbench's programs of the same names. Every iteration
 * goes through PM, VM and VFS; results are checked as they come.
 *
 * The entry points into this file are:
 *   execl     one iteration = one execve of itself (the count travels in argv)
 *   spawn     one iteration = fork + child _exit + waitpid
 *   syscall   one iteration = close(dup(fd)), getpid, getuid, umask
 *   pipe      one iteration = write and read back 512 bytes through a pipe
 *   context1  one iteration = a round trip of a counter between two processes
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { IOBUF } from '../../libc/core';
import { errnoName } from '../../proto/errno';
import { O_CREAT, O_RDWR, O_TRUNC, PIPE_BUF } from '../../proto/fs';
import { WEXITSTATUS, WIFEXITED } from '../../proto/signals';
import { BenchProgram, need } from './bench-api';

/** Static buffers in the data segment: one to write from, one to read into. */
const WBUF = IOBUF;
const RBUF = IOBUF + 4096;

function* reap(u: Libc, pid: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  need(w === pid, `${what}: waitpid ${errnoName(u.errno)}`);
  need(WIFEXITED(status) && WEXITSTATUS(status) === 0, `${what}: child status ${status}`);
}

export const execl: BenchProgram = {
  name: 'execl',
  unit: 'exec',
  iterations: 50,
  /** argv = [execl, total, done]: each image execs the next until `done` reaches `total`; the last one reports. */
  body: function* (u: Libc, n: number, argv: string[]): Co<number> {
    const done = argv.length > 2 ? Number(argv[2]) : 0;
    need(Number.isInteger(done) && done >= 0 && done <= n, `execl: bad progress ${argv[2]}`);
    if (done === n) return done;
    yield* u.exec('/bin/execl', ['execl', String(n), String(done + 1)]);
    need(false, `execl: exec failed with ${errnoName(u.errno)}`);
    return done;
  },
};

export const spawn: BenchProgram = {
  name: 'spawn',
  unit: 'fork',
  iterations: 100,
  body: function* (u: Libc, n: number): Co<number> {
    for (let i = 0; i < n; i++) {
      const pid = yield* u.fork(function* (): Co<number> { return 0; });
      need(pid > 0, `spawn: fork ${errnoName(u.errno)}`);
      yield* reap(u, pid, 'spawn');
    }
    return n;
  },
};

export const syscall: BenchProgram = {
  name: 'syscall',
  unit: 'loop',
  iterations: 200,
  body: function* (u: Libc, n: number): Co<number> {
    const path = '/tmp/bench_syscall';
    const fd = yield* u.open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600);
    need(fd >= 0, `syscall: open ${errnoName(u.errno)}`);
    const pid = yield* u.getpid();
    const uid = yield* u.getuid();
    const oldMask = yield* u.umask(0o022);
    need(oldMask >= 0, `syscall: umask ${errnoName(u.errno)}`);
    for (let i = 0; i < n; i++) {
      const d = yield* u.dup(fd);
      need(d >= 0 && d !== fd, `syscall: dup ${errnoName(u.errno)}`);
      need((yield* u.close(d)) === 0, `syscall: close ${errnoName(u.errno)}`);
      need((yield* u.getpid()) === pid, 'syscall: getpid changed');
      need((yield* u.getuid()) === uid, 'syscall: getuid changed');
      need((yield* u.umask(0o022)) === 0o022, 'syscall: umask');
    }
    yield* u.umask(oldMask);
    need((yield* u.close(fd)) === 0, `syscall: close ${errnoName(u.errno)}`);
    need((yield* u.unlink(path)) === 0, `syscall: unlink ${errnoName(u.errno)}`);
    return n;
  },
};

/** Put a recognisable 512-byte record for iteration i in the write buffer. */
function fillRecord(u: Libc, i: number, pattern: Uint8Array): void {
  u.poke(WBUF, pattern);
  u.pokeU32(WBUF, i);
  u.pokeU32(WBUF + PIPE_BUF - 4, ~i);
}

export const pipe: BenchProgram = {
  name: 'pipe',
  unit: '512-byte transfer',
  iterations: 400,
  body: function* (u: Libc, n: number): Co<number> {
    const fds = yield* u.pipe();
    need(fds !== null, `pipe: pipe ${errnoName(u.errno)}`);
    const [r, w] = fds;
    const pattern = new Uint8Array(PIPE_BUF);
    for (let j = 0; j < PIPE_BUF; j++) pattern[j] = (j * 7 + 3) & 0xff;
    for (let i = 0; i < n; i++) {
      fillRecord(u, i, pattern);
      const wn = yield* u.writeBuf(w, WBUF, PIPE_BUF);
      need(wn === PIPE_BUF, `pipe: write ${wn} ${errnoName(u.errno)}`);
      const rn = yield* u.readBuf(r, RBUF, PIPE_BUF);
      need(rn === PIPE_BUF, `pipe: read ${rn} ${errnoName(u.errno)}`);
      need(u.peekU32(RBUF) === i && u.peekU32(RBUF + PIPE_BUF - 4) === (~i >>> 0), 'pipe: data read back');
      need(u.peek(RBUF + 4, 1)[0] === pattern[4], 'pipe: payload read back');
    }
    need((yield* u.close(r)) === 0 && (yield* u.close(w)) === 0, `pipe: close ${errnoName(u.errno)}`);
    return n;
  },
};

/** One side of the ping-pong: write the u32 v to fd (recvCounter reads one). */
function* sendCounter(u: Libc, fd: number, v: number): Co<boolean> {
  u.pokeU32(WBUF, v);
  return (yield* u.writeBuf(fd, WBUF, 4)) === 4;
}

function* recvCounter(u: Libc, fd: number): Co<number> {
  const n = yield* u.readBuf(fd, RBUF, 4);
  return n === 4 ? u.peekU32(RBUF) : -1;
}

export const context1: BenchProgram = {
  name: 'context1',
  unit: 'round trip',
  iterations: 200,
  body: function* (u: Libc, n: number): Co<number> {
    const down = yield* u.pipe();
    need(down !== null, `context1: pipe ${errnoName(u.errno)}`);
    const up = yield* u.pipe();
    need(up !== null, `context1: pipe ${errnoName(u.errno)}`);
    const child = yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.close(down[1]);
      yield* c.close(up[0]);
      for (let i = 0; i < n; i++) {
        const v = yield* recvCounter(c, down[0]);
        if (v !== i) return 10;
        if (!(yield* sendCounter(c, up[1], v + 1))) return 11;
      }
      // The parent closed its end: end of file.
      if ((yield* c.readBuf(down[0], RBUF, 4)) !== 0) return 12;
      return 0;
    });
    need(child > 0, `context1: fork ${errnoName(u.errno)}`);
    yield* u.close(down[0]);
    yield* u.close(up[1]);
    let done = 0;
    for (let i = 0; i < n; i++) {
      if (!(yield* sendCounter(u, down[1], i))) break;
      if ((yield* recvCounter(u, up[0])) !== i + 1) break;
      done++;
    }
    yield* u.close(down[1]);
    yield* u.close(up[0]);
    yield* reap(u, child, 'context1');
    return done;
  },
};
