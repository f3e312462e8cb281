/*
 * Where a campaign's results go: the campaign id (a hash of its manifest,
 * so the same campaign on the same build gets the same id) and the
 * results folder named after it, results/<campaign>-<id>[-shard<i>of<n>]/.
 * The journal inside the folder is journal.ts's.
 *
 * The entry points into this file are:
 *   campaignId    the id of a planned campaign
 *   resultsDir    the folder a run of it writes (or resumes)
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Manifest } from './journal';
import type { Shard } from './shard';

/** Folder under the working directory that holds one folder per campaign run. */
export const RESULTS_ROOT = 'results';

export function campaignId(manifest: Manifest): string {
  return crypto.createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 8);
}

export interface ResultsDirOptions {
  manifest: Manifest;
  shard: Shard | null;
  /** An interrupted run's folder to continue. */
  resume?: string;
  /** A folder chosen by the user. */
  out?: string;
}

/** The absolute folder of a campaign run: the one resumed, the one asked for, or results/<campaign>-<id>[-shard<i>of<n>]. */
export function resultsDir(o: ResultsDirOptions): string {
  const shard = o.shard ? `-shard${o.shard.index}of${o.shard.count}` : '';
  return path.resolve(o.resume ?? o.out ?? path.join(RESULTS_ROOT, `${o.manifest.campaign.name}-${campaignId(o.manifest)}${shard}`));
}
