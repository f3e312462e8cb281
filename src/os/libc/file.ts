/*
 * File-system calls (VFS). Data moves through the process's own memory:
 * `write` stages JS data in the I/O buffer and VFS/MFS copy it from there;
 * `readBuf`/`writeBuf` take an address for programs that manage memory.
 *
 * The entry points into this file are:
 *   LibcFile   open, read, write, stat, directories, links, pipes, descriptors, ...
 *   StatVfs    the result of statvfs
 */
import { Co } from '../kernel/types';
import { VFS } from '../proto/endpoints';
import * as C from '../proto/calls';
import type { Args, Request } from '../proto/messages';
import type { StatCall } from '../proto/layouts-vfs';
import { Dirent, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, O_DIRECTORY, STAT_FIELDS, Stat, S_IFIFO } from '../proto/fs';
import { IOBUF, IOBUF_SIZE, decoder, encoder } from './core';
import { LibcProc } from './proc';

export interface StatVfs { bsize: number; blocks: number; bfree: number; files: number; ffree: number }

export class LibcFile extends LibcProc {
  open(path: string, flags: number, mode = 0o644): Co<number> {
    return this.intcall(VFS, { type: C.VFS_OPEN, path, flags, mode });
  }

  creat(path: string, mode = 0o644): Co<number> { return this.open(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

  close(fd: number): Co<number> { return this.intcall(VFS, { type: C.VFS_CLOSE, fd }); }

  readBuf(fd: number, buf: number, nbytes: number): Co<number> {
    return this.intcall(VFS, { type: C.VFS_READ, fd, buf, nbytes });
  }

  writeBuf(fd: number, buf: number, nbytes: number): Co<number> {
    return this.intcall(VFS, { type: C.VFS_WRITE, fd, buf, nbytes });
  }

  /** read() up to n bytes (at most the I/O buffer); null on error. */
  *read(fd: number, n: number): Co<Uint8Array | null> {
    const len = Math.min(n, IOBUF_SIZE);
    const r = yield* this.readBuf(fd, IOBUF, len);
    return r < 0 ? null : this.peek(IOBUF, r);
  }

  *readStr(fd: number, n: number): Co<string | null> {
    const b = yield* this.read(fd, n);
    return b === null ? null : decoder.decode(b);
  }

  /** write() JS data (staged in the I/O buffer). */
  *write(fd: number, data: string | Uint8Array): Co<number> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    return yield* this.writeBuf(fd, this.stage(bytes), bytes.length);
  }

  *pread(fd: number, n: number, offset: number): Co<Uint8Array | null> {
    const r = yield* this.intcall(VFS, { type: C.VFS_PREAD, fd, buf: IOBUF, nbytes: Math.min(n, IOBUF_SIZE), offset });
    return r < 0 ? null : this.peek(IOBUF, r);
  }

  *pwrite(fd: number, data: string | Uint8Array, offset: number): Co<number> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    return yield* this.intcall(VFS, { type: C.VFS_PWRITE, fd, buf: this.stage(bytes), nbytes: bytes.length, offset });
  }

  lseek(fd: number, offset: number, whence: number): Co<number> { return this.intcall(VFS, { type: C.VFS_LSEEK, fd, offset, whence }); }

  private *statCall<T extends StatCall>(type: T, fields: Args<T>): Co<Stat | null> {
    const r = yield* this.call<T>(VFS, { type, ...fields } as Request<T> & { type: T });
    if (r.type < 0) { this.result(r.type); return null; }
    const s = {} as Stat;
    for (const f of STAT_FIELDS) s[f] = r[f];
    return s;
  }

  stat(path: string): Co<Stat | null> { return this.statCall(C.VFS_STAT, { path }); }
  lstat(path: string): Co<Stat | null> { return this.statCall(C.VFS_LSTAT, { path }); }
  fstat(fd: number): Co<Stat | null> { return this.statCall(C.VFS_FSTAT, { fd }); }

  unlink(path: string): Co<number> { return this.intcall(VFS, { type: C.VFS_UNLINK, path }); }
  rename(from: string, to: string): Co<number> { return this.intcall(VFS, { type: C.VFS_RENAME, path: from, path2: to }); }
  link(existing: string, newPath: string): Co<number> { return this.intcall(VFS, { type: C.VFS_LINK, path: existing, path2: newPath }); }
  symlink(target: string, linkPath: string): Co<number> { return this.intcall(VFS, { type: C.VFS_SYMLINK, path: target, path2: linkPath }); }

  *readlink(path: string): Co<string | null> {
    const r = yield* this.intcall(VFS, { type: C.VFS_READLINK, path, buf: IOBUF, nbytes: 1024 });
    return r < 0 ? null : decoder.decode(this.peek(IOBUF, r));
  }

  mkdir(path: string, mode = 0o755): Co<number> { return this.intcall(VFS, { type: C.VFS_MKDIR, path, mode }); }
  rmdir(path: string): Co<number> { return this.intcall(VFS, { type: C.VFS_RMDIR, path }); }
  chdir(path: string): Co<number> { return this.intcall(VFS, { type: C.VFS_CHDIR, path }); }
  fchdir(fd: number): Co<number> { return this.intcall(VFS, { type: C.VFS_FCHDIR, fd }); }

  *getcwd(): Co<string | null> {
    const r = yield* this.call(VFS, { type: C.VFS_GETCWD });
    if (r.type < 0) { this.result(r.type); return null; }
    return r.path as string;
  }

  /**
   * getdents(): entries from the directory's current position, encoded by
   * VFS in the buffer as [ino u32 LE][namelen u8][name]. [] at the end.
   */
  *getdents(fd: number, nbytes = 1024): Co<Dirent[] | null> {
    const r = yield* this.intcall(VFS, { type: C.VFS_GETDENTS, fd, buf: IOBUF, nbytes });
    if (r < 0) return null;
    const b = this.peek(IOBUF, r);
    const out: Dirent[] = [];
    for (let i = 0; i + 5 <= b.length;) {
      const ino = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
      const n = b[i + 4]!;
      out.push({ ino: ino >>> 0, name: decoder.decode(b.subarray(i + 5, i + 5 + n)) });
      i += 5 + n;
    }
    return out;
  }

  /** All entries of a directory (opendir + getdents until the end + closedir). */
  *readdir(path: string): Co<Dirent[] | null> {
    const fd = yield* this.open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return null;
    const all: Dirent[] = [];
    while (true) {
      const part = yield* this.getdents(fd);
      if (part === null) { const e = this.errno; yield* this.close(fd); this.errno = e; return null; }
      if (part.length === 0) break;
      all.push(...part);
    }
    yield* this.close(fd);
    return all;
  }

  dup(fd: number): Co<number> { return this.intcall(VFS, { type: C.VFS_DUP, fd }); }
  dup2(fd: number, fd2: number): Co<number> { return this.intcall(VFS, { type: C.VFS_DUP2, fd, fd2 }); }
  fcntl(fd: number, cmd: number, arg = 0): Co<number> { return this.intcall(VFS, { type: C.VFS_FCNTL, fd, cmd, arg }); }
  chmod(path: string, mode: number): Co<number> { return this.intcall(VFS, { type: C.VFS_CHMOD, path, mode }); }
  fchmod(fd: number, mode: number): Co<number> { return this.intcall(VFS, { type: C.VFS_FCHMOD, fd, mode }); }
  chown(path: string, uid: number, gid: number): Co<number> { return this.intcall(VFS, { type: C.VFS_CHOWN, path, uid, gid }); }
  access(path: string, mode: number): Co<number> { return this.intcall(VFS, { type: C.VFS_ACCESS, path, mode }); }
  umask(mask: number): Co<number> { return this.intcall(VFS, { type: C.VFS_UMASK, mask }); }
  truncate(path: string, length: number): Co<number> { return this.intcall(VFS, { type: C.VFS_TRUNCATE, path, length }); }
  ftruncate(fd: number, length: number): Co<number> { return this.intcall(VFS, { type: C.VFS_FTRUNCATE, fd, length }); }
  utime(path: string, atime: number, mtime: number): Co<number> { return this.intcall(VFS, { type: C.VFS_UTIME, path, atime, mtime }); }

  /** pipe(): [readFd, writeFd], or null. */
  *pipe(): Co<[number, number] | null> {
    const r = yield* this.call(VFS, { type: C.VFS_PIPE });
    if (r.type < 0) { this.result(r.type); return null; }
    return [r.fd0, r.fd1];
  }

  mknod(path: string, mode: number): Co<number> { return this.intcall(VFS, { type: C.VFS_MKNOD, path, mode }); }
  mkfifo(path: string, mode = 0o644): Co<number> { return this.mknod(path, S_IFIFO | (mode & 0o7777)); }
  sync(): Co<number> { return this.intcall(VFS, { type: C.VFS_SYNC }); }
  fsync(fd: number): Co<number> { return this.intcall(VFS, { type: C.VFS_FSYNC, fd }); }

  *statvfs(path: string): Co<StatVfs | null> {
    const r = yield* this.call(VFS, { type: C.VFS_STATVFS, path });
    if (r.type < 0) { this.result(r.type); return null; }
    return { bsize: r.bsize, blocks: r.blocks, bfree: r.bfree, files: r.files, ffree: r.ffree };
  }

  /* ---- conveniences built on the calls above ---- */

  /** Create or truncate `path` and write `data`; returns bytes written or -1. */
  *writeFile(path: string, data: string | Uint8Array, mode = 0o644): Co<number> {
    const fd = yield* this.open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    if (fd < 0) return -1;
    const n = yield* this.write(fd, data);
    const e = this.errno;
    yield* this.close(fd);
    this.errno = e;
    return n;
  }

  /** Read `fd` to end of file in reads of `chunk` bytes; the bytes, or null on an error. */
  *readAll(fd: number, chunk = IOBUF_SIZE): Co<Uint8Array | null> {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (true) {
      const b = yield* this.read(fd, chunk);
      if (b === null) return null;
      if (b.length === 0) break;
      parts.push(b);
      total += b.length;
    }
    const out = new Uint8Array(total);
    let off = 0;
    for (const p of parts) { out.set(p, off); off += p.length; }
    return out;
  }

  /** The whole content of `path` as a string, or null. */
  *readFile(path: string): Co<string | null> {
    const fd = yield* this.open(path, O_RDONLY);
    if (fd < 0) return null;
    let s = '';
    while (true) {
      const part = yield* this.readStr(fd, IOBUF_SIZE);
      if (part === null) { yield* this.close(fd); return null; }
      if (part.length === 0) break;
      s += part;
    }
    yield* this.close(fd);
    return s;
  }
}
