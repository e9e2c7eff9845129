/**
 * The Wilson score interval for a binomial proportion (Wilson 1927), without continuity correction: the set of p
 * for which the score test of H₀: π = p does not reject at the given level, i.e. the roots in p of
 * (p̂ − p)² = z²·p(1 − p)/n. Newcombe (1998) compared seven intervals and recommends it: unlike the Wald interval
 * it never leaves [0, 1], is never zero-width, and keeps close to nominal coverage for small n or p near 0 or 1.
 */
import { zForLevel } from "./normal";

/** A proportion with its interval. */
export interface ProportionInterval {
  /** Successes. */
  k: number;
  /** Trials. */
  n: number;
  /** k / n. */
  estimate: number;
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/**
 * The Wilson score interval for k successes in n trials at `level` (default 0.95, z = 1.959963984540054).
 *
 * Returns null when n = 0: there is no estimate, and an interval of [0, 1] would look like data. k = 0 gives a
 * lower bound of exactly 0 and k = n an upper bound of exactly 1. k may be a half-integer: a tie (an imported 50/50
 * verdict) counts half a success (TIE_CREDIT, lib/debate/scoring.ts). Throws RangeError unless n is an integer and
 * k a multiple of 0.5 with 0 ≤ k ≤ n.
 */
export function wilsonInterval(k: number, n: number, options: { level?: number } = {}): ProportionInterval | null {
  const level = options.level ?? 0.95;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(2 * k) || k < 0 || k > n)
    throw new RangeError(`k must be a multiple of 0.5 in 0..${n}, got ${k}`);
  const z = zForLevel(level);
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    k,
    n,
    estimate: p,
    lower: k === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: k === n ? 1 : Math.min(1, centre + halfWidth),
    level,
  };
}
