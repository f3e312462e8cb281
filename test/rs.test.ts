/*
 * RS, driven directly: a fake kernel records privctl, alarms, fi arming and
 * aborts; heartbeat ticks, pongs and crash reports arrive as notifications.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rsServer } from '../src/os/servers/rs/main';
import { HEARTBEAT_NS } from '../src/os/servers/rs/heartbeat';
import { RsState, RSF_CRASHED, RSF_INIT_DONE } from '../src/os/servers/rs/state';
import { SysCalls } from '../src/os/kernel/syscalls';
import { Co, T_NOTIFY, Trap } from '../src/os/kernel/types';
import type { Args, MsgType, ReplyFields, Req } from '../src/os/proto/messages';

/**
 * The harness drives a message type with any subset of its layout's fields (malformed requests leave some out),
 * so a request is cast to the handler's type; a reply is read as its requester reads it, every field typed.
 */
type Out<T extends MsgType> = { type: number } & ReplyFields<T>;
import { ServerCtx } from '../src/os/sef/server';
import { PRIO_SYSTEM_HIGH } from '../src/os/kernel/proc';
import { CLOCK, DS, KERNEL, MFS, PM, RS, VFS, VM } from '../src/os/proto/endpoints';
import * as C from '../src/os/proto/calls';
import * as K from '../src/os/proto/kcalls';
import { EINVAL, ESRCH } from '../src/os/proto/errno';
import { SERVICE_CALL_MASKS, SERVICE_LABELS, callMaskOf } from '../src/os/proto/privileges';

const OTHERS = [PM, VFS, DS, VM, MFS];

class FakeSys {
  now = 5_000;
  privctls: [number, number, number][] = [];
  alarms: [number, boolean][] = [];
  fiArms: number[] = [];
  aborts: [string, string][] = [];
  crash: unknown = null;

  times(_ep: number): { now: number; user: number; sys: number } { return { now: this.now, user: 0, sys: 0 }; }
  absent = new Set<number>();
  privctl(ep: number, op: number, mask: number): number { this.privctls.push([ep, op, mask]); return this.absent.has(ep) ? -ESRCH : 0; }
  setalarm(at: number, watchdog = false): number { this.alarms.push([at, watchdog]); return -1; }
  fiArm(ep: number): number { this.fiArms.push(ep); return ep === 63 ? -ESRCH : 0; }
  serviceFiDelivery(): string { return 'next-request'; }
  getinfo(what: number): unknown { return what === K.GET_CRASHINFO ? this.crash : null; }
  abort(kind: string, reason: string): number { this.aborts.push([kind, reason]); return 0; }
  /** Without a recovery layer the kernel answers ENOSYS and RS ends the run. */
  recoverResult: string | number = -38;
  recovered: [number, string][] = [];
  recover(ep: number, reason: string): string | number { this.recovered.push([ep, reason]); return this.recoverResult; }
}

interface Env { ctx: ServerCtx<RsState>; sys: FakeSys }

function drive<T>(co: Co<T>): { result: T; traps: Trap[] } {
  const traps: Trap[] = [];
  let r = co.next();
  while (!r.done) {
    traps.push(r.value);
    r = co.next(0);
  }
  return { result: r.value, traps };
}

function boot(absent: number[] = []): Env {
  const sys = new FakeSys();
  for (const ep of absent) sys.absent.add(ep);
  const ctx: ServerCtx<RsState> = {
    st: rsServer.initialState({ programs: [] }),
    self: RS,
    name: 'rs',
    sys: sys as unknown as SysCalls,
    replyable: () => true,
  };
  drive(rsServer.initFresh!(ctx));
  return { ctx, sys };
}

function notification(env: Env, source: number): Trap[] {
  return drive(rsServer.notify!(env.ctx, { type: C.NOTIFY_MESSAGE, source, timestamp: 0 })).traps;
}

function pinged(traps: Trap[]): number[] {
  return traps.filter((t) => t.op === T_NOTIFY).map((t) => t.ep);
}

function request<T extends MsgType>(env: Env, source: number, m: { type: T } & Partial<Args<T>>): Out<T> {
  const e = rsServer.table[m.type as number];
  assert.ok(e, `no handler for 0x${m.type.toString(16)}`);
  const { result } = drive(e.handler(env.ctx, { ...m, source } as Req<T>));
  assert.ok(result);
  return result as Out<T>;
}

function status(env: Env, label: string): Out<typeof C.RS_STATUS> {
  return request(env, 200, { type: C.RS_STATUS, label });
}

test('the RS definition: slot, priority, all privileges', () => {
  assert.equal(rsServer.name, 'rs');
  assert.equal(rsServer.slot, RS);
  assert.equal(rsServer.prio, PRIO_SYSTEM_HIGH);
  assert.equal(rsServer.callMask, 0xffffffff);
  for (const t of [C.RS_SERVICE_FI, C.RS_LOOKUP, C.RS_INIT, C.RS_STATUS]) assert.ok(rsServer.table[t]);
});

test('the canonical privilege table', () => {
  assert.deepEqual([...SERVICE_LABELS], ['pm', 'vfs', 'rs', 'ds', 'vm', 'mfs']);
  const ds = callMaskOf(K.SYS_SAFECOPYFROM, K.SYS_SAFECOPYTO, K.SYS_TIMES, K.SYS_GETINFO, K.SYS_DIAGCTL);
  assert.equal(SERVICE_CALL_MASKS.ds, ds);
  // MFS also sets alarms: a sync waits for the disk.
  assert.equal(SERVICE_CALL_MASKS.mfs, (ds | (1 << K.SYS_SETALARM)) >>> 0);
  assert.equal(SERVICE_CALL_MASKS.pm & (1 << K.SYS_FORK), 0);
  assert.notEqual(SERVICE_CALL_MASKS.pm & (1 << K.SYS_SIGSEND), 0);
  assert.notEqual(SERVICE_CALL_MASKS.vm & (1 << K.SYS_FORK), 0);
  assert.notEqual(SERVICE_CALL_MASKS.vfs & (1 << K.SYS_SETGRANT), 0);
  assert.equal(SERVICE_CALL_MASKS.vfs & (1 << K.SYS_PRIVCTL), 0);
  assert.equal(SERVICE_CALL_MASKS.rs, 0xffffffff);
});

test('init fresh installs every other service\'s privileges and arms a watchdog heartbeat', () => {
  const { ctx, sys } = boot();
  assert.deepEqual(sys.privctls, [
    [PM, K.PRIV_ALLOW, SERVICE_CALL_MASKS.pm],
    [VFS, K.PRIV_ALLOW, SERVICE_CALL_MASKS.vfs],
    [DS, K.PRIV_ALLOW, SERVICE_CALL_MASKS.ds],
    [VM, K.PRIV_ALLOW, SERVICE_CALL_MASKS.vm],
    [MFS, K.PRIV_ALLOW, SERVICE_CALL_MASKS.mfs],
  ]);
  assert.deepEqual(sys.alarms, [[5_000 + HEARTBEAT_NS, true]]);
  assert.equal(ctx.st.heartbeatAt, 5_000 + HEARTBEAT_NS);
  assert.equal(ctx.st.services.filter((s) => s.inUse).length, 6);
  for (const l of SERVICE_LABELS) assert.equal(status({ ctx, sys }, l).alive, 1);
  assert.deepEqual(structuredClone(ctx.st), ctx.st);
});

test('a service missing from the boot leaves the table', () => {
  const env = boot([MFS]);
  assert.equal(request(env, 300, { type: C.RS_LOOKUP, label: 'mfs' }).type, -ESRCH);
  assert.deepEqual(pinged(notification(env, CLOCK)), [PM, VFS, DS, VM]);
});

test('heartbeat: ping every other service, count pongs, re-arm', () => {
  const env = boot();
  env.sys.now = 5_000 + HEARTBEAT_NS;
  assert.deepEqual(pinged(notification(env, CLOCK)), OTHERS);
  assert.deepEqual(env.sys.alarms[1], [5_000 + 2 * HEARTBEAT_NS, true]);
  for (const ep of OTHERS) notification(env, ep);
  assert.equal(env.ctx.st.counters.pongs, 5);
  assert.equal(env.ctx.st.counters.strayNotifies, 0);

  // All answered: the next tick pings again and nobody is hung.
  env.sys.now += HEARTBEAT_NS;
  assert.deepEqual(pinged(notification(env, CLOCK)), OTHERS);
  assert.deepEqual(env.sys.aborts, []);
  const pm = status(env, 'pm');
  assert.deepEqual([pm.type, pm.pings, pm.pongs, pm.alive, pm.restarts], [0, 2, 1, 1, 0]);
  assert.equal(env.ctx.st.counters.ticks, 2);

  // A notification nobody asked for is only counted.
  notification(env, PM);
  notification(env, PM);
  notification(env, 777);
  assert.equal(env.ctx.st.counters.strayNotifies, 2);
});

test('heartbeat: a service that misses a ping is hung, which is a crash', () => {
  const env = boot();
  notification(env, CLOCK);
  for (const ep of OTHERS) if (ep !== VM) notification(env, ep);
  const traps = notification(env, CLOCK);
  assert.deepEqual(pinged(traps), [PM, VFS, DS, MFS]);
  assert.equal(env.sys.aborts.length, 1);
  assert.equal(env.sys.aborts[0]![0], 'crash');
  assert.match(env.sys.aborts[0]![1], /^vm crashed \(hang\): no heartbeat reply/);
  assert.equal(env.ctx.st.counters.hangs, 1);
  assert.equal(status(env, 'vm').alive, 0);
  // The hung service is no longer pinged; a later kernel report of it is not handled twice.
  assert.deepEqual(pinged(notification(env, CLOCK)), []);
  env.sys.crash = { endpoint: VM, name: 'vm', reason: 'hang', message: 'steps', time: 1 };
  notification(env, KERNEL);
  assert.equal(env.sys.aborts.length, 1 + 4);
});

test('without a recovery layer, a crash reported by the kernel ends the run', () => {
  const env = boot();
  env.sys.crash = { endpoint: DS, name: 'ds', reason: 'exception', message: 'boom', time: 9 };
  const traps = notification(env, KERNEL);
  assert.deepEqual(traps, []);
  assert.deepEqual(env.sys.aborts, [['crash', 'ds crashed (exception): boom']]);
  const s = env.ctx.st.services.find((x) => x.label === 'ds')!;
  assert.notEqual(s.flags & RSF_CRASHED, 0);
  assert.equal(env.ctx.st.counters.crashes, 1);
  // A crashed service cannot be fault-injected again.
  assert.equal(request(env, 300, { type: C.RS_SERVICE_FI, label: 'ds' }).type, -ESRCH);
});

test('with a recovery layer, RS has the crashed service restarted and counts it', () => {
  const env = boot();
  env.sys.recoverResult = 'reply';
  env.sys.crash = { endpoint: DS, name: 'ds', reason: 'exception', message: 'boom', time: 9 };
  notification(env, KERNEL);
  assert.deepEqual(env.sys.recovered, [[DS, 'exception']]);
  assert.deepEqual(env.sys.aborts, []);
  const s = env.ctx.st.services.find((x) => x.label === 'ds')!;
  assert.equal(s.flags & RSF_CRASHED, 0);
  assert.equal(s.restarts, 1);
});

test('a kernel notification without crash information is ignored', () => {
  const env = boot();
  notification(env, KERNEL);
  assert.deepEqual(env.sys.aborts, []);
  assert.equal(env.ctx.st.counters.strayNotifies, 1);
});

test('service fi arms the named server, RS included', () => {
  const env = boot();
  assert.equal(request(env, 300, { type: C.RS_SERVICE_FI, label: 'pm' }).type, 0);
  assert.equal(request(env, 300, { type: C.RS_SERVICE_FI, label: 'rs' }).type, 0);
  assert.deepEqual(env.sys.fiArms, [PM, RS]);
  assert.equal(request(env, 300, { type: C.RS_SERVICE_FI, label: 'tty' }).type, -ESRCH);
  assert.equal(request(env, 300, { type: C.RS_SERVICE_FI }).type, -EINVAL);
  assert.equal(env.ctx.st.counters.fiRequests, 2);
});

test('lookup, status and init', () => {
  const env = boot();
  assert.equal(request(env, 300, { type: C.RS_LOOKUP, label: 'vfs' }).type, VFS);
  assert.equal(request(env, 300, { type: C.RS_LOOKUP, label: 'pm' }).type, PM);
  assert.equal(request(env, 300, { type: C.RS_LOOKUP, label: 'mfs' }).type, MFS);
  assert.equal(request(env, 300, { type: C.RS_LOOKUP, label: 'nope' }).type, -ESRCH);
  assert.equal(request(env, 300, { type: C.RS_STATUS, label: 'nope' }).type, -ESRCH);

  assert.equal(request(env, DS, { type: C.RS_INIT }).type, 0);
  assert.equal(request(env, 300, { type: C.RS_INIT }).type, -ESRCH);
  const ds = env.ctx.st.services.find((x) => x.label === 'ds')!;
  assert.notEqual(ds.flags & RSF_INIT_DONE, 0);
  assert.equal(env.ctx.st.counters.inits, 1);
});

test('init restart forgets outstanding pings and re-arms the heartbeat', () => {
  const env = boot();
  notification(env, CLOCK);
  env.sys.now = 99_000_000;
  drive(rsServer.initRestart!(env.ctx));
  assert.deepEqual(env.sys.alarms[env.sys.alarms.length - 1], [99_000_000 + HEARTBEAT_NS, true]);
  assert.deepEqual(pinged(notification(env, CLOCK)), OTHERS);
  assert.deepEqual(env.sys.aborts, []);
});
