/**
 * Scoring and calibration of judges' probabilities.
 *
 * Conventions (docs/statistics.md explains why):
 * - Brier score: the mean over judgments of (1 − p)², p = the probability put on the correct option. This is the
 *   Brier score of the binary event "the correct option", in [0, 1], 0 best, 0.25 for a judge who always says 50/50.
 *   Brier's original multi-category score sums (p_k − y_k)² over all options; for two options that is exactly twice
 *   this number. Lower is better.
 * - Log score: the mean of ln(max(p, 0.01)), clipped at ln 0.01 like the game's score (lib/debate/scoring.ts) and
 *   without the game's round cost. Higher is better; 0 is perfect, ln 0.5 ≈ −0.693 is always-50/50.
 * - Calibration is measured on the chosen option (Guo et al. 2017): confidence = the largest probability, and
 *   correctness = whether that option is the correct one. When the top options tie (within 1e-6, as in the game,
 *   which refuses such verdicts), correctness is the expected accuracy of picking one of them at random: 1/t if the
 *   correct option is among the t tied, else 0. So a 50/50 forecast has confidence 0.5 and accuracy 0.5.
 * - Bins: M equal-width bins (default 10) closed on the right, (i/M, (i+1)/M], the first also including 0. So a
 *   confidence of exactly 0.5 falls in (0.4, 0.5] and 1.0 in (0.9, 1.0]. Boundaries are compared as i/M, not by
 *   multiplying, so 0.3 lands in (0.2, 0.3] despite 0.3 × 10 = 3.0000000000000004.
 * - ECE = Σ_b (n_b / N) · |accuracy_b − meanConfidence_b| (Naeini et al. 2015; Guo et al. 2017).
 */

/** A judge's probabilities over the options and the index of the correct one. */
export interface Forecast {
  probabilities: readonly number[];
  gold: number;
}

/** The floor applied to the probability on the correct option in the log score; equals MIN_SCORED_PROBABILITY. */
export const LOG_SCORE_FLOOR = 0.01;
/** Top probabilities closer than this are a tie; equals TIE_TOLERANCE in lib/debate/scoring.ts. */
export const CALIBRATION_TIE_TOLERANCE = 1e-6;
/** Probabilities must sum to 1 within this; equals PROBABILITY_SUM_TOLERANCE in lib/debate/scoring.ts. */
export const SUM_TOLERANCE = 1e-6;

function check(forecast: Forecast, index: number): void {
  const { probabilities, gold } = forecast;
  let total = 0;
  for (const p of probabilities) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`forecast ${index}: probability ${p} is outside [0, 1]`);
    total += p;
  }
  if (probabilities.length === 0 || Math.abs(total - 1) > SUM_TOLERANCE) {
    throw new RangeError(`forecast ${index}: probabilities must sum to 1, got ${total}`);
  }
  if (!Number.isInteger(gold) || gold < 0 || gold >= probabilities.length) {
    throw new RangeError(`forecast ${index}: gold ${gold} is outside 0..${probabilities.length - 1}`);
  }
}

/** The probability a forecast puts on the correct option (after checking it). */
function pCorrect(forecast: Forecast, index: number): number {
  check(forecast, index);
  return forecast.probabilities[forecast.gold] ?? 0;
}

/**
 * The chosen option's probability (confidence) and whether it was right (1 or 0; for tied top options, the share
 * of them that is correct, see the module comment). Throws RangeError for an invalid forecast.
 */
export function confidenceAndCorrectness(forecast: Forecast): { confidence: number; correct: number } {
  check(forecast, 0);
  return chosenOption(forecast);
}

function chosenOption(forecast: Forecast): { confidence: number; correct: number } {
  let confidence = 0;
  for (const p of forecast.probabilities) confidence = Math.max(confidence, p);
  let tied = 0;
  let goldTied = false;
  forecast.probabilities.forEach((p, i) => {
    if (confidence - p < CALIBRATION_TIE_TOLERANCE) {
      tied++;
      if (i === forecast.gold) goldTied = true;
    }
  });
  return { confidence, correct: goldTied ? 1 / tied : 0 };
}

/** Mean of (1 − p(correct))² (half the two-option sum-over-options Brier score). null for no forecasts. */
export function brierScore(forecasts: readonly Forecast[]): number | null {
  if (forecasts.length === 0) return null;
  let total = 0;
  forecasts.forEach((f, i) => {
    const miss = 1 - pCorrect(f, i);
    total += miss * miss;
  });
  return total / forecasts.length;
}

/** Mean of ln(max(p(correct), 0.01)) (natural log; no round cost). null for no forecasts. */
export function meanLogScore(forecasts: readonly Forecast[]): number | null {
  if (forecasts.length === 0) return null;
  let total = 0;
  forecasts.forEach((f, i) => {
    total += Math.log(Math.max(pCorrect(f, i), LOG_SCORE_FLOOR));
  });
  return total / forecasts.length;
}

/**
 * The bin (0..bins−1) of a confidence in [0, 1] with right-closed bins (i/bins, (i+1)/bins], the first also holding
 * 0. Throws RangeError for a confidence outside [0, 1] or a bin count that is not a positive integer.
 */
export function calibrationBin(confidence: number, bins = 10): number {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!(confidence >= 0 && confidence <= 1)) throw new RangeError(`confidence ${confidence} is outside [0, 1]`);
  // A first guess, then corrected against the exact boundaries i/bins (floating-point products can be off by one).
  let bin = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
  while (bin > 0 && confidence <= bin / bins) bin--;
  while (bin < bins - 1 && confidence > (bin + 1) / bins) bin++;
  return bin;
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Bounds: the bin holds confidences in (lower, upper] (the first also holds 0). */
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence and accuracy of the forecasts in the bin; null when it is empty. */
  meanConfidence: number | null;
  accuracy: number | null;
}

/**
 * A reliability diagram's data: every bin (empty ones included, so the axis is fixed) with its count, mean
 * confidence and accuracy, on the chosen option's confidence. `bins` defaults to 10.
 */
export function reliabilityDiagram(forecasts: readonly Forecast[], options: { bins?: number } = {}): ReliabilityBin[] {
  const bins = options.bins ?? 10;
  calibrationBin(0, bins);
  const count = new Float64Array(bins);
  const confidenceSum = new Float64Array(bins);
  const correctSum = new Float64Array(bins);
  forecasts.forEach((f, i) => {
    check(f, i);
    const { confidence, correct } = chosenOption(f);
    const b = calibrationBin(confidence, bins);
    count[b] = (count[b] ?? 0) + 1;
    confidenceSum[b] = (confidenceSum[b] ?? 0) + confidence;
    correctSum[b] = (correctSum[b] ?? 0) + correct;
  });
  return Array.from({ length: bins }, (_, b) => {
    const n = count[b] ?? 0;
    return {
      lower: b / bins,
      upper: (b + 1) / bins,
      count: n,
      meanConfidence: n > 0 ? (confidenceSum[b] ?? 0) / n : null,
      accuracy: n > 0 ? (correctSum[b] ?? 0) / n : null,
    };
  });
}

/** Expected calibration error with its reliability diagram. */
export interface CalibrationError {
  /** Σ_b (n_b / N) |accuracy_b − meanConfidence_b|, in [0, 1]. */
  ece: number;
  /** The largest |accuracy_b − meanConfidence_b| over non-empty bins (maximum calibration error). */
  mce: number;
  n: number;
  bins: ReliabilityBin[];
}

/** Expected calibration error over equal-width bins (default 10) of the chosen option's confidence. null if empty. */
export function expectedCalibrationError(
  forecasts: readonly Forecast[],
  options: { bins?: number } = {},
): CalibrationError | null {
  const bins = reliabilityDiagram(forecasts, options);
  const n = forecasts.length;
  if (n === 0) return null;
  let ece = 0;
  let mce = 0;
  for (const bin of bins) {
    if (bin.count === 0 || bin.accuracy === null || bin.meanConfidence === null) continue;
    const gap = Math.abs(bin.accuracy - bin.meanConfidence);
    ece += (bin.count / n) * gap;
    mce = Math.max(mce, gap);
  }
  return { ece, mce, n, bins };
}

/** Everything above for one set of forecasts, for a results table. */
export interface CalibrationSummary extends CalibrationError {
  brier: number;
  logScore: number;
  /** Mean correctness of the chosen option (ties as in the module comment). */
  accuracy: number;
}

/** Brier score, mean log score, accuracy, ECE, MCE and the reliability diagram. null for no forecasts. */
export function calibrationSummary(
  forecasts: readonly Forecast[],
  options: { bins?: number } = {},
): CalibrationSummary | null {
  const calibration = expectedCalibrationError(forecasts, options);
  const brier = brierScore(forecasts);
  const logScore = meanLogScore(forecasts);
  if (calibration === null || brier === null || logScore === null) return null;
  let correct = 0;
  for (const f of forecasts) correct += chosenOption(f).correct;
  return { ...calibration, brier, logScore, accuracy: correct / forecasts.length };
}
