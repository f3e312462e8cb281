/*
 * Recovery pre-tests: one program per recoverable server. Each asks RS to
 * crash that server (`service fi`) and then checks that the server, and the
 * system around it, still work. How the crash comes depends on the system's
 * `service fi` (kernel.serviceFi): armed for the server's next request, the
 * program makes that request and checks that recovery answered it with
 * ECRASH; delivered as RS's own request (MINIX's way), no user request is
 * interrupted, and the program checks only that the system works — MINIX's
 * testrecovery-*.sh run `service fi <label>` and then `echo ok`, passing when
 * the shell can still fork and exec after the crash.
 *
 * The entry points into this file are:
 *   PRETESTS        the five programs (pre_pm, pre_vm, pre_vfs, pre_ds, pre_rs)
 *   PRETEST_NAMES   their names, in running order
 */
import { Co } from '../kernel/types';
import { Libc } from '../libc/libc';
import { ECRASH } from '../proto/errno';
import { F_OK, O_CREAT, O_RDWR } from '../proto/fs';
import { WEXITSTATUS, WIFEXITED } from '../proto/signals';
import { DSF_TYPE_U32 } from '../proto/ds';
import { T, TestProgram, test } from './test-api';

/** fork + wait still work: PM, VM and VFS cooperate. */
function* processesWork(t: T, u: Libc): Co<void> {
  const pid = yield* u.fork(function* (): Co<number> { return 5; });
  t.ok(pid > 0, 'fork after recovery');
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, 'waitpid after recovery');
  t.ok(WIFEXITED(status) && WEXITSTATUS(status) === 5, 'child exit status after recovery');
}

function* filesWork(t: T, u: Libc, name: string): Co<void> {
  const path = `/tmp/${name}.f`;
  const fd = t.okCall(yield* u.open(path, O_CREAT | O_RDWR, 0o644), 'open after recovery');
  t.eq(yield* u.write(fd, 'still here'), 10, 'write after recovery');
  t.eq(yield* u.close(fd), 0, 'close after recovery');
  t.eq(yield* u.readFile(path), 'still here', 'read back after recovery');
  t.eq(yield* u.unlink(path), 0, 'unlink after recovery');
}

function pretest(label: string, interrupted: (u: Libc) => Co<unknown>, works: (t: T, u: Libc) => Co<void>): TestProgram {
  return test(`pre_${label}`, 'recovery', function* (t: T, u: Libc): Co<void> {
    t.eq(yield* u.serviceFi(label), 0, `service fi ${label}`);
    if (u.k.serviceFi === 'next-request') t.err(yield* interrupted(u), ECRASH, `the interrupted request to ${label} is answered with ECRASH`);
    yield* works(t, u);
    yield* processesWork(t, u);
    yield* filesWork(t, u, `pre_${label}`);
  });
}

export const PRETESTS: TestProgram[] = [
  pretest('pm', (u) => u.getpgrp(), function* (t, u) {
    t.ok((yield* u.getpid()) > 1, 'PM answers getpid');
    t.eq(yield* u.getppid(), 1, 'PM still knows the parent');
  }),
  pretest('vm', (u) => u.brk(u.brkAddr), function* (t, u) {
    const a = t.okCall(yield* u.malloc(8192), 'VM grows the heap');
    u.pokeU32(a + 4096, 77);
    t.eq(u.peekU32(a + 4096), 77, 'new heap memory is usable');
  }),
  pretest('vfs', (u) => u.access('/', F_OK), function* (t, u) {
    t.eq(yield* u.access('/tmp', F_OK), 0, 'VFS answers access');
    t.eq(yield* u.getcwd(), '/', 'the working directory survived');
  }),
  pretest('ds', (u) => u.dsPublishU32('pre_ds.key', 1), function* (t, u) {
    t.eq(yield* u.dsPublishU32('pre_ds.key', 42), 0, 'DS publishes after recovery');
    t.eq((yield* u.dsRetrieve('pre_ds.key', DSF_TYPE_U32))?.u32, 42, 'DS retrieves after recovery');
    t.eq(yield* u.dsDelete('pre_ds.key', DSF_TYPE_U32), 0, 'DS deletes after recovery');
  }),
  pretest('rs', (u) => u.serviceLookup('pm'), function* (t, u) {
    t.eq(yield* u.serviceLookup('pm'), 0, 'RS looks up PM after its own recovery');
  }),
];

export const PRETEST_NAMES = PRETESTS.map((p) => p.name);
