/*
 * One campaign run, as a task for the worker pool (piscina): each worker
 * thread boots the osiris+edfi snapshot once and restores it per run. The
 * same function runs in-process for replays. Anything the simulator throws
 * is contained and recorded as crash / simulator-error.
 *
 * A task is a group: the runs of one fault under modes whose plans differ
 * only in the policy (run-share.ts). The first is run with the others'
 * policies judged beside it; its record stands for each whose policy would
 * have recovered every crash alike (run-one.ts standsFor). The first of
 * the rest runs next, and so on.
 * A run whose pre-tests cannot have met its fault continues from the
 * worker's snapshot taken after them (pretest-resume.ts); a seeded
 * fraction of those is also run from boot and compared.
 *
 * The entry points into this file are:
 *   RunTask       one run as the runner plans it (plain data)
 *   RunGroup      what the runner sends: runs that may share one execution
 *   executeTask   run one task against a snapshot, giving its journal record
 *   executeGroup  run a group against a snapshot, giving the records it was asked for
 *   default       the piscina handler (a batch of groups)
 */
import { tierForSimulation } from '../sim/jit-tiering';
import type { Snapshot } from '../sim/sim';
import { bootSnapshot, runOne, RunResult, RunSpec } from './run-one';
import type { RunRecord } from './journal';
import { loadBlockMap } from '../sim/variants';
import { RunGroup, sharedRecord, SharingError, sharingDifference, unitHash } from './run-share';
import type { Policy } from '../osiris/policies';
import { PretestImages } from './pretest-resume';

export type { RunGroup } from './run-share';

export interface RunTask {
  key: string;
  mode: string;
  block: string;
  server: string;
  faultType: string;
  /** The build the campaign was planned on; a worker on another build refuses to run. */
  variantHash: string;
  spec: RunSpec;
}

function toRecord(t: RunTask, r: RunResult, wallMs: number): RunRecord {
  const rec: RunRecord = {
    key: t.key, mode: t.mode, block: t.block, server: t.server, faultType: t.faultType,
    outcome: r.outcome, detail: r.detail, activations: r.activations, recoveries: r.recoveries.length,
    recoveryActions: r.recoveries.map((x) => `${x.server}:${x.decision}->${x.action}`),
    oracleViolations: r.oracle.violations.length,
    oracleInvariants: [...new Set(r.oracle.violations.map((v) => v.invariant))].sort(),
    failedTests: r.programs.filter((p) => p.status !== 'pass').map((p) => `${p.name}:${p.status}`),
    programs: r.programs.length, simTimeNs: r.simTimeNs, messages: r.messages,
    halt: r.halt ? `${r.halt.kind}: ${r.halt.reason}` : null, error: r.error, wallMs,
    ...(r.resumedAfterPretests ? { resumedAfterPretests: true as const } : {}),
  };
  if (r.standsFor) standsFor.set(rec, r.standsFor);
  return rec;
}

/** Per policy it was judged for (RunHow.alsoFor), whether a record's run is that policy's run too; records made here only. */
const standsFor = new WeakMap<RunRecord, boolean[]>();


function errorRecord(t: RunTask, e: unknown, wallMs: number): RunRecord {
  return {
    key: t.key, mode: t.mode, block: t.block, server: t.server, faultType: t.faultType,
    outcome: 'crash', detail: 'simulator-error', activations: 0, recoveries: 0, recoveryActions: [], oracleViolations: 0,
    failedTests: [], programs: 0, simTimeNs: 0, messages: 0, halt: null,
    error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), wallMs,
  };
}

/** How a worker runs its tasks beyond the boot snapshot: resumed after their pre-tests when they can be. */
export interface TaskContext {
  /** The worker's pre-test images; null: every run from boot. */
  pretests: PretestImages | null;
  /** Fraction of resumed runs also run from boot and compared (a seeded choice by run key). */
  verifyFraction: number;
  /** Only the armed block's server runs its EDFI build (run-one.ts RunHow; default false). */
  faultServerOnly?: boolean;
}

function runTask(snap: Snapshot, t: RunTask, resumed: boolean, ctx: TaskContext | null, alsoFor: readonly Policy[] = []): RunRecord {
  const t0 = process.hrtime.bigint();
  const wall = () => Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
  const images = resumed ? ctx?.pretests ?? null : null;
  try {
    return toRecord(t, runOne(snap, t.spec, { pretests: images ? images.for(t.spec) : null, faultServerOnly: ctx?.faultServerOnly === true, alsoFor }), wall());
  } catch (e) {
    return errorRecord(t, e, wall());
  }
}

/** `alsoFor`: other policies to judge the run for (the record's standsFor, read by executeGroup). */
export function executeTask(snap: Snapshot, t: RunTask, ctx: TaskContext | null = null, alsoFor: readonly Policy[] = []): RunRecord {
  const rec = runTask(snap, t, true, ctx, alsoFor);
  if (rec.resumedAfterPretests && ctx && unitHash(`${t.key}|pretests`) < ctx.verifyFraction) {
    const why = sharingDifference(rec, runTask(snap, t, false, ctx));
    if (why) throw new SharingError(`run ${t.key} resumed after its pre-tests differs from its run from boot (${why}): run with pretest resumption off and report this`);
  }
  return rec;
}

/**
 * Run the group's first task, judging the others' policies beside it; each
 * it stands for gets its record (marked sharedFrom), except those to
 * verify, which run under their own mode and must give the same record.
 * The first of the rest runs next in the same way, until none is left.
 * Which task runs depends on the runs only, never on which records are
 * wanted: a shard or a resumption shares from the same mode.
 */
export function executeGroup(snap: Snapshot, g: RunGroup<RunTask>, ctx: TaskContext | null = null): RunRecord[] {
  const wanted = (t: RunTask) => g.emit.includes(t.key) || g.verify.includes(t.key);
  const records = new Map<string, RunRecord>();
  let pending = [...g.tasks];
  while (pending.length > 0 && pending.some(wanted)) {
    const [lead, ...rest] = pending as [RunTask, ...RunTask[]];
    const rep = executeTask(snap, lead, ctx, rest.map((t) => t.spec.policy));
    records.set(lead.key, rep);
    const stands = standsFor.get(rep);
    pending = [];
    rest.forEach((t, i) => {
      if (stands?.[i] !== true) { pending.push(t); return; }
      const shared = sharedRecord(rep, t);
      if (g.verify.includes(t.key)) {
        const own = executeTask(snap, t, ctx);
        const why = sharingDifference(shared, own);
        if (why) throw new SharingError(`run ${t.key} differs from the run under ${lead.mode} it shares (${why}): its policy would not have recovered alike; run with sharing off and report this`);
      }
      records.set(t.key, shared);
    });
  }
  // In the group's order: the records asked for.
  return g.tasks.filter((t) => g.emit.includes(t.key)).map((t) => records.get(t.key)!);
}

let snapshot: Snapshot | null = null;
let images: PretestImages | null = null;

// Nothing reads an error's stack (a run's record keeps its name and message;
// replay, in the main process, keeps stacks for debugging), and every fault
// a run injects throws: a NULL dereference, a corrupt pointer, a failed
// check. Capturing the stack through the generator frames of a simulated
// system was a twentieth of a fail-stop campaign's time.
Error.stackTraceLimit = 0;

// Before the simulator's code first runs: V8 tiers it up later (sim/jit-tiering.ts).
tierForSimulation();

/** Failures of the harness, not of a run: the campaign stops rather than record them. */
export class HarnessError extends Error {
  constructor(message: string) { super(message); this.name = 'HarnessError'; }
}

/** The piscina handler: a batch of groups, each group's records in order. */
export default function runGroups(batch: RunGroup<RunTask>[]): RunRecord[][] {
  const hash = loadBlockMap('osiris+edfi').hash;
  const out: RunRecord[][] = [];
  for (const g of batch) {
    const t = g.tasks[0]!;
    if (hash !== t.variantHash) throw new HarnessError(`the osiris+edfi build changed during the campaign (${t.variantHash} -> ${hash}); resume after rebuilding`);
    if (!snapshot) snapshot = bootSnapshot();
    const resume = g.pretests ?? {};
    const on = resume.resume ?? true;
    if (on) images ??= new PretestImages(snapshot);
    out.push(executeGroup(snapshot, g, { pretests: on ? images : null, verifyFraction: resume.verifyFraction ?? 1 / 20, faultServerOnly: g.faultServerOnly ?? true }));
  }
  return out;
}
