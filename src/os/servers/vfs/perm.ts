/*
 * Permission checks with the caller's effective ids (root passes read and
 * write checks, search on directories, and execute when any x bit is set), and the caller's
 * fproc lookup.
 *
 * The entry points into this file are:
 *   permits   does mode/uid/gid grant `want` (R_OK|W_OK|X_OK) to fp?
 *   caller    the fproc of a request's sender
 */
import { panic } from '../../kernel/errors';
import { slotOf } from '../../proto/endpoints';
import { R_OK, S_ISDIR, W_OK, X_OK } from '../../proto/fs';
import { FProc, VfsState } from './state';

export function permits(fp: FProc, mode: number, uid: number, gid: number, want: number, real = false): boolean {
  const u = real ? fp.ruid : fp.euid;
  const g = real ? fp.rgid : fp.egid;
  if (u === 0) {
    // As MFS: root searches any directory, and executes a file with some x bit.
    if (want & X_OK) return (mode & 0o111) !== 0 || S_ISDIR(mode);
    return true;
  }
  let bits: number;
  if (u === uid) bits = (mode >> 6) & 7;
  else if (g === gid) bits = (mode >> 3) & 7;
  else bits = mode & 7;
  if (want & R_OK && !(bits & 4)) return false;
  if (want & W_OK && !(bits & 2)) return false;
  if (want & X_OK && !(bits & 1)) return false;
  return true;
}

export function caller(st: VfsState, ep: number): FProc {
  const fp = st.fproc[slotOf(ep)]!;
  if (!fp.inUse || fp.endpoint !== ep) panic('vfs', `request from unknown endpoint ${ep}`);
  return fp;
}
