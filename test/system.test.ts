/* The whole simulated system: determinism, snapshots, crashes, isolation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { testNames } from '../src/sim/programs';
import { bootWith } from './helpers/inline';
import { T } from '../src/os/workload/test-api';
import { Libc } from '../src/os/libc/libc';
import { Co } from '../src/os/kernel/types';
import { WEXITSTATUS } from '../src/os/proto/signals';

const SOME = ['smoke_getpid', 'smoke_fork', 'smoke_file'];

test('two boots running the same programs make the same run, message for message', () => {
  const a = Sim.boot().world;
  const ra = a.runPrograms(SOME);
  const b = Sim.boot().world;
  const rb = b.runPrograms(SOME);
  assert.deepEqual(ra, rb);
  assert.equal(a.kernel.trace.hash(), b.kernel.trace.hash());
  assert.equal(a.kernel.now, b.kernel.now);
});

test('a run continued from a restored snapshot is identical to the original run', () => {
  const w = Sim.boot().world;
  const snap = w.snapshot();
  const original = w.runPrograms(SOME);
  const hash = w.kernel.trace.hash();
  for (let i = 0; i < 2; i++) {
    const r = Sim.restore(snap).world;
    assert.deepEqual(r.runPrograms(SOME), original);
    assert.equal(r.kernel.trace.hash(), hash);
    assert.equal(r.kernel.now, w.kernel.now);
  }
});

test('a snapshot is refused when the system is not quiescent, and taken again after a run', () => {
  const w = Sim.boot().world;
  w.runPrograms(['smoke_getpid']);
  assert.doesNotThrow(() => w.snapshot());
});

test('a crash of a server ends the run as an uncontrolled crash (no recovery yet)', () => {
  const w = bootWith({
    crash_pm: function* (t: T, u: Libc): Co<void> {
      t.eq(yield* u.serviceFi('pm'), 0, 'service fi pm');
      yield* u.getpid(); // PM crashes handling this
      t.fail('PM should have crashed');
    },
  });
  const res = w.runPrograms(['crash_pm', 'smoke_getpid']);
  assert.equal(w.lastHalt?.kind, 'crash');
  assert.match(w.lastHalt!.reason, /pm/);
  assert.equal(w.kernel.crashes[0]?.name, 'pm');
  assert.deepEqual(res.map((r) => r.status), ['incomplete', 'incomplete']);
});

test('fork gives the child its own copy of memory', () => {
  const w = bootWith({
    isolation: function* (t: T, u: Libc): Co<void> {
      const a = t.okCall(yield* u.malloc(64), 'malloc');
      u.pokeU32(a, 1111);
      const pid = yield* u.fork(function* (c: Libc): Co<number> {
        if (c.peekU32(a) !== 1111) return 2;
        c.pokeU32(a, 2222);
        return c.peekU32(a) === 2222 ? 0 : 3;
      });
      const [, status] = yield* u.waitpid(pid);
      t.eq(WEXITSTATUS(status), 0, 'child saw the copy and wrote its own');
      t.eq(u.peekU32(a), 1111, 'parent memory unchanged by the child');
    },
  });
  const [r] = w.runPrograms(['isolation']);
  assert.ok(r, 'isolation ran');
  assert.equal(r.status, 'pass', r.failure);
  assert.equal(r.checks, 3);
});

test('a failed check fails the program and names the check', () => {
  const w = bootWith({
    failing: function* (t: T, u: Libc): Co<void> {
      t.eq(yield* u.getppid(), 1, 'parent is init');
      t.eq(1 + 1, 3, 'arithmetic');
      t.fail('not reached');
    },
  });
  const [r] = w.runPrograms(['failing']);
  assert.ok(r, 'failing ran');
  assert.equal(r.status, 'fail');
  assert.equal(r.checks, 2);
  assert.match(r.failure!, /arithmetic: expected 3, got 2/);
});

test('the suite lists its programs', () => {
  assert.ok(testNames().length >= 3);
});
