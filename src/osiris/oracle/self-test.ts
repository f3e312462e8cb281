/*
 * The oracle's self-test: for every invariant, a fresh fixture world, one
 * planted inconsistency, and the oracle's findings — was the invariant
 * named? The unplanted world must be clean, and every invariant must have a
 * plant, or the self-test fails.
 *
 * The entry points into this file are:
 *   selfTest(fixtureWorld)   run every plant; fixtureWorld() makes a fresh fixture world
 *   SelfTestResult, CaseResult
 */
import type { World } from '../../os/world';
import { INVARIANTS, Violation, checkConsistency } from './index';
import { PLANTS } from './plants';
import { locate } from './locate';

export interface CaseResult {
  invariant: string;
  planted: string;
  caught: boolean;
  /** The invariants the oracle named for this plant (sorted, once each). */
  named: string[];
  /** The plant could not be made (the fixture lacked its object). */
  error?: string;
}

export interface SelfTestResult {
  cases: number;
  caught: number;
  /** Invariants whose plant went unseen (or could not be planted, or has no plant). */
  missed: string[];
  /** Findings on the unplanted fixture world (must be none). */
  clean: Violation[];
  results: CaseResult[];
}

export function selfTest(fixtureWorld: () => World): SelfTestResult {
  const clean = checkConsistency(fixtureWorld());
  const results: CaseResult[] = [];
  for (const plant of PLANTS) {
    const w = fixtureWorld();
    try {
      plant.apply(locate(w));
    } catch (e) {
      results.push({ invariant: plant.invariant, planted: plant.what, caught: false, named: [], error: (e as Error).message });
      continue;
    }
    const named = [...new Set(checkConsistency(w).map((x) => x.invariant))].sort();
    results.push({ invariant: plant.invariant, planted: plant.what, caught: named.includes(plant.invariant), named });
  }
  const planted = new Set(PLANTS.map((x) => x.invariant));
  const missed = results.filter((r) => !r.caught).map((r) => r.invariant);
  for (const group of Object.values(INVARIANTS)) for (const inv of group) if (!planted.has(inv)) missed.push(`${inv} (no plant)`);
  return { cases: results.length, caught: results.filter((r) => r.caught).length, missed, clean, results };
}
