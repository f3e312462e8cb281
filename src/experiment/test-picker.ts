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
 * A campaign picks for thousands of faults from one profile, so a
 * TestPicker prepares what does not depend on the fault once: which tests
 * cover each block, each test's estimate, the boot and gap estimates. The
 * shuffle of one seed is drawn once and reused by the modes of the fault
 * (they share the seed); only the covering tests are sorted, by the same
 * keys and tie-break as the whole suite would be, so their order is the
 * whole suite's sorted order with the others left out — the same picks.
 *
 * The entry points into this file are:
 *   goldenBudget     mean + 2σ of the golden test durations (ns)
 *   estimate         mean + zσ of some durations
 *   runBudgetOf      the whole-run budget the shuffled picker starts from
 *   pickTests        the programs of one run, in order (null: no test fits)
 *   TestPicker       pickTests for many faults of one profile
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
  return new TestPicker(profile).pick(block, sel);
}

/** The fault-independent estimates under one z. */
interface Estimates {
  z: number;
  boot: number;
  gaps: number;
  /** Per test (suite order): the estimate of its one golden duration. */
  costs: Float64Array;
  /** Per `service fi` mode, made when first asked for: the estimates of the pre-tests' durations. */
  pretests: Map<ServiceFiMode, Float64Array>;
}

/**
 * pickTests over one profile, for many faults. The profile must not change
 * while the picker is used (a profile is never changed once profiled or
 * loaded); what the picker remembers is keyed by all the arguments it came
 * from, so no call gets another's answer.
 */
export class TestPicker {
  private readonly names: readonly string[];
  private readonly simTimes: Float64Array;
  /** Block index -> the tests that executed it, ascending suite positions. */
  private readonly covering = new Map<number, number[]>();
  private suiteBudget: number | null = null;
  private readonly estimates: Estimates[] = [];
  /** The keys drawn so far from the last seed's stream: every fault's modes share its seed. */
  private keysOf: { seed: string; rng: seedrandom.PRNG; keys: number[] } | null = null;
  /** The covering tests of the last (seed, block) in shuffled order. */
  private orderOf: { seed: string; block: number; order: number[] } | null = null;

  constructor(private readonly profile: GoldenProfile) {
    this.names = profile.tests.map((t) => t.name);
    this.simTimes = Float64Array.from(profile.tests, (t) => t.simTime);
    profile.tests.forEach((t, i) => {
      for (const b of t.blocks) {
        const list = this.covering.get(b);
        if (!list) this.covering.set(b, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
  }

  /** As pickTests. */
  pick(block: Pick<BlockInfo, 'index'>, sel: TestSelection): string[] | null {
    const pre = sel.pretests ? [...PRETEST_NAMES] : [];
    if (sel.select === 'all') return [...pre, ...this.names];
    if (sel.order === 'shuffled') {
      const picked = this.pickShuffled(block.index, sel);
      return picked ? [...pre, ...picked] : null;
    }
    const budget = sel.budgetNs ?? (this.suiteBudget ??= goldenBudget(this.profile));
    const picked: string[] = [];
    let spent = 0;
    for (const i of this.covering.get(block.index) ?? []) {
      const simTime = this.simTimes[i]!;
      if (picked.length > 0 && spent + simTime > budget) break;
      picked.push(this.names[i]!);
      spent += simTime;
    }
    return [...pre, ...picked];
  }

  private pickShuffled(block: number, sel: TestSelection): string[] | null {
    if (sel.seed === undefined || sel.runBudgetNs === undefined) throw new Error('test picker: a shuffled pick needs a seed and a run budget');
    const est = this.estimatesFor(sel.stdevs ?? PROTOTYPE_STDEVS);
    // One golden run: each duration is one sample (σ = 0); the estimate is kept in testpicker's form.
    let left = sel.runBudgetNs - est.boot - est.gaps;
    if (sel.pretests) for (const cost of this.pretestCosts(est, sel.serviceFi ?? 'next-request')) left -= cost;
    if (left <= 0) throw new Error(`test picker: the run budget is used up by boot and the pre-tests (${Math.round(left)} ns left)`);
    const picked: string[] = [];
    for (const i of this.shuffledCovering(sel.seed, block)) {
      const cost = est.costs[i]!;
      if (cost > left) continue;
      picked.push(this.names[i]!);
      left -= cost;
    }
    return picked.length > 0 ? picked : null;
  }

  /** Remembered per z, compared with Object.is: reused only for the very same number. */
  private estimatesFor(z: number): Estimates {
    const hit = this.estimates.find((e) => Object.is(e.z, z));
    if (hit) return hit;
    const e: Estimates = {
      z,
      boot: estimate([this.profile.bootNs ?? 0], z),
      gaps: estimate(this.profile.gapsNs ?? [], z),
      costs: Float64Array.from(this.simTimes, (t) => estimate([t], z)),
      pretests: new Map(),
    };
    this.estimates.push(e);
    return e;
  }

  /** The estimates of the pre-tests' durations under one `service fi` mode, in their order (the order of the subtractions). */
  private pretestCosts(est: Estimates, fi: ServiceFiMode): Float64Array {
    const hit = est.pretests.get(fi);
    if (hit) return hit;
    const durations = this.profile.pretests?.[fi];
    if (!durations) throw new Error('test picker: the golden profile has no pre-test durations; profile again (delete the cache)');
    const costs = Float64Array.from(durations, (p) => estimate([p.simTime], est.z));
    est.pretests.set(fi, costs);
    return costs;
  }

  /**
   * The tests covering `block`, in the order of the whole suite sorted by
   * the seed's keys (ties by suite position). The keys are the seed's
   * stream drawn in suite order, as the whole-suite shuffle draws them; only
   * as many as the last covering test needs are drawn (the rest would not
   * change the order of these).
   */
  private shuffledCovering(seed: string, block: number): number[] {
    const o = this.orderOf;
    if (o && o.seed === seed && Object.is(o.block, block)) return o.order;
    const covering = this.covering.get(block) ?? [];
    const keys = this.keys(seed, covering.length > 0 ? covering[covering.length - 1]! + 1 : 0);
    const order = [...covering].sort((a, b) => keys[a]! - keys[b]! || a - b);
    this.orderOf = { seed, block, order };
    return order;
  }

  /** The first `n` keys of the seed (at least; the stream is kept for the next block of the same seed). */
  private keys(seed: string, n: number): number[] {
    if (this.keysOf?.seed !== seed) this.keysOf = { seed, rng: seedrandom(seed), keys: [] };
    const { rng, keys } = this.keysOf;
    while (keys.length < n) keys.push(rng());
    return keys;
  }
}
