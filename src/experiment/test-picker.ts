/*
 * The test picker (DESIGN §6): which programs one faulty run executes. The
 * recovery pre-tests first (when the run has them), then either the whole
 * suite or the tests that executed the faulty block in the golden run,
 * picked one of two ways:
 *   suite-order  in suite order, added while their golden simulated time
 *                fits a budget of about one test (mean + 2σ of the golden
 *                durations unless the campaign sets one); at least one;
 *   shuffled     the prototype's testpicker (testpicker.c, as its campaign
 *                script called it: -b -r 360 -x/-X per pre-test, no -R, -m,
 *                -p): every test gets a seeded random key and the list is
 *                sorted by it; a whole-run budget is reduced by boot, by one
 *                "between tests" time and by each pre-test, each estimated
 *                as mean + zσ of its golden durations; then the first
 *                covering test in shuffled order whose estimate fits is
 *                taken (one is required, else the fault gets no run), then
 *                repeatedly the first covering test not yet taken that still
 *                fits (first fit: tests that do not fit are skipped, the
 *                search does not stop at them). The picked tests run in
 *                shuffled order.
 *
 * The entry points into this file are:
 *   goldenBudget     mean + 2σ of the golden test durations (ns)
 *   estimate         mean + zσ of some durations
 *   runBudgetOf      the whole-run budget the shuffled picker starts from
 *   pickTests        the programs of one run, in order (null: no test fits)
 */
import seedrandom from 'seedrandom';
import type { BlockInfo } from '../edfi/block-map';
import { PRETEST_NAMES } from '../sim/programs';
import type { ServiceFiMode } from '../sim/sim';
import type { GoldenProfile } from './golden';

export function goldenBudget(profile: GoldenProfile): number {
  const d = profile.tests.map((t) => t.simTime);
  if (d.length === 0) return 0;
  return estimate(d, 2);
}

/** mean + zσ (population σ, as testpicker's stats); 0 for no samples. */
export function estimate(samples: readonly number[], z: number): number {
  if (samples.length === 0) return 0;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length;
  return mean + z * Math.sqrt(variance);
}

/**
 * The default share of the full golden run (boot, every test and the gaps
 * between them) that the whole-run budget is: the prototype's campaign gave
 * 360 s (`-r 360`) where testpicker's help text says the time "to boot the
 * system and execute all the tests" is 14 minutes (its stated default), so
 * 360/840. The rule was fixed before any campaign ran with it.
 */
export const PROTOTYPE_RUN_SHARE = 360 / 840;

/**
 * The number of standard deviations in testpicker's estimates when -R is
 * not given: the code's `double runtimestdev = 1;` (its help text says
 * "default: 2"; the code is what ran).
 */
export const PROTOTYPE_STDEVS = 1;

/** `share` of the full golden run: boot, every test's duration and every gap between tests. */
export function runBudgetOf(profile: GoldenProfile, share: number): number {
  const full = (profile.bootNs ?? 0) + profile.tests.reduce((a, t) => a + t.simTime, 0) + (profile.gapsNs ?? []).reduce((a, g) => a + g, 0);
  return share * full;
}

export interface TestSelection {
  select: 'covering' | 'all';
  /** suite-order: the budget of golden time for the picked tests. */
  budgetNs?: number;
  pretests: boolean;
  /** Default suite-order. */
  order?: 'suite-order' | 'shuffled';
  /** shuffled: the seed of this fault's shuffle. */
  seed?: string;
  /** shuffled: the whole-run budget (ns). */
  runBudgetNs?: number;
  /** shuffled: z in mean + zσ (default PROTOTYPE_STDEVS). */
  stdevs?: number;
  /** shuffled: whose pre-test durations are reserved (default next-request). */
  serviceFi?: ServiceFiMode;
}

/** The run's programs in order; null when the shuffled picker finds no covering test that fits (the prototype ran no such fault). */
export function pickTests(profile: GoldenProfile, block: Pick<BlockInfo, 'index'>, sel: TestSelection): string[] | null {
  const pre = sel.pretests ? [...PRETEST_NAMES] : [];
  if (sel.select === 'all') return [...pre, ...profile.tests.map((t) => t.name)];
  if (sel.order === 'shuffled') {
    const picked = pickShuffled(profile, block, sel);
    return picked ? [...pre, ...picked] : null;
  }
  const budget = sel.budgetNs ?? goldenBudget(profile);
  const picked: string[] = [];
  let spent = 0;
  for (const t of profile.tests) {
    if (!t.blocks.includes(block.index)) continue;
    if (picked.length > 0 && spent + t.simTime > budget) break;
    picked.push(t.name);
    spent += t.simTime;
  }
  return [...pre, ...picked];
}

function pickShuffled(profile: GoldenProfile, block: Pick<BlockInfo, 'index'>, sel: TestSelection): string[] | null {
  if (sel.seed === undefined || sel.runBudgetNs === undefined) throw new Error('test picker: a shuffled pick needs a seed and a run budget');
  const z = sel.stdevs ?? PROTOTYPE_STDEVS;
  // One golden run: each duration is one sample (σ = 0); the estimate is kept in testpicker's form.
  let left = sel.runBudgetNs - estimate([profile.bootNs ?? 0], z) - estimate(profile.gapsNs ?? [], z);
  if (sel.pretests) {
    const durations = profile.pretests?.[sel.serviceFi ?? 'next-request'];
    if (!durations) throw new Error('test picker: the golden profile has no pre-test durations; profile again (delete the cache)');
    for (const p of durations) left -= estimate([p.simTime], z);
  }
  if (left <= 0) throw new Error(`test picker: the run budget is used up by boot and the pre-tests (${Math.round(left)} ns left)`);
  const rng = seedrandom(sel.seed);
  const keyed = profile.tests.map((t, i) => ({ t, i, key: rng(), cost: estimate([t.simTime], z) }));
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  const picked: string[] = [];
  for (const e of keyed) {
    if (!e.t.blocks.includes(block.index) || e.cost > left) continue;
    picked.push(e.t.name);
    left -= e.cost;
  }
  return picked.length > 0 ? picked : null;
}
