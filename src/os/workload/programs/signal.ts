/*
 * Test programs: signals (MINIX test suite topics: sigaction, SIG_IGN,
 * default actions, sigprocmask and pending signals, sigsuspend/pause,
 * SA_RESETHAND/SA_NODEFER, handler masks, SIGKILL, process-group kill,
 * EINTR, alarm, SIGCHLD, faults, exec resetting handlers).
 * Handlers only touch variables of the process that installed them: a
 * forked child installs its own.
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { LibcCore } from '../../libc/core';
import { EINTR, EINVAL, ESRCH } from '../../proto/errno';
import {
  NSIG, SA_NODEFER, SA_RESETHAND, SIGABRT, SIGALRM, SIGCHLD, SIGCONT, SIGHUP, SIGINT, SIGKILL, SIGQUIT, SIGSEGV,
  SIGSTOP, SIGTERM, SIGURG, SIGUSR1, SIGUSR2, SIG_BLOCK, SIG_DFL, SIG_IGN, SIG_SETMASK, SIG_UNBLOCK, WCOREFLAG,
  WEXITSTATUS, WIFEXITED, WIFSIGNALED, WNOHANG, WTERMSIG, sigbit,
} from '../../proto/signals';
import { PAGE_SIZE, VPAGES } from '../../proto/vm';
import { Checker, T, TestProgram, test } from '../test-api';

const USR1 = sigbit(SIGUSR1);
const USR2 = sigbit(SIGUSR2);

function* reapExit(t: T, u: Libc, pid: number, code: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFEXITED(status), `${what}: exited normally (status ${status})`);
  t.eq(WEXITSTATUS(status), code, `${what}: exit status`);
}

function* reapSignaled(t: Checker, u: Libc, pid: number, sig: number, what: string): Co<number> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: waitpid returns its pid`);
  t.ok(WIFSIGNALED(status), `${what}: killed by a signal (status ${status})`);
  t.eq(WTERMSIG(status), sig, `${what}: terminating signal`);
  return status;
}

function* pauser(c: Libc): Co<number> {
  for (let i = 0; i < 4; i++) yield* c.pause();
  return 99;
}

/** The mask as the process sees it now (sigprocmask query). */
function* maskOf(u: LibcCore): Co<number> {
  return yield* (u as Libc).sigprocmask(0, 0);
}

/**
 * Fork `body` and wait until it reports readiness with SIGUSR1 (which the
 * caller must have blocked and caught); returns the child's pid.
 */
function* forkReady(t: T, u: Libc, body: (c: Libc) => Co<number>, what: string): Co<number> {
  const pid = t.okCall(yield* u.fork(body), `fork ${what}`);
  t.err(yield* u.sigsuspend(0), EINTR, `${what} reported ready`);
  return pid;
}

function* ready(c: Libc): Co<void> {
  yield* c.kill(yield* c.getppid(), SIGUSR1);
}

export const signalTests: TestProgram[] = [
  test('sig_action', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    let got = 0;
    let count = 0;
    const h = function* (_c: LibcCore, sig: number): Co<void> { got = sig; count++; };
    const q0 = t.okCall(yield* u.sigaction(SIGUSR1, null), 'query SIGUSR1')!;
    t.eq(q0.handler, SIG_DFL, 'SIGUSR1 starts as SIG_DFL');
    const prev = t.okCall(yield* u.sigaction(SIGUSR1, { handler: h, mask: USR2, flags: 0 }), 'install a handler')!;
    t.eq(prev.handler, SIG_DFL, 'the old action was SIG_DFL');
    const q1 = t.okCall(yield* u.sigaction(SIGUSR1, null), 'query again')!;
    t.eq(q1.handler, h, 'the query returns the handler');
    t.eq(q1.mask, USR2, 'and its mask');
    t.eq(q1.flags, 0, 'and its flags');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'kill(self, SIGUSR1)');
    t.eq(count, 1, 'the handler ran before kill returned');
    t.eq(got, SIGUSR1, 'with the signal number');
    t.eq(yield* u.signal(SIGUSR2, h), 0, 'the same handler for SIGUSR2');
    t.eq(yield* u.kill(me, SIGUSR2), 0, 'kill(self, SIGUSR2)');
    t.eq(got, SIGUSR2, 'the handler sees SIGUSR2');
    t.eq(count, 2, 'ran once more');
    const prev2 = t.okCall(yield* u.sigaction(SIGUSR1, { handler: SIG_IGN, mask: 0, flags: 0 }), 'SIG_IGN')!;
    t.eq(prev2.handler, h, 'the old action was the handler');
    t.eq(prev2.mask, USR2, 'with its mask');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'an ignored signal');
    t.eq(count, 2, 'no handler ran');
    t.err(yield* u.sigaction(0, { handler: h, mask: 0, flags: 0 }), EINVAL, 'signal 0');
    t.err(yield* u.sigaction(NSIG, { handler: h, mask: 0, flags: 0 }), EINVAL, 'signal NSIG');
    t.err(yield* u.sigaction(-3, null), EINVAL, 'query of signal -3');
    t.err(yield* u.sigaction(SIGKILL, { handler: h, mask: 0, flags: 0 }), EINVAL, 'catching SIGKILL');
    const qk = t.okCall(yield* u.sigaction(SIGKILL, null), 'querying SIGKILL is fine')!;
    t.eq(qk.handler, SIG_DFL, 'SIGKILL is SIG_DFL');
    // A child inherits the actions (and only queries them).
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      const a = ct.okCall(yield* cu.sigaction(SIGUSR2, null), 'child query')!;
      ct.eq(a.handler, h, 'the child inherits the handler');
      const b = ct.okCall(yield* cu.sigaction(SIGUSR1, null), 'child query 2')!;
      ct.eq(b.handler, SIG_IGN, 'and SIG_IGN');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, c, 0, 'child');
    t.hk.eq(yield* u.signal(SIGUSR1, SIG_DFL), 0, 'restore SIGUSR1');
    t.hk.eq(yield* u.signal(SIGUSR2, SIG_DFL), 0, 'restore SIGUSR2');
  }),

  test('sig_ignore', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    for (const sig of [SIGTERM, SIGUSR1, SIGHUP, SIGALRM]) {
      t.eq(yield* u.signal(sig, SIG_IGN), 0, `ignore signal ${sig}`);
      t.eq(yield* u.kill(me, sig), 0, `send signal ${sig} to self`);
    }
    t.eq(yield* u.getpid(), me, 'still alive after ignored signals');
    t.eq(yield* u.sigpending(), 0, 'ignored signals are not pending');
    // Setting SIG_IGN discards a pending instance.
    t.eq(yield* u.signal(SIGUSR2, function* () { /* unused */ }), 0, 'catch SIGUSR2');
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR2), 0, 'block SIGUSR2');
    t.eq(yield* u.kill(me, SIGUSR2), 0, 'send SIGUSR2');
    t.eq(yield* u.sigpending(), USR2, 'SIGUSR2 is pending');
    t.eq(yield* u.signal(SIGUSR2, SIG_IGN), 0, 'now ignore it');
    t.eq(yield* u.sigpending(), 0, 'the pending instance is discarded');
    t.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR2, 'unblock');
    // An ignoring child survives SIGTERM, ignored actions survive fork.
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), 0, 'block SIGUSR1');
    t.eq(yield* u.signal(SIGUSR1, function* () { /* ready */ }), 0, 'catch SIGUSR1');
    const c = yield* forkReady(t, u, function* (cu: Libc): Co<number> {
      yield* cu.signal(SIGUSR1, SIG_DFL);
      yield* ready(cu);
      yield* cu.pause();
      return 1;
    }, 'child');
    t.eq(yield* u.kill(c, SIGTERM), 0, 'SIGTERM to the child');
    t.eq(yield* u.kill(c, SIGHUP), 0, 'SIGHUP to the child');
    const [w] = yield* u.waitpid(c, WNOHANG);
    t.eq(w, 0, 'the child ignored them');
    t.eq(yield* u.kill(c, 0), 0, 'and is alive');
    t.eq(yield* u.kill(c, SIGKILL), 0, 'SIGKILL is not ignored');
    yield* reapSignaled(t, u, c, SIGKILL, 'ignoring child');
    for (const sig of [SIGTERM, SIGUSR1, SIGUSR2, SIGHUP, SIGALRM]) yield* u.signal(sig, SIG_DFL);
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR1, 'restore the mask');
  }),

  test('sig_default', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    const terms = [SIGTERM, SIGUSR1, SIGHUP, SIGINT, SIGALRM];
    for (const sig of terms) {
      const c = t.okCall(yield* u.fork(pauser), `fork for ${sig}`);
      t.eq(yield* u.kill(c, sig), 0, `send ${sig}`);
      const s = yield* reapSignaled(t, u, c, sig, `default action of ${sig}`);
      t.eq(s & WCOREFLAG, 0, `signal ${sig} does not dump core`);
    }
    for (const sig of [SIGQUIT, SIGABRT]) {
      const c = t.okCall(yield* u.fork(pauser), `fork for ${sig}`);
      t.eq(yield* u.kill(c, sig), 0, `send ${sig}`);
      const s = yield* reapSignaled(t, u, c, sig, `default action of ${sig}`);
      t.ok((s & WCOREFLAG) !== 0, `signal ${sig} terminates with core`);
    }
    // Ignored by default: the process goes on.
    for (const sig of [SIGCHLD, SIGURG, SIGCONT]) t.eq(yield* u.kill(me, sig), 0, `signal ${sig} to self`);
    t.eq(yield* u.getpid(), me, 'SIGCHLD, SIGURG and SIGCONT do not kill');
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      yield* cu.kill(yield* cu.getpid(), SIGCHLD);
      return 6;
    }), 'fork');
    yield* reapExit(t, u, c, 6, 'child sending itself SIGCHLD');
  }),

  test('sig_mask', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    const order: number[] = [];
    const h = function* (_c: LibcCore, sig: number): Co<void> { order.push(sig); };
    t.eq(yield* u.signal(SIGUSR1, h), 0, 'catch SIGUSR1');
    t.eq(yield* u.signal(SIGUSR2, h), 0, 'catch SIGUSR2');
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), 0, 'block SIGUSR1: old mask empty');
    t.eq(yield* maskOf(u), USR1, 'the mask holds SIGUSR1');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send SIGUSR1');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'twice');
    t.eq(order.length, 0, 'a blocked signal is not delivered');
    t.eq(yield* u.sigpending(), USR1, 'it is pending');
    t.eq(yield* u.sigprocmask(SIG_UNBLOCK, USR1), USR1, 'unblock returns the old mask');
    t.eq(order.length, 1, 'delivered on unblock, once (signals do not queue)');
    t.eq(order[0], SIGUSR1, 'SIGUSR1');
    t.eq(yield* u.sigpending(), 0, 'nothing pending');
    // SIGKILL and SIGSTOP cannot be blocked.
    t.eq(yield* u.sigprocmask(SIG_SETMASK, sigbit(SIGKILL) | sigbit(SIGSTOP) | USR2), 0, 'try to block SIGKILL and SIGSTOP');
    t.eq(yield* maskOf(u), USR2, 'only SIGUSR2 is blocked');
    t.err(yield* u.sigprocmask(99, USR1), EINVAL, 'an invalid how');
    t.eq(yield* maskOf(u), USR2, 'the mask did not change');
    // Fork: the mask is inherited, the pending set is not.
    t.eq(yield* u.kill(me, SIGUSR2), 0, 'SIGUSR2 pending in the parent');
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      ct.eq(yield* maskOf(cu), USR2, 'the child inherits the mask');
      ct.eq(yield* cu.sigpending(), 0, 'but not the pending signals');
      return 0;
    }), 'fork');
    yield* reapExit(t, u, c, 0, 'child');
    t.eq(yield* u.sigpending(), USR2, 'the parent\'s signal is still pending');
    // Two signals pending at once: both run on unblock, and the mask ends up as set.
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), USR2, 'block SIGUSR1 too');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send SIGUSR1');
    t.eq(yield* u.sigpending(), USR1 | USR2, 'both pending');
    order.length = 0;
    t.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR1 | USR2, 'unblock both');
    t.eq(order.length, 2, 'both handlers ran');
    t.ok(order.indexOf(SIGUSR1) >= 0 && order.indexOf(SIGUSR2) >= 0, 'one each');
    t.eq(yield* maskOf(u), 0, 'the mask is empty after the handlers');
    t.eq(yield* u.sigpending(), 0, 'nothing pending');
    yield* u.signal(SIGUSR1, SIG_DFL);
    yield* u.signal(SIGUSR2, SIG_DFL);
  }),

  test('sig_pending', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    // A blocked signal with a terminating default action stays pending and harmless.
    t.eq(yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGTERM) | sigbit(SIGHUP)), 0, 'block SIGTERM and SIGHUP');
    t.eq(yield* u.kill(me, SIGTERM), 0, 'send SIGTERM');
    t.eq(yield* u.kill(me, SIGHUP), 0, 'send SIGHUP');
    t.eq(yield* u.sigpending(), sigbit(SIGTERM) | sigbit(SIGHUP), 'both pending');
    t.eq(yield* u.signal(SIGTERM, SIG_IGN), 0, 'ignore SIGTERM');
    t.eq(yield* u.signal(SIGHUP, SIG_IGN), 0, 'ignore SIGHUP');
    t.eq(yield* u.sigpending(), 0, 'ignoring discards them');
    t.eq(yield* u.sigprocmask(SIG_SETMASK, 0), sigbit(SIGTERM) | sigbit(SIGHUP), 'unblock');
    t.eq(yield* u.getpid(), me, 'still alive');
    yield* u.signal(SIGTERM, SIG_DFL);
    yield* u.signal(SIGHUP, SIG_DFL);
    // A child sees its pending set grow while it waits for another signal.
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), 0, 'block SIGUSR1');
    t.eq(yield* u.signal(SIGUSR1, function* () { /* ready */ }), 0, 'catch SIGUSR1');
    const c = yield* forkReady(t, u, function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      let got1 = 0;
      let got2 = 0;
      yield* cu.signal(SIGUSR1, function* () { got1++; });
      yield* cu.signal(SIGUSR2, function* () { got2++; });
      ct.eq(yield* cu.sigprocmask(SIG_BLOCK, USR2), USR1, 'child blocks SIGUSR2 as well');
      yield* cu.kill(yield* cu.getppid(), SIGUSR1);
      // Wait for SIGUSR2 only; SIGUSR1 stays blocked.
      ct.err(yield* cu.sigsuspend(USR1), EINTR, 'woken by SIGUSR2');
      ct.eq(got2, 1, 'the SIGUSR2 handler ran');
      ct.eq(got1, 0, 'SIGUSR1 was held');
      ct.eq(yield* cu.sigpending(), USR1, 'SIGUSR1 is pending');
      ct.eq(yield* maskOf(cu), USR1 | USR2, 'sigsuspend restored the mask');
      ct.eq(yield* cu.sigprocmask(SIG_SETMASK, 0), USR1 | USR2, 'unblock');
      ct.eq(got1, 1, 'now SIGUSR1 is delivered');
      return 0;
    }, 'child');
    t.eq(yield* u.kill(c, SIGUSR1), 0, 'SIGUSR1 to the child');
    t.eq(yield* u.kill(c, SIGUSR2), 0, 'SIGUSR2 to the child');
    yield* reapExit(t, u, c, 0, 'child');
    yield* u.signal(SIGUSR1, SIG_DFL);
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR1, 'restore the mask');
  }),

  test('sig_suspend', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    let got = 0;
    let maskIn = -1;
    const act = yield* u.sigaction(SIGUSR1, {
      handler: function* (c: LibcCore, sig: number): Co<void> { got = sig; maskIn = yield* maskOf(c); }, mask: 0, flags: 0,
    });
    t.ok(act !== null, 'catch SIGUSR1');
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), 0, 'block SIGUSR1');
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      yield* cu.kill(me, SIGUSR1);
      return 0;
    }), 'fork the signalling child');
    t.err(yield* u.sigsuspend(USR2), EINTR, 'sigsuspend returns -1/EINTR');
    t.eq(got, SIGUSR1, 'the handler ran');
    t.eq(maskIn, USR1 | USR2, 'the handler ran with the sigsuspend mask plus the signal');
    t.eq(yield* maskOf(u), USR1, 'the mask is restored afterwards');
    yield* reapExit(t, u, c, 0, 'signalling child');
    // A signal already pending ends sigsuspend at once.
    got = 0;
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'make SIGUSR1 pending');
    t.eq(got, 0, 'held');
    t.err(yield* u.sigsuspend(0), EINTR, 'sigsuspend with a pending signal');
    t.eq(got, SIGUSR1, 'the pending signal was delivered');
    t.eq(yield* u.sigpending(), 0, 'nothing pending');
    // pause(): the child waits a little before signalling.
    t.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR1, 'unblock SIGUSR1');
    got = 0;
    const c2 = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      for (let i = 0; i < 3; i++) yield* cu.compute(200_000);
      yield* cu.kill(me, SIGUSR1);
      return 0;
    }), 'fork the slow child');
    t.err(yield* u.pause(), EINTR, 'pause returns -1/EINTR');
    t.eq(got, SIGUSR1, 'after the handler ran');
    t.eq(maskIn, USR1, 'with the signal blocked in the handler');
    t.eq(yield* maskOf(u), 0, 'pause leaves the mask alone');
    yield* reapExit(t, u, c2, 0, 'slow child');
    yield* u.signal(SIGUSR1, SIG_DFL);
  }),

  test('sig_flags', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    let count = 0;
    let maskIn = -1;
    const h = function* (c: LibcCore): Co<void> { count++; maskIn = yield* maskOf(c); };
    // Plain: the signal and sa_mask are blocked during the handler.
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h, mask: sigbit(SIGHUP), flags: 0 })) !== null, 'plain handler');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(maskIn, USR1 | sigbit(SIGHUP), 'the handler mask holds the signal and sa_mask');
    t.eq(yield* maskOf(u), 0, 'restored after the handler');
    // SA_NODEFER: the signal itself is not blocked.
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h, mask: sigbit(SIGHUP), flags: SA_NODEFER })) !== null, 'SA_NODEFER');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(maskIn, sigbit(SIGHUP), 'only sa_mask is blocked');
    const q = t.okCall(yield* u.sigaction(SIGUSR1, null), 'query')!;
    t.eq(q.flags, SA_NODEFER, 'the flags are kept');
    t.eq(q.handler, h, 'so is the handler');
    // SA_RESETHAND: the handler runs once, then the action is SIG_DFL.
    count = 0;
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h, mask: 0, flags: SA_RESETHAND })) !== null, 'SA_RESETHAND');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(count, 1, 'the handler ran');
    const q2 = t.okCall(yield* u.sigaction(SIGUSR1, null), 'query')!;
    t.eq(q2.handler, SIG_DFL, 'the action was reset to SIG_DFL');
    // In a child, the second signal then kills.
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      let n = 0;
      const self = yield* cu.getpid();
      ct.ok((yield* cu.sigaction(SIGUSR2, { handler: function* () { n++; }, mask: 0, flags: SA_RESETHAND })) !== null, 'child: SA_RESETHAND');
      yield* cu.kill(self, SIGUSR2);
      ct.eq(n, 1, 'child: the handler ran once');
      yield* cu.kill(self, SIGUSR2);
      return 1;
    }), 'fork');
    yield* reapSignaled(t, u, c, SIGUSR2, 'the second SIGUSR2 used the default action');
    yield* u.signal(SIGUSR1, SIG_DFL);
  }),

  test('sig_nested', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    let depth = 0;
    let maxDepth = 0;
    let count = 0;
    const h = function* (c: LibcCore): Co<void> {
      depth++; count++;
      if (depth > maxDepth) maxDepth = depth;
      if (count === 1) yield* (c as Libc).kill(me, SIGUSR1);
      depth--;
    };
    // Without SA_NODEFER the signal sent from its own handler waits for the handler to return.
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h, mask: 0, flags: 0 })) !== null, 'install');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(count, 2, 'the handler ran twice');
    t.eq(maxDepth, 1, 'one after the other');
    t.eq(depth, 0, 'both returned');
    t.eq(yield* maskOf(u), 0, 'the mask is back to empty');
    // With SA_NODEFER it nests.
    count = 0; maxDepth = 0;
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h, mask: 0, flags: SA_NODEFER })) !== null, 'install SA_NODEFER');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(count, 2, 'the handler ran twice');
    t.eq(maxDepth, 2, 'nested');
    t.eq(yield* maskOf(u), 0, 'the mask is back to empty');
    // A different signal interrupts a handler unless sa_mask blocks it.
    const seq: string[] = [];
    const h2 = function* (): Co<void> { seq.push('usr2'); };
    const h1 = function* (c: LibcCore): Co<void> {
      seq.push('usr1<');
      yield* (c as Libc).kill(me, SIGUSR2);
      seq.push('usr1>');
    };
    t.eq(yield* u.signal(SIGUSR2, h2), 0, 'catch SIGUSR2');
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h1, mask: 0, flags: 0 })) !== null, 'SIGUSR1 without sa_mask');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(seq.join(','), 'usr1<,usr2,usr1>', 'SIGUSR2 interrupted the SIGUSR1 handler');
    seq.length = 0;
    t.ok((yield* u.sigaction(SIGUSR1, { handler: h1, mask: USR2, flags: 0 })) !== null, 'SIGUSR1 with sa_mask SIGUSR2');
    t.eq(yield* u.kill(me, SIGUSR1), 0, 'send');
    t.eq(seq.join(','), 'usr1<,usr1>,usr2', 'SIGUSR2 waited for the handler');
    t.eq(yield* maskOf(u), 0, 'the mask is back to empty');
    yield* u.signal(SIGUSR1, SIG_DFL);
    yield* u.signal(SIGUSR2, SIG_DFL);
  }),

  test('sig_kill', 'signal', function* (t: T, u: Libc): Co<void> {
    const h = function* (): Co<void> { /* never */ };
    t.err(yield* u.sigaction(SIGKILL, { handler: h, mask: 0, flags: 0 }), EINVAL, 'catch SIGKILL');
    t.err(yield* u.sigaction(SIGKILL, { handler: SIG_IGN, mask: 0, flags: 0 }), EINVAL, 'ignore SIGKILL');
    t.err(yield* u.sigaction(SIGSTOP, { handler: h, mask: 0, flags: 0 }), EINVAL, 'catch SIGSTOP');
    t.err(yield* u.sigaction(SIGSTOP, { handler: SIG_IGN, mask: 0, flags: 0 }), EINVAL, 'ignore SIGSTOP');
    const q = t.okCall(yield* u.sigaction(SIGKILL, null), 'query SIGKILL')!;
    t.eq(q.handler, SIG_DFL, 'SIGKILL stays SIG_DFL');
    t.eq(yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGKILL)), 0, 'blocking SIGKILL is not an error');
    t.eq(yield* maskOf(u), 0, 'but has no effect');
    // A child that ignores and blocks everything still dies of SIGKILL.
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), 0, 'block SIGUSR1');
    t.eq(yield* u.signal(SIGUSR1, function* () { /* ready */ }), 0, 'catch SIGUSR1');
    const c = yield* forkReady(t, u, function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      let refused = 0;
      for (let sig = 1; sig < NSIG; sig++) {
        if (sig === SIGKILL || sig === SIGSTOP) continue;
        if ((yield* cu.signal(sig, SIG_IGN)) < 0) refused++;
      }
      ct.eq(refused, 0, 'every other signal can be ignored');
      ct.eq(yield* cu.sigprocmask(SIG_SETMASK, 0xffffffff), USR1, 'block everything');
      ct.eq(yield* maskOf(cu), (0xffffffff & ~(sigbit(SIGKILL) | sigbit(SIGSTOP))) >>> 0, 'all but SIGKILL and SIGSTOP');
      yield* cu.kill(yield* cu.getppid(), SIGUSR1);
      for (let i = 0; i < 4; i++) yield* cu.pause();
      return 1;
    }, 'the stubborn child');
    for (const sig of [SIGTERM, SIGINT, SIGSEGV, SIGUSR2]) t.eq(yield* u.kill(c, sig), 0, `send ${sig}`);
    t.eq(yield* u.kill(c, 0), 0, 'the child is still alive');
    t.eq(yield* u.kill(c, SIGKILL), 0, 'SIGKILL');
    yield* reapSignaled(t, u, c, SIGKILL, 'stubborn child');
    yield* u.signal(SIGUSR1, SIG_DFL);
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR1, 'restore the mask');
  }),

  test('sig_pgrp', 'signal', function* (t: T, u: Libc): Co<void> {
    t.eq(yield* u.sigprocmask(SIG_BLOCK, USR1), 0, 'block SIGUSR1');
    t.eq(yield* u.signal(SIGUSR1, function* () { /* ready */ }), 0, 'catch SIGUSR1');
    const waiter = (code: number) => function* (cu: Libc): Co<number> {
      let got = 0;
      yield* cu.signal(SIGUSR1, SIG_DFL);
      yield* cu.signal(SIGUSR2, function* () { got++; });
      yield* cu.sigprocmask(SIG_SETMASK, USR2);
      yield* ready(cu);
      yield* cu.sigsuspend(0);
      return got === 1 ? code : 1;
    };
    const kids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = yield* forkReady(t, u, waiter(40 + i), `group member ${i}`);
      t.eq(yield* u.setpgid(c, kids.length ? kids[0]! : c), 0, `put member ${i} in the group`);
      kids.push(c);
    }
    const g = kids[0]!;
    t.eq(yield* u.kill(-g, 0), 0, 'the group exists');
    t.err(yield* u.kill(-(g + 5000), SIGUSR2), ESRCH, 'kill of a nonexistent group');
    t.eq(yield* u.kill(-g, SIGUSR2), 0, 'SIGUSR2 to the group');
    for (let i = 0; i < 3; i++) yield* reapExit(t, u, kids[i]!, 40 + i, `member ${i} caught it`);
    t.err(yield* u.kill(-g, 0), ESRCH, 'the group is gone');
    // kill(0, sig) signals the caller's own group, itself included.
    kids.length = 0;
    for (let i = 0; i < 2; i++) {
      const c = yield* forkReady(t, u, pauserReady, `second group member ${i}`);
      t.eq(yield* u.setpgid(c, kids.length ? kids[0]! : c), 0, `put it in the group`);
      kids.push(c);
    }
    const killer = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      yield* cu.setpgid(0, kids[0]!);
      yield* cu.kill(0, SIGTERM);
      return 2;
    }), 'fork the killer');
    yield* reapSignaled(t, u, killer, SIGTERM, 'kill(0) also hit the sender');
    for (const c of kids) yield* reapSignaled(t, u, c, SIGTERM, 'group member');
    t.ok((yield* u.getpgrp()) > 0, 'the parent, in another group, survived');
    yield* u.signal(SIGUSR1, SIG_DFL);
    t.hk.eq(yield* u.sigprocmask(SIG_SETMASK, 0), USR1, 'restore the mask');
  }),

  test('sig_eintr', 'signal', function* (t: T, u: Libc): Co<void> {
    const me = yield* u.getpid();
    let got = 0;
    t.eq(yield* u.signal(SIGUSR1, function* (_c, sig) { got = sig; }), 0, 'catch SIGUSR1');
    const a = t.okCall(yield* u.fork(pauser), 'fork the long-lived child');
    const b = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      for (let i = 0; i < 3; i++) yield* cu.compute(200_000);
      yield* cu.kill(me, SIGUSR1);
      return 0;
    }), 'fork the signalling child');
    const [w, s] = yield* u.waitpid(a);
    t.err(w, EINTR, 'a caught signal interrupts waitpid');
    t.eq(s, 0, 'no status');
    t.eq(got, SIGUSR1, 'the handler ran');
    yield* reapExit(t, u, b, 0, 'signalling child');
    // A default-ignored SIGCHLD does not interrupt; a caught one does.
    const b2 = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      for (let i = 0; i < 3; i++) yield* cu.compute(200_000);
      return 5;
    }), 'fork a child that just exits');
    let chld = 0;
    t.eq(yield* u.signal(SIGCHLD, function* () { chld++; }), 0, 'catch SIGCHLD');
    const [w2] = yield* u.waitpid(a);
    t.err(w2, EINTR, 'the caught SIGCHLD of another child interrupts waitpid');
    t.eq(chld, 1, 'the SIGCHLD handler ran');
    yield* reapExit(t, u, b2, 5, 'exiting child');
    t.eq(yield* u.signal(SIGCHLD, SIG_DFL), 0, 'default SIGCHLD');
    const [w3] = yield* u.waitpid(a, WNOHANG);
    t.eq(w3, 0, 'the long-lived child is still running');
    t.hk.eq(yield* u.kill(a, SIGTERM), 0, 'end it');
    yield* reapSignaled(t.hk, u, a, SIGTERM, 'long-lived child');
    yield* u.signal(SIGUSR1, SIG_DFL);
  }),

  test('sig_alarm', 'signal', function* (t: T, u: Libc): Co<void> {
    let got = 0;
    t.eq(yield* u.signal(SIGALRM, function* (_c, sig) { got = sig; }), 0, 'catch SIGALRM');
    t.eq(yield* u.alarm(0), 0, 'no alarm to cancel');
    const t0 = yield* u.clock();
    t.eq(yield* u.alarm(1), 0, 'alarm(1)');
    t.err(yield* u.pause(), EINTR, 'pause ends with the alarm');
    const t1 = yield* u.clock();
    t.eq(got, SIGALRM, 'SIGALRM was caught');
    t.ok(t1 - t0 >= 1e9, `at least a second passed (${t1 - t0} ns)`);
    t.ok(t1 - t0 < 1.01e9, 'but not much more');
    t.eq(yield* u.alarm(0), 0, 'the alarm is used up');
    // Replacing and cancelling return the seconds left.
    got = 0;
    t.eq(yield* u.alarm(10), 0, 'alarm(10)');
    t.eq(yield* u.alarm(3), 10, 'alarm(3) returns the 10 seconds left (rounded up)');
    yield* u.compute(1_000_000);
    t.eq(yield* u.alarm(0), 3, 'alarm(0) cancels and returns 3');
    yield* u.compute(1_000_000);
    t.eq(got, 0, 'no SIGALRM after cancelling');
    // Alarms are per process and not inherited; the default action kills.
    t.eq(yield* u.alarm(5), 0, 'alarm(5) in the parent');
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      ct.eq(yield* cu.alarm(0), 0, 'the child has no alarm');
      yield* cu.signal(SIGALRM, SIG_DFL);
      ct.eq(yield* cu.alarmNs(1_000_000), 0, 'child alarm in 1 ms');
      for (let i = 0; i < 4; i++) yield* cu.pause();
      return 1;
    }), 'fork');
    yield* reapSignaled(t, u, c, SIGALRM, 'the child\'s alarm killed it');
    t.eq(got, 0, 'the parent got no SIGALRM');
    t.eq(yield* u.alarm(0), 5, 'the parent\'s alarm went on running (just under 5 s left)');
    yield* u.signal(SIGALRM, SIG_DFL);
  }),

  test('sig_chld', 'signal', function* (t: T, u: Libc): Co<void> {
    let got = 0;
    let count = 0;
    t.eq(yield* u.signal(SIGCHLD, function* (_c, sig) { got = sig; count++; }), 0, 'catch SIGCHLD');
    t.eq(yield* u.sigprocmask(SIG_BLOCK, sigbit(SIGCHLD)), 0, 'block SIGCHLD');
    const c = t.okCall(yield* u.fork(function* (): Co<number> { return 3; }), 'fork');
    t.err(yield* u.sigsuspend(0), EINTR, 'SIGCHLD ends sigsuspend');
    t.eq(got, SIGCHLD, 'the handler got SIGCHLD');
    t.eq(count, 1, 'once');
    yield* reapExit(t, u, c, 3, 'child');
    // A child killed by a signal also raises SIGCHLD.
    const k = t.okCall(yield* u.fork(pauser), 'fork a victim');
    t.eq(yield* u.kill(k, SIGTERM), 0, 'kill it');
    t.eq(yield* u.sigpending(), sigbit(SIGCHLD), 'SIGCHLD is pending while blocked');
    t.eq(yield* u.sigprocmask(SIG_SETMASK, 0), sigbit(SIGCHLD), 'unblock');
    t.eq(count, 2, 'the handler ran for the killed child');
    yield* reapSignaled(t, u, k, SIGTERM, 'victim');
    // A parent waiting for the child gets SIGCHLD as well as the status.
    const w = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      for (let i = 0; i < 3; i++) yield* cu.compute(100_000);
      return 8;
    }), 'fork a slow child');
    yield* reapExit(t, u, w, 8, 'waited-for child');
    t.eq(count, 3, 'SIGCHLD was generated for the waited-for child too');
    // Grandchildren do not signal us.
    const p = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      yield* cu.signal(SIGCHLD, SIG_DFL);
      const g = yield* cu.fork(function* (): Co<number> { return 0; });
      yield* cu.waitpid(g);
      return 0;
    }), 'fork a parent of a grandchild');
    yield* reapExit(t, u, p, 0, 'middle child');
    t.eq(count, 4, 'exactly one SIGCHLD for the middle child');
    t.hk.eq(yield* u.signal(SIGCHLD, SIG_DFL), 0, 'restore SIGCHLD');
  }),

  test('sig_segv', 'signal', function* (t: T, u: Libc): Co<void> {
    const cases: [string, (c: Libc) => Co<number>][] = [
      ['read of address 0', function* (c: Libc): Co<number> { c.peek(0, 4); return 0; }],
      ['write to address 0', function* (c: Libc): Co<number> { c.pokeU32(8, 1); return 0; }],
      ['read past the address space', function* (c: Libc): Co<number> { c.peek(VPAGES * PAGE_SIZE + 16, 4); return 0; }],
      ['read of an unmapped region', function* (c: Libc): Co<number> {
        const m = yield* c.mmap(PAGE_SIZE);
        c.pokeU32(m, 5);
        yield* c.munmap(m, PAGE_SIZE);
        c.peekU32(m);
        return 0;
      }],
    ];
    for (const [what, body] of cases) {
      const c = t.okCall(yield* u.fork(body), `fork: ${what}`);
      const s = yield* reapSignaled(t, u, c, SIGSEGV, what);
      t.ok((s & WCOREFLAG) !== 0, `${what}: core flag`);
    }
    // A fault kills even with a handler installed (there is nothing to return to).
    const h = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      yield* c.signal(SIGSEGV, function* () { /* would loop */ });
      c.peek(0, 1);
      return 0;
    }), 'fork: fault with a handler');
    yield* reapSignaled(t, u, h, SIGSEGV, 'fault with a handler');
    // SIGSEGV sent by kill() is an ordinary signal.
    const k = t.okCall(yield* u.fork(function* (c: Libc): Co<number> {
      let got = 0;
      yield* c.signal(SIGSEGV, function* (_c, sig) { got = sig; });
      yield* c.kill(yield* c.getpid(), SIGSEGV);
      return got === SIGSEGV ? 12 : 1;
    }), 'fork: kill(SIGSEGV) with a handler');
    yield* reapExit(t, u, k, 12, 'a kill()ed SIGSEGV is caught');
    t.ok((yield* u.getpid()) > 1, 'the parent is unaffected');
  }),

  test('sig_exec', 'signal', function* (t: T, u: Libc, argv: string[]): Co<void> {
    const path = '/tmp/sig_exec.prog';
    if (argv[1] === 'child') {
      // The exec'd image: caught -> default, ignored stays, mask and pending kept, alarm kept.
      t.eq(String(yield* u.getpid()), argv[2], 'exec keeps the pid');
      const a = t.okCall(yield* u.sigaction(SIGUSR1, null), 'query SIGUSR1')!;
      t.eq(a.handler, SIG_DFL, 'a caught signal reverts to SIG_DFL');
      t.eq(a.mask, 0, 'with no mask');
      const b = t.okCall(yield* u.sigaction(SIGUSR2, null), 'query SIGUSR2')!;
      t.eq(b.handler, SIG_IGN, 'an ignored signal stays ignored');
      t.eq(yield* maskOf(u), sigbit(SIGHUP), 'the mask is kept');
      t.eq(yield* u.sigpending(), sigbit(SIGHUP), 'the pending signal is kept');
      const left = yield* u.alarm(0);
      t.ok(left >= 1 && left <= 100, `the alarm is kept (${left} s left)`);
      return;
    }
    t.ok((yield* u.writeFile(path, '#!osiris sig_exec\n', 0o755)) > 0, 'create the program file');
    const c = t.okCall(yield* u.fork(function* (cu: Libc): Co<number> {
      const ct = new T(cu);
      const pid = yield* cu.getpid();
      ct.eq(yield* cu.signal(SIGUSR1, function* () { /* replaced by exec */ }), 0, 'catch SIGUSR1');
      ct.eq(yield* cu.signal(SIGUSR2, SIG_IGN), 0, 'ignore SIGUSR2');
      ct.eq(yield* cu.sigprocmask(SIG_BLOCK, sigbit(SIGHUP)), 0, 'block SIGHUP');
      ct.eq(yield* cu.kill(pid, SIGHUP), 0, 'make SIGHUP pending');
      ct.eq(yield* cu.alarm(100), 0, 'alarm(100)');
      yield* cu.exec(path, ['sig_exec', 'child', String(pid)]);
      return 100 + cu.errno;
    }), 'fork the exec child');
    yield* reapExit(t, u, c, 0, 'the exec\'d copy passed its checks');
    t.hk.eq(yield* u.unlink(path), 0, 'unlink the program file');
  }),
];

/** A group member that reports ready and then pauses until killed. */
function* pauserReady(c: Libc): Co<number> {
  yield* c.signal(SIGUSR1, SIG_DFL);
  yield* c.sigprocmask(SIG_SETMASK, 0);
  yield* ready(c);
  return yield* pauser(c);
}
