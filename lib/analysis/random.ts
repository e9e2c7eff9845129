/**
 * Seeded randomness for resampling. Every bootstrap and permutation test here draws from {@link mulberry32} (the
 * project's generator, lib/random.ts) seeded from an explicit seed, so a result page shows the same interval on
 * every load and a test can pin its numbers. Nothing here touches Math.random or the clock.
 */
import { hashSeed, mulberry32, type Rng } from "../random";

export type { Rng };

/** A seed: a 32-bit integer, or any string (hashed with FNV-1a, e.g. an experiment id). */
export type Seed = number | string;

/** The seed used when a caller gives none, so results are reproducible by default. */
export const DEFAULT_SEED = 20240607;

/**
 * A generator for `seed` (default {@link DEFAULT_SEED}). Numbers are reduced to 32 bits (`seed >>> 0`); strings are
 * hashed. Throws RangeError for a non-finite number.
 */
export function seededRng(seed: Seed = DEFAULT_SEED): Rng {
  if (typeof seed === "string") return mulberry32(hashSeed(seed));
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number or a string, got ${seed}`);
  return mulberry32(Math.trunc(seed) >>> 0);
}

/** A uniform integer in 0..n−1 (n ≥ 1). The bias from 32-bit resolution is below n / 2^32. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/**
 * Bootstrap multiplicities: draws n units with replacement and writes into `counts` how often each was drawn
 * (the counts sum to n). `counts` must have length n; it is overwritten.
 */
export function drawMultiplicities(rng: Rng, counts: Int32Array): Int32Array {
  const n = counts.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const unit = randomIndex(rng, n);
    counts[unit] = (counts[unit] ?? 0) + 1;
  }
  return counts;
}
