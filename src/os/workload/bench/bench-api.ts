/*
 * A Unixbench-like program: runs a fixed amount of work and reports how
 * many loop iterations it completed; its score is iterations per simulated
 * second, computed by the runner from the simulated time it took.
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { Main } from '../../libc/core';

export interface BenchProgram {
  name: string;
  /** What one iteration is (e.g. "loop", "exec", "KiB copied"). */
  unit: string;
  /** Runs the benchmark; returns the number of iterations done (its exit status is 0 unless something failed). */
  body: (u: Libc, iterations: number) => Co<number>;
  /** Default iteration count: enough work to measure, small enough for a fast suite. */
  iterations: number;
}

/** Bench programs report their iteration count through the harness's check counter. */
export function benchAsProgram(b: BenchProgram): Main {
  return function* (u: Libc, argv: string[]): Co<number> {
    const n = argv.length > 1 ? Number(argv[1]) : b.iterations;
    const done = yield* b.body(u, n);
    for (let i = 0; i < done; i++) u.k.harness.check();
    return done === n ? 0 : 1;
  };
}
