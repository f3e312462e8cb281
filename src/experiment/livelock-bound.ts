/*
 * The livelock window of campaign runs (issue 13, os/kernel/livelock.ts):
 * how many messages in a row may go by with no progress — no system call
 * of a user process returning, no process crashing — before a run may be
 * declared livelocked and ended as a timeout (the detector's first
 * condition; the others wait for RS's heartbeat to have had its say).
 *
 * The window is derived from the fault-free runs, not from any result
 * table: QUIET_BOUND is the longest run of quiet messages measured on the
 * campaigns' build (osiris+edfi, no fault armed) over
 *   - every suite program alone from the post-boot snapshot,
 *   - the whole suite in order in one run (init's fork, exec and wait
 *     between the programs), under both checking disciplines,
 *   - the recovery pre-tests, under both `service fi` modes and every
 *     built-in policy, followed by the whole suite,
 * counting each run from its start (the first return included) to its end
 * (the trailing quiet messages included), with the detector's own counter
 * (Sim.quiet). The window is LIVELOCK_FACTOR times that bound.
 * `npm run livelock-bound` measures the bound again and says whether the
 * recorded one still holds (test/livelock.test.ts fails when it does not).
 *
 * Measured on this build: QUIET_BOUND = 552 messages, in the whole suite
 * run (sig_alarm alone: 551). It is background traffic: sig_alarm pauses
 * for a second, in which RS's heartbeats (every 20 ms: a clock
 * notification, a ping to each service, the pongs) and the alarm make
 * ~551 messages; no other fault-free run stays quiet for more than 33.
 * The factor is 10, so the window is 5,520 messages. Why 10: quiet
 * messages of that kind come at ~551 per simulated second, and a campaign
 * run lasts at most its time budget, 2 x its programs' golden time + 1 s
 * (faults.ts; unless a campaign gives its own `budget.timeNs`), at most
 * 2 x 1.08 s + 1 s = 3.2 s for the whole suite, i.e. ~1,760 such messages. A window of 10 x 552 is beyond what a run can
 * reach by waiting (a wait ends at the time budget, a timeout as well); it
 * is reached only when servers exchange messages far faster than the
 * background, for ten times as long as any correct run stays quiet, with
 * no user answered and no process crashing.
 *
 * The entry points into this file are:
 *   QUIET_BOUND, LIVELOCK_FACTOR, LIVELOCK_WINDOW   the recorded bound, the factor, the window runs use
 *   measureQuietBound()                             the measurement, as data
 *   main()                                          `npm run livelock-bound [-- --json]`
 */
import { Sim, SERVICE_FI_MODES, ServiceFiMode, Snapshot } from '../sim/sim';
import { PRETEST_NAMES, testNames } from '../sim/programs';
import { BUILTIN_POLICIES, POLICY_NAMES } from '../osiris/policies';
import type { CheckingMode } from '../os/kernel/kernel';

/** The longest run of quiet messages measured over the fault-free runs (see above). */
export const QUIET_BOUND = 552;
/** How many times the fault-free bound a faulty run may stay quiet. */
export const LIVELOCK_FACTOR = 10;
/** Quiet messages in a row after which a campaign run is a livelock (a timeout). */
export const LIVELOCK_WINDOW = QUIET_BOUND * LIVELOCK_FACTOR;

export interface QuietRun {
  /** What ran: "<program>", "suite (<checking>)" or "pre-tests+suite (<policy>, <service fi>)". */
  name: string;
  programs: number;
  /** Programs that did not pass (fault-free runs pass; a failure makes the measurement suspect). */
  notPassed: string[];
  halt: string | null;
  /** The longest quiet run between returns, and the trailing one. */
  longest: number;
  trailing: number;
}

export interface QuietMeasurement {
  /** The largest quiet run of all. */
  bound: number;
  /** The run it was measured in. */
  worst: string;
  runs: QuietRun[];
}

function measure(snap: Snapshot, name: string, programs: string[], policy: string, serviceFi: ServiceFiMode, checking: CheckingMode): QuietRun {
  const sim = Sim.restore(snap, { variant: 'osiris+edfi', policy: BUILTIN_POLICIES[policy], serviceFi });
  // The watch counts from here, with no window: it only measures.
  sim.setBudgets({});
  const res = sim.run(programs, { checking });
  const q = sim.quiet();
  const h = sim.halt();
  sim.dispose();
  return {
    name, programs: programs.length, notPassed: res.filter((r) => r.status !== 'pass').map((r) => r.name),
    halt: h ? `${h.kind}: ${h.reason}` : null, longest: q.longest, trailing: q.trailing,
  };
}

/** Measure the longest quiet run over the fault-free runs listed in the header. */
export function measureQuietBound(onProgress?: (done: number, total: number) => void): QuietMeasurement {
  // The post-boot snapshot campaign runs restore (run-one.ts's bootSnapshot; not imported: run-one imports this file).
  const snap = Sim.boot({ variant: 'osiris+edfi' }).snapshot();
  const suite = testNames();
  const jobs: (() => QuietRun)[] = [];
  for (const t of suite) jobs.push(() => measure(snap, t, [t], 'enhanced', 'next-request', 'strict'));
  for (const c of ['strict', 'minix'] as CheckingMode[]) jobs.push(() => measure(snap, `suite (${c})`, suite, 'enhanced', 'next-request', c));
  for (const fi of SERVICE_FI_MODES) {
    for (const p of POLICY_NAMES) jobs.push(() => measure(snap, `pre-tests+suite (${p}, ${fi})`, [...PRETEST_NAMES, ...suite], p, fi, 'strict'));
  }
  const runs: QuietRun[] = [];
  for (const job of jobs) { runs.push(job()); onProgress?.(runs.length, jobs.length); }
  let worst = runs[0]!;
  for (const r of runs) if (Math.max(r.longest, r.trailing) > Math.max(worst.longest, worst.trailing)) worst = r;
  return { bound: Math.max(worst.longest, worst.trailing), worst: worst.name, runs };
}

export function main(argv: string[]): void {
  const m = measureQuietBound();
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ ...m, recorded: QUIET_BOUND, factor: LIVELOCK_FACTOR, window: LIVELOCK_WINDOW }, null, 2) + '\n');
  } else {
    const top = [...m.runs].sort((a, b) => Math.max(b.longest, b.trailing) - Math.max(a.longest, a.trailing)).slice(0, 8);
    process.stdout.write(`longest quiet runs (messages in a row with no user system call returning and no server crash), fault-free, osiris+edfi:\n`);
    for (const r of top) process.stdout.write(`  ${String(Math.max(r.longest, r.trailing)).padStart(6)}  ${r.name}${r.notPassed.length ? ` (not passed: ${r.notPassed.join(', ')})` : ''}${r.halt ? ` (halted: ${r.halt})` : ''}\n`);
    process.stdout.write(`measured bound ${m.bound} (${m.worst}), over ${m.runs.length} runs; recorded QUIET_BOUND ${QUIET_BOUND}, factor ${LIVELOCK_FACTOR}: window ${LIVELOCK_WINDOW} messages\n`);
  }
  if (m.bound > QUIET_BOUND) {
    process.stderr.write(`the measured bound ${m.bound} exceeds the recorded QUIET_BOUND ${QUIET_BOUND}: update it in src/experiment/livelock-bound.ts (and README)\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  try { main(process.argv.slice(2)); } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
