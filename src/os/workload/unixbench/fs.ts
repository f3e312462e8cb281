/*
 * The file-system throughput benchmarks, after Unixbench's fstime family:
 * write a file chunk by chunk (rewinding when it reaches its maximum
 * size, as fstime does), then read the same number of chunks back and
 * check every byte. The three differ in chunk size; fsdisk also forces
 * each chunk to disk with fsync.
 *
 * The entry points into this file are:
 *   fstime    1 KiB chunks
 *   fsbuffer  256-byte chunks
 *   fsdisk    4 KiB chunks, fsync after each write
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { IOBUF } from '../../libc/core';
import { errnoName } from '../../proto/errno';
import { O_CREAT, O_RDWR, O_TRUNC, SEEK_SET } from '../../proto/fs';
import { BenchProgram, need } from './bench-api';

/** The file's maximum size (Unixbench's "maxblocks"): writes wrap around to offset 0 beyond it. */
const FILE_BYTES = 32 * 1024;
const WBUF = IOBUF;
const RBUF = IOBUF + 4096;

/** The content of chunk c: its number, then a pattern that differs from chunk to chunk. */
function chunkData(c: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let j = 0; j < size; j++) b[j] = (c * 13 + j * 7 + (j >> 8)) & 0xff;
  b[0] = c & 0xff;
  b[1] = (c >> 8) & 0xff;
  return b;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fsBench(name: string, chunk: number, doFsync: boolean, iterations: number): BenchProgram {
  const perFile = FILE_BYTES / chunk;
  const patterns: Uint8Array[] = [];
  for (let c = 0; c < perFile; c++) patterns.push(chunkData(c, chunk));
  return {
    name,
    unit: `${chunk}-byte chunk written and read back`,
    iterations,
    body: function* (u: Libc, n: number): Co<number> {
      const path = `/tmp/bench_${name}`;
      const fd = yield* u.open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600);
      need(fd >= 0, `${name}: open ${errnoName(u.errno)}`);
      try {
        for (let i = 0; i < n; i++) {
          const c = i % perFile;
          if (c === 0 && i > 0) need((yield* u.lseek(fd, 0, SEEK_SET)) === 0, `${name}: rewind ${errnoName(u.errno)}`);
          u.poke(WBUF, patterns[c]!);
          const w = yield* u.writeBuf(fd, WBUF, chunk);
          need(w === chunk, `${name}: write chunk ${i}: ${w} ${errnoName(u.errno)}`);
          if (doFsync) need((yield* u.fsync(fd)) === 0, `${name}: fsync ${errnoName(u.errno)}`);
        }
        need((yield* u.lseek(fd, 0, SEEK_SET)) === 0, `${name}: rewind ${errnoName(u.errno)}`);
        for (let i = 0; i < n; i++) {
          const c = i % perFile;
          if (c === 0 && i > 0) need((yield* u.lseek(fd, 0, SEEK_SET)) === 0, `${name}: rewind ${errnoName(u.errno)}`);
          const r = yield* u.readBuf(fd, RBUF, chunk);
          need(r === chunk, `${name}: read chunk ${i}: ${r} ${errnoName(u.errno)}`);
          need(sameBytes(u.peek(RBUF, chunk), patterns[c]!), `${name}: chunk ${i} read back differs`);
        }
      } finally {
        yield* u.close(fd);
        yield* u.unlink(path);
      }
      return n;
    },
  };
}

export const fstime = fsBench('fstime', 1024, false, 128);
export const fsbuffer = fsBench('fsbuffer', 256, false, 256);
export const fsdisk = fsBench('fsdisk', 4096, true, 48);
