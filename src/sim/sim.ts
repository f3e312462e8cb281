/*
 * The composition root: a world of one build variant with OSIRIS and EDFI
 * wired in, and the one small API every experiment (and every test that
 * runs a whole system) drives a simulation through. Boot or restore a
 * variant with a configuration — the recovery policy, the seed of fault
 * values, a periodic crash, whether libc retries crashed calls — then arm
 * a fault, set the run's budgets, run programs, and read the outcome and
 * the recovery records. Everything is installed on the kernel before any
 * server runs (World.create, then world.start), so the simulated parts
 * inject and recover by themselves; nothing here reaches into a run.
 *
 * The entry points into this file are:
 *   Sim.boot / Sim.restore    a started simulation (fresh, or from a snapshot of the same variant)
 *   sim.snapshot()            the whole world as data (quiescent points only)
 *   sim.armFault / setBudgets / run      one run
 *   sim.reading / halt / faultActivity / recoveries / checkConsistency   what happened
 *   sim.quiet()               the livelock watch's counters (os/kernel/livelock.ts; budgets start it)
 *   sim.dispose()             done with the simulation: its buffers serve later restores
 *   SimConfig.observer        watch boot and runs without changing them (observe.ts)
 */
import { World, ProgramResult, RunProgramsOptions } from '../os/world';
import type { Snapshot } from '../os/snapshot';
import type { Halt, CrashInfo } from '../os/kernel/kernel';
import type { TraceLine } from '../os/kernel/trace';
import { BOOT_SERVERS } from '../os/servers/index';
import { slotOf } from '../os/proto/endpoints';
import { retryCrashedCalls } from '../os/libc/core';
import type { Main } from '../os/libc/core';
import { chainHooks } from '../os/sef/hooks';
import type { ServerDef } from '../os/sef/server';
import { Checkpointing } from '../osiris/checkpoint';
import { activate as activateOsirisHooks } from '../osiris/hooks';
import { installRecovery, RecoveryManager, RecoveryRecord } from '../osiris/recovery';
import type { Policy } from '../osiris/policies';
import type { UndoLog } from '../osiris/undo-log';
import type { ProfCounters } from '../osiris/prof-counters';
import { checkConsistency, Violation } from '../osiris/oracle';
import { EdfiRuntime } from '../edfi/runtime';
import { activateFaults } from '../edfi/hooks';
import { PeriodicCrash, PeriodicServiceFi } from '../edfi/service-fi';
import { loadBlockMap, loadVariant, VariantName } from './variants';
import { programs } from './programs';
import { installObserver, SimObserver } from './observe';

export type { Snapshot } from '../os/snapshot';
export type { ProgramResult } from '../os/world';
export type { PeriodicCrash } from '../edfi/service-fi';
export type { SimObserver, ObservedWorld } from './observe';

export type ServiceFiMode = 'next-request' | 'prototype';
export const SERVICE_FI_MODES: readonly ServiceFiMode[] = ['next-request', 'prototype'];

/** `plain`: the servers as written (no instrumentation, no hooks); otherwise a built variant. */
export type SimVariant = 'plain' | VariantName;

export interface SimConfig {
  /** Default `plain`. */
  variant?: SimVariant;
  /** Install OSIRIS recovery with this policy (instrumented variants; without one, a server crash ends the run). */
  policy?: Policy;
  /**
   * With `policy`: other policies whose recovery windows are kept beside the
   * run's and judged at every crash (osiris/shadow-policies.ts), so that
   * the run can say whether it is also their run (Sim.shadowAgreement).
   */
  shadowPolicies?: readonly Policy[];
  /** Seed of the values faults draw (osiris+edfi; default "edfi"). */
  faultSeed?: string;
  /** Crash a server through `service fi` at regular intervals, counted from boot or restore. */
  periodicCrash?: PeriodicCrash;
  /** libc repeats a call answered with ECRASH (what the disruption experiment's programs do). */
  retryCrashedCalls?: boolean;
  /** Record a readable trace. */
  trace?: boolean;
  /**
   * How `service fi` crashes a server and what recovery does about it:
   * 'next-request' (default) arms the server to crash inside its next request,
   * which recovery reconciles as any crash; 'prototype' is MINIX's request from
   * RS, which the server crashes handling, recovered as the prototype's
   * LTRC_NO_RECOVERY_ON_SVC_FI: restart only (no rollback, no reply, no shutdown).
   */
  serviceFi?: ServiceFiMode;
  /** Programs beside the standard ones (tests). A snapshot restores only with the map it was booted with. */
  extraPrograms?: Map<string, Main>;
  /**
   * osiris+edfi only: the one server (by slot) that runs its EDFI build; the
   * others run the osiris build — the same code without the fault-site
   * checks, so no fault can be armed in them and none is checked for. A run
   * whose armed block is in that server goes exactly as on the whole
   * osiris+edfi build (a check that is not the armed block's does nothing),
   * faster. Absent: every server runs its EDFI build.
   */
  faultServer?: number;
  /**
   * Told of every request, store, kernel call and crash from before the
   * world starts (boot too, on Sim.boot); it only reads (observe.ts).
   * Stores are reported by servers that keep an undo log (ckpt and the
   * osiris builds; the osiris builds log inside recovery windows only).
   */
  observer?: SimObserver;
}

/**
 * Run budgets, counted from when they are set: past either the run halts as
 * a timeout. `livelockMessages`: also halt as a timeout (a livelock) once
 * this many messages in a row have gone by without a system call of a user
 * process returning (os/kernel/livelock.ts); absent: no such limit.
 */
export interface Budgets { timeNs?: number; messages?: number; livelockMessages?: number }

/** The livelock watch's counters since the budgets were set: quiet messages (none returning a user's system call) in a row. */
export interface QuietReading {
  /** The longest run of quiet messages between two returns (or from the start to the first). */
  longest: number;
  /** The run of quiet messages since the last return (at the end of a run: the trailing one). */
  trailing: number;
}

/** The simulation's counters: take one before and one after, and subtract. */
export interface SimReading {
  /** Simulated time (ns). */
  now: number;
  /** IPC messages delivered. */
  messages: number;
  /** Instrumentation overhead ledger (ns), kept apart from the clock. */
  overheadNs: number;
}

export interface FaultActivity {
  /** Times the armed block ran. */
  activations: number;
  /** Simulated time of its first activation (ns), -1 before. */
  firstActivation: number;
}

/** The recovery and fault machinery of an instrumented world. */
interface Osiris {
  ckpt: Checkpointing;
  recovery: RecoveryManager | null;
  edfi: EdfiRuntime | null;
}

export class Sim {
  private periodic: PeriodicServiceFi | null = null;

  private constructor(readonly world: World, readonly variant: SimVariant, private readonly osiris: Osiris | null) {}

  static boot(cfg: SimConfig = {}): Sim {
    return Sim.make(cfg, null);
  }

  /** Continue from a snapshot taken on the same variant with the same programs. */
  static restore(snap: Snapshot, cfg: SimConfig = {}): Sim {
    return Sim.make(cfg, snap);
  }

  private static make(cfg: SimConfig, snap: Snapshot | null): Sim {
    const variant = cfg.variant ?? 'plain';
    const progs = cfg.extraPrograms ? new Map([...programs(), ...cfg.extraPrograms]) : programs();
    const servers: ServerDef<unknown>[] = variant === 'plain' ? BOOT_SERVERS
      : variant === 'osiris+edfi' && cfg.faultServer !== undefined ? faultServerOnly(cfg.faultServer)
        : variantServers(variant);
    const world = World.create({ servers, programs: progs, trace: cfg.trace }, snap);
    if (variant === 'plain' && cfg.policy) throw new Error('sim: recovery needs an instrumented variant (the plain servers keep no undo log)');
    const osiris = variant === 'plain' ? null : installOsiris(world, variant, cfg);
    if (cfg.retryCrashedCalls) retryCrashedCalls(world.kernel);
    if (cfg.serviceFi === 'prototype') {
      world.kernel.serviceFi = 'request';
      if (osiris?.recovery) osiris.recovery.noRecoveryOnServiceFi = true;
    }
    if (cfg.observer) installObserver(world, osiris?.ckpt ?? null, cfg.observer);
    world.start();
    osiris?.recovery?.prepareSpares();
    const sim = new Sim(world, variant, osiris);
    if (cfg.periodicCrash) sim.installPeriodicCrash(cfg.periodicCrash);
    return sim;
  }

  /** The service-fi mechanism observes requests after the checkpoint hooks (the crash comes after the checkpoint). */
  private installPeriodicCrash(pc: PeriodicCrash): void {
    const fi = new PeriodicServiceFi(this.world.kernel, pc);
    this.world.sefHooks = chainHooks(this.world.sefHooks, fi);
    this.periodic = fi;
  }

  snapshot(): Snapshot {
    return this.world.snapshot();
  }

  /* ---- one run ---- */

  /** Arm the block with this dense index of the osiris+edfi block map; `nullPointer`: fail-stop at its entry instead of its compiled fault. */
  armFault(block: number, nullPointer = false): void {
    const e = this.osiris?.edfi;
    if (!e) throw new Error(`sim: faults are armed on the osiris+edfi variant, not ${this.variant}`);
    e.arm(block, nullPointer);
  }

  /** Budgets counted from now, or from `from` (an earlier reading: a run resumed part-way counts from its own start). */
  setBudgets(b: Budgets, from: SimReading = this.reading()): void {
    const k = this.world.kernel;
    if (b.timeNs !== undefined) k.timeLimit = from.now + b.timeNs;
    if (b.messages !== undefined) k.messageLimit = from.messages + b.messages;
    // The watch starts where the run stands: init taking a harness command is progress (livelock.ts), so a run resumed between commands judges alike.
    k.livelock.start(k.trace.messages, b.livelockMessages ?? Infinity);
  }

  /**
   * From now on, mark every fault site whose check runs (osiris+edfi): the
   * blocks the run reaches, by dense index. With a fault armed at a block
   * left unmarked, the run would have gone exactly the same way.
   */
  watchFaultSites(): Uint8Array {
    const e = this.osiris?.edfi;
    if (!e) throw new Error(`sim: fault sites are watched on the osiris+edfi variant, not ${this.variant}`);
    e.reached = new Uint8Array(loadBlockMap('osiris+edfi').blocks.length);
    return e.reached;
  }

  /** Run programs one after another as children of init (throws what the simulator throws). */
  run(names: string[], opts: RunProgramsOptions = {}): ProgramResult[] {
    return this.world.runPrograms(names, opts);
  }

  /**
   * Run harness commands one after another, each as run() (init waits for
   * the harness between them: one trap). Once the run halts, the programs
   * of the commands left are reported incomplete, as run() reports the
   * programs it did not finish.
   */
  runCommands(commands: readonly string[][], opts: RunProgramsOptions = {}): ProgramResult[] {
    const out: ProgramResult[] = [];
    for (const names of commands) out.push(...(this.halt() ? this.world.unstarted(names) : this.world.runPrograms(names, opts)));
    return out;
  }

  /* ---- what happened ---- */

  reading(): SimReading {
    const k = this.world.kernel;
    return { now: k.now, messages: k.trace.messages, overheadNs: k.overheadNs };
  }

  /** How the last run halted, when it did not end with init waiting for work. */
  halt(): Halt | null {
    const h = this.world.lastHalt;
    return h && h.kind !== 'idle' ? h : null;
  }

  quiet(): QuietReading {
    const k = this.world.kernel;
    return { longest: k.livelock.longest, trailing: k.livelock.quietNow(k.trace.messages) };
  }

  faultActivity(): FaultActivity {
    const e = this.osiris?.edfi;
    return { activations: e ? e.activations : 0, firstActivation: e ? e.firstActivation : -1 };
  }

  /** Crashes the periodic `service fi` armed. */
  injectedCrashes(): number {
    return this.periodic ? this.periodic.crashes : 0;
  }

  /** Per shadow policy (SimConfig.shadowPolicies): has every recovery so far been the one that policy makes? */
  shadowAgreement(): readonly boolean[] {
    return this.osiris?.recovery?.shadows?.agrees ?? [];
  }

  recoveries(): readonly RecoveryRecord[] {
    return this.osiris?.recovery?.records ?? [];
  }

  /** Processes that died of a fault, in order. */
  crashes(): readonly CrashInfo[] {
    return this.world.kernel.crashes;
  }

  /** Crashes and hangs of servers (user processes' faults not counted), `service fi` crashes included: a policy acts only after one. */
  serverCrashes(): number {
    let n = this.injectedCrashes();
    for (const c of this.world.kernel.crashes) if (this.world.servers.has(slotOf(c.endpoint))) n++;
    return n;
  }

  /** The consistency oracle over the servers' state (after a run that did not halt). */
  checkConsistency(): Violation[] {
    return checkConsistency(this.world);
  }

  /**
   * Done with this simulation (everything needed from it read): its memory
   * and state buffers serve later restores. Nothing may use it afterwards,
   * its servers' data sections (dataSection) included.
   */
  dispose(): void {
    this.world.dispose();
  }

  traceHash(): string {
    return this.world.kernel.trace.hash();
  }

  traceLines(): TraceLine[] {
    return this.world.kernel.trace.lines;
  }

  /* ---- measurements of the mechanisms ---- */

  /** The server's data section (read-only use: measurement). */
  dataSection(slot: number): unknown {
    const inst = this.world.servers.get(slot);
    if (!inst) throw new Error(`sim: no server in slot ${slot}`);
    return inst.ctx.st;
  }

  /** The spare clone's data section recovery holds for the server (undefined without recovery). */
  spareState(slot: number): unknown {
    return this.osiris?.recovery?.spareState(slot);
  }

  undoLog(slot: number): UndoLog | null {
    return this.osiris ? this.osiris.ckpt.log(slot) : null;
  }

  /** Block counters of the osiris+prof variant (null on others). */
  profCounters(): ProfCounters | null {
    return this.osiris ? this.osiris.ckpt.prof : null;
  }
}

/**
 * A built variant's server definitions, loaded once per process: every
 * restore makes a world of them, and the module loader would hand back the
 * same definitions anyway (after looking for the file again).
 */
const loadedVariants = new Map<VariantName, ServerDef<unknown>[]>();

function variantServers(v: VariantName): ServerDef<unknown>[] {
  let defs = loadedVariants.get(v);
  if (!defs) { defs = loadVariant(v); loadedVariants.set(v, defs); }
  return defs;
}

/** The osiris build's servers, but `slot`'s from osiris+edfi (SimConfig.faultServer); built once per slot. */
const faultServerDefs = new Map<number, ServerDef<unknown>[]>();

function faultServerOnly(slot: number): ServerDef<unknown>[] {
  let defs = faultServerDefs.get(slot);
  if (!defs) {
    const edfi = variantServers('osiris+edfi');
    defs = variantServers('osiris').map((d) => (d.slot === slot ? edfi.find((e) => e.slot === slot) ?? d : d));
    faultServerDefs.set(slot, defs);
  }
  return defs;
}

/**
 * Checkpointing (every instrumented variant), the EDFI runtime
 * (osiris+edfi), the block counters (osiris+prof) and, with a policy,
 * recovery through RS and the kernel — installed before any server runs.
 */
function installOsiris(world: World, v: VariantName, cfg: SimConfig): Osiris {
  const k = world.kernel;
  const ckpt = new Checkpointing(k, {
    logging: v !== 'baseline',
    profBlocks: v === 'osiris+prof' ? loadBlockMap(v).blocks.length : undefined,
  });
  const edfi = v === 'osiris+edfi' ? new EdfiRuntime(cfg.faultSeed ?? 'edfi') : null;
  // The hooks follow the running world: every instrumented world's kernel activates its own context when it runs.
  const activate = () => { activateOsirisHooks(ckpt.ctx); activateFaults(edfi, k); };
  k.onRun = activate;
  activate();
  let recovery: RecoveryManager | null = null;
  if (cfg.policy) recovery = installRecovery(world, ckpt, cfg.policy, cfg.shadowPolicies);
  else {
    world.sefHooks = ckpt.sefHooks();
    k.hooks = ckpt.kernelHooks();
  }
  return { ckpt, recovery, edfi };
}
