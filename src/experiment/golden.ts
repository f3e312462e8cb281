/*
 * The golden run (DESIGN §6): on the osiris+prof build, boot (recording
 * which blocks boot executes and how long boot takes), then profile the
 * tests in one of two ways:
 *   isolated    each test alone from the post-boot snapshot: its blocks are
 *               what it made the servers execute, from a fresh system;
 *   sequential  the prototype's way: one run of the whole suite in order
 *               after boot; a test's blocks are what the servers executed
 *               between its start and end marks — background work
 *               (heartbeats, alarms, a previous test's leftovers) included —
 *               and the gaps between tests are recorded (the prototype's
 *               "between" time).
 * The recovery pre-tests' durations are measured too (from the snapshot,
 * under the enhanced policy, per `service fi` mode): the prototype's test
 * picker reserves their time in the run budget.
 * Cached per build and per profiling mode: keyed by the hash of the
 * instrumented variant.
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
import { PRETEST_NAMES } from '../sim/programs';
import { BUILTIN_POLICIES } from '../osiris/policies';
import { SERVICE_FI_MODES, ServiceFiMode } from '../sim/sim';

export type ProfilingMode = 'isolated' | 'sequential';
export const PROFILING_MODES: readonly ProfilingMode[] = ['isolated', 'sequential'];

export interface DurationProfile { name: string; status: string; simTime: number }

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
  /** How the tests were profiled (absent: isolated). */
  mode?: ProfilingMode;
  bootBlocks: number[];
  /** Simulated time from power-on to the post-boot quiescent point (ns). */
  bootNs?: number;
  /** Simulated time between one test's end mark and the next one's start (sequential; empty when isolated). */
  gapsNs?: number[];
  tests: TestProfile[];
  /** The recovery pre-tests' golden durations, per `service fi` mode. */
  pretests?: Record<ServiceFiMode, DurationProfile[]>;
}

export const PROFILE_VERSION = 3;

function cachePath(dir: string, hash: string, mode: ProfilingMode): string {
  return path.join(dir, `golden-${PROFILE_VERSION}-${mode === 'isolated' ? '' : `${mode}-`}${hash}.json`);
}

/** Run the golden profiling; `cacheDir` null disables the cache. */
export function goldenProfile(cacheDir: string | null, onProgress?: (done: number, total: number) => void, mode: ProfilingMode = 'isolated'): GoldenProfile {
  const map = loadBlockMap('osiris+prof');
  if (cacheDir) {
    const p = cachePath(cacheDir, map.hash, mode);
    if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, 'utf8')) as GoldenProfile;
  }
  const booted = Sim.boot({ variant: 'osiris+prof' });
  const bootBlocks = booted.profCounters()!.executed();
  const bootNs = booted.reading().now;
  const snap = booted.snapshot();
  const names = testNames();
  const gapsNs: number[] = [];
  const tests = mode === 'sequential' ? sequentialTests(booted, names, gapsNs, onProgress) : isolatedTests(snap, names, onProgress);
  const pretests = {} as Record<ServiceFiMode, DurationProfile[]>;
  for (const fi of SERVICE_FI_MODES) {
    const sim = Sim.restore(snap, { variant: 'osiris+prof', policy: BUILTIN_POLICIES.enhanced, serviceFi: fi });
    pretests[fi] = sim.run([...PRETEST_NAMES]).map((r) => ({ name: r.name, status: r.status, simTime: r.simTime }));
  }
  const profile: GoldenProfile = { buildHash: map.hash, mode, bootBlocks, bootNs, gapsNs, tests, pretests };
  if (cacheDir) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const p = cachePath(cacheDir, map.hash, mode);
    fs.writeFileSync(p + '.tmp', JSON.stringify(profile));
    fs.renameSync(p + '.tmp', p);
  }
  return profile;
}

function isolatedTests(snap: ReturnType<Sim['snapshot']>, names: string[], onProgress?: (done: number, total: number) => void): TestProfile[] {
  return names.map((name, i) => {
    const sim = Sim.restore(snap, { variant: 'osiris+prof' });
    const res = sim.run([name])[0]!;
    onProgress?.(i + 1, names.length);
    return { name, status: res.status, simTime: res.simTime, messages: res.messages, blocks: sim.profCounters()!.executed() };
  });
}

/** One run of the whole suite after boot; each test's blocks are those whose counters moved between its marks. */
function sequentialTests(sim: Sim, names: string[], gapsNs: number[], onProgress?: (done: number, total: number) => void): TestProfile[] {
  const prof = sim.profCounters()!;
  const blocks = new Map<string, number[]>();
  let atStart = prof.hits.slice();
  let lastEnd = -1;
  let done = 0;
  const results = sim.run(names, {
    onTest: (event, name) => {
      const now = sim.reading().now;
      if (event === 'start') {
        if (lastEnd >= 0) gapsNs.push(now - lastEnd);
        atStart = prof.hits.slice();
        return;
      }
      lastEnd = now;
      const moved: number[] = [];
      for (let b = 0; b < prof.blocks; b++) if (prof.hits[b]! > atStart[b]!) moved.push(b);
      blocks.set(name, moved);
      onProgress?.(++done, names.length);
    },
  });
  return results.map((r) => ({ name: r.name, status: r.status, simTime: r.simTime, messages: r.messages, blocks: blocks.get(r.name) ?? [] }));
}

/** Executed by some test, not during boot, in a recoverable server, outside recovery code. */
export function eligibleBlocks(profile: GoldenProfile, blocks: BlockInfo[]): BlockInfo[] {
  const boot = new Set(profile.bootBlocks);
  const byTests = new Set<number>();
  for (const t of profile.tests) for (const b of t.blocks) byTests.add(b);
  const servers = new Set<string>(RECOVERABLE);
  return blocks.filter((b) => byTests.has(b.index) && !boot.has(b.index) && servers.has(b.server) && !b.excluded && b.fault !== null);
}
