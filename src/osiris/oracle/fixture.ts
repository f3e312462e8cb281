/*
 * The world the oracle's self-test plants inconsistencies in: a booted
 * system in which a program left live state behind in every server — a
 * session of two processes under another user, a pipe with a reader
 * suspended on it, a FIFO, a file with two links, an unlinked file still
 * open, a directory, mapped memory, a pending alarm, a blocked pending
 * signal, a DS key and subscription — and then exited, so init is back at
 * the harness (the point where a campaign run calls the oracle).
 *
 * The entry points into this file are:
 *   FIXTURE_PROGRAMS     the fixture program, to install in /bin at boot
 *   runFixture(world)    run it; afterwards the world holds the live state
 *   FIXTURE_UID          the user the fixture's session runs as
 */
import type { Co } from '../../os/kernel/types';
import type { Main } from '../../os/libc/core';
import type { Libc } from '../../os/libc/libc';
import type { World } from '../../os/world';
import { O_CREAT, O_NONBLOCK, O_RDONLY, O_RDWR } from '../../os/proto/fs';
import { SIGUSR1, SIG_BLOCK, sigbit } from '../../os/proto/signals';

export const FIXTURE_UID = 100;
const NAME = 'oracle_fixture';
/** The fixture's directory, under /tmp. */
export const FIXTURE_DIR = 'oracle_fixture';
const DIR = `/tmp/${FIXTURE_DIR}`;

/** Every step must work: the self-test is only as good as the state it plants in. */
function must(r: number | null, what: string): number {
  if (r === null || r < 0) throw new Error(`oracle fixture: ${what} failed`);
  return r;
}

/** The session leader: it sets up everything, reports ready on `ready`, and pauses for good. */
function* leader(u: Libc, ready: number): Co<number> {
  must(yield* u.setsid(), 'setsid');
  must(yield* u.setgid(FIXTURE_UID), 'setgid');
  must(yield* u.setuid(FIXTURE_UID), 'setuid');
  must(yield* u.mkdir(DIR, 0o755), 'mkdir');
  // A pipe with a reader that waits on it for good: the leader keeps the write end.
  const p = yield* u.pipe();
  if (!p) throw new Error('oracle fixture: pipe failed');
  must(yield* u.fork(function* (c: Libc): Co<number> {
    must(yield* c.close(p[1]), 'close in the reader');
    yield* c.read(p[0], 16);
    return 0;
  }), 'fork the reader');
  must(yield* u.close(p[0]), 'close the read end');
  // Files: one with two names and data, one unlinked while open, a FIFO open for reading.
  const f = must(yield* u.open(`${DIR}/file`, O_CREAT | O_RDWR, 0o644), 'create a file');
  must(yield* u.write(f, 'x'.repeat(3000)), 'write the file');
  must(yield* u.link(`${DIR}/file`, `${DIR}/link`), 'link');
  must(yield* u.mkdir(`${DIR}/sub`, 0o755), 'mkdir sub');
  const o = must(yield* u.open(`${DIR}/orphan`, O_CREAT | O_RDWR, 0o644), 'create the orphan');
  must(yield* u.write(o, 'orphan'), 'write the orphan');
  must(yield* u.unlink(`${DIR}/orphan`), 'unlink the orphan');
  must(yield* u.mkfifo(`${DIR}/fifo`, 0o644), 'mkfifo');
  must(yield* u.open(`${DIR}/fifo`, O_RDONLY | O_NONBLOCK), 'open the FIFO');
  // Memory, an alarm, a blocked pending signal, DS state.
  must(yield* u.mmap(8192), 'mmap');
  must(yield* u.sbrk(4096), 'sbrk');
  must(yield* u.alarm(1000), 'alarm');
  must(yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGUSR1)), 'block SIGUSR1');
  must(yield* u.kill(yield* u.getpid(), SIGUSR1), 'raise SIGUSR1');
  must(yield* u.dsPublishU32(`${NAME}.key`, 7), 'DS publish');
  must(yield* u.dsSubscribe(`${NAME}.*`), 'DS subscribe');
  must(yield* u.write(ready, 'r'), 'report ready');
  for (;;) yield* u.pause();
}

function* fixture(u: Libc): Co<number> {
  const ready = yield* u.pipe();
  if (!ready) throw new Error('oracle fixture: pipe failed');
  must(yield* u.fork(function* (c: Libc): Co<number> {
    must(yield* c.close(ready[0]), 'close in the leader');
    return yield* leader(c, ready[1]);
  }), 'fork the leader');
  must(yield* u.close(ready[1]), 'close the ready write end');
  const r = yield* u.read(ready[0], 1);
  if (!r || r.length !== 1) throw new Error('oracle fixture: the leader did not get ready');
  must(yield* u.close(ready[0]), 'close the ready read end');
  // Exit: init adopts the session, which lives on.
  return 0;
}

export const FIXTURE_PROGRAMS: ReadonlyMap<string, Main> = new Map<string, Main>([[NAME, fixture as Main]]);

export function runFixture(world: World): void {
  const [r] = world.runPrograms([NAME]);
  if (!r || r.status !== 'pass') throw new Error(`oracle fixture: ${r ? r.failure ?? r.status : 'did not run'}`);
}
