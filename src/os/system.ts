/*
 * The small API the rest of the tool drives a simulation through: boot a
 * system (fresh or from a snapshot), run programs, read the outcome.
 */
import { World, ProgramResult, Snapshot } from './world';
import { BOOT_SERVERS } from './servers/index';
import { buildRegistry, TEST_PROGRAMS } from './workload/registry';
import { ServerDef } from './sef/server';
import { Main } from './libc/core';

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

export function testNames(): string[] {
  return TEST_PROGRAMS.map((t) => t.name);
}

export function bootSystem(opts: SystemOptions = {}): World {
  return World.boot({ servers: opts.servers ?? BOOT_SERVERS, programs: programsFor(opts), trace: opts.trace });
}

export function restoreSystem(snap: Snapshot, opts: SystemOptions = {}): World {
  return World.restore(snap, { servers: opts.servers ?? BOOT_SERVERS, programs: programsFor(opts), trace: opts.trace });
}

/** Resolve names and glob-like patterns ("pipe_*") against the suite; unknown names are reported. */
export function selectTests(spec: string | undefined): { names: string[]; unknown: string[] } {
  const all = testNames();
  if (!spec) return { names: all, unknown: [] };
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
