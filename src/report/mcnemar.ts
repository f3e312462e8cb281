/*
 * McNemar's test for paired binary outcomes: the same faults run under two
 * campaigns, each fault survived (pass) or not under each. Only the
 * discordant pairs carry information: b = survived under A only, c =
 * survived under B only. Under the null hypothesis (no change) each
 * discordant fault is equally likely to go either way.
 *
 * Small b + c (below 25) get the exact binomial test, two-sided:
 * p = min(1, 2 * P(X <= min(b, c))), X ~ Binomial(b + c, 1/2). Larger ones
 * get the chi-square statistic with continuity correction,
 * (|b - c| - 1)^2 / (b + c), against chi-square with one degree of freedom.
 *
 * The entry points into this file are:
 *   McNemar           the test's result
 *   mcnemar           the test on the discordant counts b and c
 *   EXACT_BELOW       b + c below which the exact test is used
 *   chiSquare1Upper   P(X > x) for X ~ chi-square with one degree of freedom
 */

export const EXACT_BELOW = 25;

export interface McNemar {
  b: number;
  c: number;
  method: 'exact' | 'chi-square';
  /** The chi-square statistic (with continuity correction); null for the exact test. */
  statistic: number | null;
  /** Two-sided p-value; 1 when there is no discordant pair. */
  p: number;
}

/** P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n cannot overflow. */
function binomialHalfCdf(k: number, n: number): number {
  let logC = 0; // log C(n, 0)
  let sum = 0;
  const logHalfN = -n * Math.LN2;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + logHalfN);
  }
  return sum;
}

/** erfc(x) for x >= 0 (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return y;
}

export function chiSquare1Upper(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

export function mcnemar(b: number, c: number): McNemar {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError(`mcnemar: expected counts, got b=${b}, c=${c}`);
  const n = b + c;
  if (n === 0) return { b, c, method: 'exact', statistic: null, p: 1 };
  if (n < EXACT_BELOW) return { b, c, method: 'exact', statistic: null, p: Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n)) };
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, method: 'chi-square', statistic, p: Math.min(1, chiSquare1Upper(statistic)) };
}
