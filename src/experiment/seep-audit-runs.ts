/*
 * The SEEP audit over a campaign's runs: each planned run (a fault armed,
 * a policy installed, the picked programs) is run again on the osiris+edfi
 * build with the observer installed, and what every run saw is added up.
 * This reaches what the fault-free suite does not: error paths, requests
 * after a recovery, a restarted server's handlers.
 *
 * Two limits, both toward missing a contradiction rather than inventing
 * one: the osiris builds log stores only inside a server's recovery window
 * (the logging clones), so a store a receiver makes after its own window
 * closed is not seen; and the server the fault is armed in is not compared
 * at all (what its faulty code stores is the fault's doing, not the
 * handler's).
 *
 * The entry points into this file are:
 *   auditRuns(snap, tasks, opts)   run the tasks under the observer, compare
 */
import type { Snapshot } from '../sim/sim';
import type { Main } from '../os/libc/core';
import { KCALL_SEEPS, MESSAGE_SEEPS } from '../osiris/seep-table';
import type { RunTask } from './worker';
import { restoreRun } from './run-one';
import { AuditReport, summarize } from './seep-audit';
import { EntryStats, SeepObserver, SeepTables } from './seep-observer';

export interface RunsAuditOptions {
  tables?: SeepTables;
  extraPrograms?: Map<string, Main>;
  /** Called after each run (progress). */
  onRun?: (done: number, total: number) => void;
}

/** `programs` of the report counts runs, and `passed` the runs whose programs all passed. */
export function auditRuns(snap: Snapshot, tasks: RunTask[], opts: RunsAuditOptions = {}): AuditReport {
  const tables = opts.tables ?? { messages: MESSAGE_SEEPS, kcalls: KCALL_SEEPS };
  const into = { messages: new Map<number, EntryStats>(), kcalls: new Map<number, EntryStats>() };
  let passed = 0;
  tasks.forEach((t, i) => {
    const spec = t.spec;
    const obs = new SeepObserver(tables, { into, exclude: t.server });
    // The run as the campaign's worker restores it (run-one.ts), with the observer wired in before the restore resumes.
    const sim = restoreRun(snap, { ...spec, extraPrograms: opts.extraPrograms ?? spec.extraPrograms }, obs);
    // All the programs in one go, as the campaign ran them (the same run); the run is named by its key.
    obs.run = t.key;
    let ok = false;
    try {
      const results = sim.run(spec.programs, { checking: spec.checking });
      obs.flushKcall();
      ok = results.every((r) => r.status === 'pass') && sim.halt() === null;
    } catch {
      // the simulator gave up on this run (the campaign records it as a crash)
    }
    if (ok) passed++;
    opts.onRun?.(i + 1, tasks.length);
  });
  return summarize(tables, into.messages, into.kcalls, { run: tasks.length, passed });
}
