/*
 * What several commands share, so that a command need not import another:
 * where the golden profile is cached, reading results directories, and the
 * campaign a results directory's manifest describes (replay and
 * `seep-audit --results` both rebuild its runs). Not a command.
 *
 * The entry points into this file are:
 *   defaultCacheDir      where the golden profile is cached (results/.cache)
 *   loadForReport        loadResults with its errors as usage errors
 *   campaignFromManifest the Campaign a manifest's identity describes
 */
import path from 'node:path';
import { Campaign, campaignIdentity } from '../experiment/campaign-spec';
import type { Manifest } from '../experiment/journal';
import type { Policy } from '../osiris/policies';
import { loadResults, Results, ResultsError } from '../report/load-results';
import { UsageError } from './errors';

export function defaultCacheDir(): string {
  return path.resolve(process.cwd(), 'results', '.cache');
}

export function loadForReport(dirs: string[]): Results {
  try { return loadResults(dirs); } catch (e) {
    if (e instanceof ResultsError) throw new UsageError(e.message);
    throw e;
  }
}

/** What the runner's planning needs from a manifest's campaign identity. */
const NEEDED = ['seed', 'faultModel', 'faults', 'modes', 'tests', 'pretests', 'budget'] as const;

export function campaignFromManifest(m: Manifest, where: string): Campaign {
  const id = (m.campaign.identity ?? {}) as Record<string, unknown>;
  const missing = NEEDED.filter((f) => id[f] === undefined);
  if (missing.length) {
    throw new UsageError(`${where}: the manifest's campaign.identity lacks ${missing.map((f) => `"${f}"`).join(', ')}; replay cannot rebuild the run without them`);
  }
  const modes = (id.modes as { name: string; policy: Policy }[]).map((x) => ({ name: x.name, spec: x.name, policy: x.policy }));
  const campaign = {
    name: m.campaign.name, seed: String(id.seed), faultModel: id.faultModel, faults: id.faults, modes,
    tests: id.tests, pretests: id.pretests, budget: id.budget, checking: id.checking ?? 'strict', file: m.campaign.file,
  } as Campaign;
  // A manifest written by a different planner would not round-trip; replaying it would prove nothing.
  if (JSON.stringify(campaignIdentity(campaign)) !== JSON.stringify(id)) {
    throw new UsageError(`${where}: the manifest's campaign identity is not in the form this version writes; replay it with the osiris-fi version that ran it (${m.tool.version})`);
  }
  return campaign;
}
