/*
 * One writer per results directory: a lock file holding the writer's pid,
 * created exclusively. A second writer is refused with one line while the
 * holder lives; a lock left by a process that is gone (killed, crashed) is
 * taken over.
 *
 * The entry points into this file are:
 *   lockDirectory   take the lock of a directory; returns its release
 *   lockHolder      the live process holding a directory's lock, or null
 *   LOCK            the lock file's name
 */
import fs from 'node:fs';
import path from 'node:path';
import { ToolError } from '../tool-error';
import { fsError } from './durable-file';

export const LOCK = '.lock';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch { return null; }
}

/** The pid of the live process holding `dir`'s lock, or null (no lock, or a stale one). */
export function lockHolder(dir: string): number | null {
  const pid = holder(path.join(dir, LOCK));
  return pid !== null && pid !== process.pid && alive(pid) ? pid : null;
}

/** Take `dir`'s lock (the directory must exist). Returns the function that releases it. */
export function lockDirectory(dir: string): () => void {
  const file = path.join(dir, LOCK);
  // The lock is written under a private name, then linked into place: it appears with its pid in it.
  const mine = path.join(dir, `${LOCK}.${process.pid}`);
  try { fs.writeFileSync(mine, `${process.pid}\n`); } catch (e) { throw fsError(e, mine); }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try { fs.linkSync(mine, file); } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(e, file);
        const pid = holder(file);
        if (pid !== null && alive(pid)) {
          throw new ToolError('busy', `${dir} is in use by another osiris-fi (pid ${pid}); wait for it to finish, or stop it first`);
        }
        // The holder is gone (killed, crashed): take the lock over.
        try { fs.unlinkSync(file); } catch (u) { if ((u as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(u, file); }
        continue;
      }
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        // Only our own lock: never remove one another process took over.
        if (holder(file) === process.pid) try { fs.unlinkSync(file); } catch { /* gone already */ }
      };
    }
  } finally {
    try { fs.unlinkSync(mine); } catch { /* not created */ }
  }
  throw new ToolError('busy', `${dir}: another osiris-fi keeps taking its lock; try again`);
}
