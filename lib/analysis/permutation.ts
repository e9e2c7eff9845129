/**
 * Permutation tests for a difference in accuracy between two conditions.
 *
 * Under the null hypothesis that the condition does not affect whether a judgment is right, the condition labels
 * are exchangeable, so the observed difference can be compared with the differences obtained by reshuffling them.
 * Which reshuffles are allowed depends on the design:
 *
 * - Stratified by judge (the default when possible): labels are shuffled only among each judge's own judgments,
 *   so every judge keeps as many judgments in each condition as they had. Judge ability then cancels: a strong
 *   judge's correct answers can only move between that judge's conditions. Judges who saw one condition only
 *   contribute a constant and carry no information.
 * - Unstratified: labels are shuffled over all judgments. This assumes judgments are exchangeable across judges,
 *   which fails when judges differ in ability and each saw only one condition (a between-judge design); the p-value
 *   is then too small. Prefer the cluster bootstrap interval for such designs.
 *
 * "auto" stratifies when at least half of the judgments come from judges who saw both conditions
 * ({@link AUTO_STRATIFY_SHARE}), and otherwise falls back to unstratified. The result says which was used.
 *
 * Since the number of A labels in each stratum is fixed, a reshuffle changes the statistic only through X, the
 * number of correct judgments labelled A, and within a stratum of n judgments with c correct and a labelled A the
 * reshuffled count is hypergeometric(n, c, a). So the Monte Carlo test draws one hypergeometric count per stratum
 * (inverting its tabulated CDF: a binary search), which is the same in distribution as shuffling the rows but costs
 * O(strata · log) per permutation instead of O(rows); the exact test convolves the hypergeometric distributions.
 * Ties (imported 50/50 verdicts, half correct in accuracy) are left out: the test needs right/wrong outcomes.
 * See docs/statistics.md.
 */
import type { Judgment } from "./bootstrap";
import { type Rng, type Seed, seededRng } from "./random";

/** How condition labels are permuted. */
export type Stratification = "judge" | "none" | "auto";

/** Which differences count as at least as extreme as the observed d = accuracy(A) − accuracy(B). */
export type Alternative = "two-sided" | "greater" | "less";

/** With stratify "auto": stratify by judge when at least this share of the rows comes from judges who saw both. */
export const AUTO_STRATIFY_SHARE = 0.5;

/** Options of {@link permutationTest}. */
export interface PermutationOptions {
  /** Random permutations to draw (default 10,000). */
  permutations?: number;
  /** Seed (default: DEFAULT_SEED in ./random). */
  seed?: Seed;
  /** Default "auto". */
  stratify?: Stratification;
  /** Default "two-sided": |d*| ≥ |d|. "greater": d* ≥ d (A better). "less": d* ≤ d. */
  alternative?: Alternative;
}

/** What both permutation tests report. */
export interface PermutationResult {
  conditionA: string;
  conditionB: string;
  /** accuracy(A) − accuracy(B) on the data. */
  observed: number;
  accuracyA: number;
  accuracyB: number;
  nA: number;
  nB: number;
  pValue: number;
  alternative: Alternative;
  /** Whether labels were permuted within judges. */
  stratified: boolean;
  /** Judges with rows in both conditions, and the share of the A and B rows that are theirs. */
  mixedJudges: number;
  mixedShare: number;
}

/** A Monte Carlo permutation test's result. */
export interface MonteCarloPermutationResult extends PermutationResult {
  /** Random permutations drawn. */
  permutations: number;
  /** Of them, at least as extreme as the data. pValue = (extreme + 1) / (permutations + 1). */
  extreme: number;
}

/** One stratum's counts: judgments n, of them correct c, of them labelled A a, and correct among those x. */
interface Stratum {
  n: number;
  c: number;
  a: number;
  x: number;
}

interface Prepared {
  strata: Stratum[];
  stratified: boolean;
  nA: number;
  nB: number;
  /** Correct judgments in A and B together (fixed under permutation). */
  correct: number;
  /** Correct judgments labelled A in the data. */
  observedX: number;
  mixedJudges: number;
  mixedShare: number;
  alternative: Alternative;
}

function prepare(
  rows: readonly Judgment[],
  conditionA: string,
  conditionB: string,
  stratify: Stratification,
  alternative: Alternative,
): Prepared | null {
  if (conditionA === conditionB) throw new RangeError(`the two conditions must differ, got "${conditionA}" twice`);
  if (stratify !== "judge" && stratify !== "none" && stratify !== "auto") {
    throw new RangeError(`stratify must be "judge", "none" or "auto", got "${stratify}"`);
  }
  if (alternative !== "two-sided" && alternative !== "greater" && alternative !== "less") {
    throw new RangeError(`alternative must be "two-sided", "greater" or "less", got "${alternative}"`);
  }
  const byJudge = new Map<string, Stratum>();
  for (const row of rows) {
    const isA = row.condition === conditionA;
    if (!isA && row.condition !== conditionB) continue;
    // The test compares right/wrong counts; a tie (imported 50/50 verdict) is neither, so it is left out.
    if (row.tie) continue;
    let s = byJudge.get(row.judge);
    if (!s) {
      s = { n: 0, c: 0, a: 0, x: 0 };
      byJudge.set(row.judge, s);
    }
    s.n++;
    if (row.correct) s.c++;
    if (isA) {
      s.a++;
      if (row.correct) s.x++;
    }
  }
  const judges = [...byJudge.values()];
  let nA = 0;
  let n = 0;
  let correct = 0;
  let observedX = 0;
  let mixedJudges = 0;
  let mixedRows = 0;
  for (const s of judges) {
    nA += s.a;
    n += s.n;
    correct += s.c;
    observedX += s.x;
    if (s.a > 0 && s.a < s.n) {
      mixedJudges++;
      mixedRows += s.n;
    }
  }
  const nB = n - nA;
  if (nA === 0 || nB === 0) return null;
  const mixedShare = mixedRows / n;
  const stratified = stratify === "judge" || (stratify === "auto" && mixedShare >= AUTO_STRATIFY_SHARE);
  const strata = stratified ? judges : [{ n, c: correct, a: nA, x: observedX }];
  return { strata, stratified, nA, nB, correct, observedX, mixedJudges, mixedShare, alternative };
}

/**
 * Whether a permuted count x is at least as extreme as the observed one. The statistic is
 * d(x) = x/nA − (C − x)/nB, increasing in x; |d(x)| ≥ |d(x₀)| is compared as |x(nA + nB) − C·nA| ≥ |x₀(nA + nB) − C·nA|
 * (both sides times nA·nB), in integers, so ties are exact.
 */
function extremeTest(p: Prepared): (x: number) => boolean {
  const { nA, nB, correct, observedX } = p;
  if (p.alternative === "greater") return (x) => x >= observedX;
  if (p.alternative === "less") return (x) => x <= observedX;
  const observed = Math.abs(observedX * (nA + nB) - correct * nA);
  return (x) => Math.abs(x * (nA + nB) - correct * nA) >= observed;
}

function summarise(p: Prepared, conditionA: string, conditionB: string, pValue: number): PermutationResult {
  const correctB = p.correct - p.observedX;
  const accuracyA = p.observedX / p.nA;
  const accuracyB = correctB / p.nB;
  return {
    conditionA,
    conditionB,
    observed: accuracyA - accuracyB,
    accuracyA,
    accuracyB,
    nA: p.nA,
    nB: p.nB,
    pValue,
    alternative: p.alternative,
    stratified: p.stratified,
    mixedJudges: p.mixedJudges,
    mixedShare: p.mixedShare,
  };
}

/**
 * The hypergeometric distribution: successes in `draws` draws without replacement from `total` items of which
 * `successes` are successes. Returns the support's lowest value and the probabilities from there, computed from the
 * mode outwards with the ratio P(x + 1)/P(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)) and normalised (no
 * factorials, so no overflow and ~1e-13 relative accuracy even for N in the hundreds of thousands).
 */
export function hypergeometricPmf(total: number, successes: number, draws: number): { lo: number; pmf: Float64Array } {
  for (const [name, v] of [
    ["total", total],
    ["successes", successes],
    ["draws", draws],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  if (successes > total || draws > total) throw new RangeError("successes and draws cannot exceed total");
  const lo = Math.max(0, draws + successes - total);
  const hi = Math.min(draws, successes);
  const pmf = new Float64Array(hi - lo + 1);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (successes + 1)) / (total + 2))));
  const ratio = (x: number) => ((successes - x) * (draws - x)) / ((x + 1) * (total - successes - draws + x + 1));
  pmf[mode - lo] = 1;
  for (let x = mode; x < hi; x++) pmf[x + 1 - lo] = (pmf[x - lo] ?? 0) * ratio(x);
  for (let x = mode; x > lo; x--) pmf[x - 1 - lo] = (pmf[x - lo] ?? 0) / ratio(x - 1);
  let sum = 0;
  for (const p of pmf) sum += p;
  for (let i = 0; i < pmf.length; i++) pmf[i] = (pmf[i] ?? 0) / sum;
  return { lo, pmf };
}

/** A sampler for a fixed hypergeometric distribution by inverting its tabulated CDF (binary search per draw). */
function hypergeometricSampler(total: number, successes: number, draws: number): (rng: Rng) => number {
  const { lo, pmf } = hypergeometricPmf(total, successes, draws);
  const cdf = new Float64Array(pmf.length);
  let running = 0;
  for (let i = 0; i < pmf.length; i++) {
    running += pmf[i] ?? 0;
    cdf[i] = running;
  }
  cdf[cdf.length - 1] = 1;
  return (rng) => {
    const u = rng();
    // The smallest i with cdf[i] > u.
    let left = 0;
    let right = cdf.length - 1;
    while (left < right) {
      const mid = (left + right) >>> 1;
      if ((cdf[mid] ?? 1) > u) right = mid;
      else left = mid + 1;
    }
    return lo + left;
  };
}

/**
 * A Monte Carlo permutation test of accuracy(A) − accuracy(B), stratified by judge when possible (see the module
 * comment and `stratify`). The p-value is (extreme + 1) / (permutations + 1), counting the data as one of the
 * permutations, so it is never 0 and the test never rejects more often than its level (Phipson & Smyth 2010).
 *
 * Rows of other conditions are ignored. Returns null when A or B has no rows.
 */
export function permutationTest(
  rows: readonly Judgment[],
  conditionA: string,
  conditionB: string,
  options: PermutationOptions = {},
): MonteCarloPermutationResult | null {
  const permutations = options.permutations ?? 10_000;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(`permutations must be a positive integer, got ${permutations}`);
  }
  const p = prepare(rows, conditionA, conditionB, options.stratify ?? "auto", options.alternative ?? "two-sided");
  if (p === null) return null;
  // Strata whose count cannot change (one condition only, or all right, or all wrong) add a constant.
  let fixed = 0;
  const variable: Stratum[] = [];
  for (const s of p.strata) {
    if (s.a === 0 || s.a === s.n || s.c === 0 || s.c === s.n) fixed += s.x;
    else variable.push(s);
  }
  const samplers = variable.map((s) => hypergeometricSampler(s.n, s.c, s.a));
  const isExtreme = extremeTest(p);
  const rng = seededRng(options.seed);
  let extreme = 0;
  for (let r = 0; r < permutations; r++) {
    let x = fixed;
    for (const sample of samplers) x += sample(rng);
    if (isExtreme(x)) extreme++;
  }
  return { ...summarise(p, conditionA, conditionB, (extreme + 1) / (permutations + 1)), permutations, extreme };
}

/** Options of {@link exactPermutationTest}. */
export interface ExactPermutationOptions {
  /** Default "auto". */
  stratify?: Stratification;
  /** Default "two-sided". */
  alternative?: Alternative;
  /** Give up (return null) if the convolution would take more than this many steps (default 50,000,000). */
  maxSteps?: number;
}

/**
 * The exact permutation p-value: the share of all label permutations (within judges when stratified) at least as
 * extreme as the data, from the exact distribution of the correct-in-A count (a convolution of hypergeometric
 * distributions, one per stratum). No Monte Carlo error and no +1 correction.
 *
 * Returns null when A or B has no rows, or when the computation would exceed `maxSteps` (use
 * {@link permutationTest} then). Suited to small studies (hundreds to a few thousand judgments).
 */
export function exactPermutationTest(
  rows: readonly Judgment[],
  conditionA: string,
  conditionB: string,
  options: ExactPermutationOptions = {},
): PermutationResult | null {
  const p = prepare(rows, conditionA, conditionB, options.stratify ?? "auto", options.alternative ?? "two-sided");
  if (p === null) return null;
  const maxSteps = options.maxSteps ?? 50_000_000;
  let steps = 0;
  let support = 1;
  for (const s of p.strata) {
    const width = Math.min(s.a, s.c) - Math.max(0, s.a + s.c - s.n) + 1;
    steps += support * width;
    support += width - 1;
  }
  if (steps > maxSteps) return null;
  // dist[k] = P(X = offset + k), built stratum by stratum.
  let dist = new Float64Array([1]);
  let offset = 0;
  for (const { n, c, a } of p.strata) {
    const { lo, pmf } = hypergeometricPmf(n, c, a);
    const next = new Float64Array(dist.length + pmf.length - 1);
    for (let i = 0; i < dist.length; i++) {
      const pi = dist[i] ?? 0;
      if (pi === 0) continue;
      for (let j = 0; j < pmf.length; j++) next[i + j] = (next[i + j] ?? 0) + pi * (pmf[j] ?? 0);
    }
    dist = next;
    offset += lo;
  }
  const isExtreme = extremeTest(p);
  let pValue = 0;
  let mass = 0;
  for (let k = 0; k < dist.length; k++) {
    const pk = dist[k] ?? 0;
    mass += pk;
    if (isExtreme(offset + k)) pValue += pk;
  }
  return summarise(p, conditionA, conditionB, Math.min(1, pValue / mass));
}
