/*
 * The fast test picker (TestPicker: per-profile indexes, one shuffle per
 * seed, only the covering tests sorted) and the campaign's run budgets
 * (RunBudgets) give exactly what the documented algorithm gives, written
 * out plainly below, on the real sequential golden profile for hundreds of
 * faults: every budget, every mode's pre-tests, z and run share, and the
 * errors. One picker serves every call, in an interleaved order, so its
 * remembered shuffles and estimates are exercised the way a campaign uses
 * them (and a stale one would show).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { eligibleBlocks, goldenProfile, GoldenProfile } from '../src/experiment/golden';
import { estimate, goldenBudget, pickTests, PROTOTYPE_RUN_SHARE, PROTOTYPE_STDEVS, runBudgetOf, TestPicker, TestSelection } from '../src/experiment/test-picker';
import { RunBudgets, messageBudget, timeBudget } from '../src/experiment/faults';
import { defaultCacheDir } from '../src/cli/shared';
import { loadBlockMap } from '../src/sim/variants';
import { PRETEST_NAMES } from '../src/sim/programs';
import type { ServiceFiMode } from '../src/sim/sim';

/** The picker as DESIGN §6 and test-picker.ts's header describe it, with nothing precomputed. */
function referencePick(profile: GoldenProfile, blockIndex: number, sel: TestSelection): string[] | null {
  const pre = sel.pretests ? [...PRETEST_NAMES] : [];
  if (sel.select === 'all') return [...pre, ...profile.tests.map((t) => t.name)];
  if (sel.order !== 'shuffled') {
    const budget = sel.budgetNs ?? goldenBudget(profile);
    const picked: string[] = [];
    let spent = 0;
    for (const t of profile.tests) {
      if (!t.blocks.includes(blockIndex)) continue;
      if (picked.length > 0 && spent + t.simTime > budget) break;
      picked.push(t.name);
      spent += t.simTime;
    }
    return [...pre, ...picked];
  }
  if (sel.seed === undefined || sel.runBudgetNs === undefined) throw new Error('test picker: a shuffled pick needs a seed and a run budget');
  const z = sel.stdevs ?? PROTOTYPE_STDEVS;
  let left = sel.runBudgetNs - estimate([profile.bootNs ?? 0], z) - estimate(profile.gapsNs ?? [], z);
  if (sel.pretests) {
    const durations = profile.pretests?.[sel.serviceFi ?? 'next-request'];
    if (!durations) throw new Error('test picker: the golden profile has no pre-test durations; profile again (delete the cache)');
    for (const p of durations) left -= estimate([p.simTime], z);
  }
  if (left <= 0) throw new Error(`test picker: the run budget is used up by boot and the pre-tests (${Math.round(left)} ns left)`);
  // Every test gets a key, in suite order; the whole suite is sorted by it.
  const rng = seedrandom(sel.seed);
  const keyed = profile.tests.map((t, i) => ({ t, i, key: rng(), cost: estimate([t.simTime], z) }));
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  const picked: string[] = [];
  for (const e of keyed) {
    if (!e.t.blocks.includes(blockIndex) || e.cost > left) continue;
    picked.push(e.t.name);
    left -= e.cost;
  }
  return picked.length > 0 ? [...pre, ...picked] : null;
}

/** Budgets as faults.ts first summed them: over the profile's tests, those the programs name. */
function referenceBudgets(profile: GoldenProfile, programs: string[]): { timeNs: number; messages: number } {
  let time = 0, messages = 0;
  for (const t of profile.tests) if (programs.includes(t.name)) { time += t.simTime; messages += t.messages ?? 0; }
  return { timeNs: 2 * time + 1e9, messages: 4 * messages + 20_000 };
}

/** The outcome of a pick, an error included (its message must match too). */
function attempt(f: () => string[] | null): string[] | null | { error: string } {
  try { return f(); } catch (e) { return { error: (e as Error).message }; }
}

test('the fast test picker and run budgets give the reference picks and budgets on the real golden profile', () => {
  const profile = goldenProfile(defaultCacheDir(), undefined, 'sequential');
  const blocks = eligibleBlocks(profile, loadBlockMap('osiris+edfi').blocks);
  // Every third eligible block (about 400 faults), and a block no test covers.
  const faults = [...blocks.filter((_, i) => i % 3 === 0).map((b) => ({ index: b.index, id: b.id })), { index: -7, id: 'none' }];
  assert.ok(faults.length >= 300, `${faults.length} faults`);
  const full = runBudgetOf(profile, PROTOTYPE_RUN_SHARE);
  const shuffles: TestSelection[] = [];
  for (const pretests of [false, true]) {
    for (const serviceFi of ['prototype', 'next-request'] as ServiceFiMode[]) {
      // The campaign's share and z; a tight budget (most tests skipped, some faults unpicked); z = 2; -0 (Object.is apart).
      for (const [runBudgetNs, stdevs] of [[full, undefined], [full / 6, PROTOTYPE_STDEVS], [full, 2], [full / 3, -0], [full / 3, 0]] as [number, number | undefined][]) {
        shuffles.push({ select: 'covering', order: 'shuffled', pretests, serviceFi, runBudgetNs, stdevs });
      }
    }
  }
  const others: TestSelection[] = [
    { select: 'covering', pretests: false },
    { select: 'covering', pretests: true, budgetNs: goldenBudget(profile) / 4 },
    { select: 'covering', pretests: false, budgetNs: Infinity },
    { select: 'all', pretests: true },
  ];
  const picker = new TestPicker(profile);
  // One seed for every block: its key stream is drawn on as later blocks need more keys.
  const oneSeed = new TestPicker(profile);
  const budgets = new RunBudgets(profile);
  let compared = 0, unpicked = 0, skipped = 0;
  for (const [n, f] of faults.entries()) {
    const seed = `osiris-2016|tests|${f.id}|null-pointer`;
    // A fault's selections back to back (as a campaign's modes), then one for the previous fault's seed with this block.
    const sels: TestSelection[] = [...shuffles.map((s) => ({ ...s, seed })), ...others];
    if (n > 0) sels.push({ ...shuffles[0]!, seed: `osiris-2016|tests|${faults[n - 1]!.id}|null-pointer` });
    const one = { ...shuffles[0]!, seed: 'one seed' };
    assert.deepEqual(oneSeed.pick({ index: f.index }, one), referencePick(profile, f.index, one), `${f.id} under one seed`);
    for (const sel of sels) {
      const want = attempt(() => referencePick(profile, f.index, sel));
      assert.deepEqual(attempt(() => picker.pick({ index: f.index }, sel)), want, `${f.id} ${JSON.stringify(sel)}`);
      compared++;
      if (want === null) unpicked++;
      if (Array.isArray(want)) {
        // A name the profile lacks and a name twice count as before.
        const programs = sel.order === 'shuffled' ? want : [...want, 'no_such_program', ...want.slice(0, 1)];
        assert.deepEqual(budgets.of(programs), referenceBudgets(profile, programs), `budgets of ${programs.join(',')}`);
        if (sel.order === 'shuffled' && want.length - (sel.pretests ? PRETEST_NAMES.length : 0) < profile.tests.filter((t) => t.blocks.includes(f.index)).length) skipped++;
      }
    }
  }
  // The comparison covered the interesting cases: faults without a run and first fit skipping tests.
  assert.ok(unpicked > 0 && skipped > 0, `unpicked ${unpicked}, skipped ${skipped} of ${compared}`);
  // The one-call entry points are the same picker.
  const sel = { ...shuffles[1]!, seed: 'x' };
  assert.deepEqual(pickTests(profile, { index: faults[1]!.index }, sel), referencePick(profile, faults[1]!.index, sel));
  const progs = [...PRETEST_NAMES, ...profile.tests.slice(0, 9).map((t) => t.name)].reverse();
  assert.equal(timeBudget(profile, progs), referenceBudgets(profile, progs).timeNs);
  assert.equal(messageBudget(profile, progs), referenceBudgets(profile, progs).messages);
});

test('the fast picker reports a used-up budget and a profile without pre-test durations as the reference does', () => {
  const profile = goldenProfile(defaultCacheDir(), undefined, 'sequential');
  const block = profile.tests[0]!.blocks[0]!;
  const picker = new TestPicker(profile);
  const used: TestSelection = { select: 'covering', order: 'shuffled', pretests: true, seed: 's', runBudgetNs: (profile.bootNs ?? 0) + 1 };
  assert.deepEqual(attempt(() => picker.pick({ index: block }, used)), attempt(() => referencePick(profile, block, used)));
  assert.match(JSON.stringify(attempt(() => picker.pick({ index: block }, used))), /run budget is used up/);
  const bare: GoldenProfile = { ...profile, pretests: undefined };
  const sel: TestSelection = { ...used, runBudgetNs: runBudgetOf(profile, PROTOTYPE_RUN_SHARE) };
  assert.match(JSON.stringify(attempt(() => new TestPicker(bare).pick({ index: block }, sel))), /no pre-test durations/);
  assert.ok(Array.isArray(new TestPicker(bare).pick({ index: block }, { ...sel, pretests: false })));
  assert.throws(() => picker.pick({ index: block }, { ...sel, seed: undefined }), /needs a seed/);
});
