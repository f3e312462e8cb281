/*
 * One fault-injection run: restore the post-boot snapshot of the
 * osiris+edfi build, arm one block, install a recovery policy, run the
 * picked programs, check consistency, classify. A pure function of its
 * inputs: the same spec gives the same result, in any process.
 */
import { Sim, Snapshot, ProgramResult, ServiceFiMode, SimObserver } from '../sim/sim';
import type { Policy } from '../osiris/policies';
import { RecoveryRecord, undecidedAlike } from '../osiris/recovery';
import type { Violation } from '../osiris/oracle';
import { classify, Detail, Outcome } from './classify';
import type { Main } from '../os/libc/core';
import type { CheckingMode } from '../os/kernel/kernel';
import type { SimReading } from '../sim/sim';
import { faultServerSlot } from '../sim/variants';
import { runCommands } from '../sim/programs';
import { LIVELOCK_WINDOW } from './livelock-bound';

/** How a campaign run that can no longer make progress ends (campaign field `livelock`). */
export type LivelockMode = 'detect' | 'budget';

export interface RunSpec {
  /** Dense index of the armed block in the osiris+edfi block map; -1: no fault. */
  block: number;
  /** Fail-stop (NULL dereference at block entry) instead of the block's compiled EDFI fault. */
  nullPointer: boolean;
  policy: Policy;
  /** Programs to run, in order (pre-tests first: a harness command of their own, sim/programs.ts runCommands). */
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
  /** The run continued from a snapshot taken after its pre-tests (pretest-resume.ts) instead of running them. */
  resumedAfterPretests?: true;
  /** Per policy of RunHow.alsoFor: this run is also the run under that policy (standsFor). */
  standsFor?: boolean[];
}

/** The world after a run's pre-tests, taken once per mode with no fault armed (pretest-resume.ts). */
export interface PretestImage {
  /** The world after the pre-tests. */
  snap: Snapshot;
  /** Fault sites the pre-tests checked (dense block index → 1). */
  reached: Uint8Array;
  /** The pre-tests' results, in order. */
  programs: ProgramResult[];
  /** Recoveries during the pre-tests (their `service fi` crashes). */
  recoveries: RecoveryRecord[];
  /** The boot snapshot's reading: a resumed run's counters and budgets start here. */
  base: SimReading;
  /** The reading after the pre-tests. */
  end: SimReading;
}

/**
 * The post-boot snapshot of the osiris+edfi build (boot once, restore per
 * run). Extra programs are installed at boot (in /bin and PM's program
 * list); runs from such a snapshot must pass the same map as `extraPrograms`.
 */
export function bootSnapshot(extraPrograms?: Map<string, Main>): Snapshot {
  return Sim.boot({ variant: 'osiris+edfi', extraPrograms }).snapshot();
}

/**
 * The run's simulation, restored, its fault armed and its budgets set: what
 * runOne runs (and the SEEP audit watches, with an observer). `budgetsFrom`:
 * the reading the budgets count from (default: the restored snapshot's).
 */
export function restoreRun(snap: Snapshot, spec: RunSpec, observer?: SimObserver, budgetsFrom?: SimReading, faultServerOnly = false, shadowPolicies: readonly Policy[] = []): Sim {
  const sim = Sim.restore(snap, {
    variant: 'osiris+edfi', policy: spec.policy, faultSeed: spec.seed, trace: spec.trace, extraPrograms: spec.extraPrograms, observer,
    ...(shadowPolicies.length > 0 ? { shadowPolicies } : {}),
    ...(spec.serviceFi ? { serviceFi: spec.serviceFi } : {}),
    // No fault (block -1): no server on its EDFI build.
    ...(faultServerOnly ? { faultServer: spec.block >= 0 ? faultServerSlot(spec.block) : -1 } : {}),
  });
  if (spec.block >= 0) sim.armFault(spec.block, spec.nullPointer);
  sim.setBudgets({ timeNs: spec.timeBudgetNs, messages: spec.messageBudget, ...(spec.livelock === 'budget' ? {} : { livelockMessages: LIVELOCK_WINDOW }) }, budgetsFrom);
  return sim;
}

/** How a run is executed, beyond its spec: none of it changes what it gives. */
export interface RunHow {
  /** The image of its pre-tests it continues from instead of running them (pretest-resume.ts), counted from the boot snapshot as the run from boot. */
  pretests?: PretestImage | null;
  /** Only the armed block's server runs its EDFI build, the others their osiris build (SimConfig.faultServer). */
  faultServerOnly?: boolean;
  /** Other policies to judge the run for: RunResult.standsFor says whether it is their run too (SimConfig.shadowPolicies). */
  alsoFor?: readonly Policy[];
}

/**
 * Per policy of `alsoFor`, whether the run under `policy` is also its run:
 * the shadow of its windows agreed at every recovery (shadow-policies.ts),
 * every server crash had one (hangs and crashes with none count against),
 * the simulator did not fail, and a prefix resumed from its image
 * (pretest-resume.ts), which no shadow saw, had only recoveries that made
 * no decision, with state transferred alike (recovery.ts undecidedAlike).
 */
function standsFor(sim: Sim, policy: Policy, alsoFor: readonly Policy[], error: string | null, crashes: number, recoveries: readonly RecoveryRecord[], pretests: PretestImage | null): boolean[] {
  const agree = sim.shadowAgreement();
  const whole = error === null && crashes === recoveries.length;
  return alsoFor.map((q, i) => whole && agree[i] === true && (!pretests || undecidedAlike(pretests.recoveries, policy, q)));
}

/** One run from the post-boot snapshot `snap`, executed as `how` says (the same run every way). */
export function runOne(snap: Snapshot, spec: RunSpec, how: RunHow = {}): RunResult {
  const pretests = how.pretests ?? null;
  const only = how.faultServerOnly === true;
  const alsoFor = how.alsoFor ?? [];
  const sim = pretests ? restoreRun(pretests.snap, spec, undefined, pretests.base, only, alsoFor) : restoreRun(snap, spec, undefined, undefined, only, alsoFor);
  const r0 = pretests ? pretests.base : sim.reading();
  let programs: ProgramResult[] = [];
  let error: string | null = null;
  try {
    const commands = runCommands(spec.programs);
    programs = pretests
      ? [...pretests.programs, ...sim.runCommands(commands.slice(1), { checking: spec.checking })]
      : sim.runCommands(commands, { checking: spec.checking });
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
  const recoveries = pretests ? [...pretests.recoveries, ...sim.recoveries()] : [...sim.recoveries()];
  const serverCrashes = sim.serverCrashes();
  const result: RunResult = {
    outcome, detail, activations: fa.activations, firstActivationNs: fa.firstActivation >= 0 ? fa.firstActivation - r0.now : -1,
    recoveries, programs, oracle: { checked, violations },
    halt, simTimeNs: r1.now - r0.now, messages: r1.messages - r0.messages, error, serverCrashes,
    trace: spec.trace ? sim.traceLines() : undefined,
    ...(pretests ? { resumedAfterPretests: true as const } : {}),
    ...(alsoFor.length > 0 ? { standsFor: standsFor(sim, spec.policy, alsoFor, error, serverCrashes, recoveries, pretests) } : {}),
  };
  // The result holds plain data only (no state, no memory): the next run's restore may reuse this one's buffers.
  sim.dispose();
  return result;
}
