/*
 * The build variants of the recoverable servers — which OSIRIS (and EDFI)
 * run-time hooks each carries — and where the build step writes them
 * (dist/variants/<variant>/). Shared by the build step (src/instrument),
 * which writes them, and the composition root (src/sim), which loads them.
 */
import path from 'node:path';

export const VARIANTS = ['baseline', 'ckpt', 'osiris', 'osiris+edfi', 'osiris+prof'] as const;
export type VariantName = (typeof VARIANTS)[number];

export function isVariant(s: string): s is VariantName {
  return (VARIANTS as readonly string[]).includes(s);
}

/** Folder name of a variant ("osiris+edfi" -> "osiris-edfi"). */
export function variantDir(v: VariantName): string {
  return v.replace('+', '-');
}

/** dist/ of this installation (this file is dist/src/osiris/build-variants.js). */
export const DIST = path.resolve(__dirname, '..', '..');

export function variantPath(v: VariantName, ...rest: string[]): string {
  return path.join(DIST, 'variants', variantDir(v), ...rest);
}
