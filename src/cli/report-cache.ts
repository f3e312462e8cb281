/*
 * The report's cache of experiment results (`osiris-fi report --reuse`):
 * each experiment's JSON result is kept under the report's output folder,
 * keyed by the build hashes of the variants it runs, a hash of the tool's
 * compiled code (and, for the RCB, of the sources it counts), the tool's
 * version and the experiment's settings. An entry is used only when its key
 * matches exactly; a stale, unreadable or malformed entry is recomputed,
 * never trusted.
 *
 * The entry points into this file are:
 *   cacheKey     the key of one experiment at this installation and settings
 *   readCache    the cached result for that key, or why there is none
 *   writeCache   keep a freshly computed result
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadBlockMap } from '../sim/variants';
import type { VariantName } from '../osiris/build-variants';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The builds each experiment boots. */
const VARIANTS: Record<string, VariantName[]> = {
  coverage: ['osiris+prof'], bench: ['baseline', 'ckpt', 'osiris'], memory: ['osiris'], disruption: ['osiris'], rcb: [],
};

/** A hash of every file under `dir` whose name ends with `ext`, in sorted path order (missing directory: 'none'). */
function treeHash(dir: string, ext: string): string {
  if (!fs.existsSync(dir)) return 'none';
  const h = crypto.createHash('sha256');
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) { h.update(path.relative(dir, p)); h.update('\0'); h.update(fs.readFileSync(p)); }
    }
  };
  walk(dir);
  return h.digest('hex');
}

let codeHash: string | null = null;

export interface CacheKey { experiment: string; version: string; variants: Record<string, string>; code: string; sources?: string; settings: unknown }

export function cacheKey(experiment: string, version: string, settings: unknown): CacheKey {
  codeHash ??= treeHash(path.join(ROOT, 'dist', 'src'), '.js');
  const variants: Record<string, string> = {};
  for (const v of VARIANTS[experiment] ?? []) variants[v] = loadBlockMap(v).hash;
  return { experiment, version, variants, code: codeHash, ...(experiment === 'rcb' ? { sources: treeHash(path.join(ROOT, 'src'), '.ts') } : {}), settings };
}

const fileOf = (outDir: string, experiment: string) => path.join(outDir, 'cache', `${experiment}.json`);

/** The cached value when the entry's key is this one; otherwise why it cannot be used. */
export function readCache<T>(outDir: string, key: CacheKey): { ok: true; value: T; savedAt: string } | { ok: false; why: string } {
  const f = fileOf(outDir, key.experiment);
  if (!fs.existsSync(f)) return { ok: false, why: 'not cached' };
  let entry: { key?: unknown; value?: unknown; savedAt?: unknown };
  try { entry = JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return { ok: false, why: 'unreadable cache entry' }; }
  if (!entry || typeof entry !== 'object' || entry.value === undefined || typeof entry.savedAt !== 'string') return { ok: false, why: 'malformed cache entry' };
  if (JSON.stringify(entry.key) !== JSON.stringify(key)) return { ok: false, why: 'stale (build, version or settings changed)' };
  return { ok: true, value: entry.value as T, savedAt: entry.savedAt };
}

export function writeCache(outDir: string, key: CacheKey, value: unknown, savedAt: string): void {
  const f = fileOf(outDir, key.experiment);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const tmp = `${f}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ key, savedAt, value }) + '\n');
  fs.renameSync(tmp, f);
}
