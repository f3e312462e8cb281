/*
 * DS, driven handler by handler: a fake kernel holds each caller's grants
 * (key and value buffers), handlers run as generators and their notify
 * traps are collected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dsServer } from '../src/os/servers/ds/main';
import { DsState, NR_DS_KEYS, NR_DS_SUBS } from '../src/os/servers/ds/state';
import { SysCalls } from '../src/os/kernel/syscalls';
import { Co, Outgoing, T_NOTIFY, Trap } from '../src/os/kernel/types';
import type { Args, MsgType, ReplyFields, Req } from '../src/os/proto/messages';

/**
 * The harness drives a message type with any subset of its layout's fields (malformed requests leave some out),
 * so a request is cast to the handler's type; a reply is read as its requester reads it, every field typed.
 */
type Out<T extends MsgType> = { type: number } & ReplyFields<T>;
import { ServerCtx } from '../src/os/sef/server';
import { PRIO_SYSTEM } from '../src/os/kernel/proc';
import { DS } from '../src/os/proto/endpoints';
import * as C from '../src/os/proto/calls';
import * as K from '../src/os/proto/kcalls';
import { E2BIG, EAGAIN, EEXIST, EINVAL, ENOENT, EPERM } from '../src/os/proto/errno';
import {
  DSF_INITIAL, DSF_OVERWRITE, DSF_PRIVATE, DSF_TYPE_MEM, DSF_TYPE_STR, DSF_TYPE_U32,
} from '../src/os/proto/ds';
import * as libcDs from '../src/os/libc/ds';

const A = 100;
const B = 101;
const KEY_GRANT = 1;
const VAL_GRANT = 2;

interface FakeGrant { data: Uint8Array; access: number }

/** The kernel side DS sees: grants of each caller, and a record of every call. */
class FakeSys {
  grants = new Map<string, FakeGrant>();
  calls: string[] = [];

  setGrant(ep: number, gid: number, data: Uint8Array, access: number): void {
    this.grants.set(`${ep}:${gid}`, { data, access });
  }

  grant(ep: number, gid: number): FakeGrant | undefined { return this.grants.get(`${ep}:${gid}`); }

  safecopyFrom(ep: number, gid: number, off: number, len: number): Uint8Array | number {
    this.calls.push(`safecopyFrom ${ep} ${gid} ${len}`);
    const g = this.grant(ep, gid);
    if (!g || (g.access & K.CPF_READ) === 0) return -EPERM;
    if (off < 0 || len < 0 || off + len > g.data.length) return -EINVAL;
    return g.data.slice(off, off + len);
  }

  safecopyTo(ep: number, gid: number, off: number, data: Uint8Array): number {
    this.calls.push(`safecopyTo ${ep} ${gid} ${data.length}`);
    const g = this.grant(ep, gid);
    if (!g || (g.access & K.CPF_WRITE) === 0) return -EPERM;
    if (off < 0 || off + data.length > g.data.length) return -EINVAL;
    for (let i = 0; i < data.length; i++) g.data[off + i] = data[i]!;
    return 0;
  }

  times(_ep: number): { now: number; user: number; sys: number } { return { now: 0, user: 0, sys: 0 }; }
}

interface Env { ctx: ServerCtx<DsState>; sys: FakeSys }

function boot(): Env {
  const sys = new FakeSys();
  const ctx: ServerCtx<DsState> = {
    st: dsServer.initialState({ programs: [] }),
    self: DS,
    name: 'ds',
    sys: sys as unknown as SysCalls,
    replyable: () => true,
  };
  return { ctx, sys };
}

/** Run a handler to completion, resuming every trap with OK. */
function drive(co: Co<Outgoing | null>): { reply: Outgoing | null; traps: Trap[] } {
  const traps: Trap[] = [];
  let r = co.next();
  while (!r.done) {
    traps.push(r.value);
    r = co.next(0);
  }
  return { reply: r.value, traps };
}

function notified(traps: Trap[]): number[] {
  return traps.filter((t) => t.op === T_NOTIFY).map((t) => t.ep);
}

interface CallOpts<T extends MsgType> { key?: string; keyBytes?: Uint8Array; val?: Uint8Array; valAccess?: number; fields?: Partial<Args<T>> }

/** A request from `src`, staging the key (and value) behind grants as libc does. */
function call<T extends MsgType>(env: Env, src: number, type: T, o: CallOpts<T> = {}): { reply: Out<T>; traps: Trap[] } {
  const m: Record<string, unknown> = { type, source: src, ...o.fields };
  const kb = o.keyBytes ?? (o.key !== undefined ? new TextEncoder().encode(o.key) : null);
  if (kb) {
    env.sys.setGrant(src, KEY_GRANT, kb, K.CPF_READ);
    m.keyGrant = KEY_GRANT;
    m.keyLen = kb.length;
  }
  if (o.val) {
    env.sys.setGrant(src, VAL_GRANT, o.val, o.valAccess ?? K.CPF_READ);
    m.valGrant = VAL_GRANT;
  } else {
    m.valGrant = -1;
  }
  const e = dsServer.table[type as number];
  assert.ok(e, `no handler for 0x${type.toString(16)}`);
  const { reply, traps } = drive(e.handler(env.ctx, m as Req<T>));
  assert.ok(reply, 'DS always replies');
  return { reply: reply as Out<T>, traps };
}

function pubU32(env: Env, src: number, key: string, u32: number, flags = 0) {
  return call(env, src, C.DS_PUBLISH, { key, fields: { flags: flags | DSF_TYPE_U32, u32 } });
}
function pubStr(env: Env, src: number, key: string, str: string, flags = 0) {
  return call(env, src, C.DS_PUBLISH, { key, fields: { flags: flags | DSF_TYPE_STR, str } });
}
function pubMem(env: Env, src: number, key: string, mem: Uint8Array, flags = 0) {
  return call(env, src, C.DS_PUBLISH, { key, val: mem, fields: { flags: flags | DSF_TYPE_MEM, len: mem.length } });
}
function retrieve(env: Env, src: number, key: string, type: number, len = 0) {
  const fields = { flags: type, len };
  if (type === DSF_TYPE_MEM) return call(env, src, C.DS_RETRIEVE, { key, val: new Uint8Array(len), valAccess: K.CPF_WRITE, fields });
  return call(env, src, C.DS_RETRIEVE, { key, fields });
}
function subscribe(env: Env, src: number, pattern: string, flags = 0) {
  return call(env, src, C.DS_SUBSCRIBE, { key: pattern, fields: { flags } });
}
function check(env: Env, src: number) {
  return call(env, src, C.DS_CHECK);
}

test('the DS definition: slot, priority, privileges, call table', () => {
  assert.equal(dsServer.name, 'ds');
  assert.equal(dsServer.slot, DS);
  assert.equal(dsServer.prio, PRIO_SYSTEM);
  const want = [K.SYS_SAFECOPYFROM, K.SYS_SAFECOPYTO, K.SYS_TIMES, K.SYS_GETINFO, K.SYS_DIAGCTL];
  let mask = 0;
  for (const nr of want) mask |= 1 << nr;
  assert.equal(dsServer.callMask, mask >>> 0);
  for (const t of [C.DS_PUBLISH, C.DS_RETRIEVE, C.DS_DELETE, C.DS_CHECK, C.DS_SUBSCRIBE, C.DS_UNSUBSCRIBE]) {
    assert.ok(dsServer.table[t], `handler for ${C.messageName(t)}`);
  }
});

test('libc re-exports the DS flags from the protocol', () => {
  assert.equal(libcDs.DSF_TYPE_U32, DSF_TYPE_U32);
  assert.equal(libcDs.DSF_TYPE_STR, DSF_TYPE_STR);
  assert.equal(libcDs.DSF_TYPE_MEM, DSF_TYPE_MEM);
  assert.equal(libcDs.DSF_OVERWRITE, DSF_OVERWRITE);
  assert.equal(libcDs.DSF_PRIVATE, DSF_PRIVATE);
  assert.equal(libcDs.DSF_INITIAL, 0x800);
});

test('publish and retrieve a u32', () => {
  const env = boot();
  assert.equal(pubU32(env, A, 'counter', 42).reply.type, 0);
  // The key is read by grant before anything else.
  assert.equal(env.sys.calls[0], `safecopyFrom ${A} ${KEY_GRANT} 7`);
  const r = retrieve(env, B, 'counter', DSF_TYPE_U32).reply;
  assert.equal(r.type, 0);
  assert.equal(r.u32, 42);
  // Values are unsigned 32-bit.
  assert.equal(pubU32(env, A, 'neg', -1).reply.type, 0);
  assert.equal(retrieve(env, A, 'neg', DSF_TYPE_U32).reply.u32, 0xffffffff);
});

test('publish and retrieve a string', () => {
  const env = boot();
  assert.equal(pubStr(env, A, 'name', 'hello, world').reply.type, 0);
  const r = retrieve(env, A, 'name', DSF_TYPE_STR).reply;
  assert.deepEqual([r.type, r.str], [0, 'hello, world']);
  assert.equal(pubStr(env, A, 'empty', '').reply.type, 0);
  assert.equal(retrieve(env, B, 'empty', DSF_TYPE_STR).reply.str, '');
  assert.equal(pubStr(env, A, 'long', 'x'.repeat(5000)).reply.type, -E2BIG);
  assert.equal(call(env, A, C.DS_PUBLISH, { key: 'nostr', fields: { flags: DSF_TYPE_STR } }).reply.type, -EINVAL);
});

test('publish and retrieve memory, truncated to the reader\'s buffer', () => {
  const env = boot();
  const val = new Uint8Array(100);
  for (let i = 0; i < val.length; i++) val[i] = (i * 7 + 3) & 0xff;
  assert.equal(pubMem(env, A, 'blob', val).reply.type, 0);

  const full = retrieve(env, B, 'blob', DSF_TYPE_MEM, 200);
  assert.equal(full.reply.type, 0);
  assert.equal(full.reply.len, 100);
  assert.deepEqual(env.sys.grant(B, VAL_GRANT)!.data.slice(0, 100), val);

  const part = retrieve(env, B, 'blob', DSF_TYPE_MEM, 10);
  assert.equal(part.reply.len, 10);
  assert.deepEqual(env.sys.grant(B, VAL_GRANT)!.data, val.slice(0, 10));

  // A shorter overwrite leaves no stale bytes behind.
  assert.equal(pubMem(env, A, 'blob', new Uint8Array([9, 9]), DSF_OVERWRITE).reply.type, 0);
  const e = env.ctx.st.keys.find((k) => k.inUse && k.key === 'blob')!;
  assert.equal(e.memLen, 2);
  assert.equal(e.mem[2], 0);
  assert.equal(retrieve(env, B, 'blob', DSF_TYPE_MEM, 50).reply.len, 2);

  // Empty values travel without a value grant.
  assert.equal(call(env, A, C.DS_PUBLISH, { key: 'none', fields: { flags: DSF_TYPE_MEM, len: 0 } }).reply.type, 0);
  assert.equal(retrieve(env, A, 'none', DSF_TYPE_MEM, 0).reply.len, 0);
});

test('memory values: size limit and bad grants', () => {
  const env = boot();
  assert.equal(pubMem(env, A, 'big', new Uint8Array(1025)).reply.type, -E2BIG);
  assert.equal(pubMem(env, A, 'max', new Uint8Array(1024)).reply.type, 0);
  // The value grant does not cover len: the kernel's errno comes back and nothing is stored.
  const r = call(env, A, C.DS_PUBLISH, { key: 'short', val: new Uint8Array(4), fields: { flags: DSF_TYPE_MEM, len: 8 } });
  assert.equal(r.reply.type, -EINVAL);
  assert.equal(retrieve(env, A, 'short', DSF_TYPE_MEM, 8).reply.type, -ENOENT);
  // A read-only grant for the reply: the write fails.
  assert.equal(pubMem(env, A, 'm', new Uint8Array([1, 2, 3])).reply.type, 0);
  const ro = call(env, B, C.DS_RETRIEVE, { key: 'm', val: new Uint8Array(8), valAccess: K.CPF_READ, fields: { flags: DSF_TYPE_MEM, len: 8 } });
  assert.equal(ro.reply.type, -EPERM);
});

test('keys: bad grant, empty, too long, not UTF-8, wildcard', () => {
  const env = boot();
  // No grant at all: the kernel's errno.
  const m = { type: C.DS_PUBLISH, source: A, keyGrant: 7, keyLen: 3, flags: DSF_TYPE_U32, u32: 1 } as Req<typeof C.DS_PUBLISH>;
  assert.equal(drive(dsServer.table[C.DS_PUBLISH]!.handler(env.ctx, m)).reply!.type, -EPERM);
  assert.equal(pubU32(env, A, '', 1).reply.type, -EINVAL);
  assert.equal(pubU32(env, A, 'k'.repeat(256), 1).reply.type, -EINVAL);
  assert.equal(pubU32(env, A, 'k'.repeat(255), 1).reply.type, 0);
  assert.equal(call(env, A, C.DS_PUBLISH, { keyBytes: new Uint8Array([0xff, 0xfe]), fields: { flags: DSF_TYPE_U32, u32: 1 } }).reply.type, -EINVAL);
  assert.equal(pubU32(env, A, 'a*b', 1).reply.type, -EINVAL);
  assert.equal(call(env, A, C.DS_PUBLISH, { key: 'x', fields: { flags: DSF_TYPE_U32 | DSF_TYPE_STR, u32: 1 } }).reply.type, -EINVAL);
  assert.equal(call(env, A, C.DS_PUBLISH, { key: 'x', fields: { flags: DSF_TYPE_U32 | 0x4000, u32: 1 } }).reply.type, -EINVAL);
  assert.equal(env.ctx.st.nKeys, 1);
});

test('overwrite: EEXIST without the flag, EPERM for others, EINVAL on a type change', () => {
  const env = boot();
  assert.equal(pubU32(env, A, 'v', 1).reply.type, 0);
  assert.equal(pubU32(env, A, 'v', 2).reply.type, -EEXIST);
  assert.equal(pubU32(env, B, 'v', 3, DSF_OVERWRITE).reply.type, -EPERM);
  assert.equal(pubStr(env, A, 'v', 'four', DSF_OVERWRITE).reply.type, -EINVAL);
  assert.equal(retrieve(env, B, 'v', DSF_TYPE_U32).reply.u32, 1);
  assert.equal(pubU32(env, A, 'v', 5, DSF_OVERWRITE).reply.type, 0);
  assert.equal(retrieve(env, B, 'v', DSF_TYPE_U32).reply.u32, 5);
  const e = env.ctx.st.keys.find((k) => k.inUse && k.key === 'v')!;
  assert.equal(e.seq, 2);
  assert.equal(e.owner, A);
  assert.equal(env.ctx.st.nKeys, 1);
});

test('retrieve: ENOENT, type mismatch, private entries', () => {
  const env = boot();
  assert.equal(retrieve(env, A, 'missing', DSF_TYPE_U32).reply.type, -ENOENT);
  assert.equal(pubU32(env, A, 'n', 7).reply.type, 0);
  assert.equal(retrieve(env, A, 'n', DSF_TYPE_STR).reply.type, -EINVAL);
  assert.equal(retrieve(env, A, 'n', 0).reply.type, -EINVAL);
  assert.equal(pubStr(env, A, 'secret', 'pw', DSF_PRIVATE).reply.type, 0);
  assert.equal(retrieve(env, B, 'secret', DSF_TYPE_STR).reply.type, -EPERM);
  assert.equal(retrieve(env, A, 'secret', DSF_TYPE_STR).reply.str, 'pw');
});

test('delete: ENOENT, EPERM, then the key is gone and its slot is reused', () => {
  const env = boot();
  assert.equal(call(env, A, C.DS_DELETE, { key: 'x', fields: { flags: DSF_TYPE_U32 } }).reply.type, -ENOENT);
  assert.equal(pubU32(env, A, 'x', 1).reply.type, 0);
  assert.equal(call(env, B, C.DS_DELETE, { key: 'x', fields: { flags: DSF_TYPE_U32 } }).reply.type, -EPERM);
  assert.equal(call(env, A, C.DS_DELETE, { key: 'x', fields: { flags: DSF_TYPE_STR } }).reply.type, -EINVAL);
  assert.equal(call(env, A, C.DS_DELETE, { key: 'x', fields: { flags: DSF_TYPE_U32 } }).reply.type, 0);
  assert.equal(env.ctx.st.nKeys, 0);
  assert.equal(retrieve(env, A, 'x', DSF_TYPE_U32).reply.type, -ENOENT);
  // Now B may publish the same key.
  assert.equal(pubStr(env, B, 'x', 'bee').reply.type, 0);
  assert.equal(env.ctx.st.keys[0]!.owner, B);
  // The type is optional on delete.
  assert.equal(call(env, B, C.DS_DELETE, { key: 'x', fields: { flags: 0 } }).reply.type, 0);
});

test('a full table refuses new keys with EAGAIN but allows overwrites', () => {
  const env = boot();
  for (let i = 0; i < NR_DS_KEYS; i++) assert.equal(pubU32(env, A, `k${i}`, i).reply.type, 0);
  assert.equal(pubU32(env, A, 'one-more', 1).reply.type, -EAGAIN);
  assert.equal(pubU32(env, A, 'k5', 55, DSF_OVERWRITE).reply.type, 0);
  assert.equal(call(env, A, C.DS_DELETE, { key: 'k5', fields: { flags: DSF_TYPE_U32 } }).reply.type, 0);
  assert.equal(pubU32(env, A, 'one-more', 1).reply.type, 0);
  assert.equal(env.ctx.st.keys[5]!.key, 'one-more');
});

test('subscribe, get notified, check', () => {
  const env = boot();
  assert.equal(subscribe(env, B, 'disk.*').reply.type, 0);
  assert.equal(check(env, B).reply.type, -ENOENT);

  // A publishes a matching key: B is notified; A, the publisher, is not.
  const p = pubU32(env, A, 'disk.a', 1);
  assert.deepEqual(notified(p.traps), [B]);
  assert.deepEqual(notified(pubU32(env, A, 'net.a', 1).traps), []);

  const c = check(env, B).reply;
  assert.deepEqual([c.type, c.key, c.flags], [0, 'disk.a', DSF_TYPE_U32]);
  assert.equal(check(env, B).reply.type, -ENOENT);

  // Several changes are reported lowest entry slot first, each once.
  assert.equal(pubStr(env, A, 'disk.b', 'b').reply.type, 0);
  assert.equal(pubU32(env, A, 'disk.a', 2, DSF_OVERWRITE).reply.type, 0);
  assert.equal(check(env, B).reply.key, 'disk.a');
  const c2 = check(env, B).reply;
  assert.deepEqual([c2.key, c2.flags], ['disk.b', DSF_TYPE_STR]);
  assert.equal(check(env, B).reply.type, -ENOENT);

  // A delete is reported with type 0.
  const d = call(env, A, C.DS_DELETE, { key: 'disk.b', fields: { flags: DSF_TYPE_STR } });
  assert.deepEqual(notified(d.traps), [B]);
  const c3 = check(env, B).reply;
  assert.deepEqual([c3.type, c3.key, c3.flags], [0, 'disk.b', 0]);

  // A process without subscriptions has nothing to check.
  assert.equal(check(env, A).reply.type, -ENOENT);
  assert.equal(env.ctx.st.stats.notifies, 4);
});

test('patterns: prefix with a trailing dot, exact keys, overlapping subscriptions', () => {
  const env = boot();
  const C1 = 102;
  assert.equal(subscribe(env, B, 'disk.').reply.type, 0);
  assert.equal(subscribe(env, B, 'disk.*').reply.type, -EEXIST);
  assert.equal(subscribe(env, B, 'disk.a').reply.type, 0);
  assert.equal(subscribe(env, C1, 'disk.b').reply.type, 0);
  assert.equal(subscribe(env, C1, 'bad*pattern').reply.type, -EINVAL);

  // B has two subscriptions covering disk.a: one notify, one check result.
  const p = pubU32(env, A, 'disk.a', 1);
  assert.deepEqual(notified(p.traps), [B]);
  assert.equal(check(env, B).reply.key, 'disk.a');
  assert.equal(check(env, B).reply.type, -ENOENT);
  assert.equal(check(env, C1).reply.type, -ENOENT);

  assert.deepEqual(notified(pubU32(env, A, 'disk.b', 1).traps), [B, C1]);
  assert.deepEqual(notified(pubU32(env, A, 'diskette', 1).traps), []);
});

test('private entries are not announced to other subscribers', () => {
  const env = boot();
  assert.equal(subscribe(env, B, '*').reply.type, 0);
  assert.equal(subscribe(env, A, '*').reply.type, 0);
  const p = pubStr(env, A, 'mine', 's', DSF_PRIVATE);
  assert.deepEqual(notified(p.traps), []);
  assert.equal(check(env, B).reply.type, -ENOENT);
});

test('DSF_INITIAL reports keys that already match; DSF_OVERWRITE resets a subscription', () => {
  const env = boot();
  assert.equal(pubU32(env, A, 'svc.pm', 1).reply.type, 0);
  assert.equal(pubU32(env, A, 'other', 1).reply.type, 0);
  assert.equal(pubStr(env, A, 'svc.vm', 'up').reply.type, 0);
  assert.equal(subscribe(env, B, 'svc.*', DSF_INITIAL).reply.type, 0);
  assert.equal(check(env, B).reply.key, 'svc.pm');
  assert.equal(check(env, B).reply.key, 'svc.vm');
  assert.equal(check(env, B).reply.type, -ENOENT);

  assert.equal(pubU32(env, A, 'svc.pm', 2, DSF_OVERWRITE).reply.type, 0);
  assert.equal(subscribe(env, B, 'svc.*', DSF_OVERWRITE).reply.type, 0);
  assert.equal(check(env, B).reply.type, -ENOENT);
  assert.equal(subscribe(env, B, 'svc.*', 0x1).reply.type, -EINVAL);
  assert.equal(env.ctx.st.nSubs, 1);
});

test('unsubscribe, and a full subscription table', () => {
  const env = boot();
  assert.equal(call(env, B, C.DS_UNSUBSCRIBE, { key: 'a.*' }).reply.type, -ENOENT);
  assert.equal(subscribe(env, B, 'a.*').reply.type, 0);
  assert.equal(pubU32(env, A, 'a.x', 1).reply.type, 0);
  assert.equal(call(env, B, C.DS_UNSUBSCRIBE, { key: 'a.' }).reply.type, 0);
  assert.equal(check(env, B).reply.type, -ENOENT);
  assert.deepEqual(notified(pubU32(env, A, 'a.y', 1).traps), []);

  for (let i = 0; i < NR_DS_SUBS; i++) assert.equal(subscribe(env, B, `p${i}.*`).reply.type, 0);
  assert.equal(subscribe(env, B, 'q.*').reply.type, -EAGAIN);
  assert.equal(call(env, B, C.DS_UNSUBSCRIBE, { key: 'p3.*' }).reply.type, 0);
  assert.equal(subscribe(env, B, 'q.*').reply.type, 0);
});

test('a reused slot forgets the stale delete notice of its previous key', () => {
  const env = boot();
  assert.equal(subscribe(env, B, 'old').reply.type, 0);
  assert.equal(pubU32(env, A, 'old', 1).reply.type, 0);
  assert.equal(call(env, A, C.DS_DELETE, { key: 'old', fields: { flags: DSF_TYPE_U32 } }).reply.type, 0);
  assert.equal(pubU32(env, A, 'new', 1).reply.type, 0);
  assert.equal(env.ctx.st.keys[0]!.key, 'new');
  assert.equal(check(env, B).reply.type, -ENOENT);
});

test('the data section stays cloneable', () => {
  const env = boot();
  pubMem(env, A, 'm', new Uint8Array([1, 2, 3]));
  subscribe(env, B, 'm');
  const copy = structuredClone(env.ctx.st);
  assert.deepEqual(copy, env.ctx.st);
});
