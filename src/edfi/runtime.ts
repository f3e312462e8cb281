/*
 * The run-time side of fault injection: which block is armed, how often
 * its faulty version ran, and the values faults need. Random values come
 * from the run's seeded generator, never from an unseeded one.
 */
import seedrandom from 'seedrandom';

export class EdfiRuntime {
  /** Dense index (in this build's block map) of the armed block; -1 when none. */
  armed = -1;
  /** Fail-stop mode: the armed block dereferences NULL at entry instead of running its compiled fault. */
  nullPointer = false;
  activations = 0;
  /** Simulated time of the first activation (ns), -1 before. */
  firstActivation = -1;
  /**
   * When set, every fault site whose check runs is marked here (by dense
   * block index): the blocks a run reached. A run that never checks the
   * armed block's site runs exactly as the same run with no fault armed.
   */
  reached: Uint8Array | null = null;
  /** Seeded on first use: most runs draw no value, and seeding costs a share of a restore. */
  private rng: seedrandom.PRNG | null = null;

  constructor(private readonly seed: string) {}

  arm(index: number, nullPointer = false): void {
    this.armed = index;
    this.nullPointer = nullPointer;
    this.activations = 0;
    this.firstActivation = -1;
  }

  /** The armed block is entered: count it; in fail-stop mode this is the NULL dereference. */
  hit(now: number): void {
    if (this.activations++ === 0) this.firstActivation = now;
    if (this.nullPointer) {
      const p = null as unknown as { edfi_null_dereference: unknown };
      void p.edfi_null_dereference;
    }
  }

  /** no-load: a numeric read yields 0. */
  noLoad(v: unknown): unknown {
    return typeof v === 'number' ? 0 : v;
  }

  /** rnd-load: a numeric read yields a random integer. */
  rndLoad(v: unknown): unknown {
    return typeof v === 'number' ? Math.floor((this.rng ??= seedrandom(this.seed))() * 0x10000) - 0x100 : v;
  }

  /** corrupt-pointer: a table element becomes its neighbour, or garbage. */
  corruptPtr(table: unknown, index: unknown, garbage: boolean): unknown {
    if (garbage || !Array.isArray(table) || typeof index !== 'number') return garbage ? {} : undefined;
    return table[(index + 1) % Math.max(1, table.length)];
  }
}
