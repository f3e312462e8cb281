/*
 * Block execution counters of the osiris+prof variant: statements executed
 * per block, split by whether the server's recovery window was open.
 */
export class ProfCounters {
  readonly inside: Float64Array;
  readonly outside: Float64Array;
  /** Executions (not weighted) per block. */
  readonly hits: Float64Array;

  constructor(readonly blocks: number) {
    this.inside = new Float64Array(blocks);
    this.outside = new Float64Array(blocks);
    this.hits = new Float64Array(blocks);
  }

  reset(): void {
    this.inside.fill(0);
    this.outside.fill(0);
    this.hits.fill(0);
  }

  /** Indices of blocks executed at least once. */
  executed(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.blocks; i++) if (this.hits[i]! > 0) out.push(i);
    return out;
  }
}
