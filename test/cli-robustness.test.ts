/*
 * The command line when the world is not kind, as a user meets it: a full
 * disk (a real 8 KiB tmpfs, mounted when the test may), outputs that cannot
 * be written, special file systems, absurd limits, two writers on one
 * results directory (two real processes), damaged or foreign records, and
 * the CLI's habits (exit statuses, help, the progress line, a BOM).
 * Every refusal must be one line without a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitProgress, ProgressLine } from '../src/cli/progress-line';
import { recoveryLines } from '../src/cli/inject';
import { loadCampaign } from '../src/experiment/campaign-spec';
import type { RecoveryRecord } from '../src/osiris/recovery';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'osiris-fi');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-robust-'));
const campaign = path.join(tmp, 'tiny.json');
fs.writeFileSync(campaign, JSON.stringify({ name: 'tiny', seed: 't', faultModel: 'failstop', faults: { sample: 3 }, modes: ['naive', 'enhanced'] }));

interface Ran { code: number; out: string; err: string; ms: number }

function cli(args: string[], opts: { cwd?: string; timeout?: number } = {}): Ran {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: opts.timeout ?? 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}

/** A refusal: the given status, one line on stderr, no stack trace. */
function refused(r: Ran, status: number, re: RegExp): void {
  assert.equal(r.code, status, `exit ${r.code}, stderr: ${r.err}`);
  const lines = r.err.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${r.err}`);
  assert.doesNotMatch(r.err, /\n\s+at |TypeError|Error:/);
  assert.match(lines[0]!, re);
}

function tryMount(dir: string, size: string, ro = false): boolean {
  fs.mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', dir]).status === 0;
}
const umount = (dir: string) => spawnSync('umount', [dir]);
const canMount = (() => { const d = path.join(tmp, 'probe'); const ok = tryMount(d, '4k'); if (ok) umount(d); return ok; })();
const NO_MOUNT = canMount ? false : 'mounting a tmpfs is not permitted here (run the tests as root to include the full-disk and read-only cases)';

/** One finished tiny campaign, shared by the record tests. */
const done = path.join(tmp, 'done');
let doneRun: Ran | null = null;
function finished(): string {
  if (!doneRun) {
    doneRun = cli(['run', campaign, '--workers', '1', '--out', done]);
    assert.equal(doneRun.code, 0, doneRun.err);
  }
  return done;
}
function copyOf(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  for (const f of ['manifest.json', 'runs.jsonl']) fs.copyFileSync(path.join(finished(), f), path.join(d, f));
  return d;
}

test('a full disk: one line, nothing half-written, and what was written resumes', { skip: NO_MOUNT }, () => {
  // 4 KiB: not even the manifest fits. No torn manifest is left; a plain rerun (with room) starts cleanly.
  const small = path.join(tmp, 'disk4k');
  assert.ok(tryMount(small, '4k'));
  try {
    const r = cli(['run', campaign, '--workers', '1', '--out', path.join(small, 'r')]);
    refused(r, 1, /manifest\.json: no space left on the device; free some space \(ENOSPC\)/);
    assert.deepEqual(fs.readdirSync(path.join(small, 'r')), [], 'no manifest, temporary file or lock left behind');
  } finally { umount(small); }

  // 8 KiB: the manifest fits, the journal does not. The message says how to go on, and it works.
  const disk = path.join(tmp, 'disk8k');
  assert.ok(tryMount(disk, '8k'));
  try {
    const out = path.join(disk, 'r');
    const r = cli(['run', campaign, '--workers', '1', '--out', out]);
    refused(r, 1, /runs\.jsonl: no space left on the device.*resume with --resume/);
    const manifest = fs.readFileSync(path.join(out, 'manifest.json'), 'utf8');
    assert.doesNotThrow(() => JSON.parse(manifest), 'the manifest is whole');
    const lines = fs.readFileSync(path.join(out, 'runs.jsonl'), 'utf8');
    assert.ok(lines === '' || lines.endsWith('\n'), 'no partial line');
    assert.ok(!fs.existsSync(path.join(out, '.lock')), 'the lock is released');
    assert.equal(spawnSync('mount', ['-o', 'remount,size=1m', disk]).status, 0);
    const resumed = cli(['run', campaign, '--workers', '1', '--resume', out, '--json']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.equal(JSON.parse(resumed.out).finished, 6);
  } finally { umount(disk); }

  // 12 KiB: the journal fills in the middle of a line (12 runs of ~400 bytes pass the 4 KiB page).
  // The part of the line that was written is taken back, so the journal ends with a whole line.
  const mid = path.join(tmp, 'disk12k');
  const twelve = path.join(tmp, 'twelve.json');
  fs.writeFileSync(twelve, JSON.stringify({ name: 'twelve', seed: 't', faultModel: 'failstop', faults: { sample: 6 }, modes: ['naive', 'enhanced'] }));
  assert.ok(tryMount(mid, '12k'));
  try {
    const out = path.join(mid, 'r');
    refused(cli(['run', twelve, '--workers', '1', '--out', out]), 1, /runs\.jsonl: no space left on the device.*resume with --resume/);
    const text = fs.readFileSync(path.join(out, 'runs.jsonl'), 'utf8');
    assert.ok(text.length > 0 && text.endsWith('\n'), `the journal ends with a whole line (${text.length} bytes)`);
    const kept = text.trimEnd().split('\n').length;
    assert.ok(kept > 0 && kept < 12);
    assert.equal(spawnSync('mount', ['-o', 'remount,size=1m', mid]).status, 0);
    const resumed = cli(['run', twelve, '--workers', '1', '--resume', out, '--json']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.deepEqual([JSON.parse(resumed.out).skipped, JSON.parse(resumed.out).finished], [kept, 12]);
  } finally { umount(mid); }
});

test('outputs that cannot be written are refused at once, in one line', () => {
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  const asFile = cli(['run', campaign, '--out', file]);
  refused(asFile, 1, /--out .*a-file: is a file, not a directory/);
  assert.ok(asFile.ms < 5000, 'before any profiling');
  refused(cli(['run', campaign, '--out', path.join(file, 'sub')]), 1, /--out .*a-file\/sub: a part of the path is a file, not a directory/);
  // A recursive mkdir under /proc never returns; this must end, with a line.
  refused(cli(['run', campaign, '--out', '/proc/osiris-out'], { timeout: 20_000 }), 1, /--out \/proc\/osiris-out: cannot create/);
  refused(cli(['merge', finished(), '--out', file]), 1, /--out .*a-file: is a file, not a directory/);
  refused(cli(['merge', finished(), '--out', finished()]), 2, /--out .* already holds results; merge into a new directory$/);
  const rep = cli(['report', '--out', file]);
  refused(rep, 1, /--out .*a-file: is a file, not a directory/);
  assert.ok(rep.ms < 5000, `report refused before its experiments (took ${rep.ms} ms)`);
  refused(cli(['export', finished(), '--table', 'runs', '--csv', tmp]), 1, /--csv .*: is a directory, expected a file/);

  const broken = copyOf('jsonl-dir');
  fs.rmSync(path.join(broken, 'runs.jsonl'));
  fs.mkdirSync(path.join(broken, 'runs.jsonl'));
  refused(cli(['run', campaign, '--resume', broken]), 1, /runs\.jsonl is a directory, expected a file/);
  refused(cli(['compare', broken]), 1, /runs\.jsonl: is a directory where a file was expected/);
});

test('read-only places: --out and --resume say so in one line', { skip: NO_MOUNT }, () => {
  const ro = path.join(tmp, 'ro');
  assert.ok(tryMount(ro, '1m'));
  try {
    const results = path.join(ro, 'r');
    fs.mkdirSync(results);
    for (const f of ['manifest.json', 'runs.jsonl']) fs.copyFileSync(path.join(finished(), f), path.join(results, f));
    const lines = fs.readFileSync(path.join(results, 'runs.jsonl'), 'utf8').split('\n');
    fs.writeFileSync(path.join(results, 'runs.jsonl'), lines.slice(0, 2).join('\n') + '\n');
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', ro]).status, 0);
    refused(cli(['run', campaign, '--out', path.join(ro, 'new')]), 1, /read-only; choose a writable location \(EROFS\)/);
    refused(cli(['run', campaign, '--resume', results]), 1, /--resume .*\/r: the file system is read-only; choose a writable location \(EROFS\)/);
  } finally { umount(ro); }
});

test('limits: workers at most what helps; a sample larger than the eligible set says so', () => {
  refused(cli(['run', campaign, '--workers', '10000']), 2, /--workers <n>' argument '10000' is invalid\. expected at most \d+ \(4 per core/);
  refused(cli(['run', campaign, '--workers', '0']), 2, /expected a number of workers \(a positive integer\)/);
  refused(cli(['run', campaign, '--worker-heap', '0']), 2, /expected a heap size in MB \(a positive integer\)/);
  // A worker heap too small to boot the system: the campaign stops in one line that says what to do.
  const small = path.join(tmp, 'small-heap');
  refused(cli(['run', campaign, '--worker-heap', '12', '--workers', '1', '--out', small, '--no-progress']), 1,
    /campaign stopped: a worker ran out of its 12 MB heap \(finished runs are kept; resume with --resume .* with a larger --worker-heap, or none\)/);
  const huge = path.join(tmp, 'huge.json');
  fs.writeFileSync(huge, JSON.stringify({ name: 'huge', seed: 'h', faultModel: 'failstop', faults: { sample: 1_000_000_000 }, modes: ['naive'] }));
  // One small shard of it, so the test stays short; the note is about the whole campaign.
  const r = cli(['run', huge, '--shard', '1/400', '--workers', '1', '--out', path.join(tmp, 'huge'), '--json']);
  assert.equal(r.code, 0, r.err);
  const m = /note: sample 1000000000 is more than the (\d+) eligible faults: running all (\d+)/.exec(r.err);
  assert.ok(m, r.err);
  assert.equal(m[1], m[2]);
  const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'huge', 'manifest.json'), 'utf8'));
  assert.equal(manifest.faults.length, Number(m[1]));
});

test('one writer per results directory: a live holder refuses, a dead one is taken over', async () => {
  const dir = copyOf('locked');
  const lines = fs.readFileSync(path.join(dir, 'runs.jsonl'), 'utf8').split('\n');
  fs.writeFileSync(path.join(dir, 'runs.jsonl'), lines.slice(0, 2).join('\n') + '\n');
  // A second real process holds the lock, as a running campaign would.
  const holder = spawn(process.execPath, ['-e', `require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'experiment', 'dir-lock.js'))}).lockDirectory(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const r = cli(['run', campaign, '--workers', '1', '--resume', dir]);
    refused(r, 1, new RegExp(`in use by another osiris-fi \\(pid ${holder.pid}\\)`));
    assert.equal(fs.readFileSync(path.join(dir, 'runs.jsonl'), 'utf8').trimEnd().split('\n').length, 2, 'nothing redone');
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  // The holder died without releasing: its lock is stale and the next writer takes it.
  assert.ok(fs.existsSync(path.join(dir, '.lock')));
  const r = cli(['run', campaign, '--workers', '1', '--resume', dir, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).skipped, 2);
  assert.ok(!fs.existsSync(path.join(dir, '.lock')));

  // Two fresh runs on one --out at once: one writes, the other ends in one line (never a crash).
  const out = path.join(tmp, 'race');
  const start = () => new Promise<Ran>((resolve) => {
    const p = spawn(process.execPath, [BIN, 'run', campaign, '--workers', '1', '--out', out], { cwd: ROOT });
    let o = '', e = '';
    p.stdout.on('data', (d) => { o += d; });
    p.stderr.on('data', (d) => { e += d; });
    p.on('exit', (code) => resolve({ code: code ?? -1, out: o, err: e, ms: 0 }));
  });
  const both = await Promise.all([start(), start()]);
  for (const b of both) assert.doesNotMatch(b.err, /\n\s+at |TypeError/);
  assert.ok(both.some((b) => b.code === 0 && /tiny: 6 of 6 runs/.test(b.out)), 'one of them ran the campaign');
  assert.ok(both.every((b) => b.code === 0 || /in use by another osiris-fi/.test(b.err)), both.map((b) => b.err).join('|'));
  assert.equal(fs.readFileSync(path.join(out, 'runs.jsonl'), 'utf8').trimEnd().split('\n').length, 6);
});

test('records are checked: a bad or foreign line is refused with its file and line, never counted', () => {
  const lines = fs.readFileSync(path.join(finished(), 'runs.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 6, 'the finished campaign has its six records');
  const rec = JSON.parse(lines[0]!);

  // Well-formed JSON, wrong content: an outcome its detail does not belong to.
  const wrong = copyOf('wrong');
  fs.writeFileSync(path.join(wrong, 'runs.jsonl'), [lines[0], JSON.stringify({ ...JSON.parse(lines[1]!), outcome: 'pass', detail: 'timeout' }), ''].join('\n'));
  refused(cli(['run', campaign, '--resume', wrong]), 2, /wrong\/runs\.jsonl: line 2: not a run record: field "detail": detail does not belong to the outcome/);

  // A foreign record appended: a mode the manifest does not have.
  const foreign = copyOf('foreign');
  fs.appendFileSync(path.join(foreign, 'runs.jsonl'), JSON.stringify({ ...rec, mode: 'optimistic', key: `${rec.block}|${rec.faultType}|optimistic` }) + '\n');
  for (const args of [['compare', foreign], ['export', foreign, '--table', 'survivability'], ['merge', foreign, '--out', path.join(tmp, 'merged-foreign')], ['run', campaign, '--resume', foreign]]) {
    refused(cli(args), 2, /foreign\/runs\.jsonl: line 7: run .*\|optimistic is of mode "optimistic", which the manifest does not have/);
  }
  // A record of another fault.
  const other = copyOf('other');
  fs.appendFileSync(path.join(other, 'runs.jsonl'), JSON.stringify({ ...rec, block: 'pm/x.ts:nowhere#0', key: `pm/x.ts:nowhere#0|${rec.faultType}|${rec.mode}` }) + '\n');
  refused(cli(['export', other, '--table', 'runs']), 2, /line 7: run pm\/x\.ts:nowhere#0.* is of a fault the manifest does not have/);

  // Manifests of {} and null: one line from every command that reads them.
  for (const [name, text] of [['empty', '{}'], ['null', 'null']] as const) {
    const d = copyOf(`manifest-${name}`);
    fs.writeFileSync(path.join(d, 'manifest.json'), text);
    for (const args of [['compare', d], ['export', d, '--table', 'runs'], ['replay', d, '--run', rec.key], ['merge', d, '--out', path.join(tmp, `m-${name}`)], ['run', campaign, '--resume', d]]) {
      refused(cli(args), 2, /manifest\.json: not a manifest of this tool's format/);
    }
  }
  // A plain run onto the damaged directory says so; --force replaces it.
  refused(cli(['run', campaign, '--workers', '1', '--out', path.join(tmp, 'manifest-null')]), 2, /manifest\.json: not a manifest of this tool's format/);
  const forced = cli(['run', campaign, '--workers', '1', '--out', path.join(tmp, 'manifest-null'), '--force', '--json']);
  assert.equal(forced.code, 0, forced.err);
  assert.equal(JSON.parse(forced.out).ran, 6);
});

test('CLI habits: usage errors exit 2, required options and examples in help, reruns show the results', () => {
  refused(cli(['run', campaign, '--bogus']), 2, /^osiris-fi: unknown option '--bogus' \(see --help\)$/);
  refused(cli(['inject', '--mode', 'naive']), 2, /required option '--block <id>' not specified/);
  refused(cli(['frobnicate']), 2, /unknown command 'frobnicate'/);
  const help = cli(['inject', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--block <id>\s+the block to arm .*\(required\)/);
  assert.match(help.out, /Examples?:\n\s+\$ osiris-fi inject --block/);
  for (const c of ['run', 'merge', 'compare', 'export', 'replay', 'suite', 'sites', 'profile', 'coverage', 'bench', 'memory', 'disruption', 'rcb', 'report']) {
    const h = cli([c, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, new RegExp(`Examples?:\\n\\s+\\$ osiris-fi ${c}`), `${c} --help has an example`);
  }
  // The summary counts the runs in words that read.
  finished();
  assert.match(doneRun!.out, /^tiny: 6 of 6 runs in .* \(6 now, in [\d.]+ s: [\d.]+ runs\/s\)/);
  const again = cli(['run', campaign, '--workers', '1', '--out', done]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /^already finished: 6 runs in .*; the table below is read from those results/);
  assert.equal(again.out.split('\n').slice(2).join('\n'), doneRun!.out.split('\n').slice(2).join('\n'), 'the same table');
  const forced = cli(['run', campaign, '--workers', '1', '--out', done, '--json', '--force']);
  assert.equal(forced.code, 0, forced.err);
  assert.equal(JSON.parse(forced.out).ran, 6);
});

test('the progress line fits the terminal, has no ETA before a result, and gives way to Ctrl-C', () => {
  const tally: [string, [number, number, number, number]][] = [['stateless', [1, 2, 3, 4]], ['naive', [10, 2, 3, 4]], ['pessimistic', [1, 2, 3, 40]], ['enhanced', [100, 2, 3, 4]]];
  const before = fitProgress({ done: 0, total: 48, ranHere: 0, seconds: 0.5, tally }, 80);
  assert.doesNotMatch(before, /ETA/);
  for (const width of [40, 60, 80, 120, 200]) {
    const line = fitProgress({ done: 20, total: 48, ranHere: 20, seconds: 4, tally }, width);
    assert.ok(line.length < width, `${line.length} < ${width}: ${line}`);
    assert.match(line, /20\/48 runs/);
    // The tally is whole or absent, never cut.
    if (/pass\/fail/.test(line)) assert.match(line, /enhanced 100\/2\/3\/4$/);
    else if (/p\/f\/s\/c/.test(line)) assert.match(line, /100\/2\/3\/4$/);
  }
  assert.match(fitProgress({ done: 20, total: 48, ranHere: 20, seconds: 4, tally }, 200), /ETA 6s \| pass\/fail\/shutdown\/crash: stateless 1\/2\/3\/4/);
  // After pause() (Ctrl-C), updates no longer draw over the message line.
  let written = '';
  const stream = { columns: 80, write: (s: string) => { written += s; return true; } } as unknown as NodeJS.WriteStream;
  const bar = new ProgressLine(stream);
  bar.start({ done: 0, total: 4, ranHere: 0, seconds: 0, tally: [] });
  bar.pause();
  const at = written.length;
  assert.ok(written.endsWith('\n'));
  bar.update({ done: 1, total: 4, ranHere: 1, seconds: 1, tally: [] });
  bar.stop();
  assert.equal(written.length, at);
});

const NO_SCRIPT = spawnSync('script', ['--version']).status === 0 ? false : 'util-linux `script` (a pseudo-terminal for the progress line) is not installed';

test('Ctrl-C on a terminal: the bar ends, "interrupted" stands on its own line, and nothing draws over it', { skip: NO_SCRIPT }, async () => {
  const mid = path.join(tmp, 'mid.json');
  fs.writeFileSync(mid, JSON.stringify({ name: 'mid', seed: 'm', faultModel: 'failstop', faults: { sample: 40 }, modes: ['naive', 'enhanced'] }));
  const log = path.join(tmp, 'tty.log');
  const out = path.join(tmp, 'mid');
  const q = (x: string) => `'${x}'`;
  const sh = spawn('script', ['-qfc', `stty cols 80; exec ${q(process.execPath)} ${q(BIN)} run ${q(mid)} --workers 1 --out ${q(out)}`, log], { stdio: 'ignore' });
  const exited = new Promise<number>((resolve) => sh.once('exit', (c) => resolve(c ?? -1)));
  // Once a run has finished (the bar shows a rate), press Ctrl-C: SIGINT to the tool.
  for (let i = 0; i < 600 && !/runs\/s/.test(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''); i++) await new Promise((r) => setTimeout(r, 100));
  const child = spawnSync('pgrep', ['-P', String(sh.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  assert.ok(child, 'the tool is running under the terminal');
  process.kill(Number(child), 'SIGINT');
  await exited;
  const text = fs.readFileSync(log, 'utf8');
  assert.match(text, /COMMAND_EXIT_CODE="130"/);
  const at = text.indexOf('interrupted: finishing the runs in flight; resume with --resume');
  assert.ok(at > 0, text.slice(-500));
  assert.match(text.slice(0, at), /\r?\n$/, 'the bar line was ended before the message');
  assert.doesNotMatch(text.slice(at), /runs \|/, 'no bar drawn after the message');
  for (const line of text.slice(0, at).split(/[\r\n]+/).filter((l) => !l.startsWith('Script '))) assert.ok(line.replace(/\x1b\[K/g, '').length < 80, `fits 80 columns: ${line}`);
  assert.match(text.slice(at), /incomplete: resume with/);
});

test('inject collapses identical recoveries into one line with a count', () => {
  // The user's case: a block that fires on every fork, 94 times, recovered the same way each time.
  const real = cli(['inject', '--block', 'pm/forkexit.ts:do_fork#4', '--mode', 'enhanced']);
  assert.equal(real.code, 0, real.err);
  const activations = Number(/activations: (\d+)/.exec(real.out)![1]);
  assert.ok(activations > 1);
  const rec = real.out.split('\n').filter((l) => /^recover/.test(l));
  assert.equal(rec.length, 1, real.out);
  assert.match(rec[0]!, new RegExp(`^recoveries 1-${activations} \\(${activations} times, identical\\): pm from [\\d.]+ to [\\d.]+ ms \\(exception\\); window open; request PM_FORK`));
  const r = (time: number, over: Partial<RecoveryRecord> = {}): RecoveryRecord => ({
    time, server: 'pm', reason: 'crash', windowOpen: true, closedBy: null, request: 'FORK', requester: 7, replyable: true, decision: 'IDEMPOTENT', action: 'rollback', rolledBack: 3, ...over,
  } as RecoveryRecord);
  const lines = recoveryLines([...Array.from({ length: 94 }, (_, i) => r(1e6 * (i + 1))), r(2e8, { windowOpen: false, closedBy: 'seep:send' })]);
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^recoveries 1-94 \(94 times, identical\): pm from 1\.000 to 94\.000 ms \(crash\); window open; request FORK from 7; decision IDEMPOTENT -> rollback, 3 stores rolled back$/);
  assert.match(lines[1]!, /^recovery 95: pm at 200\.000 ms \(crash\); window closed by seep:send/);
});

test('a campaign file with a UTF-8 byte-order mark is accepted', () => {
  const f = path.join(tmp, 'bom.json');
  fs.writeFileSync(f, '\uFEFF' + fs.readFileSync(campaign, 'utf8'));
  assert.equal(loadCampaign(f).name, 'tiny');
  const bad = path.join(tmp, 'bad-bom.json');
  fs.writeFileSync(bad, '\uFEFF{ "name": ');
  refused(cli(['run', bad]), 2, /bad-bom\.json: not valid JSON/);
  assert.doesNotMatch(cli(['run', bad]).err, /\uFEFF/);
});

test('without Chromium the browser test skips with one line; REQUIRE_CHROMIUM=1 makes it fail', () => {
  const file = path.join(ROOT, 'dist', 'test', 'report-browser.test.js');
  // A test file run on its own (not as a child of this test run, which would take over its output).
  const env: NodeJS.ProcessEnv = { ...process.env, CHROMIUM: '/nonexistent' };
  delete env.NODE_TEST_CONTEXT;
  delete env.REQUIRE_CHROMIUM;
  const skip = spawnSync(process.execPath, ['--test', file], { encoding: 'utf8', env });
  assert.equal(skip.status, 0, skip.stdout);
  assert.match(skip.stdout, /# SKIP Chromium not found at \/nonexistent: install .*REQUIRE_CHROMIUM=1 makes this a failure/);
  const must = spawnSync(process.execPath, ['--test', file], { encoding: 'utf8', env: { ...env, REQUIRE_CHROMIUM: '1' } });
  assert.notEqual(must.status, 0);
  assert.match(must.stdout, /Chromium not found at \/nonexistent/);
});
