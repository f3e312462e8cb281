/*
 * Test programs: time (times(), the clock, fine-grained alarms, children's
 * times). Simulated time advances by the cost model and by compute().
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { Times } from '../../libc/proc';
import { EINTR, EINVAL } from '../../proto/errno';
import { SIGALRM, SIG_DFL, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../proto/signals';
import { T, TestProgram, test } from '../test-api';

const MS = 1_000_000;

function* timesOf(t: T, u: Libc, what: string): Co<Times> {
  return t.okCall(yield* u.times(), `times(): ${what}`)!;
}

function* reapExit(t: T, u: Libc, pid: number, code: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFEXITED(status), `${what}: exited normally (status ${status})`);
  t.eq(WEXITSTATUS(status), code, `${what}: exit status`);
}

export const timeTests: TestProgram[] = [
  test('time_times', 'time', function* (t: T, u: Libc): Co<void> {
    const t0 = yield* timesOf(t, u, 'start');
    t.ok(t0.utime >= 0 && t0.stime >= 0, 'user and system time are not negative');
    t.eq(t0.cutime, 0, 'a fresh process has no children\'s user time');
    t.eq(t0.cstime, 0, 'nor system time');
    t.ok(t0.utime <= t0.now, 'user time cannot exceed the time since boot');
    let prev = t0;
    for (let i = 1; i <= 4; i++) {
      yield* u.compute(i * MS);
      const ti = yield* timesOf(t, u, `after compute ${i}`);
      t.ok(ti.utime - prev.utime >= i * MS, `compute(${i} ms) adds at least ${i} ms of user time`);
      t.ok(ti.utime - prev.utime < i * MS + MS / 10, 'and not much more');
      t.ok(ti.stime >= prev.stime, 'system time does not go back');
      t.ok(ti.now - prev.now >= i * MS, 'the clock advanced as much');
      prev = ti;
    }
    t.ok(prev.utime - t0.utime >= 10 * MS, 'ten milliseconds of user time in all');
    // A child starts with zero times of its own.
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      const ci = ct.okCall(yield* cu.times(), 'child times()')!;
      ct.ok(ci.utime < MS, 'the child\'s user time starts from zero');
      ct.eq(ci.cutime, 0, 'the child has no children\'s time');
      ct.ok(ci.now >= prev.now, 'the clock is shared');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, c, 0, 'child');
    const t2 = yield* timesOf(t, u, 'end');
    t.ok(t2.utime >= prev.utime, 'user time does not go back');
  }),

  test('time_clock', 'time', function* (t: T, u: Libc): Co<void> {
    let last = yield* u.clock();
    t.ok(last > 0, 'the clock runs from boot');
    for (let i = 0; i < 10; i++) {
      const now = yield* u.clock();
      t.ok(now > last, `call ${i} sees a later time`);
      last = now;
    }
    for (const ns of [1000, 250_000, 3 * MS]) {
      const a = yield* u.clock();
      yield* u.compute(ns);
      const b = yield* u.clock();
      t.ok(b - a >= ns, `compute(${ns}) advances the clock by at least ${ns} ns`);
      t.ok(b - a < ns + 100_000, 'plus only the calls\' cost');
    }
    const tm = yield* timesOf(t, u, 'now');
    const after = yield* u.clock();
    t.ok(tm.now <= after && tm.now >= last, 'times().now agrees with the clock');
    // The clock advances while a child computes and we wait.
    const before = yield* u.clock();
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      const c0 = yield* cu.clock();
      ct.ok(c0 >= before, 'the child sees the same clock');
      yield* cu.compute(2 * MS);
      ct.ok((yield* cu.clock()) - c0 >= 2 * MS, 'and it advances as the child computes');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, c, 0, 'child');
    t.ok((yield* u.clock()) - before >= 2 * MS, 'the parent\'s clock advanced while it waited');
  }),

  test('time_alarm_ns', 'time', function* (t: T, u: Libc): Co<void> {
    let fired = 0;
    let at = 0;
    t.eq(yield* u.signal(SIGALRM, function* (c) { fired++; at = yield* (c as Libc).clock(); }), 0, 'catch SIGALRM');
    t.err(yield* u.alarmNs(-1), EINVAL, 'a negative alarm');
    t.err(yield* u.alarmNs(NaN), EINVAL, 'a NaN alarm');
    for (const ns of [1 * MS, 250_000, 40_000]) {
      const set = yield* u.clock();
      t.eq(yield* u.alarmNs(ns), 0, `alarmNs(${ns})`);
      t.err(yield* u.pause(), EINTR, 'pause ends with the alarm');
      t.eq(fired, 1, 'one SIGALRM');
      t.ok(at - set >= ns, `not before ${ns} ns (${at - set})`);
      t.ok(at - set < ns + 20_000, 'and within 20 µs of it');
      fired = 0;
    }
    // The time left, when an alarm is replaced or cancelled.
    t.eq(yield* u.alarmNs(5 * MS), 0, 'alarmNs(5 ms)');
    yield* u.compute(MS);
    const left = yield* u.alarmNs(2 * MS);
    t.ok(left <= 4 * MS && left > 4 * MS - 50_000, `about 4 ms were left (${left})`);
    yield* u.compute(MS / 2);
    const left2 = yield* u.alarmNs(0);
    t.ok(left2 <= 1.5 * MS && left2 > 1.5 * MS - 50_000, `about 1.5 ms were left of the new alarm (${left2})`);
    yield* u.compute(3 * MS);
    t.eq(fired, 0, 'a cancelled alarm does not fire');
    t.eq(yield* u.alarmNs(0), 0, 'nothing left to cancel');
    yield* u.signal(SIGALRM, SIG_DFL);
  }),

  test('time_alarm_order', 'time', function* (t: T, u: Libc): Co<void> {
    // Three children with alarms set in a different order from their deadlines; SIGALRM kills each.
    const delays = [3 * MS, 1 * MS, 2 * MS];
    const pids: number[] = [];
    const start = yield* u.clock();
    for (const d of delays) {
      const pid = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
        const ct = new T(cu);
        ct.eq(yield* cu.alarmNs(d), 0, 'the child had no alarm');
        for (let i = 0; i < 4; i++) yield* cu.pause();
        return 1;
      }), `fork (${d} ns)`);
      pids.push(pid);
    }
    const order: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [w, s] = yield* u.wait();
      t.ok(pids.indexOf(w) >= 0, 'wait returns one of the children');
      t.ok(WIFSIGNALED(s), 'killed by a signal');
      t.eq(WTERMSIG(s), SIGALRM, 'SIGALRM');
      order.push(pids.indexOf(w));
      const now = yield* u.clock();
      t.ok(now - start >= (i + 1) * MS, `death ${i} not before its deadline`);
    }
    t.eq(order.join(','), '1,2,0', 'the alarms fired in deadline order');
    const end = yield* u.clock();
    t.ok(end - start >= 3 * MS, 'the last one after 3 ms');
    t.ok(end - start < 4 * MS, 'and not much later');
    // The parent's own alarm is independent of the children's.
    t.eq(yield* u.alarmNs(0), 0, 'the parent has no alarm');
  }),

  test('time_child_times', 'time', function* (t: T, u: Libc): Co<void> {
    const t0 = yield* timesOf(t, u, 'start');
    t.eq(t0.cutime, 0, 'no children\'s time yet');
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      yield* cu.compute(5 * MS);
      return 0;
    }), 'fork a busy child');
    yield* u.compute(100_000);
    const t1 = yield* timesOf(t, u, 'child running');
    t.eq(t1.cutime, 0, 'an unreaped child\'s time is not counted');
    yield* reapExit(t, u, c, 0, 'busy child');
    const t2 = yield* timesOf(t, u, 'after reaping');
    t.ok(t2.cutime >= 5 * MS, `the reaped child's user time is counted (${t2.cutime})`);
    t.ok(t2.cutime < 6 * MS, 'and no more');
    t.ok(t2.cstime >= 0, 'children\'s system time');
    t.ok(t2.utime - t1.utime < MS, 'the child\'s time is not ours');
    // A child's own reaped children are included in what it passes on.
    const m = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      yield* cu.compute(2 * MS);
      const g = yield* cu.fork(function* (gu: Libc): Co<number> { yield* gu.compute(3 * MS); return 0; });
      const [w] = yield* cu.waitpid(g);
      ct.eq(w, g, 'the child reaps the grandchild');
      const ci = ct.okCall(yield* cu.times(), 'child times()')!;
      ct.ok(ci.cutime >= 3 * MS, 'the child counts the grandchild');
      return 0;
    }), 'fork a parent of a busy grandchild');
    yield* reapExit(t, u, m, 0, 'middle child');
    const t3 = yield* timesOf(t, u, 'after the second reaping');
    t.ok(t3.cutime - t2.cutime >= 5 * MS, 'the child\'s and grandchild\'s time are both counted');
    t.ok(t3.cutime - t2.cutime < 6 * MS, 'and nothing else');
    // A killed child's time counts too.
    const k = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      yield* cu.compute(MS);
      for (let i = 0; i < 4; i++) yield* cu.pause();
      return 1;
    }), 'fork a child to kill');
    yield* u.compute(2 * MS);
    t.eq(yield* u.kill(k, 9), 0, 'kill it');
    const [w, s] = yield* u.waitpid(k);
    t.ok(w === k && WIFSIGNALED(s), 'reaped the killed child');
    const t4 = yield* timesOf(t, u, 'after the killed child');
    t.ok(t4.cutime - t3.cutime >= MS, 'its user time is counted');
  }),
];
