/* The instrumented build variants and how the simulation loads one. */
import path from 'node:path';
import fs from 'node:fs';
import type { ServerDef } from '../os/sef/server';
import type { BlockInfo } from './blocks';

export const VARIANTS = ['baseline', 'ckpt', 'osiris', 'osiris+edfi', 'osiris+prof'] as const;
export type VariantName = (typeof VARIANTS)[number];

export function isVariant(s: string): s is VariantName {
  return (VARIANTS as readonly string[]).includes(s);
}

/** Folder name of a variant ("osiris+edfi" -> "osiris-edfi"). */
export function variantDir(v: VariantName): string {
  return v.replace('+', '-');
}

/** dist/ of this installation (this file is dist/src/instrument/variants.js). */
export const DIST = path.resolve(__dirname, '..', '..');

export function variantPath(v: VariantName, ...rest: string[]): string {
  return path.join(DIST, 'variants', variantDir(v), ...rest);
}

export interface BlockMap {
  variant: VariantName;
  /** Hash of the variant's emitted code: a build's identity. */
  hash: string;
  /** The SANITYCHECKS switch the build ran with (servers' self-checks kept). */
  sanityChecks?: boolean;
  blocks: BlockInfo[];
}

const cache = new Map<string, unknown>();

export function loadVariant(v: VariantName): ServerDef<any>[] {
  const p = variantPath(v, 'index.js');
  if (!fs.existsSync(p)) throw new Error(`variant ${v} is not built (missing ${p}); run \`npm run build\``);
  return (require(p) as { BOOT_SERVERS: ServerDef<any>[] }).BOOT_SERVERS;
}

export function loadBlockMap(v: VariantName): BlockMap {
  const p = variantPath(v, 'blocks.json');
  const hit = cache.get(p);
  if (hit) return hit as BlockMap;
  if (!fs.existsSync(p)) throw new Error(`variant ${v} is not built (missing ${p}); run \`npm run build\``);
  const map = JSON.parse(fs.readFileSync(p, 'utf8')) as BlockMap;
  cache.set(p, map);
  return map;
}
