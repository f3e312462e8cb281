/* A few quick programs that touch every server: the first thing to run on a new build. */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { O_CREAT, O_RDWR, SEEK_SET } from '../../proto/fs';
import { WEXITSTATUS, WIFEXITED } from '../../proto/signals';
import { ENOENT } from '../../proto/errno';
import { T, TestProgram, test } from '../test-api';

export const smokeTests: TestProgram[] = [
  test('smoke_getpid', 'process', function* (t: T, u: Libc): Co<void> {
    const pid = yield* u.getpid();
    t.ok(pid > 1, 'getpid returns a user pid');
    t.eq(yield* u.getppid(), 1, 'parent is init');
  }),
  test('smoke_fork', 'process', function* (t: T, u: Libc): Co<void> {
    const child = yield* u.fork(function* (c: Libc): Co<number> {
      const ppid = yield* c.getppid();
      return ppid > 1 ? 7 : 1;
    });
    t.ok(child > 0, 'fork returns the child pid');
    const [pid, status] = yield* u.waitpid(child);
    t.eq(pid, child, 'waitpid reaps the child');
    t.ok(WIFEXITED(status), 'child exited normally');
    t.eq(WEXITSTATUS(status), 7, 'child exit status');
  }),
  test('smoke_file', 'file', function* (t: T, u: Libc): Co<void> {
    const fd = t.okCall(yield* u.open('/tmp/smoke', O_CREAT | O_RDWR, 0o644), 'open O_CREAT');
    t.eq(yield* u.write(fd, 'hello, world'), 12, 'write 12 bytes');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'lseek to 0');
    t.eq(yield* u.readStr(fd, 100), 'hello, world', 'read back');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.unlink('/tmp/smoke'), 0, 'unlink');
    t.err(yield* u.open('/tmp/smoke', O_RDWR), ENOENT, 'open after unlink');
  }),
];
