/*
 * The package as a user gets it: `npm pack`, a global install into a
 * temporary prefix (dependencies from the local npm cache when it has them),
 * then the commands run from another directory — `rcb` (it needs the
 * TypeScript parser and the sources at run time), `report` (limited to its
 * RCB section with --only, to stay short) and `run quick` (a bundled
 * campaign found by name) — and the library entry point required from Node.
 * The tarball must hold a LICENSE and the JSON Schemas, and no tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

test('the packed tarball installs globally and every kind of command works from elsewhere', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-install-'));
  // --ignore-scripts: dist/ is already built (npm test runs after the build); rebuilding would race the other tests.
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const info = JSON.parse(pack.stdout)[0] as { filename: string; files: { path: string }[] };
  const files = info.files.map((f) => f.path);
  assert.ok(files.includes('LICENSE'));
  assert.ok(files.includes('schemas/campaign.schema.json') && files.includes('schemas/policy.schema.json'));
  assert.ok(files.includes('campaigns/quick.json'));
  assert.ok(files.includes('dist/src/index.d.ts'), 'type declarations of the library entry');
  assert.deepEqual(files.filter((f) => /^(dist\/)?test\//.test(f)), [], 'no tests in the tarball');

  const prefix = path.join(tmp, 'prefix');
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', path.join(tmp, info.filename)],
    { cwd: tmp, encoding: 'utf8', timeout: 240_000 });
  if (install.status !== 0 && /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network/i.test(install.stderr)) {
    t.skip(`npm install needed the network and could not reach it: ${install.stderr.trim().split('\n')[0]}`);
    return;
  }
  assert.equal(install.status, 0, install.stderr);
  const bin = path.join(prefix, 'bin', 'osiris-fi');
  const elsewhere = fs.mkdtempSync(path.join(tmp, 'user-'));
  const cmd = (...args: string[]) => run(bin, args, { cwd: elsewhere, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });

  // Side by side, to keep the test short.
  const [rcb, quick, rep] = await Promise.all([cmd('rcb', '--json'), cmd('run', 'quick', '--json', '--workers', '2'), cmd('report', '--only', 'rcb', '--out', 'rep')]);
  const r = JSON.parse(rcb.stdout);
  assert.ok(r.rcb.sloc > 0 && r.whole.sloc > r.rcb.sloc, 'the RCB counted from the installed sources');
  const q = JSON.parse(quick.stdout);
  assert.equal(q.campaign, 'quick');
  assert.equal(q.finished, q.total);
  assert.ok(q.dir.startsWith(elsewhere), 'results land in the directory it was run from');

  // The report has its RCB section (the rest left out with --only).
  assert.match(rep.stdout, /rep\/report\.html/);
  const md = fs.readFileSync(path.join(elsewhere, 'rep', 'report.md'), 'utf8');
  assert.match(md, /## Reliable Computing Base/);
  assert.ok(md.includes(`**${r.rcb.sloc.toLocaleString('en-US')} lines are in the RCB`), 'the RCB figure is in the report');
  assert.ok(md.includes(`(${r.whole.sloc.toLocaleString('en-US')} lines)`), 'beside the whole tool\'s size');

  // The library entry, as `require('osiris-fi')` from a project that installed it.
  const lib = spawnSync(process.execPath, ['-e', `
    const o = require('osiris-fi');
    const c = o.loadCampaign(require.resolve('osiris-fi/package.json').replace(/package\\.json$/, 'campaigns/quick.json'));
    const ok = o.campaignSchema.safeParse({ name: 'x' }).success;
    console.log(JSON.stringify({ name: c.name, ok, policy: o.resolvePolicy('enhanced').name, fns: typeof o.runCampaign + typeof o.runOne + typeof o.compareReport }));
  `], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(prefix, 'lib', 'node_modules') } });
  assert.equal(lib.status, 0, lib.stderr);
  assert.deepEqual(JSON.parse(lib.stdout), { name: 'quick', ok: false, policy: 'enhanced', fns: 'functionfunctionfunction' });
  fs.rmSync(tmp, { recursive: true, force: true });
});
