/*
 * The test picker (DESIGN §6): the recovery pre-tests first, then the tests
 * that executed the faulty block in the golden run, in suite order, added
 * while their golden simulated time fits the budget (mean + 2σ of the golden
 * durations unless the campaign sets one), always at least one; or the
 * whole suite.
 *
 * The entry points into this file are:
 *   goldenBudget   mean + 2σ of the golden test durations (ns)
 *   pickTests      the programs of one run, in order
 */
import type { BlockInfo } from '../edfi/block-map';
import { PRETEST_NAMES } from '../os/workload/pretests';
import type { GoldenProfile } from './golden';

export function goldenBudget(profile: GoldenProfile): number {
  const d = profile.tests.map((t) => t.simTime);
  if (d.length === 0) return 0;
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
  return mean + 2 * Math.sqrt(variance);
}

export interface TestSelection { select: 'covering' | 'all'; budgetNs?: number; pretests: boolean }

export function pickTests(profile: GoldenProfile, block: Pick<BlockInfo, 'index'>, sel: TestSelection): string[] {
  const pre = sel.pretests ? [...PRETEST_NAMES] : [];
  if (sel.select === 'all') return [...pre, ...profile.tests.map((t) => t.name)];
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
