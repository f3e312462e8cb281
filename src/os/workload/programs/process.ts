/*
 * Test programs: processes (MINIX test suite topics: fork/wait, waitpid,
 * zombies, orphans, exec, ids, process groups, uid/gid, priorities, fork
 * limit, memory isolation after fork, kill permission and existence).
 * A forked child checks with its own `T` (errno is per process).
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { EACCES, EAGAIN, ECHILD, EINTR, EINVAL, ENOENT, ENOEXEC, ENOTDIR, EPERM, ESRCH } from '../../proto/errno';
import {
  SIGKILL, SIGTERM, SIGUSR1, SIGUSR2, SIG_BLOCK, SIG_SETMASK, WCOREFLAG, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WNOHANG,
  WTERMSIG, sigbit,
} from '../../proto/signals';
import { O_WRONLY, S_ISUID } from '../../proto/fs';
import { Checker, T, TestProgram, test } from '../test-api';

/** Wait for `pid` and check that it exited with `code`. */
function* reapExit(t: Checker, u: Libc, pid: number, code: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFEXITED(status), `${what}: exited normally (status ${status})`);
  t.eq(WEXITSTATUS(status), code, `${what}: exit status`);
}

/** Wait for `pid` and check that it was killed by `sig`. */
function* reapSignaled(t: Checker, u: Libc, pid: number, sig: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFSIGNALED(status), `${what}: killed by a signal (status ${status})`);
  t.eq(WTERMSIG(status), sig, `${what}: terminating signal`);
}

/** A child that sleeps in pause() until a signal ends it. */
function* pauser(c: Libc): Co<number> {
  for (let i = 0; i < 4; i++) yield* c.pause();
  return 99;
}

export const processTests: TestProgram[] = [
  test('proc_fork_wait', 'process', function* (t: T, u: Libc): Co<void> {
    const codes = [0, 1, 42, 255];
    for (const code of codes) {
      const pid = t.okCall(yield* u.fork(function* (): Co<number> { return code; }), `fork (exit ${code})`);
      t.ok(pid > 1, 'fork returns a user pid to the parent');
      yield* reapExit(t, u, pid, code, `child exiting ${code}`);
    }
    // Only the low 8 bits of the exit status reach the parent.
    const big = t.okCall(yield* u.fork(function* (): Co<number> { return 256 + 3; }), 'fork (exit 259)');
    yield* reapExit(t, u, big, 3, 'exit status is truncated to 8 bits');
    // A signal death: WIFSIGNALED, not WIFEXITED.
    const victim = t.okCall(yield* u.fork(pauser), 'fork a victim');
    t.eq(yield* u.kill(victim, SIGKILL), 0, 'kill SIGKILL');
    const [w, status] = yield* u.wait();
    t.eq(w, victim, 'wait() reaps the killed child');
    t.ok(!WIFEXITED(status), 'a killed child did not exit');
    t.ok(WIFSIGNALED(status), 'a killed child is WIFSIGNALED');
    t.eq(WTERMSIG(status), SIGKILL, 'WTERMSIG is SIGKILL');
    t.eq(status & WCOREFLAG, 0, 'SIGKILL does not dump core');
    const [w2] = yield* u.wait();
    t.err(w2, ECHILD, 'wait() with no children fails with ECHILD');
    const [w3] = yield* u.waitpid(-1, WNOHANG);
    t.err(w3, ECHILD, 'waitpid WNOHANG with no children fails with ECHILD');
  }),

  test('proc_waitpid', 'process', function* (t: T, u: Libc): Co<void> {
    const pids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const code = 10 + i;
      pids.push(t.okCall(yield* u.fork(function* (): Co<number> { return code; }), `fork child ${i}`));
    }
    for (let i = 0; i < pids.length; i++) {
      for (let j = 0; j < i; j++) t.ok(pids[i] !== pids[j], 'children have distinct pids');
    }
    // By pid, in reverse creation order.
    for (let i = 5; i >= 3; i--) yield* reapExit(t, u, pids[i]!, 10 + i, `waitpid(child ${i})`);
    const [again] = yield* u.waitpid(pids[5]!);
    t.err(again, ECHILD, 'waitpid on a reaped child fails with ECHILD');
    // Any child: each of the three remaining exactly once.
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [w, status] = yield* u.waitpid(-1);
      const idx = pids.indexOf(w);
      t.ok(idx >= 0 && idx < 3, `waitpid(-1) returns one of the remaining children (${w})`);
      t.ok(seen.indexOf(w) < 0, 'each child is reaped once');
      t.eq(WEXITSTATUS(status), 10 + idx, 'waitpid(-1) status belongs to that child');
      seen.push(w);
    }
    // WNOHANG with a live child returns 0.
    const live = t.okCall(yield* u.fork(pauser), 'fork a pausing child');
    const [nh, nhs] = yield* u.waitpid(live, WNOHANG);
    t.eq(nh, 0, 'WNOHANG on a live child returns 0');
    t.eq(nhs, 0, 'and no status');
    const [nh2] = yield* u.waitpid(-1, WNOHANG);
    t.eq(nh2, 0, 'WNOHANG(-1) with only a live child returns 0');
    const [bad] = yield* u.waitpid(live, 0x40);
    t.err(bad, EINVAL, 'waitpid with unknown options fails with EINVAL');
    const [nc] = yield* u.waitpid(1);
    t.err(nc, ECHILD, 'waitpid(init) fails with ECHILD (not our child)');
    t.eq(yield* u.kill(live, SIGTERM), 0, 'kill the pausing child');
    yield* reapSignaled(t, u, live, SIGTERM, 'pausing child');
    const [none] = yield* u.waitpid(-1);
    t.err(none, ECHILD, 'all children reaped: ECHILD');
  }),

  test('proc_waitpid_pgrp', 'process', function* (t: T, u: Libc): Co<void> {
    // Child a in a group of its own; child b in ours. waitpid(-pgid) and waitpid(0) select by group.
    const mask = yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGUSR1));
    t.hk.ok(mask >= 0, 'block SIGUSR1');
    t.hk.eq(yield* u.signal(SIGUSR1, function* () { /* wake up */ }), 0, 'catch SIGUSR1');
    const a = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.sigsuspend(0);
      return 21;
    }), 'fork a');
    t.eq(yield* u.setpgid(a, a), 0, 'parent puts a in its own group');
    const b = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.sigsuspend(0);
      return 22;
    }), 'fork b');
    const mine = yield* u.getpgrp();
    t.ok(mine > 0 && mine !== a, 'our group differs from a\'s');
    t.eq(yield* u.kill(-a, 0), 0, 'a\'s group exists');
    const [n0] = yield* u.waitpid(-a, WNOHANG);
    t.eq(n0, 0, 'WNOHANG on a live group returns 0');
    const [n1] = yield* u.waitpid(0, WNOHANG);
    t.eq(n1, 0, 'WNOHANG on our live group returns 0');
    t.eq(yield* u.kill(a, SIGUSR1), 0, 'wake a');
    t.eq(yield* u.kill(b, SIGUSR1), 0, 'wake b');
    const [w0, s0] = yield* u.waitpid(0);
    t.eq(w0, b, 'waitpid(0) takes the child in our group');
    t.eq(WEXITSTATUS(s0), 22, 'b exit status');
    const [w1] = yield* u.waitpid(0, WNOHANG);
    t.err(w1, ECHILD, 'no more children in our group');
    const [wx] = yield* u.waitpid(-(a + 1000), WNOHANG);
    t.err(wx, ECHILD, 'waitpid on a group without our children fails with ECHILD');
    const [wa, sa] = yield* u.waitpid(-a);
    t.eq(wa, a, 'waitpid(-pgid) takes the child in that group');
    t.eq(WEXITSTATUS(sa), 21, 'a exit status');
    t.hk.eq(yield* u.signal(SIGUSR1, 0), 0, 'restore SIGUSR1');
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, mask), sigbit(SIGUSR1), 'restore the mask');
    const [none] = yield* u.wait();
    t.err(none, ECHILD, 'nothing left');
  }),

  test('proc_zombie', 'process', function* (t: T, u: Libc): Co<void> {
    const z1 = t.okCall(yield* u.fork(function* (): Co<number> { return 5; }), 'fork z1');
    const z2 = t.okCall(yield* u.fork(function* (): Co<number> { return 6; }), 'fork z2');
    // Let them exit without waiting: they become zombies.
    for (let i = 0; i < 4; i++) yield* u.compute(200_000);
    t.eq(yield* u.kill(z1, 0), 0, 'a zombie still exists for kill(pid, 0)');
    t.eq(yield* u.kill(z2, SIGTERM), 0, 'signalling a zombie succeeds and has no effect');
    const others: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = t.okCall(yield* u.fork(function* (): Co<number> { return 0; }), 'fork while zombies exist');
      t.ok(p !== z1 && p !== z2, 'a zombie\'s pid is not reused');
      others.push(p);
    }
    const [w2, s2] = yield* u.waitpid(z2, WNOHANG);
    t.eq(w2, z2, 'WNOHANG reaps an existing zombie');
    t.ok(WIFEXITED(s2), 'zombie z2 exited (the late SIGTERM had no effect)');
    t.eq(WEXITSTATUS(s2), 6, 'zombie keeps its exit status');
    t.err(yield* u.kill(z2, 0), ESRCH, 'a reaped zombie is gone');
    yield* reapExit(t, u, z1, 5, 'zombie z1 reaped late');
    for (const p of others) yield* reapExit(t, u, p, 0, 'later child');
    const [none] = yield* u.wait();
    t.err(none, ECHILD, 'nothing left');
  }),

  test('proc_orphan', 'process', function* (t: T, u: Libc): Co<void> {
    // A grandchild waits for its parent to die, then reports its ppid to us by signal.
    const me = yield* u.getpid();
    let got = 0;
    const old = yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGUSR1) | sigbit(SIGUSR2));
    t.hk.ok(old >= 0, 'block SIGUSR1 and SIGUSR2');
    t.hk.eq(yield* u.signal(SIGUSR1, function* (_c, sig) { got = sig; }), 0, 'catch SIGUSR1');
    t.hk.eq(yield* u.signal(SIGUSR2, function* (_c, sig) { got = sig; }), 0, 'catch SIGUSR2');
    const child = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      const cpid = yield* c.getpid();
      const g = yield* c.fork(function* (gc: Libc): Co<number> {
        const gt = new T(gc);
        const gpid = yield* gc.getpid();
        const gpg = yield* gc.getpgrp();
        let ppid = yield* gc.getppid();
        gt.ok(ppid === cpid || ppid === 1, 'the grandchild\'s parent is the child, or init once it died');
        for (let i = 0; i < 50 && ppid !== 1; i++) {
          yield* gc.compute(100_000);
          ppid = yield* gc.getppid();
        }
        gt.eq(ppid, 1, 'the orphan was reparented to init');
        gt.eq(yield* gc.getpid(), gpid, 'reparenting keeps the pid');
        gt.eq(yield* gc.getpgrp(), gpg, 'and the process group');
        gt.err(yield* gc.kill(cpid, 0), ESRCH, 'the dead parent is gone (reaped)');
        const [w] = yield* gc.waitpid(-1, WNOHANG);
        gt.err(w, ECHILD, 'the orphan has no children');
        yield* gc.kill(me, ppid === 1 ? SIGUSR1 : SIGUSR2);
        return 0;
      });
      ct.ok(g > 0, 'child forks the grandchild');
      ct.eq(yield* c.getppid(), me, 'child\'s parent is the test');
      ct.ok(cpid !== g, 'grandchild has its own pid');
      return g > 0 ? 0 : 1;
    }), 'fork child');
    const [w, status] = yield* u.waitpid(child);
    t.eq(w, child, 'reap the child');
    t.eq(status, 0, 'child exited 0');
    yield* u.sigsuspend(0);
    t.eq(u.errno, EINTR, 'woken by the grandchild');
    t.eq(got, SIGUSR1, 'the orphaned grandchild saw getppid() == 1');
    // The grandchild is init's now, not ours.
    const [n] = yield* u.waitpid(-1, WNOHANG);
    t.err(n, ECHILD, 'an orphan is not our child');
    t.err(yield* u.kill(child, 0), ESRCH, 'the reaped child is gone');
    t.eq(yield* u.getppid(), 1, 'our own parent is still init');
    t.hk.eq(yield* u.signal(SIGUSR1, 0), 0, 'restore SIGUSR1');
    t.hk.eq(yield* u.signal(SIGUSR2, 0), 0, 'restore SIGUSR2');
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, old), sigbit(SIGUSR1) | sigbit(SIGUSR2), 'restore the mask');
  }),

  test('proc_exec', 'process', function* (t: T, u: Libc): Co<void> {
    const base = '/tmp/proc_exec';
    t.eq(yield* u.mkdir(base, 0o755), 0, 'mkdir');
    t.ok((yield* u.writeFile(`${base}/noexec`, '#!osiris smoke_fork\n', 0o644)) > 0, 'create a non-executable program file');
    t.ok((yield* u.writeFile(`${base}/nohdr`, 'just text\n', 0o755)) > 0, 'create an executable without the header');
    t.ok((yield* u.writeFile(`${base}/prog`, '#!osiris smoke_fork\n', 0o755)) > 0, 'create an executable program file');
    t.ok((yield* u.writeFile(`${base}/unknown`, '#!osiris no_such_program\n', 0o755)) > 0, 'create a file naming no program');
    const cases: [string, number, string][] = [
      [`${base}/missing`, ENOENT, 'a missing file'],
      [`${base}/nodir/x`, ENOENT, 'a missing directory'],
      [`${base}/prog/x`, ENOTDIR, 'a path through a file'],
      [base, EACCES, 'a directory'],
      [`${base}/noexec`, EACCES, 'a file without execute bits'],
      [`${base}/nohdr`, ENOEXEC, 'a file without the header'],
      [`${base}/unknown`, ENOEXEC, 'a header naming no installed program'],
      ['', ENOENT, 'the empty path'],
    ];
    const child = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      const pid = yield* c.getpid();
      for (const [path, errno, what] of cases) ct.err(yield* c.exec(path, [path]), errno, `exec of ${what}`);
      ct.eq(yield* c.getpid(), pid, 'a failed exec leaves the process as it was');
      return 3;
    }), 'fork the failing child');
    yield* reapExit(t, u, child, 3, 'child whose execs failed');
    const ok = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.exec('/bin/smoke_fork', ['smoke_fork']);
      return 100 + c.errno;
    }), 'fork the exec child');
    yield* reapExit(t, u, ok, 0, 'exec of /bin/smoke_fork');
    const ok2 = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.exec(`${base}/prog`, ['prog']);
      return 100 + c.errno;
    }), 'fork the second exec child');
    yield* reapExit(t, u, ok2, 0, 'exec of a program file we wrote');
    for (const f of ['noexec', 'nohdr', 'prog', 'unknown']) t.hk.eq(yield* u.unlink(`${base}/${f}`), 0, `unlink ${f}`);
    t.hk.eq(yield* u.rmdir(base), 0, 'rmdir');
  }),

  test('proc_ids', 'process', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    const parent = yield* u.getppid();
    t.ok(me > 1, 'getpid is a user pid');
    t.eq(parent, 1, 'a test program is a child of init');
    t.eq(yield* u.getpid(), me, 'getpid is stable');
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
        const ct = new T(c);
        const mine = yield* c.getpid();
        ct.ok(mine !== me, 'child pid differs from the parent\'s');
        ct.eq(yield* c.getppid(), me, 'child\'s ppid is the parent\'s pid');
        const g = yield* c.fork(function* (gc: Libc): Co<number> {
          return (yield* gc.getppid()) === mine ? 0 : 1;
        });
        ct.ok(g > 0 && g !== mine, 'grandchild pid');
        const [w, s] = yield* c.waitpid(g);
        ct.eq(w, g, 'child reaps the grandchild');
        ct.eq(s, 0, 'grandchild saw the child as its parent');
        return mine & 0x7f;
      }), `fork child ${i}`);
      t.ok(pids.indexOf(pid) < 0 && pid !== me, 'fork returns a fresh pid');
      pids.push(pid);
    }
    // The child reports (part of) its own getpid(): it must equal what fork returned.
    for (const pid of pids) yield* reapExit(t, u, pid, pid & 0x7f, 'child getpid matches fork\'s return');
    t.eq(yield* u.getppid(), parent, 'getppid is stable');
  }),

  test('proc_pgrp', 'process', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    const pg = yield* u.getpgrp();
    t.ok(pg > 0, 'getpgrp');
    t.err(yield* u.setpgid(-1, 0), EINVAL, 'setpgid with a negative pid');
    t.err(yield* u.setpgid(0, -1), EINVAL, 'setpgid with a negative pgid');
    t.err(yield* u.setpgid(29999, 0), ESRCH, 'setpgid of a nonexistent process');
    t.err(yield* u.setpgid(1, 1), ESRCH, 'setpgid of a process that is not our child');
    // Session leader child: setsid, then EPERM for setsid/setpgid.
    const s = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      const pid = yield* c.getpid();
      ct.eq(yield* c.setsid(), pid, 'setsid returns the new session id');
      ct.eq(yield* c.getpgrp(), pid, 'a session leader leads its group');
      ct.err(yield* c.setsid(), EPERM, 'setsid as a group leader');
      ct.err(yield* c.setpgid(0, 0), EPERM, 'setpgid of a session leader');
      ct.err(yield* c.setpgid(0, pg), EPERM, 'joining a group in another session');
      return 0;
    }), 'fork the session child');
    yield* reapExit(t, u, s, 0, 'session child');
    // Group leader child: setpgid(0, 0) then setsid fails.
    const g = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      const pid = yield* c.getpid();
      ct.eq(yield* c.setpgid(0, 0), 0, 'setpgid(0, 0)');
      ct.eq(yield* c.getpgrp(), pid, 'now leads its own group');
      ct.err(yield* c.setsid(), EPERM, 'setsid as a group leader');
      ct.eq(yield* c.setpgid(0, pg), 0, 'back to the parent\'s group (same session)');
      ct.eq(yield* c.getpgrp(), pg, 'in the parent\'s group again');
      ct.err(yield* c.setpgid(0, 29998), EPERM, 'joining a nonexistent group');
      return 0;
    }), 'fork the group child');
    yield* reapExit(t, u, g, 0, 'group child');
    // The parent moves a child into a new group.
    const m = t.okCall(yield* u.fork(pauser), 'fork a pausing child');
    t.eq(yield* u.setpgid(m, m), 0, 'parent makes the child a group leader');
    t.eq(yield* u.kill(-m, 0), 0, 'the new group exists');
    t.eq(yield* u.setpgid(m, pg), 0, 'and moves it back');
    t.err(yield* u.kill(-m, 0), ESRCH, 'the group is gone');
    t.hk.eq(yield* u.kill(m, SIGKILL), 0, 'kill the child');
    yield* reapSignaled(t.hk, u, m, SIGKILL, 'pausing child');
    t.eq(yield* u.getpgrp(), pg, 'our own group did not change');
    t.ok(pg !== me, 'a test program does not lead its group');
  }),

  test('proc_uid', 'process', function* (t: T, u: Libc): Co<void> {
    t.eq(yield* u.getuid(), 0, 'tests run as root');
    t.eq(yield* u.geteuid(), 0, 'euid root');
    t.eq(yield* u.getgid(), 0, 'gid 0');
    t.eq(yield* u.getegid(), 0, 'egid 0');
    const path = '/tmp/proc_uid.f';
    // setuid as root sets both ids, for good.
    const a = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.eq(yield* c.setgid(50), 0, 'root setgid(50)');
      ct.eq(yield* c.getgid(), 50, 'rgid 50');
      ct.eq(yield* c.getegid(), 50, 'egid 50');
      ct.eq(yield* c.setuid(100), 0, 'root setuid(100)');
      ct.eq(yield* c.getuid(), 100, 'ruid 100');
      ct.eq(yield* c.geteuid(), 100, 'euid 100');
      ct.err(yield* c.setuid(0), EPERM, 'setuid back to root');
      ct.err(yield* c.seteuid(0), EPERM, 'seteuid back to root');
      ct.err(yield* c.setgid(0), EPERM, 'setgid to another group');
      ct.err(yield* c.setegid(0), EPERM, 'setegid to another group');
      ct.eq(yield* c.setuid(100), 0, 'setuid to the own uid');
      ct.eq(yield* c.setgid(50), 0, 'setgid to the own gid');
      ct.err(yield* c.setuid(-1), EINVAL, 'setuid(-1)');
      ct.err(yield* c.kill(1, 0), EPERM, 'kill(init) as non-root');
      ct.err(yield* c.kill(1, SIGTERM), EPERM, 'kill(init, SIGTERM) as non-root');
      // Files created now belong to the new ids (VFS was told).
      ct.ok((yield* c.writeFile(path, 'x', 0o644)) === 1, 'create a file as uid 100');
      const st = yield* c.stat(path);
      ct.ok(st !== null && st.uid === 100 && st.gid === 50, 'the file belongs to 100:50');
      const g = yield* c.fork(function* (gc: Libc): Co<number> {
        return (yield* gc.getuid()) === 100 && (yield* gc.getegid()) === 50 ? 0 : 1;
      });
      const [w, s] = yield* c.waitpid(g);
      ct.ok(w === g && s === 0, 'ids are inherited by fork');
      return 0;
    }), 'fork the setuid child');
    yield* reapExit(t, u, a, 0, 'setuid child');
    // seteuid as root keeps the real uid, so it can switch back and forth.
    const b = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.eq(yield* c.seteuid(200), 0, 'seteuid(200)');
      ct.eq(yield* c.getuid(), 0, 'ruid stays 0');
      ct.eq(yield* c.geteuid(), 200, 'euid 200');
      ct.err(yield* c.open(path, O_WRONLY), EACCES, 'euid 200 may not write uid 100\'s 0644 file');
      ct.err(yield* c.setgid(7), EPERM, 'setgid(7) with euid 200');
      ct.eq(yield* c.seteuid(0), 0, 'seteuid back to the real uid');
      ct.eq(yield* c.geteuid(), 0, 'euid 0 again');
      ct.eq(yield* c.setegid(9), 0, 'root setegid(9)');
      ct.eq(yield* c.getgid(), 0, 'rgid stays 0');
      ct.eq(yield* c.getegid(), 9, 'egid 9');
      return 0;
    }), 'fork the seteuid child');
    yield* reapExit(t, u, b, 0, 'seteuid child');
    t.hk.eq(yield* u.unlink(path), 0, 'root removes the file');
    t.eq(yield* u.getuid(), 0, 'our own uid did not change');
  }),

  test('proc_saved_ids', 'process', function* (t: T, u: Libc): Co<void> {
    // Run as a test, this program sets itself up as a set-user-ID file owned by
    // 700 and execs it as uid 300; the exec'd copy checks the saved set-user-ID.
    const ruid = yield* u.getuid();
    const euid = yield* u.geteuid();
    const path = '/tmp/proc_saved_ids.prog';
    if (ruid === euid) {
      t.eq(ruid, 0, 'the test starts as root');
      t.ok((yield* u.writeFile(path, '#!osiris proc_saved_ids\n', 0o755)) > 0, 'create the program file');
      t.eq(yield* u.chown(path, 700, 70), 0, 'chown it to 700');
      t.eq(yield* u.chmod(path, S_ISUID | 0o755), 0, 'make it set-user-ID');
      const st = yield* u.stat(path);
      t.ok(st !== null && (st.mode & S_ISUID) !== 0 && st.uid === 700, 'the file is set-user-ID 700');
      const child = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
        const ct = new T(c);
        ct.eq(yield* c.setgid(30), 0, 'setgid(30)');
        ct.eq(yield* c.setuid(300), 0, 'setuid(300)');
        yield* c.exec(path, ['proc_saved_ids']);
        return 100 + c.errno;
      }), 'fork the exec child');
      yield* reapExit(t, u, child, 0, 'the set-user-ID copy');
      t.hk.eq(yield* u.unlink(path), 0, 'unlink the program file');
      t.hk.eq(yield* u.unlink(`${path}.made`), 0, 'unlink the file the copy made');
      return;
    }
    // The exec'd copy: real uid 300, effective (and saved) uid 700.
    t.eq(ruid, 300, 'exec keeps the real uid');
    t.eq(euid, 700, 'the effective uid is the file owner');
    t.eq(yield* u.getgid(), 30, 'the real gid is kept');
    t.ok((yield* u.writeFile(`${path}.made`, 'x', 0o644)) === 1, 'create a file');
    const st = yield* u.stat(`${path}.made`);
    t.ok(st !== null && st.uid === 700, 'it belongs to the effective uid');
    t.eq(yield* u.seteuid(300), 0, 'seteuid to the real uid');
    t.eq(yield* u.geteuid(), 300, 'euid 300');
    t.err(yield* u.unlink(`${path}.made`), EPERM, 'uid 300 may not remove 700\'s file from sticky /tmp');
    t.eq(yield* u.seteuid(700), 0, 'seteuid back to the saved set-user-ID');
    t.eq(yield* u.geteuid(), 700, 'euid 700 again');
    t.err(yield* u.seteuid(0), EPERM, 'but not to root');
    t.err(yield* u.seteuid(800), EPERM, 'nor to a stranger');
    t.err(yield* u.setuid(0), EPERM, 'setuid(0) is refused');
    t.eq(yield* u.setuid(300), 0, 'setuid to the real uid (not root: only the euid changes)');
    t.eq(yield* u.getuid(), 300, 'ruid 300');
    t.eq(yield* u.geteuid(), 300, 'euid 300');
    t.eq(yield* u.setuid(700), 0, 'setuid to the saved set-user-ID');
    t.eq(yield* u.geteuid(), 700, 'euid 700');
    const g = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.eq(yield* c.seteuid(300), 0, 'the child switches to the real uid');
      ct.eq(yield* c.seteuid(700), 0, 'and back: fork keeps the saved id');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, g, 0, 'saved-id child');
    t.err(yield* u.kill(1, 0), EPERM, 'still not allowed to signal init');
  }),

  test('proc_prio', 'process', function* (t: T, u: Libc): Co<void> {
    // getpriority() returns nice + 20 (MINIX's PM convention: never negative).
    t.eq(yield* u.getpriority(), 20, 'default nice 0');
    const a = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.eq(yield* c.setpriority(-5), 0, 'root lowers its nice value');
      ct.eq(yield* c.getpriority(), 15, 'nice -5');
      ct.eq(yield* c.setpriority(5), 0, 'root raises it');
      ct.eq(yield* c.getpriority(), 25, 'nice 5');
      ct.err(yield* c.setpriority(21), EINVAL, 'nice above the range');
      ct.err(yield* c.setpriority(-21), EINVAL, 'nice below the range');
      ct.eq(yield* c.getpriority(), 25, 'failed calls change nothing');
      const g = yield* c.fork(function* (gc: Libc): Co<number> { return yield* gc.getpriority(); });
      const [, s] = yield* c.waitpid(g);
      ct.eq(WEXITSTATUS(s), 25, 'the nice value is inherited by fork');
      ct.eq(yield* c.setuid(300), 0, 'become uid 300');
      ct.eq(yield* c.setpriority(10), 0, 'a user may raise its nice value');
      ct.eq(yield* c.getpriority(), 30, 'nice 10');
      ct.err(yield* c.setpriority(9), EACCES, 'a user may not lower it');
      ct.err(yield* c.setpriority(-20), EACCES, 'nor go negative');
      ct.eq(yield* c.setpriority(10), 0, 'setting the same value is fine');
      ct.eq(yield* c.setpriority(20), 0, 'up to the maximum');
      ct.eq(yield* c.getpriority(), 40, 'nice 20');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, a, 0, 'priority child');
    t.eq(yield* u.getpriority(), 20, 'the parent\'s nice value did not change');
  }),

  test('proc_fork_limit', 'process', function* (t: T, u: Libc): Co<void> {
    const c0 = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      const kids: number[] = [];
      // As an ordinary user (euid 600) until the process table is full for users.
      ct.eq(yield* c.seteuid(600), 0, 'seteuid(600)');
      let err = 0;
      for (let i = 0; i < 80; i++) {
        const p = yield* c.fork(pauser);
        if (p < 0) { err = c.errno; break; }
        kids.push(p);
      }
      const asUser = kids.length;
      ct.eq(err, EAGAIN, `a user's fork fails with EAGAIN at the process limit (after ${asUser})`);
      ct.ok(asUser >= 10 && asUser < 80, `a bounded number of children (${asUser})`);
      ct.err(yield* c.fork(pauser), EAGAIN, 'fork still fails at the limit');
      // Root may use the last few slots.
      ct.eq(yield* c.seteuid(0), 0, 'seteuid back to root');
      err = 0;
      for (let i = 0; i < 10; i++) {
        const p = yield* c.fork(pauser);
        if (p < 0) { err = c.errno; break; }
        kids.push(p);
      }
      ct.ok(kids.length > asUser && kids.length < asUser + 10, `root gets the reserved slots (${kids.length - asUser})`);
      ct.eq(err, EAGAIN, 'root too fails with EAGAIN when the table is full');
      for (const p of kids) ct.eq(yield* c.kill(p, SIGKILL), 0, 'kill a child');
      let reaped = 0;
      for (let i = 0; i < kids.length; i++) {
        const [w, s] = yield* c.wait();
        if (kids.indexOf(w) >= 0 && WIFSIGNALED(s) && WTERMSIG(s) === SIGKILL) reaped++;
      }
      ct.eq(reaped, kids.length, 'every child reaped, killed by SIGKILL');
      const [none] = yield* c.wait();
      ct.err(none, ECHILD, 'no children left');
      ct.eq(yield* c.seteuid(600), 0, 'ordinary user again');
      const again = yield* c.fork(function* (): Co<number> { return 4; });
      ct.ok(again > 0, 'a user can fork again after the reaping');
      const [w, s] = yield* c.waitpid(again);
      ct.ok(w === again && WEXITSTATUS(s) === 4, 'and the new child runs');
      return 0;
    }), 'fork the forker');
    yield* reapExit(t, u, c0, 0, 'the forker');
  }),

  test('proc_memory', 'process', function* (t: T, u: Libc): Co<void> {
    const a = t.okCall(yield* u.malloc(64), 'malloc');
    u.pokeU32(a, 0x11111111);
    u.pokeU32(a + 4, 0x22222222);
    const m = t.okCall(yield* u.mmap(4096), 'mmap');
    u.pokeU32(m, 0xabcdef01);
    const brk0 = yield* u.sbrk(0);
    t.hk.eq(yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGUSR1)), 0, 'block SIGUSR1');
    t.hk.eq(yield* u.signal(SIGUSR1, function* () { /* wake */ }), 0, 'catch SIGUSR1');
    const child = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.eq(c.peekU32(a), 0x11111111, 'the child sees the parent\'s heap');
      ct.eq(c.peekU32(m), 0xabcdef01, 'the child sees the parent\'s mapping');
      c.pokeU32(a, 0x33333333);
      c.pokeU32(m, 0x44444444);
      ct.eq(c.peekU32(a), 0x33333333, 'the child changes its copy');
      const more = yield* c.sbrk(8192);
      ct.eq(more, brk0, 'the child grows its own heap');
      c.pokeU32(brk0 + 100, 7);
      yield* c.sigsuspend(0);
      // The parent wrote a+4 after fork: the child's copy keeps the old value.
      ct.eq(c.peekU32(a + 4), 0x22222222, 'the parent\'s later store is not visible');
      ct.eq(c.peekU32(m), 0x44444444, 'the child\'s mapping copy is its own');
      return 0;
    }), 'fork');
    u.pokeU32(a + 4, 0x55555555);
    t.eq(yield* u.kill(child, SIGUSR1), 0, 'wake the child');
    yield* reapExit(t, u, child, 0, 'memory child');
    t.eq(u.peekU32(a), 0x11111111, 'the parent\'s heap is unchanged');
    t.eq(u.peekU32(a + 4), 0x55555555, 'the parent keeps its own store');
    t.eq(u.peekU32(m), 0xabcdef01, 'the parent\'s mapping is unchanged');
    t.eq(yield* u.sbrk(0), brk0, 'the parent\'s break is unchanged');
    t.hk.eq(yield* u.munmap(m, 4096), 0, 'munmap');
    t.hk.eq(yield* u.signal(SIGUSR1, 0), 0, 'restore SIGUSR1');
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, 0), sigbit(SIGUSR1), 'restore the mask');
  }),

  test('proc_kill', 'process', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    t.eq(yield* u.kill(me, 0), 0, 'kill(self, 0)');
    t.eq(yield* u.kill(1, 0), 0, 'root may probe init');
    t.err(yield* u.kill(29997, 0), ESRCH, 'kill of a nonexistent pid');
    t.err(yield* u.kill(-29997, 0), ESRCH, 'kill of a nonexistent group');
    t.err(yield* u.kill(me, -1), EINVAL, 'kill with signal -1');
    t.err(yield* u.kill(me, 32), EINVAL, 'kill with signal NSIG');
    t.err(yield* u.kill(me, 1000), EINVAL, 'kill with signal 1000');
    t.err(yield* u.kill(29997, 1000), EINVAL, 'the signal is checked first');
    const live = t.okCall(yield* u.fork(pauser), 'fork a pausing child');
    t.eq(yield* u.kill(live, 0), 0, 'a live child exists');
    const user = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.eq(yield* c.setuid(400), 0, 'setuid(400)');
      ct.err(yield* c.kill(1, SIGKILL), EPERM, 'kill init as non-root');
      ct.err(yield* c.kill(me, 0), EPERM, 'probe a root process as non-root');
      ct.err(yield* c.kill(live, SIGTERM), EPERM, 'kill a root sibling as non-root');
      ct.eq(yield* c.kill(yield* c.getpid(), 0), 0, 'probe itself');
      ct.err(yield* c.kill(29997, 0), ESRCH, 'ESRCH before EPERM for a missing pid');
      return 0;
    }), 'fork the non-root child');
    yield* reapExit(t, u, user, 0, 'non-root child');
    t.eq(yield* u.kill(live, 0), 0, 'the sibling survived');
    t.eq(yield* u.kill(live, SIGUSR2), 0, 'SIGUSR2 (default: terminate)');
    yield* reapSignaled(t, u, live, SIGUSR2, 'pausing child');
    t.err(yield* u.kill(live, 0), ESRCH, 'a reaped child is gone');
    t.err(yield* u.kill(live, SIGUSR1), ESRCH, 'and cannot be signalled');
  }),
];
