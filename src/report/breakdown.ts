/*
 * Survivability broken down by where the fault was: per server, per fault
 * type, and per file and function (the recoverability map: for each
 * function, the faults injected into it and the share of them each mode
 * survived — survived meaning the run passed — beside the fail, shutdown
 * and crash shares, each with its 95% Wilson interval). Groups come from the
 * records themselves: the server from the record's `server` field, file and
 * function from the block id, source lines from the build's block map.
 *
 * The entry points into this file are:
 *   DIMENSIONS      server, fault-type, function
 *   Breakdown       the groups of one dimension, each with per-mode survivability
 *   breakdown       build one
 *   parseDimensions "--by server,function" to a list of dimensions
 *   functionLabel   "pm/signal.ts:104 do_kill" (shared code: the server added)
 */
import { FAULT_TYPES } from '../edfi/fault-types';
import type { RunRecord } from '../experiment/journal';
import { blockLocation } from '../experiment/fault-select';
import { functionKey, type FunctionLines } from './block-lines';
import { faultKeyOf } from './load-results';
import { survivability, type ModeSurvivability } from './survivability';

export const DIMENSIONS = ['server', 'fault-type', 'function'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Group {
  /** "pm", "null-pointer", or "pm/signal.ts:do_kill". */
  label: string;
  server: string;
  /** For function groups: the file as block ids name it, the function, its first line (null when unknown). */
  file?: string;
  function?: string;
  line?: number | null;
  /** Distinct faults (block and fault type) of the group. */
  faults: number;
  modes: ModeSurvivability[];
}

export interface Breakdown {
  by: Dimension;
  groups: Group[];
  /** For function groups: the build the lines came from (null: no lines), and whether it is the results' build. */
  lines?: { buildHash: string | null; sameBuild: boolean };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function breakdown(runs: readonly RunRecord[], modes: readonly string[], by: Dimension, lines: FunctionLines | null = null, resultsBuild = ''): Breakdown {
  const groups = new Map<string, { runs: RunRecord[]; faults: Set<string>; server: string; file?: string; fn?: string }>();
  for (const r of runs) {
    let key: string;
    let extra: { file?: string; fn?: string } = {};
    if (by === 'server') key = r.server ?? '';
    else if (by === 'fault-type') key = r.faultType;
    else {
      const loc = blockLocation(r.block);
      key = `${r.server ?? ''}|${loc.file}|${loc.function}`;
      extra = { file: loc.file, fn: loc.function };
    }
    let g = groups.get(key);
    if (!g) { g = { runs: [], faults: new Set(), server: r.server ?? '', ...extra }; groups.set(key, g); }
    g.runs.push(r);
    g.faults.add(faultKeyOf(r));
  }
  const out: Group[] = [...groups.entries()].map(([key, g]) => {
    const base = { server: g.server, faults: g.faults.size, modes: survivability(g.runs, modes) };
    if (by !== 'function') return { label: key, ...base };
    const line = lines?.lines.get(functionKey(g.file!, g.fn!)) ?? null;
    // Shared code (a file outside the server's folder) is one group per server: the label says which.
    const shared = !g.file!.startsWith(`${g.server}/`);
    return { label: `${g.file}:${g.fn}${shared ? ` (${g.server})` : ''}`, file: g.file, function: g.fn, line, ...base };
  });
  if (by === 'fault-type') {
    const rank = (t: string) => { const i = (FAULT_TYPES as readonly string[]).indexOf(t); return i < 0 ? FAULT_TYPES.length : i; };
    out.sort((a, b) => rank(a.label) - rank(b.label) || cmp(a.label, b.label));
  } else if (by === 'server') out.sort((a, b) => cmp(a.label, b.label));
  else out.sort((a, b) => cmp(a.server, b.server) || cmp(a.file!, b.file!) || (a.line ?? Infinity) - (b.line ?? Infinity) || cmp(a.function!, b.function!));
  return {
    by, groups: out,
    ...(by === 'function' ? { lines: { buildHash: lines?.buildHash ?? null, sameBuild: lines !== null && lines.buildHash === resultsBuild } } : {}),
  };
}

/** A function group as people read it: where (file:line) and the name, the server for shared code. */
export function functionLabel(g: Group): string {
  const shared = g.file !== undefined && !g.file.startsWith(`${g.server}/`);
  return `${g.line != null ? `${g.file}:${g.line}` : g.file} ${g.function}${shared ? ` (${g.server})` : ''}`;
}

/** A comma-separated list of dimensions; throws RangeError naming the bad one. */
export function parseDimensions(spec: string): Dimension[] {
  const parts = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new RangeError(`expected one or more of ${DIMENSIONS.join(', ')}`);
  for (const p of parts) if (!(DIMENSIONS as readonly string[]).includes(p)) throw new RangeError(`"${p}" is not a breakdown; expected ${DIMENSIONS.join(', ')}`);
  return [...new Set(parts)] as Dimension[];
}
