/*
 * Filters over run records for compare, export and diff: --server,
 * --fault-type, --outcome and --mode, each a comma-separated list (a run is
 * kept when it matches every filter given, any value of each). Values are
 * checked against what they could name, so a typo is one line rather than
 * an empty table.
 *
 * The entry points into this file are:
 *   FilterOptions   the options as the command line gives them
 *   RunFilter       the parsed filter
 *   parseFilter     options to a filter, checked against the results (throws FilterError)
 *   applyFilter     the results with only the matching runs
 *   describeFilter  "--server pm --mode enhanced", for headings
 *   FilterError     the one-line error of a bad value
 */
import { OUTCOMES } from '../experiment/classify';
import { FAULT_TYPES } from '../edfi/fault-types';
import type { Results } from './load-results';
import { tableColumn } from './survivability';

export class FilterError extends Error {
  constructor(message: string) { super(message); this.name = 'FilterError'; }
}

export interface FilterOptions { server?: string; faultType?: string; outcome?: string; mode?: string }

export interface RunFilter {
  servers?: string[];
  faultTypes?: string[];
  outcomes?: string[];
  modes?: string[];
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

function values(flag: string, spec: string | undefined, known: readonly string[], what: string): string[] | undefined {
  if (spec === undefined) return undefined;
  const vs = list(spec);
  if (vs.length === 0) throw new FilterError(`${flag} "${spec}": expected one or more ${what}, comma-separated`);
  for (const v of vs) if (!known.includes(v)) throw new FilterError(`${flag} ${v}: expected ${what} (${known.join(', ')})`);
  return vs;
}

/** Servers and modes must be ones the results hold (a misspelt name is an error, not an empty table). */
export function parseFilter(opts: FilterOptions, res: Pick<Results, 'runs' | 'manifest'>): RunFilter {
  const servers = [...new Set(res.runs.map((r) => r.server).filter((s) => typeof s === 'string'))].sort();
  const modes = [...new Set([...res.manifest.modes, ...res.runs.map((r) => r.mode)])];
  const f: RunFilter = {};
  const s = values('--server', opts.server, servers, 'a server these results hold');
  if (s) f.servers = s;
  const t = values('--fault-type', opts.faultType, FAULT_TYPES, 'a fault type');
  if (t) f.faultTypes = t;
  const o = values('--outcome', opts.outcome, OUTCOMES, 'an outcome');
  if (o) f.outcomes = o;
  const m = values('--mode', opts.mode, modes, 'a mode of these results');
  if (m) f.modes = m;
  return f;
}

export const isEmptyFilter = (f: RunFilter) => !f.servers && !f.faultTypes && !f.outcomes && !f.modes;

export function applyFilter<R extends Pick<Results, 'runs'>>(res: R, f: RunFilter): R {
  if (isEmptyFilter(f)) return res;
  const runs = res.runs.filter((r) =>
    (!f.servers || f.servers.includes(r.server)) &&
    (!f.faultTypes || f.faultTypes.includes(r.faultType)) &&
    (!f.outcomes || f.outcomes.includes(tableColumn(r))) &&
    (!f.modes || f.modes.includes(r.mode)));
  return { ...res, runs };
}

export function describeFilter(f: RunFilter): string {
  const parts: string[] = [];
  if (f.servers) parts.push(`--server ${f.servers.join(',')}`);
  if (f.faultTypes) parts.push(`--fault-type ${f.faultTypes.join(',')}`);
  if (f.outcomes) parts.push(`--outcome ${f.outcomes.join(',')}`);
  if (f.modes) parts.push(`--mode ${f.modes.join(',')}`);
  return parts.join(' ');
}
