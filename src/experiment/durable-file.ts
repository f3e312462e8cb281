/*
 * Writing results so that a full disk, a read-only directory or a path
 * that is not a directory ends in one line naming the path and what to do,
 * never in a half-written file: whole files go to a temporary file that is
 * flushed and renamed over the target, appends are checked for a complete
 * write and undone when they are not, and output directories are checked
 * (and created one level at a time, which also ends cleanly on special file
 * systems such as /proc where a recursive mkdir loops) before any work.
 *
 * The entry points into this file are:
 *   writeFileAtomic   a whole file: temporary file, fsync, rename
 *   appendComplete    append to an open file descriptor, all of it or nothing
 *   ensureDirectory   check (and create) a directory that output goes to
 *   checkWritableFile check that a file can be written (before the work that produces it)
 *   fsError           a file-system error as a one-line ToolError('io')
 */
import fs from 'node:fs';
import path from 'node:path';
import { ToolError } from '../tool-error';

const ADVICE: Record<string, string> = {
  ENOSPC: 'no space left on the device; free some space',
  EDQUOT: 'disk quota exceeded; free some space',
  EIO: 'input/output error from the device; check the disk, then run again',
  EACCES: 'permission denied; choose a location you may write to, or change its permissions',
  EPERM: 'operation not permitted; choose a location you may write to',
  EROFS: 'the file system is read-only; choose a writable location',
  ENOTDIR: 'a part of the path is a file, not a directory; choose another path',
  EISDIR: 'is a directory where a file was expected; choose another path',
  EEXIST: 'exists and is not a directory; choose another path',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in the path',
  EMFILE: 'too many open files; close some programs and run again',
};

/** A Node file-system error as one line; anything else is returned unchanged. */
export function fsError(e: unknown, file: string, extra = ''): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  const what = ADVICE[code] ?? `${(e as Error).message.split(':')[0]!.toLowerCase()}`;
  return new ToolError('io', `${file}: ${what} (${code})${extra}`);
}

/** Write all of `buf` at the current position (writeSync may write less than asked). */
function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    const n = fs.writeSync(fd, buf, off, buf.length - off);
    if (n <= 0) { const e = new Error('short write') as NodeJS.ErrnoException; e.code = 'EIO'; throw e; }
    off += n;
  }
}

/** Replace `file` by `text` so that a reader sees either the old file or the whole new one. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, 'w');
    writeAll(fd, Buffer.from(text, 'utf8'));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw fsError(e, file);
  }
  // The rename itself is durable once the directory is flushed (not every file system allows it).
  try { const d = fs.openSync(path.dirname(file), 'r'); try { fs.fsyncSync(d); } finally { fs.closeSync(d); } } catch { /* best effort */ }
}

/**
 * Append `text` to the file open (for appending) at `fd`, then (with
 * `flush`) flush it to the disk. On a failed or short write the file is cut
 * back to its size before, so it never holds part of a line; the error
 * names `file`. Written without the flush, the text survives the process
 * being killed (it is in the kernel's page cache), not the machine failing.
 */
export function appendComplete(fd: number, file: string, text: string, flush = true): void {
  const before = fs.fstatSync(fd).size;
  try {
    writeAll(fd, Buffer.from(text, 'utf8'));
    if (flush) fs.fdatasyncSync(fd);
  } catch (e) {
    try { fs.ftruncateSync(fd, before); } catch { /* a torn last line is repaired on resume */ }
    throw fsError(e, file);
  }
}

/**
 * Make sure `dir` is (or can be made) a writable directory, creating the
 * missing levels one at a time. `option` names the option the path came
 * from, for the message.
 */
export function ensureDirectory(dir: string, option: string, create = true): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    let st: fs.Stats | null = null;
    try { st = fs.statSync(at); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new ToolError('io', `${option} ${dir}: ${ADVICE.ENOTDIR}`);
      if (code !== 'ENOENT') throw prefixed(fsError(e, at), option);
    }
    if (st) {
      if (!st.isDirectory()) {
        throw new ToolError('io', at === abs ? `${option} ${dir}: is a file, not a directory; choose another path`
          : `${option} ${dir}: ${at} is a file, not a directory; choose another path`);
      }
      break;
    }
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!create && missing.length) throw new ToolError('io', `${option} ${dir}: no such directory`);
  try { fs.accessSync(at, fs.constants.W_OK); } catch (e) { throw prefixed(fsError(e, at), option); }
  for (const d of missing) {
    try { fs.mkdirSync(d); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && fs.statSync(d).isDirectory()) continue;
      if (code === 'ENOENT') throw new ToolError('io', `${option} ${dir}: cannot create ${d} (the file system does not allow new directories there); choose another path`);
      throw prefixed(fsError(e, d), option);
    }
  }
}

/** Refuse at once a file that cannot be written: a directory, a path under a file, a read-only place. */
export function checkWritableFile(file: string, option: string): void {
  const abs = path.resolve(file);
  let st: fs.Stats | null = null;
  try { st = fs.statSync(abs); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new ToolError('io', `${option} ${file}: ${ADVICE.ENOTDIR}`);
    if (code !== 'ENOENT') throw prefixed(fsError(e, abs), option);
  }
  if (st?.isDirectory()) throw new ToolError('io', `${option} ${file}: is a directory, expected a file; choose a file name`);
  ensureDirectory(path.dirname(abs), option);
  try { fs.accessSync(st ? abs : path.dirname(abs), fs.constants.W_OK); } catch (e) { throw prefixed(fsError(e, abs), option); }
}

function prefixed(e: unknown, option: string): unknown {
  return e instanceof ToolError ? new ToolError(e.code, `${option} ${e.message}`) : e;
}
