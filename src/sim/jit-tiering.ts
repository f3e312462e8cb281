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
 * no faster than one. Eight times the default budget (a function tiers up
 * after eight times as much executed bytecode) cut a worker's total CPU by
 * about a quarter and both paper campaigns' wall time from 31.4 to 22.6 s;
 * 4, 16 and 32 times were measured too, and were no better (README, "Tests
 * and benchmarks").
 *
 * Only when code is compiled changes, never what it computes: a run's
 * record is the same either way. The budget is a process-wide V8 flag, set
 * before the simulator's code is first run (the campaign worker, the
 * command line, the benchmarks). `OSIRIS_FI_JIT=default` keeps V8's own
 * tiering (to measure both ways), and an `--interrupt-budget` given to node
 * itself is left as given.
 *
 * The entry points into this file are:
 *   tierForSimulation         set the budget once per process
 *   SIMULATION_INTERRUPT_BUDGET  the budget set
 */
import v8 from 'node:v8';

/** V8's default interrupt budget (node 20, V8 11.3), times eight. */
export const SIMULATION_INTERRUPT_BUDGET = 8 * 67584;

let tuned = false;

/** Set V8's interrupt budget for the simulator, unless told not to (see the file comment); returns whether it was set. */
export function tierForSimulation(): boolean {
  if (tuned) return true;
  if (process.env.OSIRIS_FI_JIT === 'default') return false;
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--interrupt[-_]budget=/.test(a));
  if (given) return false;
  v8.setFlagsFromString(`--interrupt-budget=${SIMULATION_INTERRUPT_BUDGET}`);
  tuned = true;
  return true;
}
