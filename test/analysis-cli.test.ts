/*
 * Selection, filters, breakdowns and diff on small real campaigns through
 * the CLI: a campaign narrowed by `select` draws only from its selection
 * (before sampling), compare --by and export --table by-* break it down,
 * filters narrow compare and export, and diff pairs it with a second
 * campaign whose "enhanced" mode is another policy. Bad values are one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlockInfo } from '../src/edfi/block-map';
import type { FaultType } from '../src/edfi/fault-types';
import { campaignIdentity, CampaignError, parseCampaign } from '../src/experiment/campaign-spec';
import { pickFaults } from '../src/experiment/fault-picker';
import { blockLocation, globMatcher } from '../src/experiment/fault-select';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'osiris-fi');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-cli-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
const oneLine = (r: { err: string }) => assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
const runsOf = (dir: string) => fs.readFileSync(path.join(dir, 'runs.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));

const SELECT = { servers: ['pm'], functions: ['do_*'] };
const base = { seed: 'sel-1', faultModel: 'failstop', faults: { sample: 3 }, tests: 'covering', pretests: false };
const campaignA = path.join(tmp, 'a.json');
fs.writeFileSync(campaignA, JSON.stringify({ name: 'pm-do', ...base, modes: ['naive', 'enhanced'], select: SELECT }));
// B: the same faults, but its "enhanced" is naive's policy under enhanced's name (a policy change).
const campaignB = path.join(tmp, 'b.json');
fs.writeFileSync(path.join(tmp, 'as-naive.policy.json'), JSON.stringify({
  name: 'enhanced', stateTransfer: true, rollback: true, closeOn: [], replyOnRecovery: false, killProcessSpecific: false, shutdownOutsideWindow: false,
}));
fs.writeFileSync(campaignB, JSON.stringify({ name: 'pm-do-b', ...base, modes: ['naive', 'as-naive.policy.json'], select: SELECT }));

function block(index: number, server: string, fn: string, fault: FaultType): BlockInfo {
  return { id: `${server}/f${index % 3}.ts:${fn}#${index}`, hash: index, index, server, file: `f${index % 3}.ts`, line: index, function: fn, statements: 1, kind: 'run', key: String(index), candidates: ['null-pointer', 'swap'], fault: { type: fault, site: 0, param: 1 } };
}
const SERVERS = ['pm', 'vm', 'vfs'];
const blocks = Array.from({ length: 60 }, (_, i) => block(i, SERVERS[i % 3]!, i % 2 ? 'do_x' : 'helper', i % 4 ? 'swap' : 'null-pointer'));

test('the select field: validated, in the identity only when given, narrows the pool before sampling', () => {
  const raw = { name: 'c', ...base, modes: ['naive'] };
  assert.ok(!('select' in campaignIdentity(parseCampaign(raw, 'c.json', tmp))), 'no selection: the identity is as before');
  const sel = parseCampaign({ ...raw, select: SELECT }, 'c.json', tmp);
  assert.deepEqual((campaignIdentity(sel) as { select: unknown }).select, SELECT);
  const bad = (select: unknown, re: RegExp) => assert.throws(() => parseCampaign({ ...raw, select }, 'c.json', tmp), (e: unknown) => e instanceof CampaignError && re.test(e.message) && !e.message.includes('\n'));
  bad({ servers: ['mfs'] }, /^c\.json: field "select\.servers\.0": expected a server name \(pm, vm, vfs, ds, rs\)$/);
  bad({ faultTypes: ['nul-pointer'] }, /field "select\.faultTypes\.0": expected a fault type/);
  bad({ functions: [] }, /field "select\.functions": expected at least one function pattern/);
  bad({ files: ['pm/a b.ts'] }, /field "select\.files\.0": expected file pattern/);
  bad({}, /field "select": expected at least one of/);
  bad({ server: ['pm'] }, /field "select": unknown field\(s\) "server"/);
  assert.throws(() => parseCampaign({ ...raw, servers: ['pm'] }, 'c.json', tmp), /unknown field\(s\) "servers"; put them under "select"/);

  assert.deepEqual(blockLocation('pm/signal.ts:do_kill#3'), { file: 'pm/signal.ts', function: 'do_kill' });
  assert.deepEqual(blockLocation('pm:sef/loop.ts:sef_loop#0'), { file: 'sef/loop.ts', function: 'sef_loop' });
  assert.ok(globMatcher('do_*')('do_fork') && !globMatcher('do_*')('xdo_fork') && globMatcher('vfs/*.ts')('vfs/open.ts') && !globMatcher('f?.ts')('f10.ts'));

  type Pick = Parameters<typeof pickFaults>[0];
  const pick = (select: Pick['select'], faults: Pick['faults'] = 'all', model: Pick['faultModel'] = 'edfi') =>
    pickFaults({ seed: 's', faultModel: model, faults, select, file: 'c.json' }, blocks);
  const vmDo = pick({ servers: ['vm'], functions: ['do_*'] });
  assert.equal(vmDo.length, 10);
  assert.ok(vmDo.every((f) => f.block.server === 'vm' && f.block.function === 'do_x'));
  assert.ok(pick({ files: ['*/f1.ts'], faultTypes: ['null-pointer'] }).every((f) => f.block.id.includes('/f1.ts:') && f.faultType === 'null-pointer'));
  // The sample is drawn from the selection: 4 of pm's 20 blocks, all pm.
  const s = pick({ servers: ['pm'] }, { sample: 4, perServer: false });
  assert.equal(s.length, 4);
  assert.ok(s.every((f) => f.block.server === 'pm'));
  const per = pick({ servers: ['pm', 'vfs'] }, { sample: 2, perServer: true });
  assert.deepEqual(per.map((f) => f.block.server).sort(), ['pm', 'pm', 'vfs', 'vfs']);
  assert.throws(() => pick({ faultTypes: ['swap'] }, 'all', 'failstop'), /: c\.json: field "select\.faultTypes\.0": "swap" matches no eligible fault under fault model failstop/);
  assert.throws(() => pick({ servers: ['ds'] }), /field "select\.servers\.0": "ds" matches no eligible fault/);
  assert.throws(() => pick({ servers: ['vm'], files: ['pm/*'] }), /field "select": no eligible fault matches all of its fields together/);
});

test('a selected campaign, broken down, filtered and diffed through the CLI', () => {
  const a = path.join(tmp, 'ra');
  const ra = cli('run', campaignA, '--workers', '1', '--out', a, '--json');
  assert.equal(ra.code, 0, ra.err);
  const runs = runsOf(a);
  assert.equal(runs.length, 6);
  for (const r of runs) {
    assert.equal(r.server, 'pm');
    assert.match(blockLocation(r.block).function, /^do_/);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.campaign.identity.select, SELECT);

  // Replay rebuilds a run of a selected campaign from its manifest (the selection included).
  const rp = cli('replay', a, '--run', runs[0].key);
  assert.equal(rp.code, 0, rp.out + rp.err);

  const c = cli('compare', a, '--by', 'server,function');
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /^By server: survived = pass/m);
  assert.match(c.out, /^By file and function \(the recoverability map\)/m);
  assert.match(c.out, /^pm\/[a-z-]+\.ts:\d+ do_\w+ /m, 'functions with file:line');
  const f = cli('compare', a, '--mode', 'enhanced', '--json');
  assert.equal(f.code, 0, f.err);
  const rep = JSON.parse(f.out);
  assert.deepEqual([rep.filter, rep.runs, rep.recorded, rep.modes.length], ['--mode enhanced', 3, 6, 1]);
  const badServer = cli('compare', a, '--server', 'vm');
  assert.equal(badServer.code, 2);
  oneLine(badServer);
  assert.match(badServer.err, /--server vm: expected a server these results hold \(pm\)/);

  const csv = path.join(tmp, 'fn.csv');
  const e = cli('export', a, '--table', 'by-function', '--mode', 'enhanced', '--csv', csv);
  assert.equal(e.code, 0, e.err);
  const lines = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
  assert.match(lines[0]!, /^campaign,seed,build,server,file,line,function,location,mode,faults,runs,pass,fail,shutdown,crash,pass_pct,pass_lo,pass_hi,/);
  assert.ok(lines.slice(1).every((l) => l.startsWith(`pm-do,sel-1,${manifest.variantHash},pm,pm/`) && l.includes(',enhanced,')), lines.join('\n'));
  const crashes = cli('export', a, '--table', 'runs', '--outcome', 'crash');
  assert.equal(crashes.code, 0, crashes.err);
  const body = crashes.out.trimEnd().split('\n').slice(1);
  assert.equal(body.length, runs.filter((r) => r.outcome === 'crash').length);
  assert.ok(body.every((l) => l.split(',')[9] === 'crash'), 'outcome column');
  const badType = cli('export', a, '--table', 'runs', '--fault-type', 'segfault');
  assert.equal(badType.code, 2);
  oneLine(badType);

  const b = path.join(tmp, 'rb');
  const rb = cli('run', campaignB, '--workers', '1', '--out', b, '--json');
  assert.equal(rb.code, 0, rb.err);
  const d = cli('diff', a, b, '--json');
  assert.equal(d.code, 0, d.err);
  const diff = JSON.parse(d.out);
  assert.equal(diff.sharedFaults, 3, 'the same seed and selection pick the same faults');
  const byKey = new Map(runsOf(b).map((r) => [r.key, r]));
  const expected = runs.filter((r) => byKey.get(r.key)!.outcome !== r.outcome).map((r) => `${r.mode} ${r.block}|${r.faultType} ${r.outcome}->${byKey.get(r.key)!.outcome}`);
  assert.deepEqual(diff.changes.map((x: { mode: string; fault: string; from: string; to: string }) => `${x.mode} ${x.fault} ${x.from}->${x.to}`), expected);
  const enh = diff.modes.find((m: { mode: string }) => m.mode === 'enhanced');
  assert.equal(enh.policyDiffers, true);
  assert.equal(diff.modes.find((m: { mode: string }) => m.mode === 'naive').changed, 0, 'naive is naive in both');
  assert.ok(enh.changed > 0, 'naive recovery under the name enhanced ends differently from enhanced');
  const text = cli('diff', a, b);
  assert.match(text.out, /^enhanced \*/m);
  assert.match(text.out, /McNemar's test/);
  assert.match(text.out, enh.changed ? /Faults whose outcome changed/ : /No paired fault changed/);
  const capped = cli('diff', a, b, '--limit', '1', '--mode', 'enhanced');
  assert.equal(capped.code, 0, capped.err);
  assert.match(capped.out, /^filter: --mode enhanced$/m);
  assert.ok(!/^naive /m.test(capped.out), 'only the mode asked for');
  if (enh.changed > 1) assert.match(capped.out, new RegExp(`\\(${enh.changed}, the first 1; --limit`));

  // A campaign over other faults: refused in one line.
  const other = path.join(tmp, 'other');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'manifest.json'), JSON.stringify({ ...manifest, faults: manifest.faults.map((x: { block: string }) => ({ ...x, block: `vfs/x.ts:${x.block}` })) }));
  fs.writeFileSync(path.join(other, 'runs.jsonl'), runs.map((r) => JSON.stringify({ ...r, block: `vfs/x.ts:${r.block}`, key: `vfs/x.ts:${r.key}`, server: 'vfs' }) + '\n').join(''));
  const none = cli('diff', a, other);
  assert.equal(none.code, 2);
  oneLine(none);
  assert.match(none.err, /pm-do and pm-do share no faults/);

  const badSel = path.join(tmp, 'bad.json');
  fs.writeFileSync(badSel, JSON.stringify({ name: 'bad', ...base, modes: ['naive'], select: { files: ['pm/sgnal.ts'] } }));
  const bs = cli('run', badSel, '--out', path.join(tmp, 'never'));
  assert.equal(bs.code, 2);
  oneLine(bs);
  assert.match(bs.err, /field "select\.files\.0": "pm\/sgnal\.ts" matches no eligible fault/);
});
