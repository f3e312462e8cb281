/*
 * The 16 EDFI fault types on fixtures: each armed block misbehaves as
 * DESIGN §5 specifies, on every execution, in both window clones, and its
 * activations are counted; unarmed, the code computes the original results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import seedrandom from 'seedrandom';
import { analyzeFile, BlockInfo } from '../src/instrument/blocks';
import { instrumentText } from '../src/instrument/build';
import { FAULT_TYPES, FaultType } from '../src/edfi/fault-types';
import { HELPER_ROLES } from '../src/instrument/helper-roles';
import { countSites, Mutation } from '../src/instrument/sites';
import * as runtime from '../src/osiris/hooks';
import { HookContext } from '../src/osiris/hooks';
import { activateHooks, setWindow, windowsOf } from './helpers/hook-context';
import { UndoLog } from '../src/osiris/undo-log';
import { EdfiRuntime } from '../src/edfi/runtime';
import { HangDetected } from '../src/os/kernel/errors';
import type { Kernel } from '../src/os/kernel/kernel';

const FILE = 'faults.ts';

const FIX = `
export function copyValue(dst: number[], src: number[], len: number) {
  for (let i = 0; i < len; i++) dst[i] = src[i];
  return len;
}
export function allocFrames(st: { used: boolean[] }, n: number) {
  let got = 0;
  for (let i = 0; i < st.used.length && got < n; i++) {
    if (!st.used[i]) { st.used[i] = true; got++; }
  }
  return got;
}
export function freeKey(st: { keys: (string | null)[] }, i: number) {
  st.keys[i] = null;
}
export function f_null(st: { n: number }) { st.n = 1; return st.n; }
export function f_swap(a: number, b: number) { const d = a - b; return d; }
export function f_load(st: { n: number }) { const v = st.n; return v; }
export function f_store(st: { n: number }, v: number) { st.n = v; return 0; }
export function f_branch(x: number) { if (x > 0) { return 1; } return 2; }
export function f_loop(n: number) { let i = 0; while (i < n) { i++; } return i; }
export function f_bool(x: number) { const ok = x === 1; const yes = true; return [ok, yes]; }
export function f_ptr(st: { tab: { v: number }[] }, i: number) { const r = st.tab[i]; return r.v; }
export function f_index(st: { tab: number[] }, i: number) { const v = st.tab[i]; return v; }
export function f_int(x: number) { const y = x * 3; return y; }
export function f_op(a: number, b: number) { const c = a + b; const lt = a < b; return [c, lt]; }
export function f_overflow(dst: number[], src: number[], n: number) { copyValue(dst, src, n); return dst; }
export function f_leak(st: { keys: (string | null)[] }, i: number) { freeKey(st, i); return 0; }
export function f_dangling(st: { used: boolean[] }, n: number) { const got = allocFrames(st, n); return got; }
`;

function blocksOf(text: string): BlockInfo[] {
  const sf = ts.createSourceFile(FILE, text, ts.ScriptTarget.ES2022, true);
  const blocks = analyzeFile(sf, { server: 'fx', file: FILE, excludeFaults: null });
  blocks.forEach((b, i) => { b.index = i; });
  return blocks;
}

function evaluate(code: string): any {
  const module = { exports: {} as any };
  new Function('require', 'exports', 'module', '__rt', code)(require, module.exports, module, runtime);
  return module.exports;
}

interface Armed {
  /** The instrumented fixture module. */
  m: any;
  edfi: EdfiRuntime;
  block: BlockInfo;
  ctx: HookContext;
  log: UndoLog;
  arm(): void;
}

/**
 * Instrument the fixture for osiris+edfi with `fault` forced on the first
 * block of `fn` (of `kind`), and activate a hook context whose kernel
 * throws HangDetected past `budget` loop steps.
 */
function setup(fn: string, fault: Mutation, kind: BlockInfo['kind'] = 'run', o: { seed?: string; budget?: number; window?: boolean } = {}): Armed {
  const blocks = blocksOf(FIX);
  const block = blocks.find((b) => b.function === fn && b.kind === kind);
  assert.ok(block, `a ${kind} block in ${fn}`);
  assert.ok(block.candidates.includes(fault.type), `${fault.type} is a candidate of ${block.id} (${block.candidates.join(', ')})`);
  block.fault = fault;
  const budget = o.budget ?? 10_000;
  let steps = 0;
  const kernel = { current: { slot: 0 }, now: 5000, overheadNs: 0, step() { if (++steps > budget) throw new HangDetected(steps); } };
  const log = new UndoLog();
  const ctx: HookContext = { kernel: kernel as unknown as Kernel, logs: [log], windows: windowsOf(o.window ?? false), prof: null };
  const edfi = new EdfiRuntime(o.seed ?? 'fixture-seed');
  activateHooks(ctx, edfi);
  const m = evaluate(instrumentText(FIX, FILE, 'osiris+edfi', blocks));
  return { m, edfi, block, ctx, log, arm: () => edfi.arm(block.index) };
}

const F = (type: FaultType, param = 1): Mutation => ({ type, site: 0, param });

test('null-pointer: the armed block throws a TypeError at entry, before any of its stores', () => {
  const a = setup('f_null', F('null-pointer'));
  const st = { n: 0 };
  assert.equal(a.m.f_null(st), 1);
  a.arm();
  st.n = 0;
  assert.throws(() => a.m.f_null(st), TypeError);
  assert.equal(st.n, 0);
  assert.equal(a.edfi.activations, 1);
});

test('swap: a - b computes b - a', () => {
  const a = setup('f_swap', F('swap'));
  assert.equal(a.m.f_swap(7, 2), 5);
  a.arm();
  assert.equal(a.m.f_swap(7, 2), -5);
  assert.equal(a.m.f_swap(10, 1), -9);
  assert.equal(a.edfi.activations, 2);
});

test('no-load: a numeric read from state yields 0', () => {
  const a = setup('f_load', F('no-load'));
  assert.equal(a.m.f_load({ n: 42 }), 42);
  a.arm();
  assert.equal(a.m.f_load({ n: 42 }), 0);
  // Non-numeric values pass through unchanged.
  assert.equal(a.m.f_load({ n: 'str' }), 'str');
});

test('rnd-load: a numeric read yields the next value of the run\'s seeded generator, the same for the same seed', () => {
  const draw = (seed: string, n: number) => {
    const a = setup('f_load', F('rnd-load'), 'run', { seed });
    a.arm();
    return Array.from({ length: n }, () => a.m.f_load({ n: 42 }) as number);
  };
  const x = draw('seed-1', 5);
  const rng = seedrandom('seed-1');
  assert.deepEqual(x, Array.from({ length: 5 }, () => Math.floor(rng() * 0x10000) - 0x100));
  assert.deepEqual(draw('seed-1', 5), x);
  assert.notDeepEqual(draw('seed-2', 5), x);
  for (const v of x) assert.ok(Number.isInteger(v) && v !== 42);
});

test('no-store: the store is skipped (in the logging clone as well, and it is not logged)', () => {
  for (const window of [false, true]) {
    const a = setup('f_store', F('no-store'), 'run', { window });
    const st = { n: 1 };
    a.m.f_store(st, 9);
    assert.equal(st.n, 9);
    a.arm();
    assert.equal(a.m.f_store(st, 3), 0);
    assert.equal(st.n, 9);
    assert.equal(a.log.size, window ? 1 : 0, 'only the unarmed store was logged');
  }
});

test('flip-branch: a branch condition is negated; on a loop, the loop condition', () => {
  const a = setup('f_branch', F('flip-branch'));
  assert.deepEqual([a.m.f_branch(5), a.m.f_branch(-5)], [1, 2]);
  a.arm();
  assert.deepEqual([a.m.f_branch(5), a.m.f_branch(-5)], [2, 1]);
  assert.equal(a.edfi.activations, 2);
  const l = setup('f_loop', F('flip-branch'), 'loop');
  assert.equal(l.m.f_loop(4), 4);
  l.arm();
  assert.equal(l.m.f_loop(4), 0);
});

test('stuck-at-branch: a branch condition is the constant the parameter says', () => {
  const t = setup('f_branch', F('stuck-at-branch', 1));
  t.arm();
  assert.deepEqual([t.m.f_branch(5), t.m.f_branch(-5)], [1, 1]);
  const f = setup('f_branch', F('stuck-at-branch', 0));
  f.arm();
  assert.deepEqual([f.m.f_branch(5), f.m.f_branch(-5)], [2, 2]);
});

test('stuck-at-loop: the loop runs until __rt.step() throws at the step budget (a hang)', () => {
  const a = setup('f_loop', F('stuck-at-loop'), 'loop', { budget: 500 });
  assert.equal(a.m.f_loop(3), 3);
  a.arm();
  assert.throws(() => a.m.f_loop(3), HangDetected);
  // One activation per evaluation of the stuck condition.
  assert.ok(a.edfi.activations > 400, `${a.edfi.activations} activations`);
});

test('flip-bool: a comparison or boolean literal is negated', () => {
  const a = setup('f_bool', F('flip-bool'));
  assert.deepEqual(a.m.f_bool(1), [true, true]);
  a.arm();
  assert.deepEqual(a.m.f_bool(1), [false, true]);
  assert.deepEqual(a.m.f_bool(2), [true, true]);
  const lit = setup('f_bool', { type: 'flip-bool', site: 1, param: 1 });
  lit.arm();
  assert.deepEqual(lit.m.f_bool(1), [true, false]);
});

test('corrupt-pointer: a record reference becomes the neighbour record of its table, or garbage', () => {
  const st = { tab: [{ v: 10 }, { v: 11 }, { v: 12 }] };
  const a = setup('f_ptr', F('corrupt-pointer', 0));
  assert.equal(a.m.f_ptr(st, 1), 11);
  a.arm();
  assert.equal(a.m.f_ptr(st, 1), 12);
  assert.equal(a.m.f_ptr(st, 2), 10, 'wraps around the table');
  const g = setup('f_ptr', F('corrupt-pointer', 1));
  g.arm();
  assert.equal(g.m.f_ptr(st, 1), undefined, 'garbage: a record with no fields');
});

test('corrupt-index: an array index is off by one, in the direction the parameter says', () => {
  const st = { tab: [10, 11, 12] };
  const up = setup('f_index', F('corrupt-index', 1));
  up.arm();
  assert.equal(up.m.f_index(st, 1), 12);
  assert.equal(up.m.f_index(st, 2), undefined);
  const down = setup('f_index', F('corrupt-index', -1));
  assert.equal(down.m.f_index(st, 1), 11);
  down.arm();
  assert.equal(down.m.f_index(st, 1), 10);
});

test('corrupt-integer: an integer constant is off by one', () => {
  const up = setup('f_int', F('corrupt-integer', 1));
  assert.equal(up.m.f_int(5), 15);
  up.arm();
  assert.equal(up.m.f_int(5), 20);
  const down = setup('f_int', F('corrupt-integer', -1));
  down.arm();
  assert.equal(down.m.f_int(5), 10);
});

test('corrupt-operator: an operator becomes another of its family', () => {
  const a = setup('f_op', F('corrupt-operator'));
  assert.deepEqual(a.m.f_op(5, 3), [8, false]);
  a.arm();
  assert.deepEqual(a.m.f_op(5, 3), [2, false]);
  const cmp = setup('f_op', { type: 'corrupt-operator', site: 1, param: 1 });
  cmp.arm();
  assert.deepEqual(cmp.m.f_op(4, 4), [8, true], '< became <=');
});

test('buffer-overflow: a copy helper is passed a larger length and writes into the neighbour', () => {
  assert.equal(HELPER_ROLES.copyValue?.role, 'copy');
  const src = [1, 2, 3, 4, 5, 6, 7, 8];
  const a = setup('f_overflow', F('buffer-overflow', 3));
  assert.deepEqual(a.m.f_overflow([0, 0, 0, 0, 0, 0, 0, 0], src, 2), [1, 2, 0, 0, 0, 0, 0, 0]);
  a.arm();
  assert.deepEqual(a.m.f_overflow([0, 0, 0, 0, 0, 0, 0, 0], src, 2), [1, 2, 3, 4, 5, 0, 0, 0]);
});

test('mem-leak: a release helper call is skipped', () => {
  assert.equal(HELPER_ROLES.freeKey?.role, 'release');
  const a = setup('f_leak', F('mem-leak'));
  const st = { keys: ['a', 'b'] };
  a.m.f_leak(st, 0);
  assert.deepEqual(st.keys, [null, 'b']);
  a.arm();
  a.m.f_leak(st, 1);
  assert.deepEqual(st.keys, [null, 'b']);
  assert.equal(a.edfi.activations, 1);
});

test('dangling-pointer: an allocation helper is passed a smaller size', () => {
  assert.equal(HELPER_ROLES.allocFrames?.role, 'alloc');
  const a = setup('f_dangling', F('dangling-pointer'));
  assert.equal(a.m.f_dangling({ used: [false, false, false, false] }, 3), 3);
  a.arm();
  const st = { used: [false, false, false, false] };
  assert.equal(a.m.f_dangling(st, 3), 2);
  assert.deepEqual(st.used, [true, true, false, false]);
});

test('every fault type is covered above, and each is a candidate of some fixture block', () => {
  const blocks = blocksOf(FIX);
  const seen = new Set(blocks.flatMap((b) => b.candidates));
  assert.deepEqual(FAULT_TYPES.filter((t) => !seen.has(t)), []);
});

test('the faulty version runs on every execution of the armed block, in both window clones; re-arming resets the count', () => {
  const a = setup('f_swap', F('swap'));
  a.arm();
  a.ctx.kernel.now = 7000;
  for (let i = 0; i < 5; i++) {
    setWindow(a.ctx.windows, 0, i % 2 === 0);
    assert.equal(a.m.f_swap(1, 0), -1, `execution ${i}`);
  }
  assert.equal(a.edfi.activations, 5);
  assert.equal(a.edfi.firstActivation, 7000);
  a.arm();
  assert.equal(a.edfi.activations, 0);
  assert.equal(a.edfi.firstActivation, -1);
  // Another block armed: this one runs unchanged and is not counted.
  a.edfi.arm(a.block.index + 1);
  assert.equal(a.m.f_swap(1, 0), 1);
  assert.equal(a.edfi.activations, 0);
});

test('unarmed, every block with its chosen fault leaves the fixture\'s results unchanged', () => {
  const blocks = blocksOf(FIX);
  activateHooks({
    kernel: { current: { slot: 0 }, now: 0, overheadNs: 0, step() {} } as unknown as Kernel,
    logs: [null], windows: windowsOf(false), prof: null,
  }, new EdfiRuntime('x'));
  const m = evaluate(instrumentText(FIX, FILE, 'osiris+edfi', blocks));
  assert.equal(m.f_swap(9, 4), 5);
  assert.deepEqual(m.f_op(5, 3), [8, false]);
  assert.deepEqual(m.f_overflow([0, 0, 0], [1, 2, 3], 2), [1, 2, 0]);
  assert.equal(m.f_dangling({ used: [false, false, false] }, 2), 2);
  assert.equal(m.f_loop(6), 6);
  assert.deepEqual(m.f_bool(1), [true, true]);
  activateHooks(null);
});

test('literals in type annotations and property names are not fault sites (a fault there would never run, or not compile)', () => {
  const text = `export function g(x: number) { const k: 0 | 1 = 1; const o = { 2: 'two', v: x + 3 }; const t: true = true; return [k, o.v, t, o[2]]; }\n`;
  const sf = ts.createSourceFile(FILE, text, ts.ScriptTarget.ES2022, true);
  const fn = sf.statements[0] as ts.FunctionDeclaration;
  // Values only: 1, x + 3, 3 (corrupt-integer); true (flip-bool).
  assert.equal(countSites('corrupt-integer', fn.body!.statements), 3);
  assert.equal(countSites('flip-bool', fn.body!.statements), 1);
  const run = (fault: Mutation) => {
    const blocks = blocksOf(text);
    blocks[0]!.fault = fault;
    const edfi = new EdfiRuntime('t');
    activateHooks({ kernel: { current: { slot: 0 }, now: 0, overheadNs: 0, step() {} } as unknown as Kernel, logs: [null], windows: windowsOf(false), prof: null }, edfi);
    const m = evaluate(instrumentText(text, FILE, 'osiris+edfi', blocks));
    edfi.arm(0);
    return m.g(10);
  };
  assert.deepEqual(run(F('corrupt-integer')), [2, 13, true, 'two']);
  assert.deepEqual(run({ type: 'corrupt-integer', site: 1, param: 1 }), [1, 14, true, 'two']);
  assert.deepEqual(run({ type: 'corrupt-integer', site: 2, param: -1 }), [1, 12, true, 'two']);
  assert.deepEqual(run(F('flip-bool')), [1, 13, false, 'two']);
  activateHooks(null);
});
