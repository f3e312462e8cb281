/*
 * Block ids and chosen faults are stable: the same text gives the same map,
 * an edit to one function moves nothing in the others, and the real
 * servers' ids are unique.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ts from 'typescript';
import { analyzeFile, BlockInfo } from '../src/instrument/blocks';
import { analyzeAll, readSources, SourceUnit } from '../src/instrument/build';
import { isFunctionWithBody } from '../src/instrument/ast-util';

const ROOT = path.resolve(__dirname, '..', '..');

function analyze(text: string, server = 'fx', file = 'fixture.ts'): BlockInfo[] {
  return analyzeFile(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true), { server, file, excludeFaults: null });
}

/** What must not move: everything but source positions. */
function identity(b: BlockInfo) {
  return { id: b.id, hash: b.hash, function: b.function, kind: b.kind, statements: b.statements, candidates: b.candidates, fault: b.fault };
}

const FIXTURE = `
export function first(st: any, m: any) {
  if (m.n < 0) return -1;
  st.count += m.n;
  for (let i = 0; i < m.n; i++) st.tab[i] = i * 2;
  return st.count;
}
export function* second(st: any, m: any) {
  const r = yield m.x;
  if (r.type !== 0) { st.err = r.type; return r.type; }
  while (st.busy) { st.busy--; }
  const pick = (k: number) => { return st.tab[k] ?? 0; };
  return pick(m.k) - pick(m.k + 1);
}
export function third(st: any) {
  switch (st.mode) {
    case 1: st.mode = 2; break;
    default: st.mode = 1;
  }
  return [1, 2].map((x) => { return x + st.mode; });
}
`;

/** Insert statements at the top of the body of the function named `fn`. */
function editFunction(text: string, fn: string, insert: string): string {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true);
  let at = -1;
  const walk = (n: ts.Node): void => {
    if (at < 0 && ts.isFunctionDeclaration(n) && n.name?.text === fn && n.body) at = n.body.getStart(sf) + 1;
    ts.forEachChild(n, walk);
  };
  walk(sf);
  assert.ok(at > 0, `function ${fn} found`);
  return text.slice(0, at) + insert + text.slice(at);
}

const INSERT = '\n  const extra1 = 1;\n  if (extra1 > 2) { void extra1; }\n  for (let q = 0; q < 1; q++) { void q; }\n';

test('analyzing the same text twice gives the same blocks, ids and faults', () => {
  const a = analyze(FIXTURE), b = analyze(FIXTURE);
  assert.deepEqual(a, b);
  assert.ok(a.length >= 12, `${a.length} blocks`);
  assert.ok(a.every((x) => x.fault !== null));
});

test('the chosen faults are pinned: a change to the generator or the candidates fails loudly', () => {
  const got = analyze(FIXTURE).map((b) => [b.id.split(':')[1], b.fault!.type, b.fault!.site, b.fault!.param]);
  assert.deepEqual(got, [
    ['first#0', 'flip-branch', 0, 1],
    ['first#1', 'null-pointer', 0, 1],
    ['first#2', 'null-pointer', 0, -1],
    ['first#3', 'no-load', 0, 1],
    ['first#4', 'stuck-at-branch', 0, 0],
    ['first#5', 'corrupt-integer', 0, -1],
    ['second#0', 'flip-bool', 0, -1],
    ['second#1', 'rnd-load', 1, 1],
    ['second#2', 'corrupt-integer', 2, -1],
    ['second/pick#0', 'corrupt-integer', 0, 1],
    ['second#3', 'rnd-load', 0, 1],
    ['second#4', 'null-pointer', 0, -1],
    ['third#0', 'corrupt-integer', 1, 1],
    ['third/<anon0>#0', 'corrupt-operator', 0, 1],
    ['third#1', 'corrupt-integer', 0, -1],
    ['third#2', 'no-store', 0, 1],
  ]);
});

test('ids are server/file:function#n, with nested functions under their parent', () => {
  const ids = analyze(FIXTURE).map((b) => b.id);
  assert.ok(ids.includes('fx/fixture.ts:first#0'));
  assert.ok(ids.includes('fx/fixture.ts:second/pick#0'));
  assert.ok(ids.includes('fx/fixture.ts:third/<anon0>#0'));
  assert.equal(new Set(ids).size, ids.length);
});

test('editing one function leaves the ids and faults of every other function unchanged', () => {
  const before = analyze(FIXTURE);
  for (const fn of ['first', 'second', 'third']) {
    const after = analyze(editFunction(FIXTURE, fn, INSERT));
    const others = (bs: BlockInfo[]) => bs.filter((b) => b.function !== fn && !b.function.startsWith(fn + '/')).map(identity);
    assert.deepEqual(others(after), others(before), `edit of ${fn}`);
    assert.ok(after.length > before.length, `the edit of ${fn} added blocks`);
  }
});

test('faults depend on the function\'s path, not on the file around it', () => {
  const alone = analyze(FIXTURE.slice(FIXTURE.indexOf('export function third')));
  const inFile = analyze(FIXTURE).filter((b) => b.function.startsWith('third'));
  assert.deepEqual(alone.map(identity), inFile.map(identity));
});

/** The top-level functions of a real server file with at least two blocks. */
function editableFunctions(u: SourceUnit): string[] {
  const out: string[] = [];
  for (const s of u.sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body && isFunctionWithBody(s) && s.body.statements.length >= 2) out.push(s.name.text);
  }
  return out;
}

test('on real servers too, an edit to one function moves no block or fault of another', () => {
  const units = readSources(ROOT);
  // A few of the largest files, several functions each.
  const big = [...units].sort((a, b) => b.text.length - a.text.length || a.abs.localeCompare(b.abs)).slice(0, 4);
  let edits = 0;
  for (const u of big) {
    const fc = { server: u.server, file: u.file, excludeFaults: null };
    const before = analyzeFile(u.sf, fc);
    const fns = editableFunctions(u);
    for (const fn of fns.filter((_, i) => i % Math.max(1, Math.floor(fns.length / 3)) === 0)) {
      const text = editFunction(u.text, fn, INSERT);
      const after = analyzeFile(ts.createSourceFile(u.abs, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS), fc);
      const others = (bs: BlockInfo[]) => bs.filter((b) => b.function !== fn && !b.function.startsWith(fn + '/')).map(identity);
      assert.deepEqual(others(after), others(before), `${u.server}/${u.file}: edit of ${fn}`);
      edits++;
    }
  }
  assert.ok(edits >= 8, `${edits} edits tried`);
});

test('the real servers\' block ids are unique, their hashes too, and indices are dense', () => {
  const { blocks } = analyzeAll(readSources(ROOT));
  assert.ok(blocks.length > 500, `${blocks.length} blocks`);
  const ids = new Set(blocks.map((b) => b.id));
  assert.equal(ids.size, blocks.length, 'unique ids');
  assert.equal(new Set(blocks.map((b) => b.hash)).size, blocks.length, 'unique hashes');
  blocks.forEach((b, i) => assert.equal(b.index, i));
  for (const b of blocks) {
    assert.ok(b.excluded ? b.fault === null : b.fault !== null && b.candidates.includes(b.fault.type), `${b.id}: fault is one of its candidates`);
    if (b.fault && b.fault.type !== 'null-pointer') assert.ok(b.fault.site >= 0);
  }
  // Recovery code is listed but never a fault location.
  const rec = blocks.filter((b) => b.server === 'rs' && b.file === 'recovery.ts');
  assert.ok(rec.every((b) => b.fault === null && b.excluded === 'recovery code'));
});

test('two analyses of the real servers agree exactly', () => {
  const a = analyzeAll(readSources(ROOT)).blocks;
  const b = analyzeAll(readSources(ROOT)).blocks;
  assert.deepEqual(a, b);
});
