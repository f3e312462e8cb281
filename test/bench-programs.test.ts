/*
 * The Unixbench-like programs, run through the whole simulated system:
 * each completes its default iterations, deterministically, leaves no
 * files behind, and honours an explicit iteration count in argv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { BENCH_PROGRAMS } from '../src/os/workload/unixbench/index';
import { bootWith } from './helpers/inline';
import { T } from '../src/os/workload/test-api';
import { Libc } from '../src/os/libc/libc';
import { Co } from '../src/os/kernel/types';
import { WEXITSTATUS, WIFEXITED } from '../src/os/proto/signals';

const NAMES = BENCH_PROGRAMS.map((b) => b.name);

test('the twelve Unixbench programs, by their Unixbench names', () => {
  assert.deepEqual(NAMES, [
    'dhry2reg', 'whetstone-double', 'execl', 'fstime', 'fsbuffer', 'fsdisk', 'pipe', 'context1', 'spawn', 'syscall',
    'shell1', 'shell8',
  ]);
});

test('every bench program completes its default iterations in simulated time', () => {
  const w = Sim.boot().world;
  const res = w.runPrograms(NAMES);
  assert.equal(res.length, NAMES.length);
  for (let i = 0; i < NAMES.length; i++) {
    const r = res[i]!;
    const b = BENCH_PROGRAMS[i]!;
    assert.equal(r.name, b.name);
    assert.equal(r.status, 'pass', `${r.name}: ${r.failure}`);
    assert.equal(r.checks, b.iterations, `${r.name}: iterations`);
    assert.ok(r.simTime > 0, `${r.name}: simulated time`);
    if (b.name !== 'dhry2reg' && b.name !== 'whetstone-double') assert.ok(r.messages > 100, `${r.name}: messages`);
  }
});

test('a bench program gives the same result in a fresh system and after the others', () => {
  const alone = NAMES.map((n) => Sim.boot().world.runPrograms([n])[0]);
  const again = NAMES.map((n) => Sim.boot().world.runPrograms([n])[0]);
  assert.deepEqual(alone, again);
  const w = Sim.boot().world;
  w.runPrograms(NAMES);
  const second = w.runPrograms(NAMES);
  for (let i = 0; i < NAMES.length; i++) {
    assert.equal(second[i]!.status, 'pass', `${NAMES[i]} run twice: ${second[i]!.failure}`);
    assert.equal(second[i]!.checks, alone[i]!.checks);
  }
});

test('CPU benchmarks charge simulated time in proportion to their iterations', () => {
  for (const [name, nsPerLoop] of [['dhry2reg', 350], ['whetstone-double', 3600]] as const) {
    const took: number[] = [];
    const w = bootWith({
      cpu_x: function* (t: T, u: Libc): Co<void> {
        for (const n of [100, 200]) {
          const t0 = yield* u.clock();
          const pid = yield* u.fork(function* (c: Libc): Co<number> {
            yield* c.exec(`/bin/${name}`, [name, String(n)]);
            return 127;
          });
          const [, status] = yield* u.waitpid(pid);
          t.eq(WEXITSTATUS(status), 0, `${name} ${n}`);
          took.push((yield* u.clock()) - t0);
        }
      },
    });
    const [x] = w.runPrograms(['cpu_x']);
    assert.ok(x, 'cpu_x ran');
    assert.equal(x.status, 'pass', x.failure);
    assert.equal(x.checks, 2 + 300, `${name}: 100 + 200 iterations counted`);
    const extra = took[1]! - took[0]!;
    assert.ok(extra >= 100 * nsPerLoop && extra < 1.1 * 100 * nsPerLoop, `${name}: 100 more loops took ${extra} ns`);
  }
});

test('an explicit iteration count in argv is honoured, and no files are left in /tmp', () => {
  const w = bootWith({
    bench_argv: function* (t: T, u: Libc): Co<void> {
      const before = (t.okCall(yield* u.readdir('/tmp'), 'readdir /tmp') ?? []).map((d) => d.name).sort();
      for (const b of BENCH_PROGRAMS) {
        const pid = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
          yield* c.exec(`/bin/${b.name}`, [b.name, '3']);
          return 127;
        }), `fork for ${b.name}`);
        const [got, status] = yield* u.waitpid(pid);
        t.eq(got, pid, `reap ${b.name}`);
        t.ok(WIFEXITED(status), `${b.name} exits`);
        t.eq(WEXITSTATUS(status), 0, `${b.name} exit status with 3 iterations`);
      }
      const after = (t.okCall(yield* u.readdir('/tmp'), 'readdir /tmp') ?? []).map((d) => d.name).sort();
      t.eq(after.join(','), before.join(','), '/tmp as before');
      // A bad count and an unknown tool are refused.
      for (const argv of [['spawn', 'x'], ['spawn', '-1'], ['shell1', '-nosuchtool']]) {
        const pid = yield* u.fork(function* (c: Libc): Co<number> {
          yield* c.exec(`/bin/${argv[0]}`, argv);
          return 127;
        });
        const [, status] = yield* u.waitpid(pid);
        t.eq(WEXITSTATUS(status), 2, `${argv.join(' ')} refused`);
      }
    },
  });
  const [r] = w.runPrograms(['bench_argv']);
  assert.ok(r, 'bench_argv ran');
  assert.equal(r.status, 'pass', r.failure);
  // 12 programs x 3 iterations counted by the benchmarks, plus the test's own checks (1 + 4 per program + 2 + 3).
  assert.equal(r.checks, 12 * 3 + 1 + 12 * 4 + 2 + 3);
});
