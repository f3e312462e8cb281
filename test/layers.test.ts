/*
 * The layering of src/ (DESIGN §2): every import of every file points to
 * its own layer or one below. Top to bottom:
 *
 *   cli → experiment, report, perf → sim → osiris, edfi → os
 *
 * perf/ (the tool's own benchmarks) sits beside experiment but drives the
 * simulation only through sim/ (it imports neither experiment nor report);
 * experiment and report may import each other. instrument/ is the build
 * step: nothing imports it, and it imports only itself, os, osiris and
 * edfi (for the names of the builds, the block map and the fault types).
 * osiris and edfi share a layer, but import each other only where a pair
 * is listed in ACROSS below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { listTs } from '../src/instrument/build';

const ROOT = path.resolve(__dirname, '..', '..');

/*
 * Two files sit at the top of src/: index.ts, the library entry (it re-exports what a Node user
 * needs, so it sits above everything, beside cli), and tool-error.ts, the base of every error the
 * tool reports (it imports nothing, so every layer may use it).
 */
const RANK: Record<string, number> = { index: 5, cli: 5, experiment: 4, report: 4, perf: 4, sim: 3, osiris: 2, edfi: 2, os: 1, 'tool-error': 0 };

/** The imports across osiris and edfi that are allowed: importer -> imported (src-relative, no extension). */
const ACROSS: readonly [string, string][] = [
  // Emitted variant code requires one runtime module; the fault hooks are re-exported from it.
  ['osiris/hooks', 'edfi/hooks'],
];

export interface Import { from: string; to: string }

/** Every relative import of a source text (import/export from, require, import()), resolved to a src-relative path without extension. */
function importsOf(file: string, text: string): Import[] {
  const info = ts.preProcessFile(text, true, true);
  const out: Import[] = [];
  for (const f of info.importedFiles) {
    if (!f.fileName.startsWith('.')) continue;
    const abs = path.resolve(path.dirname(path.join('src', file)), f.fileName);
    const to = path.relative('src', abs).split(path.sep).join('/').replace(/\.(js|ts)$/, '');
    out.push({ from: file.replace(/\.ts$/, ''), to });
  }
  return out;
}

const layerOf = (p: string) => p.split('/')[0]!;

/** Why an import breaks the layering, or null. */
export function violation(i: Import): string | null {
  const a = layerOf(i.from), b = layerOf(i.to);
  if (i.to.startsWith('..')) return null; // outside src/ (package.json)
  if (a === b) return null;
  if (b === 'instrument') return `${i.from} imports the build step (${i.to}): nothing imports instrument/ at run time`;
  if (a === 'instrument') return ['os', 'osiris', 'edfi'].includes(b) ? null : `the build step ${i.from} imports ${i.to} (it may import only os, osiris, edfi)`;
  const ra = RANK[a], rb = RANK[b];
  if (ra === undefined || rb === undefined) return `${i.from} -> ${i.to}: a folder the layering does not know`;
  if (a === 'perf' && (b === 'experiment' || b === 'report')) return `${i.from} imports ${i.to}: perf/ drives the simulation through sim/ only`;
  if (rb > ra) return `${i.from} (${a}) imports ${i.to} (${b}), a layer above`;
  if (rb === ra && (a === 'osiris' || a === 'edfi') && !ACROSS.some(([x, y]) => x === i.from && y === i.to)) {
    return `${i.from} imports ${i.to}: osiris and edfi import each other only where listed in ACROSS`;
  }
  return null;
}


test('no file under src/ imports from a layer above its own', () => {
  const files = listTs(path.join(ROOT, 'src'));
  assert.ok(files.length > 200, `${files.length} source files`);
  const bad: string[] = [];
  let count = 0;
  for (const f of files) {
    for (const i of importsOf(f, fs.readFileSync(path.join(ROOT, 'src', f), 'utf8'))) {
      count++;
      const why = violation(i);
      if (why) bad.push(why);
    }
  }
  assert.ok(count > 500, `${count} imports read`);
  assert.deepEqual(bad, []);
});

test('the check sees every form of import and refuses upward ones', () => {
  const text = [
    `import { a } from '../sim/sim';`, `import type { B } from '../experiment/run-one';`, `export { c } from '../cli/main';`,
    `const d = require('../instrument/build');`, `type E = typeof import('../report/html');`, `import fs from 'node:fs';`,
  ].join('\n');
  const found = importsOf('os/kernel-x.ts', text).map((i) => i.to);
  assert.deepEqual(found, ['sim/sim', 'experiment/run-one', 'cli/main', 'instrument/build', 'report/html']);
  assert.ok(importsOf('os/kernel-x.ts', text).every((i) => violation(i) !== null));
  assert.equal(violation({ from: 'experiment/x', to: 'sim/sim' }), null);
  assert.equal(violation({ from: 'experiment/x', to: 'report/y' }), null);
  assert.notEqual(violation({ from: 'perf/x', to: 'experiment/y' }), null);
  assert.equal(violation({ from: 'instrument/build', to: 'edfi/block-map' }), null);
  assert.notEqual(violation({ from: 'instrument/build', to: 'sim/variants' }), null);
  assert.notEqual(violation({ from: 'sim/sim', to: 'instrument/runtime' }), null);
  assert.equal(violation({ from: 'osiris/hooks', to: 'edfi/hooks' }), null);
  assert.notEqual(violation({ from: 'edfi/runtime', to: 'osiris/undo-log' }), null);
});
