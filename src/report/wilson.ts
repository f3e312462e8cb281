/*
 * Wilson score intervals for a proportion (Wilson 1927; Newcombe 1998,
 * method 3, no continuity correction): unlike the normal approximation they
 * stay inside [0, 1] and behave at 0% and 100%, which survivability tables
 * hit often (e.g. Shutdown under naive).
 *
 * The entry points into this file are:
 *   wilson   point estimate and interval of k successes in n trials
 */

const Z95 = 1.959963984540054;

export interface Interval {
  /** k / n (NaN when n is 0). */
  p: number;
  lo: number;
  hi: number;
}

export function wilson(k: number, n: number, z: number = Z95): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || k < 0 || k > n) {
    throw new RangeError(`wilson: expected integers 0 <= k <= n, got k=${k}, n=${n}`);
  }
  if (n === 0) return { p: NaN, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the bound is exactly 0 or 1; rounding must not push it past.
  return { p, lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half) };
}
