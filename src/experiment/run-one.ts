/*
 * One fault-injection run: restore the post-boot snapshot of the
 * osiris+edfi build, arm one block, install a recovery policy, run the
 * picked programs, check consistency, classify. A pure function of its
 * inputs: the same spec gives the same result, in any process.
 */
import { restoreVariant, bootVariant, Snapshot } from '../os/system';
import type { ProgramResult } from '../os/world';
import { Policy } from '../osiris/policies';
import { RecoveryRecord } from '../osiris/recovery';
import { checkConsistency, Violation } from '../osiris/oracle';
import { classify, Detail, Outcome } from './classify';
import type { Main } from '../os/libc/core';

export interface RunSpec {
  /** Dense index of the armed block in the osiris+edfi block map; -1: no fault. */
  block: number;
  /** Fail-stop (NULL dereference at block entry) instead of the block's compiled EDFI fault. */
  nullPointer: boolean;
  policy: Policy;
  /** Programs to run, in order (pre-tests first). */
  programs: string[];
  /** Seed of the values faults draw (rnd-load). */
  seed: string;
  /** Simulated-time budget for the programs (ns). */
  timeBudgetNs: number;
  /** Message budget for the programs. */
  messageBudget: number;
  trace?: boolean;
  /** Programs beside the standard ones (tests use this): the map the snapshot was booted with (bootSnapshot). */
  extraPrograms?: Map<string, Main>;
}

export interface RunResult {
  outcome: Outcome;
  detail: Detail;
  activations: number;
  firstActivationNs: number;
  recoveries: RecoveryRecord[];
  programs: ProgramResult[];
  oracle: { checked: boolean; violations: Violation[] };
  halt: { kind: string; reason: string } | null;
  simTimeNs: number;
  messages: number;
  error: string | null;
  trace?: { time: number; text: string }[];
}

/**
 * The post-boot snapshot of the osiris+edfi build (boot once, restore per
 * run). Extra programs are installed at boot (in /bin and PM's program
 * list); runs from such a snapshot must pass the same map as `extraPrograms`.
 */
export function bootSnapshot(extraPrograms?: Map<string, Main>): Snapshot {
  return bootVariant('osiris+edfi', { extraPrograms }).world.snapshot();
}

export function runOne(snap: Snapshot, spec: RunSpec): RunResult {
  const sys = restoreVariant('osiris+edfi', snap, {
    policy: spec.policy, edfiSeed: spec.seed, trace: spec.trace, extraPrograms: spec.extraPrograms,
  });
  const { world, ckpt, recovery } = sys;
  const k = world.kernel;
  const edfi = ckpt.ctx.edfi!;
  if (spec.block >= 0) edfi.arm(spec.block, spec.nullPointer);
  const t0 = k.now;
  const m0 = k.trace.messages;
  k.timeLimit = t0 + spec.timeBudgetNs;
  k.messageLimit = m0 + spec.messageBudget;
  let programs: ProgramResult[] = [];
  let error: string | null = null;
  try {
    programs = world.runPrograms(spec.programs);
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const halt = world.lastHalt && world.lastHalt.kind !== 'idle' ? world.lastHalt : null;
  let violations: Violation[] = [];
  let checked = false;
  if (!error && !halt) {
    try { violations = checkConsistency(world); checked = true; } catch (e) { violations = [{ invariant: 'oracle', servers: [], object: 'the world', detail: `could not read the state: ${(e as Error).message}` }]; }
  }
  const { outcome, detail } = classify(halt, programs, error);
  return {
    outcome, detail, activations: edfi.activations, firstActivationNs: edfi.firstActivation >= 0 ? edfi.firstActivation - t0 : -1,
    recoveries: recovery ? recovery.records : [], programs, oracle: { checked, violations },
    halt, simTimeNs: k.now - t0, messages: k.trace.messages - m0, error,
    trace: spec.trace ? k.trace.lines : undefined,
  };
}
