/*
 * One campaign run, as a task for the worker pool (piscina): each worker
 * thread boots the osiris+edfi snapshot once and restores it per run. The
 * same function runs in-process for replays. Anything the simulator throws
 * is contained and recorded as crash / simulator-error.
 *
 * The entry points into this file are:
 *   RunTask       what the runner sends (plain data)
 *   executeTask   run one task against a snapshot, giving its journal record
 *   default       the piscina handler
 */
import type { Snapshot } from '../sim/sim';
import { bootSnapshot, runOne, RunResult, RunSpec } from './run-one';
import type { RunRecord } from './journal';
import { loadBlockMap } from '../sim/variants';

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
  return {
    key: t.key, mode: t.mode, block: t.block, server: t.server, faultType: t.faultType,
    outcome: r.outcome, detail: r.detail, activations: r.activations, recoveries: r.recoveries.length,
    recoveryActions: r.recoveries.map((x) => `${x.server}:${x.decision}->${x.action}`),
    oracleViolations: r.oracle.violations.length,
    oracleInvariants: [...new Set(r.oracle.violations.map((v) => v.invariant))].sort(),
    failedTests: r.programs.filter((p) => p.status !== 'pass').map((p) => `${p.name}:${p.status}`),
    programs: r.programs.length, simTimeNs: r.simTimeNs, messages: r.messages,
    halt: r.halt ? `${r.halt.kind}: ${r.halt.reason}` : null, error: r.error, wallMs,
  };
}

function errorRecord(t: RunTask, e: unknown, wallMs: number): RunRecord {
  return {
    key: t.key, mode: t.mode, block: t.block, server: t.server, faultType: t.faultType,
    outcome: 'crash', detail: 'simulator-error', activations: 0, recoveries: 0, recoveryActions: [], oracleViolations: 0,
    failedTests: [], programs: 0, simTimeNs: 0, messages: 0, halt: null,
    error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), wallMs,
  };
}

export function executeTask(snap: Snapshot, t: RunTask): RunRecord {
  const t0 = process.hrtime.bigint();
  const wall = () => Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
  try {
    return toRecord(t, runOne(snap, t.spec), wall());
  } catch (e) {
    return errorRecord(t, e, wall());
  }
}

let snapshot: Snapshot | null = null;

/** Failures of the harness, not of a run: the campaign stops rather than record them. */
export class HarnessError extends Error {
  constructor(message: string) { super(message); this.name = 'HarnessError'; }
}

export default function runTask(t: RunTask): RunRecord {
  const hash = loadBlockMap('osiris+edfi').hash;
  if (hash !== t.variantHash) throw new HarnessError(`the osiris+edfi build changed during the campaign (${t.variantHash} -> ${hash}); resume after rebuilding`);
  if (!snapshot) snapshot = bootSnapshot();
  return executeTask(snapshot, t);
}
