/*
 * The run planner: the one place that turns "this fault, under this
 * policy, with these tests" into a run's spec — which programs run (the
 * recovery pre-tests first, then the picked tests), the seed, and the
 * simulated-time and message budgets. The campaign runner plans every run
 * of a campaign with it (and so does `replay`, through the runner's plan);
 * `inject` plans its single run with it.
 *
 * The entry points into this file are:
 *   planRun       the RunSpec of one run
 *   RunPlanner    planRun for many runs from one profile (what does not depend on the run, prepared once)
 *   selectTests   test names and patterns ("pipe_*") resolved against the installed programs
 */
import type { CheckingMode } from '../os/kernel/kernel';
import type { BlockInfo } from '../edfi/block-map';
import type { Policy } from '../osiris/policies';
import { extendedNames, PRETEST_NAMES, testNames } from '../sim/programs';
import type { GoldenProfile } from './golden';
import { RunBudgets } from './faults';
import { runBudgetOf, TestPicker } from './test-picker';
import type { TestsField } from './campaign-spec';
import type { ServiceFiMode } from '../sim/sim';
import type { LivelockMode, RunSpec } from './run-one';

/**
 * Which tests run after the pre-tests: those that executed the block in the
 * golden run, within a budget of golden simulated time (DESIGN §6; no
 * budget: mean + 2σ of the golden durations), or the whole suite; or the
 * programs given by name.
 */
export type TestChoice = TestsField | { names: string[] };

export interface RunRequest {
  block: Pick<BlockInfo, 'index'>;
  /** Fail-stop (a NULL dereference at block entry) instead of the block's compiled fault. */
  nullPointer: boolean;
  policy: Policy;
  /** Seed of the values the fault draws. */
  seed: string;
  tests: TestChoice;
  /** Run the recovery pre-tests first. */
  pretests: boolean;
  /** Budgets that override those derived from the golden run. */
  budget?: { timeNs?: number; messages?: number };
  /** The checking discipline of the test programs (absent: strict). */
  checking?: CheckingMode;
  /** How `service fi` crashes a server in the pre-tests (absent: next-request). */
  serviceFi?: ServiceFiMode;
  /** The seed of a shuffled test pick (the campaign's seed and the fault). */
  pickSeed?: string;
  /** How a livelocked run ends (absent: detected, run-one.ts). */
  livelock?: LivelockMode;
}

/** The run's spec; null when a shuffled pick finds no covering test that fits the run budget (the prototype ran no such fault). */
export function planRun(profile: GoldenProfile, req: RunRequest): RunSpec | null {
  return new RunPlanner(profile).plan(req);
}

/** planRun over one profile (read as it is when the planner is made; a profile is never changed once made). */
export class RunPlanner {
  private readonly picker: TestPicker;
  private readonly budgets: RunBudgets;
  /** runBudgetOf per run share (compared with Object.is, as the float it is). */
  private readonly runBudgets: { share: number; ns: number }[] = [];

  constructor(private readonly profile: GoldenProfile) {
    this.picker = new TestPicker(profile);
    this.budgets = new RunBudgets(profile);
  }

  /** As planRun. */
  plan(req: RunRequest): RunSpec | null {
    const tests = req.tests;
    const programs = 'names' in tests
      ? [...(req.pretests ? PRETEST_NAMES : []), ...tests.names]
      : tests.order === 'shuffled'
        ? this.picker.pick(req.block, {
          select: 'covering', order: 'shuffled', pretests: req.pretests, seed: req.pickSeed ?? req.seed,
          runBudgetNs: this.runBudget(tests.runShare!), stdevs: tests.stdevs, serviceFi: req.serviceFi,
        })
        : this.picker.pick(req.block, { select: tests.select, budgetNs: tests.budgetNs, pretests: req.pretests });
    if (!programs) return null;
    const timeNs = req.budget?.timeNs, messages = req.budget?.messages;
    const golden = timeNs == null || messages == null ? this.budgets.of(programs) : null;
    const spec: RunSpec = {
      block: req.block.index, nullPointer: req.nullPointer, policy: req.policy, programs, seed: req.seed,
      timeBudgetNs: timeNs ?? golden!.timeNs,
      messageBudget: messages ?? golden!.messages,
    };
    // Present only when not the default, in this order (plans are compared as JSON).
    if (req.checking === 'minix') spec.checking = req.checking;
    if (req.serviceFi === 'prototype') spec.serviceFi = req.serviceFi;
    if (req.livelock === 'budget') spec.livelock = req.livelock;
    return spec;
  }

  private runBudget(share: number): number {
    const hit = this.runBudgets.find((b) => Object.is(b.share, share));
    if (hit) return hit.ns;
    const ns = runBudgetOf(this.profile, share);
    this.runBudgets.push({ share, ns });
    return ns;
  }
}

/** Resolve names and glob-like patterns ("pipe_*") against the installed programs; unknown names are reported. No spec: the suite (and, `extended`, the programs beside it). */
export function selectTests(spec: string | undefined, extended = false): { names: string[]; unknown: string[] } {
  const suite = testNames();
  if (!spec) return { names: extended ? [...suite, ...extendedNames()] : suite, unknown: [] };
  const all = [...suite, ...extendedNames(), ...PRETEST_NAMES];
  const names: string[] = [];
  const unknown: string[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part.includes('*')) {
      const re = new RegExp('^' + part.split('*').map(escapeRe).join('.*') + '$');
      const hits = all.filter((n) => re.test(n));
      if (hits.length === 0) unknown.push(part);
      for (const h of hits) if (!names.includes(h)) names.push(h);
    } else if (all.includes(part)) {
      if (!names.includes(part)) names.push(part);
    } else unknown.push(part);
  }
  return { names, unknown };
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
