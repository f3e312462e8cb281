/*
 * Source lines for the recoverability map: the block map of the build that
 * campaigns run on (osiris+edfi) gives each block's line; a function's line
 * is that of its first block. Run records carry block ids only, so this is
 * the one place the report reads the build's block map (the loader's
 * module is imported here and nowhere else in src/report).
 *
 * The entry points into this file are:
 *   FunctionLines    lines by "<file>|<function>" and the build they came from
 *   functionLines    read them from the installed build (null when it is not built)
 */
import { loadBlockMap } from '../sim/variants';
import { blockLocation } from '../experiment/fault-select';

export interface FunctionLines {
  /** The build's hash (compare with a manifest's variantHash: other builds may have moved lines). */
  buildHash: string;
  /** First line of each function by "<file>|<function>", file as block ids name it ("pm/signal.ts"). */
  lines: Map<string, number>;
}

export const functionKey = (file: string, fn: string) => `${file}|${fn}`;

export function functionLines(): FunctionLines | null {
  let map;
  try { map = loadBlockMap('osiris+edfi'); } catch { return null; }
  const lines = new Map<string, number>();
  for (const b of map.blocks) {
    const loc = blockLocation(b.id);
    const k = functionKey(loc.file, loc.function);
    const had = lines.get(k);
    if (had === undefined || b.line < had) lines.set(k, b.line);
  }
  return { buildHash: map.hash, lines };
}
