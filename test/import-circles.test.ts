/*
 * No import circles under src/: files that import each other, directly or
 * through others (type-only imports count: a reader still has to hold both
 * files in mind at once). The one circle kept is PM's, which is MINIX's own
 * shape: exitProc (forkexit.ts) signals the parent with sigProc
 * (signal.ts), a signal's default action exits through exitProc, and an
 * alarm (alarm.ts) is a signal; opening it would move instrumented
 * functions, and with them their fault-location ids, between files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { listTs } from '../src/instrument/build';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** The circles allowed to remain, each as its files sorted. */
const KEPT: readonly string[][] = [
  ['os/servers/pm/alarm.ts', 'os/servers/pm/forkexit.ts', 'os/servers/pm/signal.ts'],
];


/** The src-relative files a source file imports (relative specifiers only, resolved to .ts or index.ts). */
function importsOf(file: string, known: Set<string>): string[] {
  const info = ts.preProcessFile(fs.readFileSync(path.join(SRC, file), 'utf8'), true, true);
  const out: string[] = [];
  for (const f of info.importedFiles) {
    if (!f.fileName.startsWith('.')) continue;
    const base = path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), f.fileName)).split(path.sep).join('/').replace(/\.js$/, '');
    for (const cand of [base, `${base}.ts`, `${base}/index.ts`]) if (known.has(cand)) { out.push(cand); break; }
  }
  return out;
}

/** The strongly connected components with more than one file (Tarjan), each sorted. */
export function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

test('no files under src/ import each other in a circle (but PM\'s, kept on purpose)', () => {
  const files = listTs(SRC);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)] as [string, string[]]));
  assert.ok([...graph.values()].reduce((n, xs) => n + xs.length, 0) > 500, 'the imports were read');
  const found = circles(graph).map((c) => c.join(' <-> '));
  assert.deepEqual(found, KEPT.map((c) => c.join(' <-> ')));
});

test('the circle finder finds a circle through three files, and none in a chain', () => {
  assert.deepEqual(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c']]);
  assert.deepEqual(circles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
});
