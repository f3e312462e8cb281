/*
 * A Unixbench-like program: runs a fixed amount of work and reports how
 * many loop iterations it completed; its score is iterations per simulated
 * second, computed by the runner from the simulated time it took.
 *
 * The entry points into this file are:
 *   BenchProgram     what a benchmark is (name, unit, default iterations, body, tools)
 *   benchAsProgram() turns one into a /bin program (argv[1] overrides the iteration count)
 *   need()           a benchmark's sanity check: a false condition ends the program with status 1
 *   CPU_NS_PER_OP    the simulated cost of one basic operation of user computation
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { Main } from '../../libc/core';
import { CheckFailed } from '../../libc/userland';

/** A sub-program a benchmark execs itself as (`/bin/<name> -<tool> args…`), like the tools of a shell script. */
export type BenchTool = (u: Libc, argv: string[]) => Co<number>;

export interface BenchProgram {
  name: string;
  /** What one iteration is (e.g. "loop", "exec", "KiB copied"). */
  unit: string;
  /**
   * Runs the benchmark; returns the number of iterations done (its exit
   * status is 0 when that equals `iterations`). `argv` is the program's
   * argv: argv[1] is the iteration count, further words are the program's
   * own (execl carries its progress there across exec).
   */
  body: (u: Libc, iterations: number, argv: string[]) => Co<number>;
  /** Default iteration count: enough work to measure, small enough for a fast suite. */
  iterations: number;
  /** Tools run when the program is exec'd with argv[1] = '-<tool>' (no iterations are counted then). */
  tools?: Readonly<Record<string, BenchTool>>;
}

/**
 * The simulated cost of one basic user-mode operation (an integer or
 * floating-point operation, a load or store, a branch) on the cost model's
 * ~1 GHz core (src/os/kernel/cost.ts): about one instruction per ns.
 */
export const CPU_NS_PER_OP = 1;

/** A failed sanity check: ends the benchmark with exit status 1 and the reason as the failure. */
export function need(cond: unknown, what: string): asserts cond {
  if (!cond) throw new CheckFailed(`bench: ${what}`);
}

/** Bench programs report their iteration count through the harness's check counter. */
export function benchAsProgram(b: BenchProgram): Main {
  return function* (u: Libc, argv: string[]): Co<number> {
    const arg = argv.length > 1 ? argv[1]! : '';
    if (arg.startsWith('-')) {
      const tool = b.tools !== undefined && Object.hasOwn(b.tools, arg.slice(1)) ? b.tools[arg.slice(1)] : undefined;
      return tool ? yield* tool(u, argv) : 2;
    }
    const n = arg === '' ? b.iterations : Number(arg);
    if (!Number.isInteger(n) || n < 0) return 2;
    const done = yield* b.body(u, n, argv);
    for (let i = 0; i < done; i++) u.k.harness.check();
    return done === n ? 0 : 1;
  };
}
