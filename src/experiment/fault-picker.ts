/*
 * The fault picker (DESIGN §6): the eligible blocks, each given the fault
 * the campaign's fault model asks for, then all of them or a seeded sample
 * drawn with probability proportional to the block's candidate count
 * (the prototype's weighting), optionally the same number per server.
 * A campaign's `select` field narrows the pool first (fault-select.ts).
 *
 * The entry points into this file are:
 *   pickFaults   the campaign's faults, in block order
 *   faultId      a fault's identity ("<blockId>|<faultType>")
 */
import seedrandom from 'seedrandom';
import type { BlockInfo } from '../edfi/block-map';
import type { FaultType } from '../edfi/fault-types';
import type { Campaign } from './campaign-spec';
import { selectFaults } from './fault-select';

export interface Fault {
  block: BlockInfo;
  faultType: FaultType;
  /** Fail-stop (NULL dereference at block entry) rather than the compiled fault. */
  nullPointer: boolean;
}

export function faultId(f: { block: { id: string }; faultType: string }): string {
  return `${f.block.id}|${f.faultType}`;
}

/** Every fault the model allows on the eligible blocks. */
function modelFaults(model: Campaign['faultModel'], eligible: BlockInfo[]): Fault[] {
  const out: Fault[] = [];
  for (const b of eligible) {
    const compiled = b.fault!.type;
    if (model === 'failstop') out.push({ block: b, faultType: 'null-pointer', nullPointer: true });
    else if (model === 'edfi') out.push({ block: b, faultType: compiled, nullPointer: compiled === 'null-pointer' });
    else {
      if (model.includes('null-pointer')) out.push({ block: b, faultType: 'null-pointer', nullPointer: true });
      if (compiled !== 'null-pointer' && model.includes(compiled)) out.push({ block: b, faultType: compiled, nullPointer: false });
    }
  }
  return out;
}

/** Weighted sampling without replacement; the weights are the blocks' candidate counts. */
function sample(pool: Fault[], n: number, rng: seedrandom.PRNG): Fault[] {
  const left = [...pool];
  const picked: Fault[] = [];
  while (picked.length < n && left.length > 0) {
    let total = 0;
    for (const f of left) total += Math.max(1, f.block.candidates.length);
    let x = rng() * total;
    let i = 0;
    for (; i < left.length - 1; i++) {
      x -= Math.max(1, left[i]!.block.candidates.length);
      if (x < 0) break;
    }
    picked.push(left[i]!);
    left.splice(i, 1);
  }
  return picked;
}

const byBlock = (a: Fault, b: Fault) => a.block.index - b.block.index || (a.faultType < b.faultType ? -1 : a.faultType > b.faultType ? 1 : 0);

/** `eligible` must come in block order (as eligibleBlocks returns it); the result is in block order. */
export function pickFaults(campaign: Pick<Campaign, 'seed' | 'faultModel' | 'faults'> & Partial<Pick<Campaign, 'select' | 'file'>>, eligible: BlockInfo[]): Fault[] {
  // The selection narrows the pool before sampling: a sample of N is N faults of the selection.
  const model = campaign.faultModel;
  const all = selectFaults(modelFaults(model, eligible).sort(byBlock), campaign.select, campaign.file || 'campaign', Array.isArray(model) ? model.join('+') : model);
  if (campaign.faults === 'all') return all;
  const { sample: n, perServer } = campaign.faults;
  if (!perServer) return sample(all, n, seedrandom(`${campaign.seed}/faults`)).sort(byBlock);
  const servers = [...new Set(all.map((f) => f.block.server))].sort();
  const out: Fault[] = [];
  for (const s of servers) out.push(...sample(all.filter((f) => f.block.server === s), n, seedrandom(`${campaign.seed}/faults/${s}`)));
  return out.sort(byBlock);
}
