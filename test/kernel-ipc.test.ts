/* IPC semantics of the kernel: rendezvous, copying, sendrec, notify, asynsend, refusals, deadlock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bareKernel, spawn } from './helpers/kernel-fixture';
import { asynsend, notify, receive, send, sendrec, sendnb } from '../src/os/kernel/ipc-api';
import { Co, Msg } from '../src/os/kernel/types';
import { ANY } from '../src/os/proto/endpoints';
import { EDEADSRCDST, ELOCKED, ENOTREADY } from '../src/os/proto/errno';
import { NOTIFY_MESSAGE } from '../src/os/proto/calls';

test('send blocks until the receiver receives, and the message is copied with its source', () => {
  const k = bareKernel();
  const sent = { type: 42, payload: 'x' };
  let got = null as Msg | null;
  let sendResult: unknown;
  spawn(k, 10, 'a', (function* (): Co<void> { sendResult = yield send(11, sent); yield receive(99); })());
  spawn(k, 11, 'b', (function* (): Co<void> { got = yield receive(ANY); yield receive(99); })());
  const halt = k.run();
  assert.equal(halt.kind, 'deadlock');
  assert.ok(got);
  assert.notEqual(got, sent, 'delivered message is a copy');
  assert.equal(got!.type, 42);
  assert.equal(got!.source, 10);
  assert.equal(sendResult, 0);
});

// Message type 1 has no layout: the kernel moves any message, so these requests are cast past sendrec's layout check.
test('sendrec waits for the reply from its destination only; notifications are not taken as the reply', () => {
  const k = bareKernel();
  const order: string[] = [];
  spawn(k, 10, 'client', (function* (): Co<void> {
    const r: Msg = yield sendrec(11, { type: 1 } as never);
    order.push(`reply ${r.type} from ${r.source}`);
    const n: Msg = yield receive(ANY);
    order.push(`then ${n.type === NOTIFY_MESSAGE ? 'notify' : n.type} from ${n.source}`);
    yield receive(99);
  })());
  spawn(k, 11, 'server', (function* (): Co<void> {
    const m: Msg = yield receive(ANY);
    yield notify(m.source); // must not satisfy the sendrec
    order.push('notified');
    yield sendnb(m.source, { type: 7 });
    yield receive(99);
  })());
  k.run();
  assert.deepEqual(order, ['notified', 'reply 7 from 11', 'then notify from 11']);
});

test('notifications coalesce while pending', () => {
  const k = bareKernel();
  const seen: number[] = [];
  spawn(k, 10, 'n', (function* (): Co<void> { yield notify(11); yield notify(11); yield notify(11); yield receive(99); })());
  spawn(k, 11, 'r', (function* (): Co<void> {
    yield send(12, { type: 1 }); // blocks until 12 receives; meanwhile the notifications arrive
    while (true) { const m: Msg = yield receive(ANY); seen.push(m.source); }
  })());
  spawn(k, 12, 'late', (function* (): Co<void> { yield receive(ANY); yield receive(99); })());
  k.run();
  assert.deepEqual(seen, [10], 'three notifications from 10 arrive as one');
});

test('a send cycle is refused with ELOCKED instead of deadlocking', () => {
  const k = bareKernel();
  let r: unknown;
  spawn(k, 10, 'a', (function* (): Co<void> { yield send(11, { type: 1 }); yield receive(99); })());
  spawn(k, 11, 'b', (function* (): Co<void> { r = yield send(10, { type: 2 }); yield receive(99); })());
  k.run();
  assert.equal(r, -ELOCKED);
});

test('IPC to a dead or stale endpoint fails with EDEADSRCDST; sendnb to a busy process with ENOTREADY', () => {
  const k = bareKernel();
  const res: unknown[] = [];
  spawn(k, 10, 'a', (function* (): Co<void> {
    res.push(yield send(1024 * 3 + 11, { type: 1 })); // generation 3 of slot 11: stale
    const rr: Msg = yield sendrec(30, { type: 1 } as never); // empty slot
    res.push(rr.type);
    res.push(yield sendnb(11, { type: 1 }));
    yield receive(99);
  })());
  spawn(k, 11, 'b', (function* (): Co<void> { yield receive(99); })());
  k.run();
  assert.deepEqual(res, [-EDEADSRCDST, -EDEADSRCDST, -ENOTREADY]);
});

test('asynsend is buffered and received in order; receive from one endpoint skips others', () => {
  const k = bareKernel();
  const got: string[] = [];
  spawn(k, 10, 'a', (function* (): Co<void> { yield asynsend(12, { type: 1 }); yield asynsend(12, { type: 2 }); yield receive(99); })());
  spawn(k, 11, 'b', (function* (): Co<void> { yield send(12, { type: 3 }); yield receive(99); })());
  spawn(k, 12, 'c', (function* (): Co<void> {
    yield send(13, { type: 0 }); // let a and b run first
    const first: Msg = yield receive(11);
    got.push(`${first.source}:${first.type}`);
    for (let i = 0; i < 2; i++) { const m: Msg = yield receive(ANY); got.push(`${m.source}:${m.type}`); }
    yield receive(99);
  })());
  spawn(k, 13, 'd', (function* (): Co<void> { yield receive(ANY); yield receive(99); })());
  k.run();
  assert.deepEqual(got, ['11:3', '10:1', '10:2']);
});

test('a server that never stops making kernel calls is caught by the step budget as a hang', () => {
  const k = bareKernel();
  const { SysCalls } = require('../src/os/kernel/syscalls') as typeof import('../src/os/kernel/syscalls');
  spawn(k, 10, 'spinner', (function* (): Co<void> {
    const sys = new SysCalls(k, k.procs[10]!);
    yield receive(ANY);
    while (true) sys.times(10);
  })());
  spawn(k, 11, 'client', (function* (): Co<void> { yield sendrec(10, { type: 1 } as never); })());
  const halt = k.run();
  assert.equal(k.crashes.length, 1);
  assert.equal(k.crashes[0]!.reason, 'hang');
  assert.equal(k.crashes[0]!.name, 'spinner');
  assert.equal(halt.kind, 'deadlock', 'the client waits forever for the dead server');
});
