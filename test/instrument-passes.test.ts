/*
 * The instrumentation passes on small fixtures: what each variant emits and
 * that the instrumented fixture still computes what the original computes,
 * with the hooks doing their part (loop steps, undo logging, window
 * dispatch, block counters, armed EDFI blocks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { analyzeFile, BlockInfo } from '../src/instrument/blocks';
import { instrumentText } from '../src/instrument/build';
import { VariantName } from '../src/sim/variants';
import * as runtime from '../src/osiris/hooks';
import { HookContext } from '../src/osiris/hooks';
import { activateHooks, setWindow, windowsOf } from './helpers/hook-context';
import { UndoLog } from '../src/osiris/undo-log';
import { EdfiRuntime } from '../src/edfi/runtime';
import { ProfCounters } from '../src/osiris/prof-counters';
import { COST } from '../src/os/kernel/cost';
import type { Kernel } from '../src/os/kernel/kernel';

/* ---- fixture harness ---- */

const FILE = 'fixture.ts';

function blocksOf(text: string): BlockInfo[] {
  const sf = ts.createSourceFile(FILE, text, ts.ScriptTarget.ES2022, true);
  const blocks = analyzeFile(sf, { server: 'fx', file: FILE, excludeFaults: null });
  blocks.forEach((b, i) => { b.index = i; });
  return blocks;
}

/** Evaluate CommonJS code with the given `__rt`; returns its exports. */
function evaluate(code: string, rt: unknown): any {
  const module = { exports: {} as any };
  new Function('require', 'exports', 'module', '__rt', code)(require, module.exports, module, rt);
  return module.exports;
}

function instrument(text: string, v: VariantName, blocks = blocksOf(text)): string {
  return instrumentText(text, FILE, v, blocks);
}

/** The fixture compiled without instrumentation: the reference behaviour. */
function plainCode(text: string): string {
  return ts.transpileModule(text, { fileName: FILE, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
}

const ABSENT = '<absent>';

/** An undo log that also keeps what it was asked to record, for inspection. */
class RecordingLog extends UndoLog {
  entries: [object, PropertyKey, unknown][] = [];
  override record(obj: object, key: PropertyKey): void {
    const o = obj as Record<PropertyKey, unknown>;
    this.entries.push([obj, key, key in o ? o[key] : ABSENT]);
    super.record(obj, key);
  }
}

interface Harness { ctx: HookContext; edfi: EdfiRuntime | null; log: RecordingLog; kernel: { now: number; overheadNs: number; steps: number } }

/** Activate a hook context around a fake kernel running one server in slot 0. */
function harness(o: { window?: boolean; logging?: boolean; edfiSeed?: string; profBlocks?: number } = {}): Harness {
  const kernel = {
    current: { slot: 0 }, now: 1000, overheadNs: 0, steps: 0,
    step() { this.steps++; },
  };
  const log = new RecordingLog();
  const ctx: HookContext = {
    kernel: kernel as unknown as Kernel,
    logs: [o.logging === false ? null : log],
    windows: windowsOf(o.window ?? true),
    prof: o.profBlocks !== undefined ? new ProfCounters(o.profBlocks) : null,
  };
  const edfi = o.edfiSeed !== undefined ? new EdfiRuntime(o.edfiSeed) : null;
  activateHooks(ctx, edfi);
  return { ctx, edfi, log, kernel };
}

/** Every `__rt.<name>(` member used by the code, with counts. */
function hookUses(code: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of code.matchAll(/__rt\.(\w+)/g)) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  return out;
}

/** Stores the hooks should have replaced: property/element assignments, ++/--, delete. */
function remainingPropertyStores(code: string): string[] {
  const sf = ts.createSourceFile('out.js', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out: string[] = [];
  const isTarget = (e: ts.Expression) => ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e);
  const isExportsStore = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.expression.getText(sf) === 'exports';
  const walk = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      isTarget(n.left) && !isExportsStore(n.left)) out.push(n.getText(sf));
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && isTarget(n.operand)) out.push(n.getText(sf));
    if (ts.isDeleteExpression(n) && isTarget(n.expression)) out.push(n.getText(sf));
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}

/* ---- fixtures ---- */

const LOOPS = `
export function loops(n: number, o: Record<string, number>, xs: number[]) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += i;
  }
  let j = 0;
  while (j < n) {
    j++;
  }
  do {
    j--;
  } while (j > 0);
  for (const x of xs) {
    s += x;
  }
  for (const k in o) {
    s += o[k];
  }
  return s * 1000 + j;
}
`;

const STORES = `
export function stores(a: any, k: string, v: number) {
  a.b = v;
  a.t[k] += v;
  a.c++;
  ++a.t[k];
  a.d--;
  delete a.e;
  a.f ||= v;
  a.g &&= v;
  a.h ??= v;
  a.i -= 2;
  a.i *= 3;
  a.i <<= 1;
  a.i |= 1;
  a.i **= 2;
  const r = [a.b = 7, a.c++, ++a.c, a.t[k]--];
  const local = { n: 1 };
  local.n += a.c;
  return [r, local.n];
}
export const arrow = (a: any, v: number) => (a.z = v + 1);
export function nested(a: any) {
  const inner = function (x: number) { a.w = x; return a.w * 2; };
  return inner(3) + [1, 2].map((y) => (a.m = y)).length;
}
`;

const ONCE = `
export function once(a: any, trail: string[]) {
  const obj = () => { trail.push('o'); return a; };
  const key = () => { trail.push('k'); return 'x'; };
  const val = () => { trail.push('v'); return 5; };
  obj()[key()] += val();
  obj()[key()] = val();
  obj()[key()]++;
  ++obj()[key()];
  delete obj()[key()];
  obj()[key()] ||= val();
  obj()[key()] ||= val();
  obj()[key()] &&= val();
  obj()[key()] ??= val();
  obj().y = val();
  return a.x;
}
`;

function storesInput(): any {
  return { t: { q: 10 }, c: 1, d: 5, e: 'gone', f: 0, g: 2, h: null, i: 4 };
}

/* ---- baseline ---- */

test('baseline adds only __rt.step() at the top of each loop body, and counts every iteration', () => {
  const code = instrument(LOOPS, 'baseline');
  assert.deepEqual(hookUses(code), { step: 5 });
  // Without the guards the code is the plain compilation.
  assert.equal(code.replace(/^\s*__rt\.step\(\);\n/gm, ''), plainCode(LOOPS));
  const h = harness();
  const exp = evaluate(code, runtime);
  const ref = evaluate(plainCode(LOOPS), null);
  const args = (): [number, Record<string, number>, number[]] => [4, { a: 1, b: 2 }, [5, 6, 7]];
  assert.equal(exp.loops(...args()), ref.loops(...args()));
  // 4 (for) + 4 (while) + 4 (do) + 3 (for-of) + 2 (for-in)
  assert.equal(h.kernel.steps, 17);
  assert.equal(h.log.entries.length, 0);
});

test('baseline leaves stores alone', () => {
  const code = instrument(STORES, 'baseline');
  assert.deepEqual(hookUses(code), {});
  assert.equal(code, plainCode(STORES));
});

/* ---- ckpt ---- */

test('ckpt turns every property/element store into a hook call', () => {
  const code = instrument(STORES, 'ckpt');
  assert.deepEqual(remainingPropertyStores(code), []);
  const uses = hookUses(code);
  for (const h of ['set', 'cset', 'inc', 'del', 'lset']) assert.ok((uses[h] ?? 0) > 0, `uses __rt.${h}`);
  assert.equal(uses.win, undefined, 'ckpt has no window dispatch');
  assert.match(code, /__rt\.set\(a, "b", v\)/);
  assert.match(code, /__rt\.cset\(a\.t, k, "\+", v\)/);
  assert.match(code, /__rt\.inc\(a, "c", 1, false\)/);
  assert.match(code, /__rt\.inc\(a\.t, k, 1, true\)/);
  assert.match(code, /__rt\.inc\(a, "d", -1, false\)/);
  assert.match(code, /__rt\.del\(a, "e"\)/);
  assert.match(code, /__rt\.lset\(a, "f", "\|\|", \(\) => v\)/);
});

test('ckpt computes the same results and logs (object, key, old value) before each store', () => {
  const h = harness();
  const exp = evaluate(instrument(STORES, 'ckpt'), runtime);
  const ref = evaluate(plainCode(STORES), null);
  const a = storesInput(), b = storesInput();
  assert.deepEqual(exp.stores(a, 'q', 3), ref.stores(b, 'q', 3));
  assert.deepEqual(a, b);
  const e = h.log.entries;
  // The first stores, in order, with the values they overwrote.
  assert.deepEqual(e.slice(0, 9).map(([o, k, old]) => [o === a ? 'a' : o === a.t ? 'a.t' : '?', k, old]), [
    ['a', 'b', ABSENT], ['a.t', 'q', 10], ['a', 'c', 1], ['a.t', 'q', 13], ['a', 'd', 5], ['a', 'e', 'gone'],
    ['a', 'f', 0], ['a', 'g', 2], ['a', 'h', null],
  ]);
  // 5 compound stores to a.i, 4 stores in the array literal, one to the local record.
  assert.equal(e.length, 9 + 5 + 4 + 1);
  assert.equal(h.log.size, e.length);
  assert.equal(h.kernel.overheadNs, e.length * COST.undoLogStore);
  // Rolling back restores the input exactly (the local record is rolled back too, harmlessly).
  h.log.rollback();
  assert.deepEqual(a, storesInput());
});

test('ckpt: ||= &&= ??= log and store only when the store happens', () => {
  const h = harness();
  const exp = evaluate(instrument(STORES, 'ckpt'), runtime);
  const a = { ...storesInput(), f: 'set', g: 0, h: 4 };
  exp.stores(a, 'q', 3);
  const keys = h.log.entries.map(([, k]) => k);
  for (const k of ['f', 'g', 'h']) assert.ok(!keys.includes(k), `no store to ${k}`);
  assert.deepEqual([a.f, a.g, a.h], ['set', 0, 4]);
});

test('ckpt evaluates object, key and value of each store exactly once, in the original order', () => {
  harness();
  const exp = evaluate(instrument(ONCE, 'ckpt'), runtime);
  const ref = evaluate(plainCode(ONCE), null);
  const t1: string[] = [], t2: string[] = [];
  const a1: any = { x: 1 }, a2: any = { x: 1 };
  assert.equal(exp.once(a1, t1), ref.once(a2, t2));
  assert.deepEqual(t1, t2);
  assert.deepEqual(a1, a2);
  assert.deepEqual(t1.join(''), 'okv' + 'okv' + 'ok' + 'ok' + 'ok' + 'okv' + 'ok' + 'okv' + 'ok' + 'ov');
});

test('ckpt hooks stores in nested functions and arrow bodies too', () => {
  const h = harness();
  const exp = evaluate(instrument(STORES, 'ckpt'), runtime);
  const a: any = {};
  assert.equal(exp.arrow(a, 1), 2);
  assert.equal(exp.nested(a), 6 + 2);
  assert.deepEqual(h.log.entries.map(([, k, old]) => [k, old]), [['z', ABSENT], ['w', ABSENT], ['m', ABSENT], ['m', 1]]);
});

test('ckpt logs nothing when the server has no undo log', () => {
  const h = harness({ logging: false });
  const exp = evaluate(instrument(STORES, 'ckpt'), runtime);
  const ref = evaluate(plainCode(STORES), null);
  const a = storesInput(), b = storesInput();
  assert.deepEqual(exp.stores(a, 'q', 3), ref.stores(b, 'q', 3));
  assert.deepEqual(a, b);
  assert.equal(h.log.entries.length, 0);
  assert.equal(h.kernel.overheadNs, 0);
});

/* ---- osiris (window-optimized) ---- */

/** Each function in the code: its name and its body's statements (or its concise body). */
function functionsOf(code: string): { name: string; body: ts.ConciseBody; sf: ts.SourceFile }[] {
  const sf = ts.createSourceFile('out.js', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out: { name: string; body: ts.ConciseBody; sf: ts.SourceFile }[] = [];
  const walk = (n: ts.Node): void => {
    // The value thunks of __rt.lset (||= &&= ??=) are the hook's own, not cloned functions.
    const isThunk = ts.isArrowFunction(n) && ts.isCallExpression(n.parent) && n.parent.expression.getText(sf) === '__rt.lset';
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n)) && n.body && !isThunk) {
      const name = ts.isFunctionDeclaration(n) && n.name ? n.name.text : `<${n.getStart(sf)}>`;
      out.push({ name, body: n.body, sf });
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}

test('osiris: every function dispatches on __rt.win() to a logging and a non-logging body', () => {
  const code = instrument(STORES, 'osiris');
  const fns = functionsOf(code);
  // Nested functions appear in both clones of their parent: stores, arrow, nested, inner x2, map callback x2.
  assert.equal(fns.length, 7);
  for (const { name, body, sf } of fns) {
    if (ts.isBlock(body)) {
      assert.equal(body.statements.length, 1, `${name}: one dispatch statement`);
      const s = body.statements[0]!;
      assert.ok(ts.isIfStatement(s) && s.expression.getText(sf) === '__rt.win()', `${name}: if (__rt.win())`);
      const logging = s.thenStatement.getText(sf), plain = s.elseStatement!.getText(sf);
      assert.match(logging, /__rt\.(set|cset|inc|del|lset)\(/, `${name}: logging body hooks stores`);
      assert.doesNotMatch(plain.replace(/function[^]*$/, ''), /__rt\.(set|cset|inc|del|lset)\(/, `${name}: plain body does not`);
    } else {
      const e = ts.isParenthesizedExpression(body) ? body.expression : body;
      assert.ok(ts.isConditionalExpression(e) && e.condition.getText(sf) === '__rt.win()', `${name}: win() ? logged : plain`);
      assert.match(e.whenTrue.getText(sf), /__rt\.set\(/);
      assert.doesNotMatch(e.whenFalse.getText(sf), /__rt\./);
    }
  }
  // The non-logging clone of stores() is the original body.
  const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
  const original = functionsOf(plainCode(STORES)).find((f) => f.name === 'stores')!;
  const dispatch = (fns.find((f) => f.name === 'stores')!.body as ts.Block).statements[0] as ts.IfStatement;
  assert.equal(squash(dispatch.elseStatement!.getText(fns[0]!.sf)), squash(original.body.getText(original.sf)));
});

test('osiris logs stores only while the window is open, and computes the same either way', () => {
  const ref = evaluate(plainCode(STORES), null);
  for (const open of [true, false]) {
    const h = harness({ window: open });
    const exp = evaluate(instrument(STORES, 'osiris'), runtime);
    const a = storesInput(), b = storesInput();
    assert.deepEqual(exp.stores(a, 'q', 3), ref.stores(b, 'q', 3));
    assert.equal(exp.nested(a), ref.nested(b));
    assert.deepEqual(a, b);
    assert.equal(h.log.entries.length, open ? 19 + 3 : 0, `window ${open ? 'open' : 'closed'}`);
    // One clone dispatch per function entry: stores, nested, inner, the map callback twice.
    assert.equal(h.kernel.overheadNs, 5 * COST.cloneDispatch + h.log.entries.length * COST.undoLogStore);
    if (open) {
      h.log.rollback();
      assert.deepEqual(a, { ...storesInput() });
    }
  }
});

test('osiris: the window is closed for a server without a log, and outside any server', () => {
  const h = harness({ window: true, logging: false });
  assert.equal(runtime.win(), false);
  h.ctx.logs[0] = h.log;
  assert.equal(runtime.win(), true);
  (h.ctx.kernel as unknown as { current: unknown }).current = null;
  assert.equal(runtime.win(), false);
  activateHooks(null);
  assert.equal(runtime.win(), false);
});

test('osiris evaluates each operand once, like ckpt', () => {
  harness({ window: true });
  const exp = evaluate(instrument(ONCE, 'osiris'), runtime);
  const ref = evaluate(plainCode(ONCE), null);
  const t1: string[] = [], t2: string[] = [];
  assert.equal(exp.once({ x: 1 }, t1), ref.once({ x: 1 }, t2));
  assert.deepEqual(t1, t2);
});

/* ---- osiris+prof ---- */

const PROF = `
export function p(n: number, st: { hits: number }) {
  let s = 0;
  const k = 2;
  if (n > k) {
    st.hits += 1;
    s = 1;
  }
  for (let i = 0; i < n; i++) {
    s = s + i;
  }
  if (n === 0) return -1;
  else if (n === 1) return -2;
  while (s > 100) s -= 100;
  return s;
}
`;

/** The block of a fixture that starts on a line containing `text` (the n-th such, 0-based). */
function blockAt(text: string, blocks: BlockInfo[], needle: string, kind: BlockInfo['kind'] = 'run'): BlockInfo {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle)) + 1;
  const b = blocks.find((x) => x.line === line && x.kind === kind);
  assert.ok(b, `a ${kind} block at "${needle}" (line ${line})`);
  return b;
}

test('osiris+prof counts each block execution weighted by its statements, split by window state', () => {
  const blocks = blocksOf(PROF);
  const code = instrument(PROF, 'osiris+prof', blocks);
  for (const b of blocks) assert.match(code, new RegExp(`__rt\\.prof\\(${b.index}, ${b.kind === 'loop' ? 1 : b.statements}\\)`), b.id);
  const h = harness({ window: true, profBlocks: blocks.length });
  const exp = evaluate(code, runtime);
  const ref = evaluate(plainCode(PROF), null);
  assert.equal(exp.p(5, { hits: 0 }), ref.p(5, { hits: 0 }));
  const prof = h.ctx.prof!;
  const entry = blockAt(PROF, blocks, 'let s = 0');
  assert.equal(entry.statements, 3, 'two declarations and the if condition');
  const then = blockAt(PROF, blocks, 'st.hits += 1');
  const loop = blockAt(PROF, blocks, 'for (let i', 'loop');
  const body = blockAt(PROF, blocks, 's = s + i');
  assert.deepEqual([prof.hits[entry.index], prof.inside[entry.index]], [1, 3]);
  assert.deepEqual([prof.hits[then.index], prof.inside[then.index]], [1, 2]);
  assert.deepEqual([prof.hits[loop.index], prof.inside[loop.index]], [6, 6]);
  assert.deepEqual([prof.hits[body.index], prof.inside[body.index]], [5, 5]);
  assert.equal(prof.outside.reduce((x, y) => x + y, 0), 0);
  // With the window closed the same blocks count as outside.
  setWindow(h.ctx.windows, 0, false);
  prof.reset();
  exp.p(5, { hits: 0 });
  assert.equal(prof.outside[entry.index], 3);
  assert.equal(prof.inside.reduce((x, y) => x + y, 0), 0);
});

test('osiris+prof counts blocks in unbraced branches and loop bodies (every block of the map is reachable)', () => {
  const blocks = blocksOf(PROF);
  const h = harness({ window: true, profBlocks: blocks.length });
  const exp = evaluate(instrument(PROF, 'osiris+prof', blocks), runtime);
  const ref = evaluate(plainCode(PROF), null);
  for (const n of [0, 1, 2, 5, 30]) assert.equal(exp.p(n, { hits: 0 }), ref.p(n, { hits: 0 }), `p(${n})`);
  const never = blocks.filter((b) => h.ctx.prof!.hits[b.index] === 0).map((b) => b.id);
  assert.deepEqual(never, []);
  assert.equal(h.ctx.prof!.hits[blockAt(PROF, blocks, 'else if (n === 1) return -2').index]! > 0, true);
});

/* ---- osiris+edfi ---- */

test('osiris+edfi guards every block with a fault by __rt.armed(index); unarmed it computes the original results', () => {
  const blocks = blocksOf(PROF);
  const code = instrument(PROF, 'osiris+edfi', blocks);
  for (const b of blocks) if (b.fault) assert.match(code, new RegExp(`__rt\\.armed\\(${b.index}\\)`), b.id);
  const h = harness({ window: true, edfiSeed: 's' });
  const exp = evaluate(code, runtime);
  const ref = evaluate(plainCode(PROF), null);
  for (const n of [0, 1, 2, 5, 30]) assert.equal(exp.p(n, { hits: 0 }), ref.p(n, { hits: 0 }));
  assert.equal(h.edfi!.activations, 0);
});

test('osiris+edfi: arming a block runs its faulty version and counts activations', () => {
  const blocks = blocksOf(PROF);
  const entry = blockAt(PROF, blocks, 'let s = 0');
  entry.fault = { type: 'null-pointer', site: 0, param: 0 };
  const other = blockAt(PROF, blocks, 's = s + i');
  other.fault = { type: 'corrupt-operator', site: 0, param: 1 };
  const h = harness({ window: false, edfiSeed: 's' });
  const exp = evaluate(instrument(PROF, 'osiris+edfi', blocks), runtime);
  const edfi = h.edfi!;
  edfi.arm(other.index);
  assert.equal(exp.p(4, { hits: 0 }), 1 - 0 - 1 - 2 - 3, 's -= i in the loop body');
  assert.equal(edfi.activations, 4);
  assert.equal(edfi.firstActivation, 1000);
  edfi.arm(entry.index);
  assert.equal(edfi.activations, 0);
  assert.throws(() => exp.p(4, { hits: 0 }), TypeError);
  assert.equal(edfi.activations, 1);
  edfi.arm(-1);
  assert.equal(exp.p(4, { hits: 0 }), 7);
});

test('all variants keep exported names, parameters and module shape', () => {
  for (const v of ['baseline', 'ckpt', 'osiris', 'osiris+edfi', 'osiris+prof'] as const) {
    const blocks = blocksOf(STORES);
    harness({ window: true, edfiSeed: 'x', profBlocks: blocks.length });
    const exp = evaluate(instrument(STORES, v, blocks), runtime);
    assert.deepEqual(Object.keys(exp).sort(), ['arrow', 'nested', 'stores'], v);
    assert.equal(exp.stores.length, 3, v);
  }
  activateHooks(null);
});
