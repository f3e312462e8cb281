/*
 * The state-discipline check: each forbidden pattern is rejected with file
 * and line; local temporaries and the real servers pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ts from 'typescript';
import { checkDiscipline, Violation } from '../src/instrument/discipline';
import { readSources } from '../src/instrument/build';

const FILE = 'src/os/servers/fx/handler.ts';

function check(text: string): Violation[] {
  return checkDiscipline(ts.createSourceFile('handler.ts', text, ts.ScriptTarget.ES2022, true), FILE);
}

/** The single violation of `body` (placed at line 3 of a handler), checked for file and line. */
function rejects(body: string, message: RegExp): void {
  const text = `import { X } from './x';\nexport function do_x(st: any, m: any) {\n  ${body}\n  return { type: 0 };\n}\n`;
  const v = check(text);
  assert.equal(v.length, 1, `one violation for \`${body}\`: ${JSON.stringify(v)}`);
  assert.equal(v[0]!.file, FILE);
  assert.equal(v[0]!.line, 3, `line of \`${body}\``);
  assert.match(v[0]!.message, message);
}

function accepts(body: string): void {
  const text = `export function do_x(st: any, m: any) {\n  ${body}\n  return { type: 0 };\n}\n`;
  assert.deepEqual(check(text), [], `\`${body}\` is accepted`);
}

test('module-level let and var are rejected, with their line', () => {
  const v = check(`const A = 1;\nlet counter = 0;\nexport function f() { return A; }\nvar table = [];\n`);
  assert.deepEqual(v.map((x) => [x.file, x.line]), [[FILE, 2], [FILE, 4]]);
  for (const x of v) assert.match(x.message, /module-level mutable binding/);
});

test('module-level const is accepted, and so are let/var inside functions', () => {
  assert.deepEqual(check(`const LIMITS = Object.freeze([1, 2]);\nexport function f() { let a = 0; var b = 1; a += b; return a; }\n`), []);
});

test('Map, Set, WeakMap and WeakSet are rejected anywhere in server code', () => {
  rejects('st.cache = new Map();', /Map in server code/);
  rejects('const seen = new Set<number>();', /Set in server code/);
  rejects('st.w = new WeakMap();', /WeakMap/);
  rejects('const s = new WeakSet();', /WeakSet/);
  const v = check(`const REG = new Map();\n`);
  assert.equal(v.length, 1);
  assert.equal(v[0]!.line, 1);
});

test('mutating methods on state are rejected', () => {
  for (const method of ['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'set', 'copyWithin']) {
    rejects(`st.table.${method}(1);`, new RegExp(`\\.${method}\\(\\) on state`));
  }
  rejects('st.procs[m.slot].children.push(m.source);', /\.push\(\) on state/);
  rejects('m.buf.set(st.data);', /\.set\(\) on state/);
  // A local bound to state is still state, and so is a view of it.
  rejects('const tab = st.table; tab.sort();', /\.sort\(\) on state/);
  rejects('st.frames.subarray(0, 4).fill(0);', /\.fill\(\) on state/);
  rejects('const view = st.frames.subarray(2); view.set([1]);', /\.set\(\) on state/);
});

test('Object.assign and Object.defineProperty are rejected', () => {
  rejects('Object.assign(st.procs[0], m);', /Object\.assign/);
  rejects('Object.defineProperty(st, "x", { value: 1 });', /Object\.defineProperty/);
});

test('destructuring assignments and for-in/for-of loops that store into properties are rejected', () => {
  rejects('[st.a, st.b] = [st.b, st.a];', /destructuring assignment into a property/);
  rejects('({ x: st.pos.x, y: st.pos.y } = m);', /destructuring assignment into a property/);
  rejects('[, ...st.rest] = [1, 2];', /destructuring assignment into a property/);
  rejects('let q; [q = 1, { v: st.tab[0] }] = [];', /destructuring assignment into a property/);
  rejects('for (st.cursor of [1, 2]) { void 0; }', /for-in\/for-of loop storing into a property/);
  // Into locals they are fine.
  accepts('let a = 0, b = 1; [a, b] = [b, a]; ({ a, b } = { a: b, b: a });');
  accepts('let k; for (k in st.byName) { void k; }');
});

test('local temporaries may be mutated', () => {
  accepts('const a = []; a.push(1);');
  accepts('const a: number[] = []; a.push(1); a.sort(); a.reverse(); a.pop();');
  accepts('const z = new Array(3).fill(0);');
  accepts('const b = new Uint8Array(8); b.set([1, 2]); b.fill(0);');
  accepts('const c = st.list.slice(); c.sort((x: number, y: number) => x - y);');
  accepts('const d = st.list.filter((x: number) => x > 0); d.push(0);');
  accepts('const e = m.name.split("/"); e.pop();');
  accepts('const out = m.flag ? [] : [1]; out.unshift(2);');
  accepts('[3, 1, 2].sort();');
  accepts('const keys = Object.keys(st.byName); keys.sort();');
});

test('a temporary of another function does not excuse a mutation of state', () => {
  const v = check(`export function a() { const q = []; q.push(1); return q; }\nexport function b(st: any) { const r = st.q; r.push(1); }\n`);
  assert.deepEqual(v.map((x) => x.line), [2]);
});

test('several violations are all reported, in source order', () => {
  const v = check(`let a = 1;\nexport function f(st: any) {\n  st.t.push(1);\n  const s = new Set();\n  Object.assign(st, {});\n}\n`);
  assert.deepEqual(v.map((x) => x.line), [1, 3, 4, 5]);
});

test('the real servers follow the discipline', () => {
  const root = path.resolve(__dirname, '..', '..');
  const units = readSources(root);
  assert.ok(units.length > 20, `${units.length} server files`);
  const v = units.flatMap((u) => checkDiscipline(u.sf, `${u.server}/${u.file}`));
  assert.deepEqual(v, []);
});
