/*
 * Test programs: the data store. Typed values (u32, string, memory),
 * overwrite rules, owner-based access control against a forked child,
 * private entries, prefix and exact subscriptions with DS_CHECK, the table
 * limits, and key validation. Every program deletes its keys and drops its
 * subscriptions (a child deletes what it published) before it ends.
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { DSF_INITIAL, DSF_OVERWRITE, DSF_PRIVATE, DSF_TYPE_MEM, DSF_TYPE_STR, DSF_TYPE_U32, DsValue } from '../../libc/ds';
import { DS_MAX_KEYLEN, DS_MAX_MEM, DS_MAX_STRLEN } from '../../proto/ds';
import { E2BIG, EAGAIN, EEXIST, EINVAL, ENAMETOOLONG, ENOENT, EPERM } from '../../proto/errno';
import { WEXITSTATUS, WIFEXITED } from '../../proto/signals';
import { Checker, T, TestProgram, test } from '../test-api';

/** DS's entry and subscription tables (src/os/servers/ds/state.ts). */
const DS_TABLE_KEYS = 64;
const DS_TABLE_SUBS = 32;

function bytes(seed: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  let x = seed;
  for (let i = 0; i < len; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

/** A retrieve's or check's result in the form t.err takes (null on failure). */
function rv(v: DsValue | { key: string } | null): number | null {
  return v === null ? null : 0;
}

function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Two pipes between a parent and one child, so each side can wait for the
 * other ("down": parent to child, "up": child to parent). A side that dies
 * closes its ends, so the other reads end of file instead of hanging.
 */
interface Link { down: [number, number]; up: [number, number] }

function* openLink(t: T, u: Libc): Co<Link> {
  const down = t.okCall(yield* u.pipe(), 'pipe to the child')!;
  const up = t.okCall(yield* u.pipe(), 'pipe from the child')!;
  return { down, up };
}

function* parentSide(t: T, u: Libc, l: Link): Co<void> {
  t.eq(yield* u.close(l.down[0]), 0, 'parent closes the child\'s read end');
  t.eq(yield* u.close(l.up[1]), 0, 'parent closes the child\'s write end');
}

function* childSide(t: T, c: Libc, l: Link): Co<void> {
  t.eq(yield* c.close(l.down[1]), 0, 'child closes the parent\'s write end');
  t.eq(yield* c.close(l.up[0]), 0, 'child closes the parent\'s read end');
}

function* signal(t: T, u: Libc, fd: number, what: string): Co<void> {
  t.eq(yield* u.write(fd, 'x'), 1, `signal: ${what}`);
}

function* await1(t: T, u: Libc, fd: number, what: string): Co<void> {
  const b = yield* u.read(fd, 1);
  t.ok(b !== null && b.length === 1, `wait: ${what}`);
}

function* closeLink(t: Checker, u: Libc, fds: number[]): Co<void> {
  for (const fd of fds) t.eq(yield* u.close(fd), 0, `close ${fd}`);
}

function* reap(t: T, u: Libc, pid: number): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, 'reap the child');
  t.ok(WIFEXITED(status) && WEXITSTATUS(status) === 0, 'the child passed its checks');
}

/** Drain DS_CHECK: the reported keys (sorted, "key:type"), then the final ENOENT. */
function* drainChecks(t: T, u: Libc, what: string): Co<string[]> {
  const seen: string[] = [];
  for (let i = 0; i <= DS_TABLE_KEYS; i++) {
    const r = yield* u.dsCheck();
    if (r === null) break;
    seen.push(`${r.key}:${r.type}`);
  }
  t.eq(u.errno, ENOENT, `${what}: no more changes (ENOENT)`);
  return seen.sort();
}

function* dsTypes(t: T, u: Libc): Co<void> {
  t.eq(yield* u.dsPublishU32('ds_types.u32', 42), 0, 'publish u32');
  t.eq(yield* u.dsPublishU32('ds_types.max', 0xffffffff), 0, 'publish the largest u32');
  t.eq(yield* u.dsPublishU32('ds_types.zero', 0), 0, 'publish u32 zero');
  t.eq((yield* u.dsRetrieve('ds_types.u32', DSF_TYPE_U32))?.u32, 42, 'retrieve u32');
  t.eq((yield* u.dsRetrieve('ds_types.max', DSF_TYPE_U32))?.u32, 0xffffffff, 'retrieve the largest u32');
  t.eq((yield* u.dsRetrieve('ds_types.zero', DSF_TYPE_U32))?.u32, 0, 'retrieve u32 zero');

  const uni = 'κλειδί ✓ データ';
  t.eq(yield* u.dsPublishStr('ds_types.str', 'hello, data store'), 0, 'publish a string');
  t.eq(yield* u.dsPublishStr('ds_types.uni', uni), 0, 'publish a non-ASCII string');
  t.eq(yield* u.dsPublishStr('ds_types.empty', ''), 0, 'publish an empty string');
  t.eq(yield* u.dsPublishStr('ds_types.long', 'y'.repeat(DS_MAX_STRLEN)), 0, 'publish the longest string');
  t.err(yield* u.dsPublishStr('ds_types.toolong', 'y'.repeat(DS_MAX_STRLEN + 1)), E2BIG, 'a string past the limit');
  t.eq((yield* u.dsRetrieve('ds_types.str', DSF_TYPE_STR))?.str, 'hello, data store', 'retrieve the string');
  t.eq((yield* u.dsRetrieve('ds_types.uni', DSF_TYPE_STR))?.str, uni, 'retrieve the non-ASCII string');
  t.eq((yield* u.dsRetrieve('ds_types.empty', DSF_TYPE_STR))?.str, '', 'retrieve the empty string');
  t.eq((yield* u.dsRetrieve('ds_types.long', DSF_TYPE_STR))?.str, 'y'.repeat(DS_MAX_STRLEN), 'retrieve the longest string');
  t.err(rv(yield* u.dsRetrieve('ds_types.toolong', DSF_TYPE_STR)), ENOENT, 'a refused publish creates nothing');

  const mem = bytes(7, 300);
  const full = bytes(8, DS_MAX_MEM);
  t.eq(yield* u.dsPublishMem('ds_types.mem', mem), 0, 'publish memory');
  t.eq(yield* u.dsPublishMem('ds_types.full', full), 0, 'publish the largest memory value');
  t.eq(yield* u.dsPublishMem('ds_types.none', new Uint8Array(0)), 0, 'publish an empty memory value');
  t.err(yield* u.dsPublishMem('ds_types.big', bytes(9, DS_MAX_MEM + 1)), E2BIG, 'a memory value past the limit');
  t.ok(same((yield* u.dsRetrieve('ds_types.mem', DSF_TYPE_MEM))?.mem, mem), 'retrieve memory');
  t.ok(same((yield* u.dsRetrieve('ds_types.full', DSF_TYPE_MEM, DS_MAX_MEM))?.mem, full), 'retrieve the largest memory value');
  t.ok(same((yield* u.dsRetrieve('ds_types.mem', DSF_TYPE_MEM, 10))?.mem, mem.subarray(0, 10)), 'a short buffer gets the first bytes');
  t.eq((yield* u.dsRetrieve('ds_types.none', DSF_TYPE_MEM))?.mem?.length, 0, 'retrieve the empty memory value');

  t.err(rv(yield* u.dsRetrieve('ds_types.u32', DSF_TYPE_STR)), EINVAL, 'u32 entry read as a string');
  t.err(rv(yield* u.dsRetrieve('ds_types.str', DSF_TYPE_MEM)), EINVAL, 'string entry read as memory');
  t.err(rv(yield* u.dsRetrieve('ds_types.mem', DSF_TYPE_U32)), EINVAL, 'memory entry read as u32');
  t.err(rv(yield* u.dsRetrieve('ds_types.u32', 0)), EINVAL, 'retrieve without a type');
  t.err(rv(yield* u.dsRetrieve('ds_types.u32', DSF_TYPE_U32 | DSF_TYPE_STR)), EINVAL, 'retrieve with two types');
  t.err(rv(yield* u.dsRetrieve('ds_types.missing', DSF_TYPE_U32)), ENOENT, 'retrieve a missing key');

  const all: [string, number][] = [
    ['ds_types.u32', DSF_TYPE_U32], ['ds_types.max', DSF_TYPE_U32], ['ds_types.zero', DSF_TYPE_U32],
    ['ds_types.str', DSF_TYPE_STR], ['ds_types.uni', DSF_TYPE_STR], ['ds_types.empty', DSF_TYPE_STR],
    ['ds_types.long', DSF_TYPE_STR], ['ds_types.mem', DSF_TYPE_MEM], ['ds_types.full', DSF_TYPE_MEM], ['ds_types.none', DSF_TYPE_MEM],
  ];
  for (const [k, type] of all) t.eq(yield* u.dsDelete(k, type), 0, `delete ${k}`);
  t.err(rv(yield* u.dsRetrieve('ds_types.u32', DSF_TYPE_U32)), ENOENT, 'a deleted u32 is gone');
  t.err(rv(yield* u.dsRetrieve('ds_types.full', DSF_TYPE_MEM)), ENOENT, 'a deleted memory value is gone');
}

function* dsOverwrite(t: T, u: Libc): Co<void> {
  const k = 'ds_ow.k';
  t.eq(yield* u.dsPublishU32(k, 1), 0, 'publish');
  t.err(yield* u.dsPublishU32(k, 2), EEXIST, 'publish again without DSF_OVERWRITE');
  t.err(yield* u.dsPublishStr(k, 'two'), EEXIST, 'publish another type without DSF_OVERWRITE');
  t.eq((yield* u.dsRetrieve(k, DSF_TYPE_U32))?.u32, 1, 'the value is unchanged');
  t.eq(yield* u.dsPublishU32(k, 2, DSF_OVERWRITE), 0, 'the owner overwrites');
  t.eq((yield* u.dsRetrieve(k, DSF_TYPE_U32))?.u32, 2, 'the new value is visible');
  t.err(yield* u.dsPublishStr(k, 'three', DSF_OVERWRITE), EINVAL, 'an overwrite may not change the type');
  t.eq((yield* u.dsRetrieve(k, DSF_TYPE_U32))?.u32, 2, 'the refused overwrite changed nothing');

  const m = 'ds_ow.mem';
  t.eq(yield* u.dsPublishMem(m, bytes(1, 200)), 0, 'publish 200 bytes');
  t.eq(yield* u.dsPublishMem(m, bytes(2, 50), DSF_OVERWRITE), 0, 'overwrite with 50 bytes');
  t.ok(same((yield* u.dsRetrieve(m, DSF_TYPE_MEM))?.mem, bytes(2, 50)), 'only the 50 new bytes come back');
  const s = 'ds_ow.str';
  t.eq(yield* u.dsPublishStr(s, 'first'), 0, 'publish a string');
  t.eq(yield* u.dsPublishStr(s, 'second', DSF_OVERWRITE), 0, 'overwrite the string');
  t.eq((yield* u.dsRetrieve(s, DSF_TYPE_STR))?.str, 'second', 'the string was replaced');

  t.eq(yield* u.dsPublishU32('ds_ow.fresh', 5, DSF_OVERWRITE), 0, 'DSF_OVERWRITE on a new key creates it');
  t.eq((yield* u.dsRetrieve('ds_ow.fresh', DSF_TYPE_U32))?.u32, 5, 'the created value');
  t.err(yield* u.dsPublishU32('ds_ow.bad', 1, 0x1000), EINVAL, 'an unknown publish flag');
  t.err(yield* u.dsPublishU32('ds_ow.bad', 1, DSF_INITIAL), EINVAL, 'a subscribe-only flag on publish');
  t.err(yield* u.dsPublishU32('ds_ow.bad', 1, DSF_TYPE_STR), EINVAL, 'two type bits on publish');
  t.err(rv(yield* u.dsRetrieve('ds_ow.bad', DSF_TYPE_U32)), ENOENT, 'refused publishes created nothing');

  t.err(yield* u.dsDelete(k, DSF_TYPE_STR), EINVAL, 'delete with the wrong type');
  t.eq((yield* u.dsRetrieve(k, DSF_TYPE_U32))?.u32, 2, 'the entry survived the refused delete');
  t.eq(yield* u.dsDelete(k, 0), 0, 'delete without naming the type');
  t.err(yield* u.dsDelete(k, DSF_TYPE_U32), ENOENT, 'delete twice');
  t.err(rv(yield* u.dsRetrieve(k, DSF_TYPE_U32)), ENOENT, 'retrieve after delete');
  t.eq(yield* u.dsPublishStr(k, 'reborn'), 0, 'a deleted key can be published again, with another type');
  t.eq((yield* u.dsRetrieve(k, DSF_TYPE_STR))?.str, 'reborn', 'the new entry');
  t.hk.eq(yield* u.dsDelete(k, DSF_TYPE_STR), 0, 'delete it');
  t.hk.eq(yield* u.dsDelete(m, DSF_TYPE_MEM), 0, 'delete the memory entry');
  t.hk.eq(yield* u.dsDelete(s, DSF_TYPE_STR), 0, 'delete the string entry');
  t.hk.eq(yield* u.dsDelete('ds_ow.fresh', DSF_TYPE_U32), 0, 'delete the created entry');
}

function* dsOwner(t: T, u: Libc): Co<void> {
  t.eq(yield* u.dsPublishU32('ds_owner.p', 7), 0, 'parent publishes a u32');
  t.eq(yield* u.dsPublishStr('ds_owner.s', 'parent'), 0, 'parent publishes a string');
  const l = yield* openLink(t, u);
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    yield* childSide(t, c, l);
    t.eq((yield* c.dsRetrieve('ds_owner.p', DSF_TYPE_U32))?.u32, 7, 'child reads the parent\'s public entry');
    t.eq((yield* c.dsRetrieve('ds_owner.s', DSF_TYPE_STR))?.str, 'parent', 'child reads the parent\'s string');
    t.err(yield* c.dsPublishU32('ds_owner.p', 8, DSF_OVERWRITE), EPERM, 'child may not overwrite');
    t.err(yield* c.dsPublishU32('ds_owner.p', 8), EPERM, 'child may not republish');
    t.err(yield* c.dsDelete('ds_owner.p', DSF_TYPE_U32), EPERM, 'child may not delete');
    t.err(yield* c.dsDelete('ds_owner.s', 0), EPERM, 'child may not delete without a type either');
    t.eq(yield* c.dsPublishU32('ds_owner.c', 9), 0, 'child publishes its own entry');
    yield* signal(t, c, l.up[1], 'child published');
    yield* await1(t, c, l.down[0], 'parent tried the child\'s entry');
    t.eq((yield* c.dsRetrieve('ds_owner.c', DSF_TYPE_U32))?.u32, 9, 'the child\'s entry is intact');
    t.eq(yield* c.dsPublishU32('ds_owner.c', 10, DSF_OVERWRITE), 0, 'child overwrites its own entry');
    t.eq(yield* c.dsDelete('ds_owner.c', DSF_TYPE_U32), 0, 'child deletes its own entry');
    yield* closeLink(t.hk, c, [l.down[0], l.up[1]]);
    return 0;
  });
  t.ok(pid > 0, 'fork');
  yield* parentSide(t, u, l);
  yield* await1(t, u, l.up[0], 'child published');
  t.eq((yield* u.dsRetrieve('ds_owner.c', DSF_TYPE_U32))?.u32, 9, 'parent reads the child\'s entry');
  t.err(yield* u.dsPublishU32('ds_owner.c', 1, DSF_OVERWRITE), EPERM, 'parent may not overwrite the child\'s entry');
  t.err(yield* u.dsDelete('ds_owner.c', DSF_TYPE_U32), EPERM, 'parent may not delete the child\'s entry');
  yield* signal(t, u, l.down[1], 'parent tried');
  yield* reap(t, u, pid);
  yield* closeLink(t.hk, u, [l.up[0], l.down[1]]);
  t.err(rv(yield* u.dsRetrieve('ds_owner.c', DSF_TYPE_U32)), ENOENT, 'the child\'s entry is gone');
  t.eq((yield* u.dsRetrieve('ds_owner.p', DSF_TYPE_U32))?.u32, 7, 'the parent\'s entry survived the child');
  t.eq(yield* u.dsPublishU32('ds_owner.p', 70, DSF_OVERWRITE), 0, 'the owner still overwrites');
  t.hk.eq(yield* u.dsDelete('ds_owner.p', DSF_TYPE_U32), 0, 'delete the u32');
  t.hk.eq(yield* u.dsDelete('ds_owner.s', DSF_TYPE_STR), 0, 'delete the string');
}

function* dsPrivate(t: T, u: Libc): Co<void> {
  t.eq(yield* u.dsPublishStr('ds_priv.secret', 'hush', DSF_PRIVATE), 0, 'publish a private string');
  t.eq(yield* u.dsPublishU32('ds_priv.open', 3), 0, 'publish a public u32');
  t.eq((yield* u.dsRetrieve('ds_priv.secret', DSF_TYPE_STR))?.str, 'hush', 'the owner reads its private entry');
  t.eq(yield* u.dsSubscribe('ds_priv.*'), 0, 'parent subscribes to the prefix');
  const l = yield* openLink(t, u);
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    yield* childSide(t, c, l);
    t.err(rv(yield* c.dsRetrieve('ds_priv.secret', DSF_TYPE_STR)), EPERM, 'another process may not read a private entry');
    t.err(yield* c.dsPublishStr('ds_priv.secret', 'x', DSF_OVERWRITE), EPERM, 'nor overwrite it');
    t.eq((yield* c.dsRetrieve('ds_priv.open', DSF_TYPE_U32))?.u32, 3, 'the public entry is readable');
    t.eq(yield* c.dsSubscribe('ds_priv.', DSF_INITIAL), 0, 'child subscribes with DSF_INITIAL');
    t.eq((yield* drainChecks(t, c, 'child\'s initial report')).join(' '), `ds_priv.open:${DSF_TYPE_U32}`,
      'the initial report leaves out the private entry');
    t.hk.eq(yield* c.dsUnsubscribe('ds_priv.'), 0, 'child unsubscribes');
    t.eq(yield* c.dsPublishU32('ds_priv.cpriv', 1, DSF_PRIVATE), 0, 'child publishes a private entry');
    t.eq(yield* c.dsPublishU32('ds_priv.cpub', 2), 0, 'child publishes a public entry');
    yield* signal(t, c, l.up[1], 'published');
    yield* await1(t, c, l.down[0], 'parent checked');
    t.eq(yield* c.dsDelete('ds_priv.cpriv', DSF_TYPE_U32), 0, 'child deletes its private entry');
    t.eq(yield* c.dsDelete('ds_priv.cpub', DSF_TYPE_U32), 0, 'child deletes its public entry');
    yield* closeLink(t.hk, c, [l.down[0], l.up[1]]);
    return 0;
  });
  t.ok(pid > 0, 'fork');
  yield* parentSide(t, u, l);
  yield* await1(t, u, l.up[0], 'child published');
  t.eq((yield* drainChecks(t, u, 'after the child published')).join(' '), `ds_priv.cpub:${DSF_TYPE_U32}`,
    'only the child\'s public entry is reported');
  t.err(rv(yield* u.dsRetrieve('ds_priv.cpriv', DSF_TYPE_U32)), EPERM, 'the child\'s private entry is hidden from the parent');
  t.eq((yield* u.dsRetrieve('ds_priv.cpub', DSF_TYPE_U32))?.u32, 2, 'the child\'s public entry is readable');
  yield* signal(t, u, l.down[1], 'checked');
  yield* reap(t, u, pid);
  yield* closeLink(t.hk, u, [l.up[0], l.down[1]]);
  t.eq((yield* drainChecks(t, u, 'after the child deleted')).join(' '), 'ds_priv.cpub:0',
    'the deleted public entry is reported with no type; the private one not at all');
  t.err(rv(yield* u.dsRetrieve('ds_priv.cpriv', DSF_TYPE_U32)), ENOENT, 'the private entry is gone');
  t.hk.eq(yield* u.dsUnsubscribe('ds_priv.*'), 0, 'unsubscribe');
  t.hk.eq(yield* u.dsDelete('ds_priv.secret', DSF_TYPE_STR), 0, 'delete the private entry');
  t.hk.eq(yield* u.dsDelete('ds_priv.open', DSF_TYPE_U32), 0, 'delete the public entry');
}

function* dsSubscribe(t: T, u: Libc): Co<void> {
  t.eq(yield* u.dsSubscribe('ds_sub.disk.*'), 0, 'subscribe to a prefix');
  t.err(yield* u.dsSubscribe('ds_sub.disk.*'), EEXIST, 'the same subscription twice');
  t.eq(yield* u.dsSubscribe('ds_sub.exact'), 0, 'subscribe to one exact key');
  t.err(yield* u.dsSubscribe('ds_sub.*.x'), EINVAL, 'a wildcard in the middle');
  t.err(rv(yield* u.dsCheck()), ENOENT, 'nothing changed yet');
  t.eq(yield* u.dsPublishU32('ds_sub.disk.own', 1), 0, 'parent publishes under its own prefix');
  t.err(rv(yield* u.dsCheck()), ENOENT, 'a process is not told about its own changes');

  const l = yield* openLink(t, u);
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    yield* childSide(t, c, l);
    t.eq(yield* c.dsPublishU32('ds_sub.disk.a', 1), 0, 'child publishes disk.a');
    t.eq(yield* c.dsPublishStr('ds_sub.disk.b', 'b'), 0, 'child publishes disk.b');
    t.eq(yield* c.dsPublishU32('ds_sub.net.c', 3), 0, 'child publishes net.c');
    t.eq(yield* c.dsPublishU32('ds_sub.exact', 4), 0, 'child publishes the exact key');
    t.eq(yield* c.dsPublishU32('ds_sub.exactly', 5), 0, 'child publishes a key the exact pattern does not cover');
    t.eq(yield* c.dsPublishU32('ds_sub.disk.a', 6, DSF_OVERWRITE), 0, 'child updates disk.a');
    t.err(rv(yield* c.dsCheck()), ENOENT, 'the child has no subscriptions');
    yield* signal(t, c, l.up[1], 'published');
    yield* await1(t, c, l.down[0], 'parent checked');
    for (const k of ['ds_sub.disk.a', 'ds_sub.disk.b', 'ds_sub.net.c', 'ds_sub.exact', 'ds_sub.exactly']) {
      t.eq(yield* c.dsDelete(k, 0), 0, `child deletes ${k}`);
    }
    yield* closeLink(t.hk, c, [l.down[0], l.up[1]]);
    return 0;
  });
  t.ok(pid > 0, 'fork');
  yield* parentSide(t, u, l);
  yield* await1(t, u, l.up[0], 'child published');
  const first = yield* drainChecks(t, u, 'after the child published');
  t.eq(first.join(' '), `ds_sub.disk.a:${DSF_TYPE_U32} ds_sub.disk.b:${DSF_TYPE_STR} ds_sub.exact:${DSF_TYPE_U32}`,
    'covered keys are reported once each, with their types');
  t.eq((yield* u.dsRetrieve('ds_sub.disk.a', DSF_TYPE_U32))?.u32, 6, 'the reported key holds the latest value');

  // Drop the exact subscription before the child deletes: those deletions are not reported.
  t.eq(yield* u.dsUnsubscribe('ds_sub.exact'), 0, 'unsubscribe the exact key');
  t.err(yield* u.dsUnsubscribe('ds_sub.exact'), ENOENT, 'unsubscribe twice');
  yield* signal(t, u, l.down[1], 'checked');
  yield* reap(t, u, pid);
  yield* closeLink(t.hk, u, [l.up[0], l.down[1]]);
  t.eq((yield* drainChecks(t, u, 'after the child deleted')).join(' '), 'ds_sub.disk.a:0 ds_sub.disk.b:0',
    'deletions under the prefix are reported with no type');

  // DSF_OVERWRITE resets a subscription's pending notices; DSF_INITIAL reports existing keys.
  t.eq(yield* u.dsPublishU32('ds_sub.init.x', 1), 0, 'publish init.x');
  t.eq(yield* u.dsPublishStr('ds_sub.init.y', 'y'), 0, 'publish init.y');
  t.eq(yield* u.dsSubscribe('ds_sub.init.', DSF_INITIAL), 0, 'subscribe with DSF_INITIAL (trailing-dot prefix)');
  t.eq((yield* drainChecks(t, u, 'initial report')).join(' '), `ds_sub.init.x:${DSF_TYPE_U32} ds_sub.init.y:${DSF_TYPE_STR}`,
    'DSF_INITIAL reports the keys that already match');
  t.eq(yield* u.dsSubscribe('ds_sub.init.', DSF_INITIAL | DSF_OVERWRITE), 0, 'resubscribe with DSF_OVERWRITE');
  t.eq(yield* u.dsSubscribe('ds_sub.init.', DSF_OVERWRITE), 0, 'resubscribe again, without DSF_INITIAL');
  t.err(rv(yield* u.dsCheck()), ENOENT, 'the reset dropped the initial notices');
  t.err(yield* u.dsSubscribe('ds_sub.x', 0x1), EINVAL, 'a type bit is not a subscribe flag');

  t.eq(yield* u.dsUnsubscribe('ds_sub.disk.*'), 0, 'unsubscribe the prefix');
  t.err(yield* u.dsUnsubscribe('ds_sub.disk.*'), ENOENT, 'unsubscribe the prefix twice');
  t.eq(yield* u.dsUnsubscribe('ds_sub.init.'), 0, 'unsubscribe the init prefix');
  for (const k of ['ds_sub.disk.own', 'ds_sub.init.x', 'ds_sub.init.y']) t.hk.eq(yield* u.dsDelete(k, 0), 0, `delete ${k}`);
  t.err(rv(yield* u.dsCheck()), ENOENT, 'no subscription, nothing to check');
}

function* dsMany(t: T, u: Libc): Co<void> {
  const key = (i: number) => `ds_many.${String(i).padStart(3, '0')}`;
  // The table is empty when this program starts: every earlier program deleted its entries.
  const n = DS_TABLE_KEYS;
  for (let i = 0; i < n; i++) t.eq(yield* u.dsPublishU32(key(i), i * 3 + 1), 0, `publish entry ${i}`);
  t.err(yield* u.dsPublishU32(key(n), 1), EAGAIN, 'the full table refuses a new entry');
  t.err(yield* u.dsPublishStr('ds_many.extra', 'x'), EAGAIN, 'no room for a string either');
  t.err(rv(yield* u.dsRetrieve(key(n), DSF_TYPE_U32)), ENOENT, 'the refused key does not exist');
  t.eq(yield* u.dsPublishU32(key(0), 1000, DSF_OVERWRITE), 0, 'an overwrite needs no new entry');
  t.eq((yield* u.dsRetrieve(key(0), DSF_TYPE_U32))?.u32, 1000, 'the overwritten value');
  t.eq((yield* u.dsRetrieve(key(n >> 1), DSF_TYPE_U32))?.u32, (n >> 1) * 3 + 1, 'a middle entry');
  t.eq((yield* u.dsRetrieve(key(n - 1), DSF_TYPE_U32))?.u32, (n - 1) * 3 + 1, 'the last entry');
  for (let i = 0; i < n; i++) t.eq(yield* u.dsDelete(key(i), DSF_TYPE_U32), 0, `delete entry ${i}`);
  t.err(rv(yield* u.dsRetrieve(key(1), DSF_TYPE_U32)), ENOENT, 'the entries are gone');
  t.eq(yield* u.dsPublishStr('ds_many.extra', 'x'), 0, 'room again after the deletes');
  t.hk.eq(yield* u.dsDelete('ds_many.extra', DSF_TYPE_STR), 0, 'delete it');

  const pat = (i: number) => `ds_many.s${String(i).padStart(2, '0')}.*`;
  let s = 0;
  for (; s <= DS_TABLE_SUBS; s++) if ((yield* u.dsSubscribe(pat(s))) < 0) break;
  t.eq(u.errno, EAGAIN, 'the subscription table fills with EAGAIN');
  t.eq(s, DS_TABLE_SUBS, 'every subscription slot was free and is now taken');
  t.eq(yield* u.dsSubscribe(pat(0), DSF_OVERWRITE), 0, 'resetting an existing subscription needs no slot');
  let dropped = 0;
  for (let i = 0; i < s; i++) if ((yield* u.dsUnsubscribe(pat(i))) === 0) dropped++;
  t.eq(dropped, s, 'every subscription dropped');
  t.err(yield* u.dsUnsubscribe(pat(0)), ENOENT, 'the subscriptions are gone');
}

function* dsKeys(t: T, u: Libc): Co<void> {
  const longest = 'ds_keys.' + 'k'.repeat(DS_MAX_KEYLEN - 8);
  t.eq(yield* u.dsPublishU32(longest, 1), 0, 'a key of the longest length');
  t.eq((yield* u.dsRetrieve(longest, DSF_TYPE_U32))?.u32, 1, 'retrieve by the longest key');
  t.err(rv(yield* u.dsRetrieve(longest.slice(0, -1), DSF_TYPE_U32)), ENOENT, 'a prefix of a key is another key');
  t.eq(yield* u.dsDelete(longest, DSF_TYPE_U32), 0, 'delete by the longest key');
  t.err(yield* u.dsPublishU32(longest + 'k', 1), EINVAL, 'one byte too long for DS');
  t.err(yield* u.dsPublishU32('ds_keys.' + 'k'.repeat(300), 1), ENAMETOOLONG, 'a key too long to pass');
  t.err(rv(yield* u.dsRetrieve('ds_keys.' + 'k'.repeat(300), DSF_TYPE_U32)), ENAMETOOLONG, 'retrieve with a key too long to pass');

  // The limit counts UTF-8 bytes, not characters.
  const wide = 'é'.repeat(127) + 'x';
  t.eq(yield* u.dsPublishStr(wide, 'wide'), 0, 'a 255-byte key of two-byte characters');
  t.eq((yield* u.dsRetrieve(wide, DSF_TYPE_STR))?.str, 'wide', 'retrieve by it');
  t.hk.eq(yield* u.dsDelete(wide, DSF_TYPE_STR), 0, 'delete it');
  t.err(yield* u.dsPublishStr('é'.repeat(128), 'x'), EINVAL, '128 two-byte characters are 256 bytes');

  t.err(yield* u.dsPublishU32('', 1), EINVAL, 'an empty key');
  t.err(rv(yield* u.dsRetrieve('', DSF_TYPE_U32)), EINVAL, 'retrieve an empty key');
  t.err(yield* u.dsDelete('', 0), EINVAL, 'delete an empty key');
  t.err(yield* u.dsPublishU32('ds_keys.star*', 1), EINVAL, 'a key with the wildcard');
  t.err(yield* u.dsPublishU32('ds_keys.nul\0x', 1), EINVAL, 'a key with NUL');
  t.err(rv(yield* u.dsRetrieve('ds_keys.star*', DSF_TYPE_U32)), ENOENT, 'the wildcard key was not created');

  t.eq(yield* u.dsPublishU32('ds_keys.A', 1), 0, 'upper-case key');
  t.eq(yield* u.dsPublishU32('ds_keys.a', 2), 0, 'lower-case key is a different key');
  t.eq((yield* u.dsRetrieve('ds_keys.A', DSF_TYPE_U32))?.u32, 1, 'keys are case-sensitive (A)');
  t.eq((yield* u.dsRetrieve('ds_keys.a', DSF_TYPE_U32))?.u32, 2, 'keys are case-sensitive (a)');
  t.err(yield* u.dsDelete('ds_keys.b', 0), ENOENT, 'delete a missing key');

  t.err(yield* u.dsSubscribe('ds_keys.' + 'p'.repeat(300) + '*'), ENAMETOOLONG, 'a pattern too long to pass');
  t.err(yield* u.dsSubscribe(''), EINVAL, 'an empty pattern');
  t.err(yield* u.dsUnsubscribe('ds_keys.never'), ENOENT, 'unsubscribe what was never subscribed');
  t.eq(yield* u.dsSubscribe('*'), 0, 'a bare wildcard covers every key');
  t.eq(yield* u.dsSubscribe('*', DSF_OVERWRITE | DSF_INITIAL), 0, 'reset it with the initial report');
  const seen = yield* drainChecks(t, u, 'bare wildcard');
  t.ok(seen.includes(`ds_keys.A:${DSF_TYPE_U32}`) && seen.includes(`ds_keys.a:${DSF_TYPE_U32}`), 'the wildcard reports both keys');
  t.hk.eq(yield* u.dsUnsubscribe('*'), 0, 'unsubscribe the wildcard');
  t.hk.eq(yield* u.dsDelete('ds_keys.A', DSF_TYPE_U32), 0, 'delete A');
  t.hk.eq(yield* u.dsDelete('ds_keys.a', DSF_TYPE_U32), 0, 'delete a');
}

export const dsTests: TestProgram[] = [
  test('ds_types', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsTypes(t, u); }),
  test('ds_overwrite', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsOverwrite(t, u); }),
  test('ds_owner', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsOwner(t, u); }),
  test('ds_private', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsPrivate(t, u); }),
  test('ds_subscribe', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsSubscribe(t, u); }),
  test('ds_many', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsMany(t, u); }),
  test('ds_keys', 'ds', function* (t: T, u: Libc): Co<void> { yield* dsKeys(t, u); }),
];
