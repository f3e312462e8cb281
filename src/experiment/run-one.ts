/*
 * One fault-injection run: restore the post-boot snapshot of the
 * osiris+edfi build, arm one block, install a recovery policy, run the
 * picked programs, check consistency, classify. A pure function of its
 * inputs: the same spec gives the same result, in any process.
 */
import { Sim, Snapshot, ProgramResult, ServiceFiMode, SimObserver } from '../sim/sim';
import type { Policy } from '../osiris/policies';
import type { RecoveryRecord } from '../osiris/recovery';
import type { Violation } from '../osiris/oracle';
import { classify, Detail, Outcome } from './classify';
import type { Main } from '../os/libc/core';
import type { CheckingMode } from '../os/kernel/kernel';
import { LIVELOCK_WINDOW } from './livelock-bound';

/** How a campaign run that can no longer make progress ends (campaign field `livelock`). */
export type LivelockMode = 'detect' | 'budget';

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
  /** How the programs judge housekeeping calls; default 'strict'. */
  checking?: CheckingMode;
  /** How `service fi` crashes a server; default 'next-request'. */
  serviceFi?: ServiceFiMode;
  /**
   * How a livelocked run ends: absent (the default, 'detect'), as a timeout
   * once LIVELOCK_WINDOW messages in a row made no progress
   * (livelock-bound.ts); 'budget', only when the message budget runs out.
   */
  livelock?: LivelockMode;
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
  /** Crashes of servers, `service fi` ones included (0: no policy ever acted in this run). */
  serverCrashes: number;
  trace?: { time: number; text: string }[];
}

/**
 * The post-boot snapshot of the osiris+edfi build (boot once, restore per
 * run). Extra programs are installed at boot (in /bin and PM's program
 * list); runs from such a snapshot must pass the same map as `extraPrograms`.
 */
export function bootSnapshot(extraPrograms?: Map<string, Main>): Snapshot {
  return Sim.boot({ variant: 'osiris+edfi', extraPrograms }).snapshot();
}

/** The run's simulation, restored, its fault armed and its budgets set: what runOne runs (and the SEEP audit watches, with an observer). */
export function restoreRun(snap: Snapshot, spec: RunSpec, observer?: SimObserver): Sim {
  const sim = Sim.restore(snap, {
    variant: 'osiris+edfi', policy: spec.policy, faultSeed: spec.seed, trace: spec.trace, extraPrograms: spec.extraPrograms, observer,
    ...(spec.serviceFi ? { serviceFi: spec.serviceFi } : {}),
  });
  if (spec.block >= 0) sim.armFault(spec.block, spec.nullPointer);
  sim.setBudgets({ timeNs: spec.timeBudgetNs, messages: spec.messageBudget, ...(spec.livelock === 'budget' ? {} : { livelockMessages: LIVELOCK_WINDOW }) });
  return sim;
}

export function runOne(snap: Snapshot, spec: RunSpec): RunResult {
  const sim = restoreRun(snap, spec);
  const r0 = sim.reading();
  let programs: ProgramResult[] = [];
  let error: string | null = null;
  try {
    programs = sim.run(spec.programs, { checking: spec.checking });
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const halt = sim.halt();
  let violations: Violation[] = [];
  let checked = false;
  if (!error && !halt) {
    try { violations = sim.checkConsistency(); checked = true; } catch (e) { violations = [{ invariant: 'oracle', servers: [], object: 'the world', detail: `could not read the state: ${(e as Error).message}` }]; }
  }
  const { outcome, detail } = classify(halt, programs, error);
  const fa = sim.faultActivity();
  const r1 = sim.reading();
  const result: RunResult = {
    outcome, detail, activations: fa.activations, firstActivationNs: fa.firstActivation >= 0 ? fa.firstActivation - r0.now : -1,
    recoveries: [...sim.recoveries()], programs, oracle: { checked, violations },
    halt, simTimeNs: r1.now - r0.now, messages: r1.messages - r0.messages, error, serverCrashes: sim.serverCrashes(),
    trace: spec.trace ? sim.traceLines() : undefined,
  };
  // The result holds plain data only (no state, no memory): the next run's restore may reuse this one's buffers.
  sim.dispose();
  return result;
}
