/*
 * exec(): VFS checks and reads the program file (and closes close-on-exec
 * descriptors), VM builds a fresh address space, the kernel loads the
 * program. Caught signals revert to their default action.
 *
 * The entry points into this file are:
 *   do_exec   PM_EXEC: replace the caller's program; no reply on success
 */
import { sendrec } from '../../kernel/ipc-api';
import { Co } from '../../kernel/types';
import { VFS, VM } from '../../proto/endpoints';
import { E2BIG, ENAMETOOLONG, ENOENT, ENOEXEC } from '../../proto/errno';
import { VFS_PM_EXEC, VM_EXEC_NEWMEM, VFS_PM_SETGID, VFS_PM_SETUID } from '../../proto/calls';
import { NSIG, SIGKILL, SIG_DFL, SIG_FIRST_HANDLER } from '../../proto/signals';
import { PATH_MAX } from '../../proto/fs';
import { ServerCtx } from '../../sef/server';
import { PmState } from './state';
import { callerSlot } from './utility';
import { exitProc } from './forkexit';
import type { Received, Reply, Req } from '../../proto/messages';
import type * as C from '../../proto/calls';

type Ctx = ServerCtx<PmState>;

const ARG_MAX = 4096;

function knownProgram(st: PmState, name: string): boolean {
  for (let i = 0; i < st.programs.length; i++) if (st.programs[i] === name) return true;
  return false;
}

export function* do_exec(ctx: Ctx, m: Req<typeof C.PM_EXEC>): Co<Reply<typeof C.PM_EXEC> | null> {
  const st = ctx.st;
  const slot = callerSlot(st, m.source);
  const rmp = st.mproc[slot]!;
  const path = String(m.path ?? '');
  const argv = String(m.argv ?? '');
  // POSIX: an empty path names no file.
  if (path.length === 0) return { type: -ENOENT };
  if (path.length > PATH_MAX) return { type: -ENAMETOOLONG };
  if (argv.length > ARG_MAX) return { type: -E2BIG };
  const v: Received<typeof C.VFS_PM_EXEC> = yield sendrec(VFS, { type: VFS_PM_EXEC, endpoint: m.source, path, uid: rmp.euid, gid: rmp.egid });
  if (v.type < 0) return { type: v.type };
  // The header must name an installed program: like a bad a.out header, that is ENOEXEC, not a death.
  if (!knownProgram(st, String(v.program))) return { type: -ENOEXEC };
  // Past this point the old image is gone: a failure kills the process.
  const r: Received<typeof C.VM_EXEC_NEWMEM> = yield sendrec(VM, { type: VM_EXEC_NEWMEM, endpoint: m.source });
  if (r.type < 0) { yield* exitProc(ctx, slot, 0, SIGKILL); return null; }
  for (let sig = 1; sig < NSIG; sig++) {
    if (rmp.sigHandler[sig]! >= SIG_FIRST_HANDLER) {
      rmp.sigHandler[sig] = SIG_DFL;
      rmp.sigActMask[sig] = 0;
      rmp.sigActFlags[sig] = 0;
    }
  }
  if (v.setuid) {
    rmp.euid = v.fileUid;
    const u: Received<typeof C.VFS_PM_SETUID> = yield sendrec(VFS, { type: VFS_PM_SETUID, endpoint: m.source, ruid: rmp.ruid, euid: rmp.euid });
    void u;
  }
  if (v.setgid) {
    rmp.egid = v.fileGid;
    const g: Received<typeof C.VFS_PM_SETGID> = yield sendrec(VFS, { type: VFS_PM_SETGID, endpoint: m.source, rgid: rmp.rgid, egid: rmp.egid });
    void g;
  }
  // POSIX: the saved ids are copied from the effective ids on every exec.
  rmp.suid = rmp.euid;
  rmp.sgid = rmp.egid;
  rmp.name = String(v.program);
  st.stats.execs++;
  const k = ctx.sys.exec(m.source, rmp.name, argv.length ? argv.split('\0') : []);
  if (k < 0) { yield* exitProc(ctx, slot, 0, SIGKILL); return null; }
  return null;
}
