/*
 * The small API the rest of the tool drives a simulation through: boot a
 * system (fresh or from a snapshot), run programs, read the outcome.
 */
import { World, ProgramResult, Snapshot } from './world';
import { BOOT_SERVERS } from './servers/index';
import { buildRegistry, EXTENDED_PROGRAMS, TEST_PROGRAMS } from './workload/registry';
import { PRETEST_NAMES } from './workload/pretests';
import { ServerDef } from './sef/server';
import { Main } from './libc/core';
import { loadVariant, VariantName, loadBlockMap } from '../instrument/variants';
import { Checkpointing } from '../osiris/checkpoint';
import { installRecovery, RecoveryManager } from '../osiris/recovery';
import { Policy } from '../osiris/policies';

export interface SystemOptions {
  servers?: ServerDef<any>[];
  trace?: boolean;
  /** Extra programs installed in /bin beside the standard ones (tests use this). */
  extraPrograms?: Map<string, Main>;
}

function programsFor(opts: SystemOptions): Map<string, Main> {
  if (!opts.extraPrograms) return programs();
  return new Map([...programs(), ...opts.extraPrograms]);
}

let registry: Map<string, Main> | null = null;

/** The programs in /bin (built once: the registry is immutable). */
export function programs(): Map<string, Main> {
  if (!registry) registry = buildRegistry();
  return registry;
}

/** The 89-program suite. */
export function testNames(): string[] {
  return TEST_PROGRAMS.map((t) => t.name);
}

/** Installed test programs outside the suite (runnable by name or pattern). */
export function extendedNames(): string[] {
  return EXTENDED_PROGRAMS.map((t) => t.name);
}

export function bootSystem(opts: SystemOptions = {}): World {
  return World.boot({ servers: opts.servers ?? BOOT_SERVERS, programs: programsFor(opts), trace: opts.trace });
}

export function restoreSystem(snap: Snapshot, opts: SystemOptions = {}): World {
  return World.restore(snap, { servers: opts.servers ?? BOOT_SERVERS, programs: programsFor(opts), trace: opts.trace });
}

/** Resolve names and glob-like patterns ("pipe_*") against the suite; unknown names are reported. */
export function selectTests(spec: string | undefined, extended = false): { names: string[]; unknown: string[] } {
  const suite = testNames();
  if (!spec) return { names: extended ? [...suite, ...extendedNames()] : suite, unknown: [] };
  const all = [...suite, ...extendedNames(), ...PRETEST_NAMES];
  const names: string[] = [];
  const unknown: string[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part.includes('*')) {
      const re = new RegExp('^' + part.split('*').map(escapeRe).join('.*') + '$');
      const hits = all.filter((n) => re.test(n));
      if (hits.length === 0) unknown.push(part);
      for (const h of hits) if (!names.includes(h)) names.push(h);
    } else if (all.includes(part)) {
      if (!names.includes(part)) names.push(part);
    } else unknown.push(part);
  }
  return { names, unknown };
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export type { ProgramResult, Snapshot, World };

/* ---- instrumented variants ---- */

export interface VariantSystem { world: World; ckpt: Checkpointing; recovery: RecoveryManager | null }

export type VariantOptions = SystemOptions & {
  edfiSeed?: string;
  /** Install OSIRIS recovery with this policy (without one, a server crash ends the run). */
  policy?: Policy;
};

/** Boot a system on an instrumented variant, with checkpointing hooks installed before boot. */
export function bootVariant(v: VariantName, opts: VariantOptions = {}): VariantSystem {
  const { setup, result } = variantSetup(v, opts);
  const world = World.boot({ servers: loadVariant(v), programs: programsFor(opts), trace: opts.trace, setup });
  const r = result();
  r.recovery?.prepareSpares();
  return { world, ckpt: r.ckpt!, recovery: r.recovery };
}

/** A variant system continuing from a snapshot taken on the same variant. */
export function restoreVariant(v: VariantName, snap: Snapshot, opts: VariantOptions = {}): VariantSystem {
  const { setup, result } = variantSetup(v, opts);
  const world = World.restore(snap, { servers: loadVariant(v), programs: programsFor(opts), trace: opts.trace, setup });
  const r = result();
  r.recovery?.prepareSpares();
  return { world, ckpt: r.ckpt!, recovery: r.recovery };
}

function variantSetup(v: VariantName, opts: VariantOptions): { setup: (w: World) => void; result: () => { ckpt: Checkpointing | null; recovery: RecoveryManager | null } } {
  let ckpt: Checkpointing | null = null;
  let recovery: RecoveryManager | null = null;
  const setup = (w: World) => {
    ckpt = new Checkpointing(w.kernel, {
      logging: v !== 'baseline',
      edfiSeed: v === 'osiris+edfi' ? opts.edfiSeed ?? 'edfi' : undefined,
      profBlocks: v === 'osiris+prof' ? loadBlockMap(v).blocks.length : undefined,
    });
    if (opts.policy) { recovery = installRecovery(w, ckpt, opts.policy); return; }
    w.sefHooks = ckpt.sefHooks();
    w.kernel.hooks = { seep: (p) => ckpt!.closeWindow(p, 'outgoing message'), serverCrashed: () => false };
  };
  return { setup, result: () => ({ ckpt, recovery }) };
}
