/*
 * What the build links into each server: its own copy of the SEF library
 * (blocks of its own, ids naming the server), and the SANITYCHECKS switch
 * that compiles the servers' self-checks out of the measured variants and
 * keeps them in the plain build the servers' unit tests use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { analyzeAll, instrumentText, readBuildUnits, readSources, SHARED_FILES } from '../src/instrument/build';
import { sanityFunctions, stripSanityChecks } from '../src/instrument/sanity';
import { loadBlockMap, loadVariant } from '../src/sim/variants';
import { Sim } from '../src/sim/sim';
import { eligibleBlocks } from '../src/experiment/golden';
import { RECOVERABLE } from '../src/os/proto/endpoints';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'osiris-fi');

test('the servers mark their self-checks; the measured build compiles them and their calls out, SANITYCHECKS=1 keeps them', () => {
  const vm = readSources(ROOT).filter((u) => u.server === 'vm');
  assert.deepEqual([...sanityFunctions(vm.map((u) => u.sf))].sort(), ['auditFrames', 'auditSpace']);
  const fnsOf = (on: boolean) => new Set(analyzeAll(readBuildUnits(ROOT, { sanityChecks: on })).blocks.filter((b) => b.server === 'vm').map((b) => b.function));
  const off = fnsOf(false);
  const on = fnsOf(true);
  for (const f of ['auditFrames', 'auditSpace']) {
    assert.ok(!off.has(f), `${f}: no block with SANITYCHECKS 0`);
    assert.ok(on.has(f), `${f}: blocks with SANITYCHECKS 1`);
  }
  // The calls vanish from the handlers too, and nothing else does.
  const fork = (on: boolean) => readBuildUnits(ROOT, { sanityChecks: on }).find((u) => u.server === 'vm' && u.file === 'forkexit.ts')!;
  assert.doesNotMatch(fork(false).text, /audit(Space|Frames)\(/);
  assert.match(fork(true).text, /auditSpace\(st, slot\);/);
  assert.equal(fork(false).text.length, fork(true).text.length, 'blanked, so every other position stays');
  assert.equal(fork(false).text.replace(/\s+/g, ' '), fork(true).text.replace(/\s*audit(Space|Frames)\([^)]*\);/g, '').replace(/\s+/g, ' '));
  // The variants campaigns, coverage and bench load are built with the switch off.
  for (const v of ['baseline', 'osiris', 'osiris+edfi', 'osiris+prof'] as const) {
    assert.equal(loadBlockMap(v).sanityChecks, false, v);
    assert.ok(!loadBlockMap(v).blocks.some((b) => b.function === 'auditFrames' || b.function === 'auditSpace'), v);
  }
});

test('a call to a sanity check that cannot vanish cleanly fails the build, naming it', () => {
  const text = `/** @sanitycheck */\nexport function audit(): void {}\nexport function f(x: number) { if (x) audit(); return x; }\n`;
  const sf = ts.createSourceFile('fx.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  assert.throws(() => stripSanityChecks(sf, sanityFunctions([sf]), 'fx.ts'), /fx\.ts:3: a call to sanity check audit must be a statement of its own/);
  const ok = `/** @sanitycheck */\nexport function audit(): void { throw 1; }\nexport function f(x: number) { audit(); return x; }\n`;
  const sf2 = ts.createSourceFile('fx.ts', ok, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const js = instrumentText(stripSanityChecks(sf2, sanityFunctions([sf2]), 'fx.ts'), 'fx.ts', 'baseline', []);
  assert.doesNotMatch(js, /audit/);
});

test('every recoverable server links its own copy of the SEF: blocks named by the server, the hooks left out', () => {
  const { blocks } = analyzeAll(readBuildUnits(ROOT));
  assert.deepEqual(SHARED_FILES, ['sef/loop.ts', 'sef/server.ts', 'sef/threads.ts']);
  for (const s of RECOVERABLE) {
    const mine = blocks.filter((b) => b.server === s && b.shared);
    assert.ok(mine.some((b) => b.id.startsWith(`${s}:sef/loop.ts:requestLoop#`)), `${s}: its receive loop`);
    assert.ok(mine.some((b) => b.id.startsWith(`${s}:sef/loop.ts:reply#`)), `${s}: its reply helper`);
    assert.ok(mine.some((b) => b.id.startsWith(`${s}:sef/loop.ts:dispatch#`)), `${s}: its dispatch`);
    assert.ok(mine.every((b) => (b.fault !== null && b.candidates.length > 0) || b.excluded === 'destructuring declaration'), `${s}: linked code takes faults`);
  }
  assert.ok(!blocks.some((b) => b.file.includes('hooks')), 'the SEF hooks (into recovery) are not instrumented');
  // Same text, same blocks, per server: only the id prefix differs.
  const strip = (s: string) => blocks.filter((b) => b.server === s && b.shared).map((b) => `${b.id.slice(s.length)}|${b.statements}`);
  assert.deepEqual(strip('pm'), strip('vm'));
  // The variant boots each server on its own copy.
  const defs = loadVariant('osiris+edfi');
  for (const s of RECOVERABLE) {
    const def = defs.find((d) => d.name === s)!;
    assert.equal(def.main, require(path.join(ROOT, 'dist', 'variants', 'osiris-edfi', s, 'sef', 'loop.js')).serverMain, `${s} runs its own loop`);
  }
  assert.equal(defs.find((d) => d.name === 'mfs')!.main, undefined, 'MFS (not instrumented) runs the plain one');
});

test('the boot rule takes what boot runs of the linked loop out of the fault universe; what only tests run stays in', () => {
  const map = loadBlockMap('osiris+prof');
  const boot = Sim.boot({ variant: 'osiris+prof' }).profCounters()!.executed();
  const bootSet = new Set(boot);
  const shared = map.blocks.filter((b) => b.shared);
  assert.ok(shared.some((b) => bootSet.has(b.index) && b.server === 'pm'), 'boot runs PM\'s receive loop');
  const later = shared.filter((b) => !bootSet.has(b.index) && b.fault !== null);
  assert.ok(later.length > 0);
  const eligible = eligibleBlocks({ buildHash: map.hash, bootBlocks: boot, tests: [{ name: 't', status: 'pass', simTime: 1, messages: 1, blocks: [...boot, ...later.map((b) => b.index)] }] }, map.blocks);
  const ids = new Set(eligible.map((b) => b.id));
  assert.ok(later.every((b) => ids.has(b.id)), 'linked blocks only tests run are eligible');
  assert.ok(!eligible.some((b) => bootSet.has(b.index)), 'no block boot ran');
});

test('`sites --json` lists the linked locations of every server, with their server', () => {
  const out = spawnSync(process.execPath, [BIN, 'sites', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  const j = JSON.parse(out.stdout) as { blocks: { id: string; server: string; shared?: boolean }[] };
  for (const s of RECOVERABLE) {
    const lib = j.blocks.filter((b) => b.shared && b.server === s);
    assert.ok(lib.length > 0 && lib.every((b) => b.id.startsWith(`${s}:sef/`)), `${s}: linked SEF locations`);
  }
});

test('the same sources give the same linked build: ids, faults and indices', () => {
  const a = analyzeAll(readBuildUnits(ROOT)).blocks;
  const b = analyzeAll(readBuildUnits(ROOT)).blocks;
  assert.deepEqual(a, b);
  assert.equal(new Set(a.map((x) => x.id)).size, a.length, 'unique ids');
  assert.equal(new Set(a.map((x) => x.hash)).size, a.length, 'unique hashes');
  assert.deepEqual(loadBlockMap('osiris+edfi').blocks, JSON.parse(JSON.stringify(a)), 'the built map is this analysis');
});
