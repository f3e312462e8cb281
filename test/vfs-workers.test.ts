/*
 * VFS's cooperative workers: while one request waits for MFS (a sync waits
 * for the disk), VFS takes another process's request on a second worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootWith } from './helpers/inline';
import { T } from '../src/os/workload/test-api';
import { Libc } from '../src/os/libc/libc';
import { Co } from '../src/os/kernel/types';
import { O_CREAT, O_RDWR } from '../src/os/proto/fs';
import { WEXITSTATUS } from '../src/os/proto/signals';
import { MFS, VFS } from '../src/os/proto/endpoints';
import { COST } from '../src/os/kernel/cost';

test('a request blocked on MFS lets another worker serve another process', () => {
  let childEp = -1;
  const w = bootWith({
    interleave: function* (t: T, u: Libc): Co<void> {
      const fd = t.okCall(yield* u.open('/tmp/interleave', O_CREAT | O_RDWR, 0o644), 'open');
      t.eq(yield* u.write(fd, 'data'), 4, 'write');
      const go = t.okCall(yield* u.pipe(), 'pipe go')!;
      const back = t.okCall(yield* u.pipe(), 'pipe back')!;
      const pid = yield* u.fork(function* (c: Libc): Co<number> {
        childEp = c.endpoint;
        if ((yield* c.readStr(go[0], 1)) !== 'g') return 2;
        // Let the parent reach its fsync: each computation step yields the CPU to it.
        for (let i = 0; i < 4; i++) yield* c.compute(1000);
        // The parent is now in fsync, its worker waiting for MFS, MFS waiting for the disk.
        return (yield* c.write(back[1], 'pong')) === 4 ? 0 : 3;
      });
      t.eq(yield* u.write(go[1], 'g'), 1, 'wake the child');
      const t0 = yield* u.clock();
      t.eq(yield* u.fsync(fd), 0, 'fsync');
      t.ok((yield* u.clock()) - t0 >= COST.diskFlush, 'fsync waited for the disk');
      t.eq(yield* u.readStr(back[0], 10), 'pong', 'the child was served meanwhile');
      const [, status] = yield* u.waitpid(pid);
      t.eq(WEXITSTATUS(status), 0, 'child status');
      t.eq(yield* u.unlink('/tmp/interleave'), 0, 'unlink');
    },
  }, { trace: true });
  w.kernel.trace.lines = [];
  const [r] = w.runPrograms(['interleave']);
  assert.ok(r, 'interleave ran');
  assert.equal(r.status, 'pass', r.failure);
  // In the trace: VFS asks MFS to sync, then receives the child's write before MFS answers.
  const lines = w.kernel.trace.lines.map((l) => l.text);
  const sync = lines.findIndex((l) => l.startsWith(`${VFS} -> ${MFS} REQ_SYNC`));
  assert.ok(sync >= 0, 'VFS sent REQ_SYNC');
  const reply = lines.findIndex((l, i) => i > sync && l.startsWith(`${MFS} -> ${VFS}`));
  const childWrite = lines.findIndex((l, i) => i > sync && l.startsWith(`${childEp} -> ${VFS} VFS_WRITE`));
  assert.ok(childWrite > sync && childWrite < reply, `the child's write reached VFS (line ${childWrite}) before MFS answered the sync (line ${reply})`);
});
