/*
 * `osiris-fi rcb`: SLOCCount's counting rule on a fixture, and the RCB's
 * parts against the whole code base.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { codeLines, rcbCsv, runRcb, RCB_PARTS } from '../src/experiment/rcb';

test('code lines: no blank or comment-only lines; comment markers in strings, regexps and templates are code', () => {
  const src = [
    '// a line comment',                          // 0
    '/* a block comment',                         // 1
    '   spanning lines */',                       // 2
    "const a = '// not a comment'; // trailing",  // 3
    '/* c */ let b = 1;',                         // 4
    '',                                           // 5
    'const re = /\\/\\*/; const t = `x',           // 6
    '/* inside a template */',                    // 7
    'y`;',                                        // 8
    '/**',                                        // 9
    ' * doc',                                     // 10
    ' */',                                        // 11
    'function f() {',                             // 12
    '  return 1; /* c',                           // 13
    '  c */',                                     // 14
    '}',                                          // 15
  ].join('\n');
  const code = codeLines(src);
  const lines = code.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual(lines, [3, 4, 6, 7, 8, 12, 13, 15]);
});

test('rcb parts are disjoint, sum to the RCB, and are at most the whole', () => {
  const r = runRcb();
  assert.deepEqual(r.parts.map((p) => p.part), RCB_PARTS.map((p) => p.part));
  let sum = 0;
  const seen = new Set<string>();
  for (const p of r.parts) {
    assert.ok(p.sloc > 0, `${p.part} has code`);
    assert.equal(p.sloc, p.files.reduce((a, f) => a + f.sloc, 0));
    assert.ok(p.sloc <= r.whole.sloc);
    for (const f of p.files) {
      const key = `${f.path}|${f.section ?? ''}`;
      assert.ok(!seen.has(key), `${key} counted once`);
      seen.add(key);
    }
    sum += p.sloc;
  }
  assert.equal(r.rcb.sloc, sum);
  assert.ok(r.rcb.sloc < r.whole.sloc);
  assert.ok(Math.abs(r.rcb.pct - (100 * r.rcb.sloc) / r.whole.sloc) < 0.05);
  const ipc = r.parts.find((p) => p.part === 'IPC substrate')!;
  const kernel = r.parts.find((p) => p.part === 'kernel')!;
  const inIpc = ipc.files.find((f) => f.path === 'src/os/kernel/ipc.ts');
  assert.ok(inIpc && inIpc.sloc > 0, 'message passing (ipc.ts) is the IPC substrate');
  assert.ok(!kernel.files.some((f) => f.path === 'src/os/kernel/ipc.ts'), 'and is not counted again with the rest of the kernel');
  assert.ok(kernel.files.some((f) => f.path === 'src/os/kernel/kernel.ts'), 'the run loop, scheduling and alarms are the rest of the kernel');
  assert.equal(rcbCsv(r).rows.at(-1)![3], r.whole.sloc);
});

test('the RCB against the system (the paper\'s denominator): the simulated OS, OSIRIS, EDFI and the run-time hooks, not the tool around them', () => {
  const r = runRcb();
  assert.ok(r.system.sloc > r.rcb.sloc && r.system.sloc < r.whole.sloc, `${r.rcb.sloc} < ${r.system.sloc} < ${r.whole.sloc}`);
  assert.ok(Math.abs(r.rcb.pctSystem - (100 * r.rcb.sloc) / r.system.sloc) < 0.05);
  assert.ok(r.rcb.pctSystem > r.rcb.pct);
  // The system is counted from its files: every RCB file is in it, no experiment, CLI, report or build-step file is.
  const inSystem = (f: string) => r.system.sources.some((s) => f === s || f.startsWith(s + '/'));
  for (const p of r.parts) for (const f of p.files) assert.ok(inSystem(f.path), `${f.path} is system code`);
  for (const f of ['src/experiment/coverage.ts', 'src/cli/main.ts', 'src/report/html.ts', 'src/instrument/build.ts']) assert.ok(!inSystem(f), f);
  for (const p of r.parts) assert.ok(Math.abs(p.pctSystem - (100 * p.sloc) / r.system.sloc) < 0.05, p.part);
});

test('the command prints the table and the percentage', () => {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'osiris-fi');
  const out = spawnSync(process.execPath, [bin, 'rcb'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^RCB: \d+ LOC: \d+\.\d% of the system \(\d+ LOC; the paper's denominator is the system\), \d+\.\d% of the whole tool \(\d+ LOC\)$/m);
  assert.match(out.stdout, /^part\s+paper mechanism\s+LOC\s+% of system\s+% of whole$/m);
  assert.match(out.stdout, /^IPC substrate\s/m);
});
