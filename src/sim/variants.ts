/* Loading a built variant at run time: its boot image (server definitions) and its block map. */
import fs from 'node:fs';
import type { ServerDef } from '../os/sef/server';
import type { BlockMap } from '../edfi/block-map';
import { VariantName, variantPath } from '../osiris/build-variants';
import { RECOVERABLE_SERVERS } from '../os/servers/index';

export { VARIANTS, isVariant, DIST, variantPath } from '../osiris/build-variants';
export type { VariantName } from '../osiris/build-variants';
export type { BlockMap, BlockInfo } from '../edfi/block-map';

const cache = new Map<string, BlockMap>();

export function loadVariant(v: VariantName): ServerDef<unknown>[] {
  const p = variantPath(v, 'index.js');
  if (!fs.existsSync(p)) throw new Error(`variant ${v} is not built (missing ${p}); run \`npm run build\``);
  return (require(p) as { BOOT_SERVERS: ServerDef<unknown>[] }).BOOT_SERVERS;
}

export function loadBlockMap(v: VariantName): BlockMap {
  const p = variantPath(v, 'blocks.json');
  const hit = cache.get(p);
  if (hit) return hit;
  if (!fs.existsSync(p)) throw new Error(`variant ${v} is not built (missing ${p}); run \`npm run build\``);
  const map = JSON.parse(fs.readFileSync(p, 'utf8')) as BlockMap;
  cache.set(p, map);
  return map;
}

/** The process slot of the server that holds a block of the osiris+edfi build (by dense index). */
export function faultServerSlot(block: number): number {
  const name = loadBlockMap('osiris+edfi').blocks[block]?.server;
  const server = RECOVERABLE_SERVERS.find((e) => e.name === name);
  if (!server) throw new Error(`block ${block} of osiris+edfi belongs to no recoverable server`);
  return server.slot;
}
