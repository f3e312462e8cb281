/*
 * A campaign's fault selection (the optional `select` field): which servers,
 * files, functions and fault types the picker may draw from. It narrows the
 * pool of the fault model's faults before any sampling, so a sample of N is
 * N faults of the selection. Each value must match some eligible fault, so
 * a typo is one line naming the field rather than an empty campaign.
 *
 * The entry points into this file are:
 *   FaultSelection   the field as the campaign file gives it
 *   blockLocation    the file and function a block id names
 *   globMatcher      a "do_*"-style pattern as a predicate
 *   selectFaults     the faults of a pool the selection keeps
 */
import { CampaignError } from './campaign-spec';
import type { FaultSelection } from './campaign-spec';

export type { FaultSelection };


export interface BlockLocation {
  /** The file as the block id names it ("pm/signal.ts"; shared code: the path after the "<server>:" prefix). */
  file: string;
  function: string;
}

/**
 * "pm/signal.ts:do_kill#3" -> pm/signal.ts, do_kill. Shared code instrumented
 * per server has ids like "pm:sef/loop.ts:sef_loop#0"; the server prefix is
 * dropped (the record's and block's `server` field says which server ran it).
 */
export function blockLocation(id: string): BlockLocation {
  const noIndex = id.replace(/#\d+$/, '');
  const cut = noIndex.lastIndexOf(':');
  if (cut < 0) return { file: noIndex, function: '' };
  let file = noIndex.slice(0, cut);
  const prefix = /^[A-Za-z0-9_-]+:/.exec(file);
  if (prefix) file = file.slice(prefix[0].length);
  return { file, function: noIndex.slice(cut + 1) };
}

/** "*" any run of characters, "?" one character, anything else literally; the whole name must match. */
export function globMatcher(pattern: string): (s: string) => boolean {
  const re = new RegExp('^' + pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+(){}[\]]/g, '\\$&'))).join('') + '$');
  return (s) => re.test(s);
}

interface Selectable { block: { id: string; server: string }; faultType: string }

/** Why a selection value matched nothing is named by its field path, e.g. select.files.1. */
export function selectFaults<F extends Selectable>(pool: F[], sel: FaultSelection | undefined, where: string, modelName: string): F[] {
  if (!sel) return pool;
  const tests: { field: string; values: string[]; of: (f: F) => string; match: (v: string) => (s: string) => boolean }[] = [];
  const exact = (v: string) => (s: string) => s === v;
  if (sel.servers) tests.push({ field: 'servers', values: sel.servers, of: (f) => f.block.server, match: exact });
  if (sel.files) tests.push({ field: 'files', values: sel.files, of: (f) => blockLocation(f.block.id).file, match: globMatcher });
  if (sel.functions) tests.push({ field: 'functions', values: sel.functions, of: (f) => blockLocation(f.block.id).function, match: globMatcher });
  if (sel.faultTypes) tests.push({ field: 'faultTypes', values: sel.faultTypes, of: (f) => f.faultType, match: exact });
  const keep = tests.map((t) => {
    const preds = t.values.map(t.match);
    preds.forEach((p, i) => {
      if (!pool.some((f) => p(t.of(f)))) {
        const example = pool.length ? ` (e.g. "${t.of(pool[0]!)}")` : '';
        throw new CampaignError(`${where}: field "select.${t.field}.${i}": "${t.values[i]}" matches no eligible fault under fault model ${modelName}${example}`);
      }
    });
    return (f: F) => preds.some((p) => p(t.of(f)));
  });
  const out = pool.filter((f) => keep.every((k) => k(f)));
  if (out.length === 0) throw new CampaignError(`${where}: field "select": no eligible fault matches all of its fields together; widen one of them`);
  return out;
}
