/* Finding a block by the name a user gives it, and which programs exercise it. */
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
export function timeBudget(profile: GoldenProfile, programs: string[]): number {
  let sum = 0;
  for (const t of profile.tests) if (programs.includes(t.name)) sum += t.simTime;
  return 2 * sum + 1e9;
}

/**
 * Message budget: four times the golden run's messages plus slack for
 * recoveries. A run past it is livelocked (messages flowing, no progress):
 * a timeout, as the harness's kill was in the prototype.
 */
export function messageBudget(profile: GoldenProfile, programs: string[]): number {
  let sum = 0;
  for (const t of profile.tests) if (programs.includes(t.name)) sum += t.messages ?? 0;
  return 4 * sum + 20_000;
}
