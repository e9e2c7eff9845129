/**
 * Statistics for the results page: pure functions, no I/O, every random step seeded. Conventions, references and the
 * reasons for each choice are in docs/statistics.md.
 */

/** Types of the bootstrap functions. */
export type {
  BootstrapInterval,
  BootstrapOptions,
  ClusterBootstrapOptions,
  ClusteredAccuracy,
  ClusteredAccuracyDifference,
  ClusterResampling,
  Judgment,
} from "./bootstrap";
/** Two-way (judge × question) pigeonhole bootstrap of the accuracy difference between two conditions. */
/** Two-way pigeonhole bootstrap of one condition's accuracy. */
/** A general bootstrap over one or more independently resampled factors, for any statistic of the multiplicities. */
export { bootstrapStatistic, clusterBootstrapAccuracy, clusterBootstrapDifference } from "./bootstrap";
// Probabilities.
/** Mean (1 − p(correct))²: half the two-option sum-over-options Brier score. */
/** Mean ln(max(p(correct), 0.01)), the game's log score without round costs. */
/** Expected (and maximum) calibration error over equal-width bins of the chosen option's confidence. */
/** Per-bin count, mean confidence and accuracy for a reliability diagram. */
/** Brier, log score, accuracy, ECE, MCE and the reliability diagram in one call. */
/** The right-closed bin (i/M, (i+1)/M] of a confidence, and a forecast's confidence and correctness. */
/** Types and constants of the calibration functions. */
export {
  brierScore,
  type CalibrationError,
  type CalibrationSummary,
  calibrationBin,
  calibrationSummary,
  confidenceAndCorrectness,
  expectedCalibrationError,
  type Forecast,
  LOG_SCORE_FLOOR,
  meanLogScore,
  type ReliabilityBin,
  reliabilityDiagram,
} from "./calibration";
/** Standard normal quantile (AS 241) and the two-sided critical value for a confidence level. */
export { normalQuantile, Z_95, zForLevel } from "./normal";
// Tests.
/** Monte Carlo permutation test of an accuracy difference, within judges when possible; p = (extreme + 1)/(B + 1). */
/** Exact permutation p-value by convolving per-judge hypergeometric distributions (small studies). */
/** The hypergeometric probabilities behind both permutation tests. */
/** Types and constants of the permutation tests. */
export {
  type Alternative,
  AUTO_STRATIFY_SHARE,
  type ExactPermutationOptions,
  exactPermutationTest,
  hypergeometricPmf,
  type MonteCarloPermutationResult,
  type PermutationOptions,
  type PermutationResult,
  permutationTest,
  type Stratification,
} from "./permutation";
/** Type-7 sample quantile of sorted values, and the equal-tailed percentile interval. */
export { percentileInterval, quantileSorted } from "./quantile";
// Resampling.
/** Seeded generators for resampling: a seed is a 32-bit number or a string; the default seed is fixed. */
export { DEFAULT_SEED, type Seed, seededRng } from "./random";
// Ratings.
/** Sequential Elo ratings (K = 32, start 1500 by default). */
/** Elo's expected score of one rating against another. */
/** Bradley–Terry ratings by MM (Hunter 2004) with a virtual-draw prior, on the Elo scale centred at 1500. */
/** Bradley–Terry ratings with bootstrap-over-games percentile intervals. */
/** Types and constants of the rating functions. */
export {
  BASE_RATING,
  type BradleyTerryFit,
  type BradleyTerryIntervals,
  type BradleyTerryOptions,
  bradleyTerry,
  bradleyTerryIntervals,
  type EloOptions,
  eloExpected,
  eloRatings,
  type PairwiseOutcome,
  type Rating,
  type RatingWithInterval,
} from "./ratings";
// Proportions.
/** Wilson score interval for k successes in n trials (null for n = 0). */
export { type ProportionInterval, wilsonInterval } from "./wilson";
