/*
 * The simulated side of the file-system differential test: one program,
 * installed in /bin of a booted system, that runs every scenario through the
 * simulation's libc (each in /tmp/fsdiff.<name>, mode 0777, as its working
 * directory) and records what each call returned, as the host side does.
 *
 * The entry points into this file are:
 *   runInSimulation(scenarios)   boot, run the program, return the outcomes
 *   SIM_USER                     the unprivileged user's uid and gid
 *   Outcome                      one call's result and errno name
 */
import { Co } from '../../src/os/kernel/types';
import { Libc } from '../../src/os/libc/libc';
import { errnoName } from '../../src/os/proto/errno';
import {
  F_OK, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, R_OK, S_IFIFO, S_IFMT, S_IFREG,
  Stat, S_ISDIR, S_ISFIFO, S_ISLNK, S_ISREG, W_OK, X_OK,
} from '../../src/os/proto/fs';
import { T } from '../../src/os/workload/test-api';
import { bootWith } from './inline';
import { Id, Scenario, Step } from './fs-scenarios';

export const SIM_USER = { uid: 100, gid: 100 };

/** r: 0 or a count, 'fd', a stat summary, a name list or file text; e: the errno's name on failure. */
export interface Outcome { r: unknown; e: string | null }

const FLAGS: Record<string, number> = { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY };
const ACCESS: Record<NonNullable<Step['how']>, number> = { F_OK, R_OK, W_OK, X_OK };

function ident(v: Id | undefined): number {
  return v === 'user' ? SIM_USER.uid : v === 'root' ? 0 : -1;
}

function kind(mode: number): string {
  if (S_ISREG(mode)) return 'reg';
  if (S_ISDIR(mode)) return 'dir';
  if (S_ISLNK(mode)) return 'lnk';
  if (S_ISFIFO(mode)) return 'fifo';
  return 'other';
}

function statOf(st: Stat): Record<string, unknown> {
  return { kind: kind(st.mode), perm: st.mode & ~S_IFMT, uid: st.uid, gid: st.gid, nlink: st.nlink, size: st.size };
}

/** A number (-1 fails), or a value that is null on failure, as an outcome. */
function status(u: Libc, r: unknown): Outcome {
  if (r === null || r === -1) return { r: -1, e: errnoName(u.errno) };
  return { r, e: null };
}

function* runStep(u: Libc, st: Step, fds: Map<string, number>): Co<Outcome> {
  const p = st.path ?? '';
  const q = st.path2 ?? '';
  const mode = st.mode ?? 0o644;
  switch (st.op) {
    case 'open': {
      let flags = 0;
      for (const f of st.flags ?? []) {
        const bit = FLAGS[f];
        if (bit === undefined) throw new Error(`unknown open flag ${f}`);
        flags |= bit;
      }
      const fd = yield* u.open(p, flags, mode);
      if (fd < 0) return status(u, -1);
      fds.set(st.fd ?? '_', fd);
      return { r: 'fd', e: null };
    }
    case 'close': {
      const fd = fds.get(st.fd!)!;
      fds.delete(st.fd!);
      return status(u, yield* u.close(fd));
    }
    case 'write': return status(u, yield* u.write(fds.get(st.fd!)!, st.data ?? ''));
    case 'writefile': return status(u, yield* u.writeFile(p, st.data ?? '', mode));
    case 'readfile': return status(u, yield* u.readFile(p));
    case 'mkdir': return status(u, yield* u.mkdir(p, st.mode ?? 0o755));
    case 'rmdir': return status(u, yield* u.rmdir(p));
    case 'unlink': return status(u, yield* u.unlink(p));
    case 'link': return status(u, yield* u.link(p, q));
    case 'symlink': return status(u, yield* u.symlink(p, q));
    case 'rename': return status(u, yield* u.rename(p, q));
    case 'mkfifo': return status(u, yield* u.mknod(p, S_IFIFO | mode));
    case 'mknod': return status(u, yield* u.mknod(p, S_IFREG | mode));
    case 'chmod': return status(u, yield* u.chmod(p, mode));
    case 'chown': return status(u, yield* u.chown(p, ident(st.uid), ident(st.gid)));
    case 'truncate': return status(u, yield* u.truncate(p, st.length ?? 0));
    case 'access': return status(u, yield* u.access(p, ACCESS[st.how ?? 'F_OK']));
    case 'stat': case 'lstat': {
      const r = st.op === 'stat' ? yield* u.stat(p) : yield* u.lstat(p);
      return r === null ? status(u, null) : { r: statOf(r), e: null };
    }
    case 'readdir': {
      const r = yield* u.readdir(p);
      if (r === null) return status(u, null);
      return { r: r.map((d) => d.name).filter((x) => x !== '.' && x !== '..').sort(), e: null };
    }
    case 'readlink': return status(u, yield* u.readlink(p));
  }
}

function* runScenario(u: Libc, sc: Scenario, out: Outcome[]): Co<void> {
  const dir = `/tmp/fsdiff.${sc.name}`;
  if ((yield* u.mkdir(dir, 0o777)) < 0 || (yield* u.chmod(dir, 0o777)) < 0 || (yield* u.chdir(dir)) < 0) {
    throw new Error(`cannot make the scenario directory ${dir}: ${errnoName(u.errno)}`);
  }
  const fds = new Map<string, number>();
  let i = 0;
  while (i < sc.steps.length) {
    const step = sc.steps[i]!;
    if (!step.user) {
      out.push(yield* runStep(u, step, fds));
      i++;
      continue;
    }
    let j = i;
    while (j < sc.steps.length && sc.steps[j]!.user) j++;
    const run = sc.steps.slice(i, j);
    // The child's descriptors are its own: it works on a copy of the slots.
    const pid = yield* u.fork(function* (c: Libc): Co<number> {
      if ((yield* c.setgid(SIM_USER.gid)) < 0 || (yield* c.setuid(SIM_USER.uid)) < 0) return 2;
      const cfds = new Map(fds);
      for (const st of run) out.push(yield* runStep(c, st, cfds));
      return 0;
    });
    const [, wstatus] = yield* u.waitpid(pid);
    if (wstatus !== 0) throw new Error(`scenario ${sc.name}: the unprivileged child ended with status ${wstatus}`);
    i = j;
  }
  for (const fd of fds.values()) yield* u.close(fd);
  yield* u.chdir('/');
}

/** Boot a system, run every scenario in it, and return each scenario's outcomes. */
export function runInSimulation(scenarios: Scenario[]): Record<string, Outcome[]> {
  const traces: Record<string, Outcome[]> = {};
  let error: unknown = null;
  const world = bootWith({
    fsdiff: function* (_t: T, u: Libc): Co<void> {
      yield* u.umask(0o022);
      try {
        for (const sc of scenarios) {
          const out: Outcome[] = [];
          traces[sc.name] = out;
          yield* runScenario(u, sc, out);
        }
      } catch (e) { error = e; }
    },
  });
  const [res] = world.runPrograms(['fsdiff']);
  if (error) throw error;
  if (!res) throw new Error('the simulated side did not run');
  if (res.status !== 'pass') throw new Error(`the simulated side did not finish: ${res.failure}`);
  return traces;
}
