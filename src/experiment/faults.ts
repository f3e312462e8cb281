/*
 * Finding a block by the name a user gives it, and the budgets of a run
 * derived from its programs' golden runs.
 *
 * The entry points into this file are:
 *   findBlock       a block by its stable id or numeric hash
 *   timeBudget      the simulated-time budget of some programs
 *   messageBudget   the message budget of some programs
 *   runBudgets      both at once
 *   RunBudgets      runBudgets for the many runs of a campaign (the profile indexed once)
 */
import { BlockInfo } from '../edfi/block-map';
import { GoldenProfile } from './golden';

/** A block by its stable id ("pm/forkexit.ts:do_fork#3") or its numeric hash. */
export function findBlock(blocks: BlockInfo[], spec: string): BlockInfo | null {
  const byId = blocks.find((b) => b.id === spec);
  if (byId) return byId;
  if (/^\d+$/.test(spec)) return blocks.find((b) => b.hash === Number(spec)) ?? null;
  return null;
}

/** Simulated budget for running programs: twice their golden duration plus a second of slack. */
export function timeBudget(profile: GoldenProfile, programs: readonly string[]): number {
  return runBudgets(profile, programs).timeNs;
}

/**
 * Message budget: four times the golden run's messages plus slack for
 * recoveries. A run past it is livelocked (messages flowing, no progress):
 * a timeout, as the harness's kill was in the prototype. A campaign run
 * that is livelocked for sure ends earlier (os/kernel/livelock.ts).
 */
export function messageBudget(profile: GoldenProfile, programs: readonly string[]): number {
  return runBudgets(profile, programs).messages;
}

/** timeBudget and messageBudget. */
export function runBudgets(profile: GoldenProfile, programs: readonly string[]): { timeNs: number; messages: number } {
  return new RunBudgets(profile).of(programs);
}

/**
 * runBudgets for many runs of one profile, indexed once by test name (the
 * profile is read when this is made; a profile is never changed once made).
 * The sums run over the profile's tests in profile order, whatever the
 * programs' order, as they always did: the order fixes the float sum.
 */
export class RunBudgets {
  /** Test name -> its positions in the profile (a name could be profiled twice; each counts, as before). */
  private readonly positions = new Map<string, number[]>();
  private readonly simTimes: Float64Array;
  private readonly messages: Float64Array;
  /** Which tests the programs run: a scratch for one call, all zero between calls. */
  private readonly runs: Uint8Array;

  constructor(profile: GoldenProfile) {
    this.simTimes = Float64Array.from(profile.tests, (t) => t.simTime);
    this.messages = Float64Array.from(profile.tests, (t) => t.messages ?? 0);
    this.runs = new Uint8Array(profile.tests.length);
    profile.tests.forEach((t, i) => {
      const at = this.positions.get(t.name);
      if (at) at.push(i);
      else this.positions.set(t.name, [i]);
    });
  }

  of(programs: readonly string[]): { timeNs: number; messages: number } {
    const runs = this.runs;
    for (const name of programs) for (const i of this.positions.get(name) ?? []) runs[i] = 1;
    let time = 0, messages = 0;
    for (let i = 0; i < runs.length; i++) {
      if (!runs[i]) continue;
      runs[i] = 0;
      time += this.simTimes[i]!;
      messages += this.messages[i]!;
    }
    return { timeNs: 2 * time + 1e9, messages: 4 * messages + 20_000 };
  }
}
