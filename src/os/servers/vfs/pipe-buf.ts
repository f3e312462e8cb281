/*
 * Pipe buffers: a fixed ring per pipe or FIFO in the data section.
 *
 * The entry points into this file are:
 *   allocPipe / releasePipe   take and give back a buffer slot
 *   pipePut                   append bytes to the ring (bulk copy in)
 *   pipePeek / pipeDrop       copy bytes out of the front, then consume them
 */
import { panic } from '../../kernel/errors';
import { PIPE_SIZE } from '../../proto/fs';
import { NR_PIPES, VfsState } from './state';

export function allocPipe(st: VfsState): number {
  for (let i = 0; i < NR_PIPES; i++) {
    const p = st.pipe[i]!;
    if (!p.inUse) { p.inUse = true; p.start = 0; p.len = 0; return i; }
  }
  return -1;
}

export function releasePipe(st: VfsState, pi: number): void {
  const p = st.pipe[pi]!;
  if (!p.inUse) panic('vfs', `release of free pipe ${pi}`);
  p.inUse = false;
  p.start = 0;
  p.len = 0;
}

/** Append bytes (the caller checked there is room). */
export function pipePut(st: VfsState, pi: number, bytes: Uint8Array): void {
  const p = st.pipe[pi]!;
  if (!p.inUse) panic('vfs', `write into free pipe ${pi}`);
  if (p.len + bytes.length > PIPE_SIZE) panic('vfs', `pipe ${pi} overflow`);
  for (let i = 0; i < bytes.length; i++) p.data[(p.start + p.len + i) % PIPE_SIZE] = bytes[i]!;
  p.len += bytes.length;
}

/** A copy of up to n bytes from the front, left in the ring. */
export function pipePeek(st: VfsState, pi: number, n: number): Uint8Array {
  const p = st.pipe[pi]!;
  if (!p.inUse) panic('vfs', `read from free pipe ${pi}`);
  const k = Math.min(n, p.len);
  const out = new Uint8Array(k);
  for (let i = 0; i < k; i++) out[i] = p.data[(p.start + i) % PIPE_SIZE]!;
  return out;
}

/** Consume k bytes from the front (after they were copied out). */
export function pipeDrop(st: VfsState, pi: number, k: number): void {
  const p = st.pipe[pi]!;
  if (k < 0 || k > p.len) panic('vfs', `pipe ${pi}: dropping ${k} of ${p.len} bytes`);
  p.start = (p.start + k) % PIPE_SIZE;
  p.len -= k;
}
