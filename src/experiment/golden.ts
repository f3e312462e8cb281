/*
 * The golden run (DESIGN §6): on the osiris+prof build, boot (recording
 * which blocks boot executes), then run each test alone from the post-boot
 * snapshot, recording the blocks it executes and its simulated duration.
 * Cached per build: keyed by the hash of the instrumented variant.
 *
 * The entry points into this file are:
 *   goldenProfile   the profile (from the cache when the build is unchanged)
 *   eligibleBlocks  the fault locations a campaign may use
 */
import fs from 'node:fs';
import path from 'node:path';
import { Sim } from '../sim/sim';
import { testNames } from '../sim/programs';
import { loadBlockMap } from '../sim/variants';
import type { BlockInfo } from '../edfi/block-map';
import { RECOVERABLE } from '../os/proto/endpoints';

export interface TestProfile {
  name: string;
  status: string;
  simTime: number;
  /** Messages the test exchanged. */
  messages: number;
  /** Dense block indices this test executed. */
  blocks: number[];
}

export interface GoldenProfile {
  buildHash: string;
  bootBlocks: number[];
  tests: TestProfile[];
}

export const PROFILE_VERSION = 2;

function cachePath(dir: string, hash: string): string {
  return path.join(dir, `golden-${PROFILE_VERSION}-${hash}.json`);
}

/** Run the golden profiling; `cacheDir` null disables the cache. */
export function goldenProfile(cacheDir: string | null, onProgress?: (done: number, total: number) => void): GoldenProfile {
  const map = loadBlockMap('osiris+prof');
  if (cacheDir) {
    const p = cachePath(cacheDir, map.hash);
    if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, 'utf8')) as GoldenProfile;
  }
  const booted = Sim.boot({ variant: 'osiris+prof' });
  const bootBlocks = booted.profCounters()!.executed();
  const snap = booted.snapshot();
  const names = testNames();
  const tests: TestProfile[] = [];
  names.forEach((name, i) => {
    const sim = Sim.restore(snap, { variant: 'osiris+prof' });
    const [res] = sim.run([name]);
    tests.push({ name, status: res.status, simTime: res.simTime, messages: res.messages, blocks: sim.profCounters()!.executed() });
    onProgress?.(i + 1, names.length);
  });
  const profile: GoldenProfile = { buildHash: map.hash, bootBlocks, tests };
  if (cacheDir) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const p = cachePath(cacheDir, map.hash);
    fs.writeFileSync(p + '.tmp', JSON.stringify(profile));
    fs.renameSync(p + '.tmp', p);
  }
  return profile;
}

/** Executed by some test, not during boot, in a recoverable server, outside recovery code. */
export function eligibleBlocks(profile: GoldenProfile, blocks: BlockInfo[]): BlockInfo[] {
  const boot = new Set(profile.bootBlocks);
  const byTests = new Set<number>();
  for (const t of profile.tests) for (const b of t.blocks) byTests.add(b);
  const servers = new Set<string>(RECOVERABLE);
  return blocks.filter((b) => byTests.has(b.index) && !boot.has(b.index) && servers.has(b.server) && !b.excluded && b.fault !== null);
}
