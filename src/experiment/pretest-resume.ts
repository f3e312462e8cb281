/*
 * Runs resumed after their pre-tests (issue "Campaigns stay fast"). Under
 * the prototype's methodology every run of a mode that transfers state
 * starts with the same five pre-tests, each crashing a server through
 * `service fi` — about a fifth of a run's work, the same in every run of
 * the mode. They are a harness command of their own (sim/programs.ts
 * runCommands), so the world after them is at a quiescent point: init
 * waits for the next command. A worker runs each such prefix once, with no fault armed,
 * marking every fault site whose check runs (EdfiRuntime.reached), and
 * snapshots the world after it. A run whose armed block the prefix never
 * checked continues from that snapshot; its record says so
 * (`resumedAfterPretests`).
 *
 * Why the continuation is the run itself. The only way an armed fault acts
 * is through its site's check returning true (src/edfi/hooks.ts armed);
 * its values (rnd-load) are drawn after that. A prefix that never checks
 * the armed block therefore runs exactly as with no fault armed: same
 * programs, same results, same recoveries, same world at its end. The
 * snapshot holds that world (kernel, memory, data sections) at a quiescent
 * point. What it does not hold is per-server recovery bookkeeping that the
 * next checkpoint (the server's next request start) resets: the undo log of
 * the last request and whether its window stayed open. A server reads them
 * only if it crashes before that checkpoint, that is in the code it runs
 * between requests (the SEF loop's receive, heartbeat and idle-worker
 * code). Runs armed there are never resumed, whether the prefix reached the
 * block or not. Budgets count from the run's start (the boot snapshot), as
 * in the run from boot; a prefix that would not fit them is not used.
 *
 * A seeded fraction of resumed runs is also run from boot and compared
 * (worker.ts); a difference stops the campaign.
 *
 * The entry points into this file are:
 *   PretestImages              one worker's prefix snapshots, built on first use
 *   PretestImages.for(spec)    the image a run resumes from, or null
 *   PretestImage               a prefix: its snapshot, what it reached, what it gave (run-one.ts)
 */
import { Sim, Snapshot } from '../sim/sim';
import { loadBlockMap } from '../sim/variants';
import { PRETEST_NAMES, runCommands } from '../sim/programs';
import type { PretestImage, RunSpec } from './run-one';

export type { PretestImage } from './run-one';

/** SEF loop functions a server runs between requests (before the checkpoint that resets its undo log). */
const BETWEEN_REQUESTS = new Set(['serverMain', 'requestLoop', 'workerLoop', 'isHeartbeat', 'idleWorker']);

/** Dense indices of the blocks a resumed run may not be armed at (see the file comment). */
function betweenRequestBlocks(): Uint8Array {
  const blocks = loadBlockMap('osiris+edfi').blocks;
  const out = new Uint8Array(blocks.length);
  for (const b of blocks) if (b.file === 'sef/loop.ts' && BETWEEN_REQUESTS.has(b.function)) out[b.index] = 1;
  return out;
}

export class PretestImages {
  private readonly images = new Map<string, PretestImage | null>();
  private excluded: Uint8Array | null = null;

  /** `boot`: the post-boot snapshot of the osiris+edfi build every run starts from. */
  constructor(private readonly boot: Snapshot) {}

  /** The prefix image `spec` can continue from, or null when it must run from boot. */
  for(spec: RunSpec): PretestImage | null {
    if (spec.trace || spec.extraPrograms || runCommands(spec.programs).length < 2) return null;
    this.excluded ??= betweenRequestBlocks();
    if (spec.block >= 0 && this.excluded[spec.block] === 1) return null;
    const key = JSON.stringify([spec.policy, spec.checking ?? 'strict', spec.serviceFi ?? 'next-request']);
    let img = this.images.get(key);
    if (img === undefined) { img = this.take(spec); this.images.set(key, img); }
    if (img === null) return null;
    if (spec.block >= 0 && img.reached[spec.block] === 1) return null;
    // The run from boot would halt inside the prefix past either budget.
    if (img.end.now - img.base.now > spec.timeBudgetNs || img.end.messages - img.base.messages > spec.messageBudget) return null;
    return img;
  }

  /** Run the pre-tests with no fault armed and snapshot the world after them; null when they do not end quiescent. */
  private take(spec: RunSpec): PretestImage | null {
    const sim = Sim.restore(this.boot, {
      variant: 'osiris+edfi', policy: spec.policy, ...(spec.serviceFi ? { serviceFi: spec.serviceFi } : {}),
    });
    try {
      const base = sim.reading();
      const reached = sim.watchFaultSites();
      const programs = sim.run([...PRETEST_NAMES], { checking: spec.checking });
      if (sim.halt() || !sim.world.isQuiescent()) return null;
      return { snap: sim.snapshot(), reached, programs, recoveries: [...sim.recoveries()], base, end: sim.reading() };
    } finally {
      sim.dispose();
    }
  }
}
