/*
 * `osiris-fi report --reuse`: an unchanged experiment is read from the
 * report's cache, and the page says so; a stale, unreadable or malformed
 * entry is recomputed, never trusted; without --reuse everything reruns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-cache-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const out = path.join(tmp, 'out');
const empty = path.join(tmp, 'no-results');
fs.mkdirSync(empty);

function report(...extra: string[]): { stderr: string; html: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'osiris-fi'), 'report', '--only', 'rcb,memory', '--out', out, '--results', empty, ...extra], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { stderr: r.stderr, html: fs.readFileSync(path.join(out, 'report.html'), 'utf8') };
}
const cacheFile = (e: string) => path.join(out, 'cache', `${e}.json`);

test('report --reuse reads unchanged experiments from the cache; stale or broken entries are recomputed', () => {
  const first = report();
  assert.ok(fs.existsSync(cacheFile('rcb')) && fs.existsSync(cacheFile('memory')), 'each result is cached under the output folder');
  assert.doesNotMatch(first.html, /From the cache/);
  const memoryTable = (html: string) => /<table[\s\S]*?<\/table>/.exec(html.slice(html.indexOf('id="memory"')))![0];

  const again = report('--reuse');
  assert.match(again.stderr, /memory: from the cache/);
  assert.match(again.stderr, /rcb: from the cache/);
  assert.match(again.html, /From the cache: the memory result computed/);
  assert.match(again.html, /From the cache: the rcb result computed/);
  assert.equal(memoryTable(again.html), memoryTable(first.html), 'the cached result is the computed one');

  // A stale key (another build or settings), an unreadable file, a malformed entry: recomputed.
  const entry = JSON.parse(fs.readFileSync(cacheFile('memory'), 'utf8'));
  entry.key.code = 'another build';
  entry.value.total.dataKb = 1e9; // were it trusted, the page would show it
  fs.writeFileSync(cacheFile('memory'), JSON.stringify(entry));
  fs.writeFileSync(cacheFile('rcb'), '{ not json');
  const fixed = report('--reuse');
  assert.match(fixed.stderr, /memory: stale \(build, version or settings changed\): recomputing/);
  assert.match(fixed.stderr, /rcb: unreadable cache entry: recomputing/);
  assert.doesNotMatch(fixed.html, /From the cache/);
  assert.equal(memoryTable(fixed.html), memoryTable(first.html));
  fs.writeFileSync(cacheFile('rcb'), JSON.stringify({ key: 1 }));
  assert.match(report('--reuse').stderr, /rcb: malformed cache entry: recomputing/);

  // Without --reuse nothing is read from the cache.
  const plain = report();
  assert.doesNotMatch(plain.stderr, /from the cache/);
  assert.doesNotMatch(plain.html, /From the cache/);
});
