/*
 * init: the first user process. It waits for the harness's command, then
 * runs each named program as a child (fork + exec + wait) and reports its
 * exit status; orphans reparented to init are reaped between programs.
 *
 * The entry points into this file are:
 *   initMain     init's program
 *   RunCommand   the harness's command: the programs to run and where to report
 */
import { Co } from '../kernel/types';
import { harnessWait } from '../kernel/ipc-api';
import { Libc } from '../libc/libc';
import { WNOHANG } from '../proto/signals';

export interface RunCommand { programs: string[]; onStart(name: string): void; onEnd(name: string, status: number, error: number): void }

export function* initMain(u: Libc): Co<number> {
  while (true) {
    const cmd: RunCommand = yield harnessWait();
    for (const name of cmd.programs) {
      cmd.onStart(name);
      const pid = yield* u.fork(function* (c: Libc): Co<number> {
        yield* c.exec(`/bin/${name}`, [name]);
        return 127;
      });
      if (pid < 0) { cmd.onEnd(name, -1, u.errno); continue; }
      const [w, status] = yield* u.waitpid(pid, 0);
      cmd.onEnd(name, w === pid ? status : -1, w === pid ? 0 : u.errno);
      while ((yield* u.waitpid(-1, WNOHANG))[0] > 0) { /* reap orphans */ }
    }
  }
}
