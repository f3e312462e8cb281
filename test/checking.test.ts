/*
 * The checking discipline (test-api.ts): a housekeeping call that gets an
 * error fails its program under 'strict' and is absorbed under 'minix';
 * checked calls fail either way; the counts reach `suite --json`; campaign
 * files accept `checking` and pass it to every run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { bootWith } from './helpers/inline';
import { asProgram, T, TestBody } from '../src/os/workload/test-api';
import { Libc } from '../src/os/libc/libc';
import { Main } from '../src/os/libc/core';
import { Co } from '../src/os/kernel/types';
import { O_CREAT, O_RDWR } from '../src/os/proto/fs';
import { WEXITSTATUS } from '../src/os/proto/signals';
import { ENOENT } from '../src/os/proto/errno';
import { CampaignError, campaignIdentity, loadCampaign, parseCampaign } from '../src/experiment/campaign-spec';
import { campaignFromManifest } from '../src/cli/shared';
import { bootSnapshot, runOne } from '../src/experiment/run-one';
import { planCampaign } from '../src/experiment/runner';
import { defaultCacheDir } from '../src/cli/shared';
import { builtin } from './helpers/builtin-policy';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Its clean-up unlinks a name that is already gone: VFS answers ENOENT to a
 * housekeeping call (in the parent and in a forked child).
 */
const PROBES = {
  hk_probe: function* (t: T, u: Libc): Co<void> {
    const p = '/tmp/hk_probe.f';
    const fd = t.okCall(yield* u.open(p, O_CREAT | O_RDWR, 0o644), 'create');
    t.eq(yield* u.write(fd, 'abc'), 3, 'write');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.eq(yield* u.unlink(p), 0, 'unlink');
    t.err(yield* u.open(p, O_RDWR), ENOENT, 'gone');
    // The housekeeping call's error value comes back to the caller.
    t.eq(t.hk.call(yield* u.unlink(p), 'unlink again at clean-up'), -1, 'the value is returned');
    const pid = yield* u.fork(function* (c: Libc): Co<number> {
      const ct = new T(c);
      ct.hk.ok((yield* c.rmdir('/tmp/hk_probe.none')) === 0, 'child removes a scratch directory');
      return 0;
    });
    const [, status] = yield* u.waitpid(pid);
    t.eq(WEXITSTATUS(status), 0, 'the child passed');
  },
  /** A checked call that fails: no discipline absorbs it. */
  hk_checked: function* (t: T, u: Libc): Co<void> {
    t.hk.eq(yield* u.getppid(), 1, 'a housekeeping call that works');
    t.eq(yield* u.unlink('/tmp/hk_checked.none'), 0, 'the call under test');
  },
} satisfies Record<string, TestBody>;

test('a failing housekeeping call fails under strict and is absorbed under minix', () => {
  const strict = bootWith(PROBES).runPrograms(['hk_probe']);
  assert.equal(strict[0]!.status, 'fail');
  assert.match(strict[0]!.failure!, /unlink again at clean-up: failed with ENOENT/);
  assert.equal(strict[0]!.housekeeping, 2, 'close and the failing unlink');
  assert.equal(strict[0]!.housekeepingErrors, 1);

  const minix = bootWith(PROBES).runPrograms(['hk_probe'], { checking: 'minix' });
  assert.equal(minix[0]!.status, 'pass', minix[0]!.failure);
  assert.equal(minix[0]!.housekeeping, 3, 'close, unlink, and the child\'s rmdir');
  assert.equal(minix[0]!.housekeepingErrors, 2, 'the unlink and the child\'s rmdir got errors');
  // Under minix a housekeeping call is not a check: 6 checks in all (create, write, unlink, gone, returned, child).
  assert.equal(minix[0]!.checks, 6);

  // The default is strict, and strict counts housekeeping calls as checks too.
  const dflt = bootWith(PROBES).runPrograms(['hk_probe']);
  assert.deepEqual(dflt, strict);
  assert.equal(strict[0]!.checks, 4 + 2, 'the four checks before the failure plus the two housekeeping calls');
});

test('checked calls fail under either discipline', () => {
  for (const checking of ['strict', 'minix'] as const) {
    const [r] = bootWith(PROBES).runPrograms(['hk_checked'], { checking });
    assert.ok(r, `hk_checked ran (${checking})`);
    assert.equal(r.status, 'fail', checking);
    assert.match(r.failure!, /the call under test: expected 0, got -1/);
    assert.equal(r.housekeeping, 1);
    assert.equal(r.housekeepingErrors, 0);
  }
});

test('the suite under minix: same runs, housekeeping counted apart from checks', () => {
  const strict = bootWith({}).runPrograms(['file_open', 'pipe_eof', 'sig_chld']);
  const minix = bootWith({}).runPrograms(['file_open', 'pipe_eof', 'sig_chld'], { checking: 'minix' });
  for (let i = 0; i < strict.length; i++) {
    assert.equal(strict[i]!.status, 'pass');
    assert.equal(minix[i]!.status, 'pass');
    assert.ok(strict[i]!.housekeeping > 0, `${strict[i]!.name} marks housekeeping calls`);
    assert.equal(minix[i]!.housekeeping, strict[i]!.housekeeping);
    assert.equal(minix[i]!.checks, strict[i]!.checks - strict[i]!.housekeeping, 'a housekeeping call is a check only under strict');
    assert.equal(minix[i]!.messages, strict[i]!.messages, 'fault-free, the discipline changes no message');
  }
});

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'osiris-fi'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('suite --json gives checks and housekeeping per program; --checking selects the discipline', () => {
  const s = cli('suite', '--json', '--tests', 'file_open,dir_chdir');
  assert.equal(s.code, 0, s.err);
  const strict = JSON.parse(s.out);
  const m = cli('suite', '--json', '--tests', 'file_open,dir_chdir', '--checking', 'minix');
  assert.equal(m.code, 0, m.err);
  const minix = JSON.parse(m.out);
  assert.equal(strict.summary.checking, 'strict');
  assert.equal(minix.summary.checking, 'minix');
  assert.equal(strict.summary.traceHash, minix.summary.traceHash, 'fault-free, the same run');
  for (let i = 0; i < 2; i++) {
    const a = strict.programs[i];
    const b = minix.programs[i];
    assert.ok(typeof a.checks === 'number' && a.housekeeping > 0, `${a.name}: checks and housekeeping`);
    assert.equal(b.checks + b.housekeeping, a.checks);
  }
  assert.equal(strict.summary.housekeeping, strict.programs[0].housekeeping + strict.programs[1].housekeeping);
  const bad = cli('suite', '--checking', 'lax');
  assert.notEqual(bad.code, 0);
  assert.equal(bad.code, 2, 'a usage error');
  assert.match(bad.err.trim(), /^[^\n]*'lax' is invalid\. Allowed choices are strict, minix\.[^\n]*$/);
});

test('campaign files: checking defaults to strict, accepts minix, rejects other values in one line', () => {
  const good = { name: 'x', seed: 1, faultModel: 'edfi', faults: 'all', modes: ['enhanced'] };
  const d = parseCampaign(good, 'c.json', ROOT);
  assert.equal(d.checking, 'strict');
  assert.equal(parseCampaign({ ...good, checking: 'minix' }, 'c.json', ROOT).checking, 'minix');
  assert.equal(parseCampaign({ ...good, checking: 'strict' }, 'c.json', ROOT).checking, 'strict');
  for (const bad of ['lax', 1, null]) {
    let msg = '';
    try { parseCampaign({ ...good, checking: bad }, 'c.json', ROOT); } catch (e) { assert.ok(e instanceof CampaignError); msg = e.message; }
    assert.match(msg, /^c\.json: field "checking": expected "strict" \(every call checked\) or "minix" \(housekeeping calls unchecked\)$/);
  }
});

test('the campaign identity: unchanged without the field or under strict, distinct under minix, replayable', () => {
  const quick = loadCampaign(path.join(ROOT, 'campaigns', 'quick.json'));
  const id = campaignIdentity(quick);
  assert.equal('checking' in id, false, 'existing campaign files keep their identity');
  assert.deepEqual(campaignIdentity({ ...quick, checking: 'strict' }), id);
  const minix = campaignIdentity({ ...quick, checking: 'minix' });
  assert.notDeepEqual(minix, id, 'results of different disciplines are never merged or resumed together');
  const manifest = { format: 1 as const, campaign: { name: quick.name, file: quick.file, identity: minix }, tool: { name: 'osiris-fi', version: '0' },
    variantHash: '', profileHash: '', faults: [], modes: [], runs: 0, shard: null };
  assert.equal(campaignFromManifest(manifest, 'm').checking, 'minix');
  assert.equal(campaignFromManifest({ ...manifest, campaign: { ...manifest.campaign, identity: id } }, 'm').checking, 'strict');
});

test('a run spec passes the discipline to the programs of a fault-injection run', () => {
  const extra = new Map<string, Main>([['hk_probe', asProgram(PROBES.hk_probe)]]);
  const snap = bootSnapshot(extra);
  const spec = {
    block: -1, nullPointer: true, policy: builtin('enhanced'), programs: ['hk_probe'], seed: 'checking',
    timeBudgetNs: 2e9, messageBudget: 100_000, extraPrograms: extra,
  };
  assert.equal(runOne(snap, spec).outcome, 'fail');
  assert.equal(runOne(snap, { ...spec, checking: 'strict' }).outcome, 'fail');
  const m = runOne(snap, { ...spec, checking: 'minix' });
  assert.equal(m.outcome, 'pass');
  assert.equal(m.programs[0]!.housekeepingErrors, 2);
});

test('a campaign\'s checking reaches every planned run, and only under minix does the spec change', () => {
  const tiny = { name: 'tiny-checking', seed: 't', faultModel: 'failstop', faults: { sample: 2 }, modes: ['naive', 'enhanced'] };
  const strict = planCampaign(parseCampaign(tiny, 'c.json', ROOT), defaultCacheDir());
  const minix = planCampaign(parseCampaign({ ...tiny, checking: 'minix' }, 'c.json', ROOT), defaultCacheDir());
  assert.equal(minix.tasks.length, strict.tasks.length);
  assert.ok(strict.tasks.length > 0);
  for (let i = 0; i < strict.tasks.length; i++) {
    assert.equal('checking' in strict.tasks[i]!.spec, false, 'strict tasks are as before the field existed');
    assert.equal(minix.tasks[i]!.spec.checking, 'minix');
    assert.deepEqual({ ...minix.tasks[i]!.spec, checking: undefined }, { ...strict.tasks[i]!.spec, checking: undefined }, 'the same faults and programs');
  }
  assert.notDeepEqual(minix.manifest.campaign.identity, strict.manifest.campaign.identity);
});
