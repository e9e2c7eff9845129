/**
 * Sample quantiles and percentile intervals of bootstrap replicates.
 *
 * Quantiles interpolate linearly between order statistics: for sorted x₀ ≤ … ≤ x_{m−1}, the q-quantile is
 * x_h with h = (m − 1)·q, interpolated between x_⌊h⌋ and x_⌈h⌉ (Hyndman & Fan 1996 type 7, the default of R's
 * quantile() and NumPy's percentile()).
 */

/** The q-quantile (0 ≤ q ≤ 1) of already sorted values (type 7). NaN for an empty list. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const m = sorted.length;
  if (m === 0) return Number.NaN;
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  // a + (b − a)·frac, but exact when a === b (so a degenerate bootstrap gives a zero-width interval).
  return a === b ? a : a + (h - lo) * (b - a);
}

/**
 * The equal-tailed percentile interval at `level` of values (sorted or not; not modified): the (1 − level)/2 and
 * (1 + level)/2 quantiles. [NaN, NaN] for an empty list.
 */
export function percentileInterval(values: ArrayLike<number>, level = 0.95): { lower: number; upper: number } {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  const sorted = Float64Array.from(values).sort();
  const alpha = 1 - level;
  return { lower: quantileSorted(sorted, alpha / 2), upper: quantileSorted(sorted, 1 - alpha / 2) };
}
