/*
 * The SEEP table against the protocol: every message type and every kernel
 * call is classified, with a reason, and nothing else is; and each built-in
 * policy treats the SEEP classes as DESIGN §1/§4 says (closesWindow); and
 * the hook's classification of one passage (classify).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGE_TYPES, messageName } from '../src/os/proto/calls';
import { KERNEL_CALLS, kcallName } from '../src/os/proto/kcalls';
import * as K from '../src/os/proto/kcalls';
import { DECISIONS, Decision, KCALL_SEEPS, MESSAGE_SEEPS, REPLY_SEEP, Seep } from '../src/osiris/seep-table';
import { POLICY_NAMES, closesWindow, parsePolicy } from '../src/osiris/policies';
import { builtin } from './helpers/builtin-policy';
import { BOOT_SERVERS } from '../src/os/servers/index';
import { classify } from '../src/osiris/seep-hook';
import { Sim } from '../src/sim/sim';
import { INIT, KERNEL, VFS, VM } from '../src/os/proto/endpoints';

function checkSeep(what: string, s: Seep | undefined): string | null {
  if (!s) return `${what}: not in the SEEP table`;
  if (typeof s.reason !== 'string' || s.reason.trim() === '') return `${what}: empty reason`;
  if (!DECISIONS.includes(s.decision)) return `${what}: unknown decision ${String(s.decision)}`;
  // "modifies" is the receiver-state half of the classification: only IDEMPOTENT passages leave it alone.
  if (s.modifies !== (s.decision !== 'IDEMPOTENT')) return `${what}: modifies=${s.modifies} contradicts ${s.decision}`;
  return null;
}

/** The number of the message type named n (the test fails if the protocol has no such name). */
function msgType(n: string): number {
  const t = MESSAGE_TYPES[n];
  assert.ok(t !== undefined, `${n} is a message type`);
  return t;
}

/** The SEEP of the message type named n, or of kernel call nr (the test fails if it is not classified). */
function msgSeep(n: string): Seep {
  const s = MESSAGE_SEEPS[msgType(n)];
  assert.ok(s, `${n} is in the SEEP table`);
  return s;
}
function kcallSeep(nr: number): Seep {
  const s = KCALL_SEEPS[nr];
  assert.ok(s, `${kcallName(nr)} is in the SEEP table`);
  return s;
}

test('every message type of the protocol is classified, with a reason', () => {
  const names = Object.keys(MESSAGE_TYPES);
  assert.ok(names.length > 100, `the protocol enumerates ${names.length} message types`);
  const problems = names.map((n) => checkSeep(n, MESSAGE_SEEPS[MESSAGE_TYPES[n]!])).filter((x) => x !== null);
  assert.deepEqual(problems, []);
});

test('every kernel call is classified, with a reason', () => {
  const names = Object.keys(KERNEL_CALLS);
  assert.equal(names.length, 22);
  const problems = names.map((n) => checkSeep(n, KCALL_SEEPS[KERNEL_CALLS[n]!])).filter((x) => x !== null);
  assert.deepEqual(problems, []);
});

test('the SEEP tables hold nothing that is not in the protocol', () => {
  const types = new Set(Object.values(MESSAGE_TYPES));
  const calls = new Set(Object.values(KERNEL_CALLS));
  assert.deepEqual(Object.keys(MESSAGE_SEEPS).map(Number).filter((t) => !types.has(t)).map((t) => messageName(t)), []);
  assert.deepEqual(Object.keys(KCALL_SEEPS).map(Number).filter((t) => !calls.has(t)).map((t) => kcallName(t)), []);
});

test('every request a server handles is a protocol message type (so the SEEP table can classify it)', () => {
  const types = new Set(Object.values(MESSAGE_TYPES));
  const missing: string[] = [];
  for (const def of BOOT_SERVERS) {
    for (const t of Object.keys(def.table).map(Number)) if (!types.has(t)) missing.push(`${def.name}: 0x${t.toString(16)}`);
  }
  assert.deepEqual(missing, []);
});

test('the classes the paper and the prototype fix', () => {
  // The prototype's enhanced list: the sites it knew to be idempotent.
  for (const n of ['VM_WILLEXIT', 'VM_NOTIFY_SIG', 'PM_GETEPINFO']) assert.equal(msgSeep(n).decision, 'IDEMPOTENT', n);
  assert.equal(msgSeep('VM_BRK').decision, 'PROCESS_SPECIFIC');
  // What PM's fork and exit tell VM and VFS changes their state: the window must close there.
  for (const n of ['VM_FORK', 'VM_EXIT', 'VM_EXEC_NEWMEM', 'VFS_PM_FORK', 'VFS_PM_EXIT', 'NOTIFY_MESSAGE']) {
    assert.equal(msgSeep(n).decision, 'GLOBAL_CHANGE', n);
  }
  assert.equal(REPLY_SEEP.decision, 'GLOBAL_CHANGE');
  assert.ok(REPLY_SEEP.reason.length > 0);
  // Reading a requester's buffer is harmless; writing it only affects that request.
  assert.equal(kcallSeep(K.SYS_SAFECOPYFROM).decision, 'IDEMPOTENT');
  assert.equal(kcallSeep(K.SYS_SAFECOPYTO).decision, 'REQUEST_SPECIFIC');
  for (const nr of [K.SYS_FORK, K.SYS_EXIT, K.SYS_VMCTL, K.SYS_ABORT]) assert.equal(kcallSeep(nr).decision, 'GLOBAL_CHANGE', kcallName(nr));
  // Only the prototype's exclusion list ("44 4": privilege control, diagnostics) is exempt from the pessimistic rule.
  const exempt = Object.keys(KCALL_SEEPS).map(Number).filter((nr) => KCALL_SEEPS[nr]!.exempt).map(kcallName).sort();
  assert.deepEqual(exempt, ['SYS_DIAGCTL', 'SYS_PRIVCTL']);
  assert.deepEqual(Object.values(MESSAGE_SEEPS).filter((s) => s.exempt), [], 'no message is exempt');
});

test('built-in policies: which SEEP classes close the window', () => {
  assert.deepEqual(POLICY_NAMES, ['stateless', 'naive', 'pessimistic', 'enhanced', 'enhanced-prototype', 'optimistic']);
  const closes = (name: string, exempt: boolean) => DECISIONS.filter((d) => closesWindow(builtin(name), d, exempt));
  const ALL: Decision[] = ['IDEMPOTENT', 'REQUEST_SPECIFIC', 'PROCESS_SPECIFIC', 'GLOBAL_CHANGE'];
  // stateless (microreboot), naive and optimistic: the window never closes.
  for (const n of ['stateless', 'naive', 'optimistic']) {
    assert.deepEqual(closes(n, false), [], n);
    assert.deepEqual(closes(n, true), [], `${n}, exempt`);
  }
  // pessimistic: any outgoing message or kernel call, but the exempt ones.
  assert.deepEqual(closes('pessimistic', false), ALL);
  assert.deepEqual(closes('pessimistic', true), []);
  // enhanced: only state-modifying (GLOBAL_CHANGE) SEEPs.
  assert.deepEqual(closes('enhanced', false), ['GLOBAL_CHANGE']);
  // enhanced-prototype: pessimistic by class; only its whitelisted sites stay open.
  assert.deepEqual(closes('enhanced-prototype', false), ALL);
  assert.equal(builtin('enhanced-prototype').killProcessSpecific, false, 'no site is ever PROCESS_SPECIFIC in that build');
});

test('SYS_GETINFO closes the pessimistic window; exempting it is a policy switch', () => {
  const getinfo = kcallSeep(K.SYS_GETINFO);
  const at = { kind: 'kcall' as const, name: 'SYS_GETINFO' };
  assert.equal(closesWindow(builtin('pessimistic'), getinfo.decision, getinfo.exempt === true, at), true);
  const old = parsePolicy({ ...builtin('pessimistic'), name: 'pessimistic-getinfo', exemptKcalls: ['SYS_GETINFO'] }, 'test');
  assert.equal(closesWindow(old, getinfo.decision, getinfo.exempt === true, at), false);
  assert.equal(closesWindow(old, 'IDEMPOTENT', false, { kind: 'kcall', name: 'SYS_TIMES' }), true, 'only the listed call');
  const priv = kcallSeep(K.SYS_PRIVCTL);
  assert.equal(closesWindow(builtin('pessimistic'), priv.decision, priv.exempt === true, { kind: 'kcall', name: 'SYS_PRIVCTL' }), false);
  assert.throws(() => parsePolicy({ ...builtin('pessimistic'), exemptKcalls: ['getinfo'] }, 'p.json'), /field "exemptKcalls.0": expected a kernel-call name/);
});

test('enhanced-prototype keeps the window open only at the four whitelisted callers\' requests', () => {
  const ep = builtin('enhanced-prototype');
  const open: string[] = [];
  for (const t of Object.keys(MESSAGE_SEEPS).map(Number)) {
    const s = MESSAGE_SEEPS[t]!;
    if (!closesWindow(ep, s.decision, s.exempt === true, { kind: 'ipc', name: messageName(t) })) open.push(messageName(t));
  }
  assert.deepEqual(open.sort(), ['PM_GETEPINFO', 'VM_BRK', 'VM_NOTIFY_SIG', 'VM_WILLEXIT']);
  // A kernel call never stays open but the exempt ones, as under pessimistic.
  for (const t of Object.keys(KCALL_SEEPS).map(Number)) {
    const s = KCALL_SEEPS[t]!;
    const at = { kind: 'kcall' as const, name: kcallName(t) };
    assert.equal(closesWindow(ep, s.decision, s.exempt === true, at), closesWindow(builtin('pessimistic'), s.decision, s.exempt === true, at), kcallName(t));
  }
  assert.equal(closesWindow(ep, REPLY_SEEP.decision, false, { kind: 'ipc' }), true, 'the reply closes it');
});

test('enhanced closes the window only where pessimistic does (pessimistic plus the known-idempotent sites)', () => {
  const pess = builtin('pessimistic');
  const enh = builtin('enhanced');
  const seeps: [string, Seep][] = [
    ...Object.keys(MESSAGE_SEEPS).map((t): [string, Seep] => [messageName(Number(t)), MESSAGE_SEEPS[Number(t)]!]),
    ...Object.keys(KCALL_SEEPS).map((t): [string, Seep] => [kcallName(Number(t)), KCALL_SEEPS[Number(t)]!]),
    ['reply', REPLY_SEEP],
  ];
  const wider: string[] = [];
  for (const [name, s] of seeps) {
    const e = closesWindow(enh, s.decision, s.exempt === true);
    const p = closesWindow(pess, s.decision, s.exempt === true);
    if (e && !p) wider.push(name);
  }
  assert.deepEqual(wider, []);
  // And enhanced really keeps the window open somewhere pessimistic closes it.
  assert.ok(seeps.some(([, s]) => closesWindow(pess, s.decision, false) && !closesWindow(enh, s.decision, false)));
});

test('classify: requests to servers by type, anything else to a process is a reply', () => {
  const k = Sim.boot().world.kernel;
  const pm = classify(k, 'ipc', VM, msgType('VM_FORK'));
  assert.deepEqual([pm.name, pm.seep], ['VM_FORK', msgSeep('VM_FORK')]);
  assert.equal(classify(k, 'ipc', INIT, 0).seep, REPLY_SEEP, 'a message to a user process');
  assert.equal(classify(k, 'ipc', INIT, msgType('VM_FORK')).seep, REPLY_SEEP, 'a request type sent to a user process is still a reply');
  assert.equal(classify(k, 'ipc', VFS, 0).seep, REPLY_SEEP, 'a reply to a server (a non-protocol type)');
  assert.equal(classify(k, 'kcall', KERNEL, K.SYS_TIMES).seep, KCALL_SEEPS[K.SYS_TIMES]);
});

test('classify: a process- or request-specific kernel call is global when it acts on someone other than the requester', () => {
  const k = Sim.boot().world.kernel;
  const other = INIT + 1;
  assert.equal(classify(k, 'kcall', INIT, K.SYS_SIGSEND, INIT).seep.decision, 'PROCESS_SPECIFIC');
  assert.equal(classify(k, 'kcall', INIT, K.SYS_SAFECOPYTO, INIT).seep.decision, 'REQUEST_SPECIFIC');
  const s = classify(k, 'kcall', INIT, K.SYS_SIGSEND, other);
  assert.equal(s.seep.decision, 'GLOBAL_CHANGE');
  assert.ok(s.seep.reason.length > 0);
  assert.equal(s.name, 'SYS_SIGSEND on init');
  assert.equal(classify(k, 'kcall', INIT, K.SYS_VIRCOPYTO, other).seep.decision, 'GLOBAL_CHANGE');
  // Calls that are idempotent or already global do not depend on the target.
  assert.equal(classify(k, 'kcall', INIT, K.SYS_SAFECOPYFROM, other).seep.decision, 'IDEMPOTENT');
  assert.equal(classify(k, 'kcall', INIT, K.SYS_EXIT, INIT).seep.decision, 'GLOBAL_CHANGE');
});
