/*
 * How V8 tiers the simulator's code up. Measured (issue "Campaigns stay
 * fast"): with V8's default interrupt budget, a campaign worker spent as
 * much CPU in TurboFan's background compile threads as in its own thread
 * — over 600 runs about 740 functions compiled, 12 s of compile time, the
 * biggest the test programs' generators (80 to 200 ms each) and the SEF
 * loops, recompiled as each run makes other code hot. A run touches much
 * code a little (six servers, two builds each, 89 test programs), so most
 * of that optimized code pays back little. On a 2-core machine the compile
 * threads of two workers take the cores the workers need: two workers were
 * no faster than one. Two flags:
 *
 * - eight times the default interrupt budget (a function tiers up after
 *   eight times as much executed bytecode): a worker's total CPU fell by
 *   about a quarter and both paper campaigns' wall time from 31.4 to
 *   22.6 s; 4, 16 and 32 times were measured too, and were no better;
 * - no concurrent recompilation: a worker compiles what it still compiles
 *   on its own thread instead of a background one, so two workers do not
 *   compete with four compile threads for two cores; `paper-edfi` a
 *   further 8% faster (16.4 to 17.2 s against 17.5 to 19.1 s,
 *   alternating). It applies to isolates created after it is set — the
 *   campaign's worker threads, when the command line or the bench sets it
 *   before the pool starts.
 *
 * Only when code is compiled changes, never what it computes: a run's
 * record is the same either way. The flags are process-wide, set before the
 * simulator's code first runs (the campaign worker, the command line, the
 * benchmarks). `OSIRIS_FI_JIT=default` keeps V8's own tiering (to measure
 * both ways), and a flag given to node itself is left as given.
 *
 * The entry points into this file are:
 *   tierForSimulation            set the flags once per process
 *   SIMULATION_INTERRUPT_BUDGET  the budget set
 */
import v8 from 'node:v8';

/** V8's default interrupt budget (node 20, V8 11.3), times eight. */
export const SIMULATION_INTERRUPT_BUDGET = 8 * 67584;

/** The flags set, each with the name node would be given it by (then it is left as given). */
const SIMULATION_FLAGS: readonly { name: string; flag: string }[] = [
  { name: 'interrupt-budget', flag: `--interrupt-budget=${SIMULATION_INTERRUPT_BUDGET}` },
  // Isolates created afterwards (the campaign's worker threads) compile on their own thread.
  { name: 'concurrent-recompilation', flag: '--no-concurrent-recompilation' },
];

let tuned = false;

/** Set V8's flags for the simulator, unless told not to (see the file comment); returns whether they were set. */
export function tierForSimulation(): boolean {
  if (tuned) return true;
  if (process.env.OSIRIS_FI_JIT === 'default') return false;
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map((a) => a.replace(/_/g, '-'));
  for (const f of SIMULATION_FLAGS) {
    if (!given.some((a) => a === `--${f.name}` || a === `--no-${f.name}` || a.startsWith(`--${f.name}=`))) v8.setFlagsFromString(f.flag);
  }
  tuned = true;
  return true;
}
