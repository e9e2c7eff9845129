import { z } from "zod";
import type { Probabilities } from "./types";

/**
 * Judge probabilities and the log score.
 *
 * The score is ln(p_gold) − roundCost × (roundsUsed − 1), with p_gold clipped below at
 * {@link MIN_SCORED_PROBABILITY}: a judge who puts 0 on the truth scores ln(0.01) ≈ −4.61 instead of −∞, so one
 * confident mistake cannot dominate every average it enters (and the score stays a finite, storable number).
 */

/** Probabilities must sum to 1 within this. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;
/** Two options whose probabilities differ by less than this are tied. */
export const TIE_TOLERANCE = 1e-6;
/** Floor applied to the probability on the correct option before taking the log. */
export const MIN_SCORED_PROBABILITY = 0.01;
/** The lowest possible score before round costs: ln(0.01). */
export const MIN_LOG_SCORE = Math.log(MIN_SCORED_PROBABILITY);

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** One probability per option, each in [0, 1], summing to 1 (±1e-6). The option count is checked separately. */
export const probabilitiesSchema = z
  .array(z.number().min(0).max(1))
  .min(1)
  .refine((p) => Math.abs(sum(p) - 1) <= PROBABILITY_SUM_TOLERANCE, {
    message: `probabilities must sum to 1 (±${PROBABILITY_SUM_TOLERANCE})`,
  });

/** {@link probabilitiesSchema} also requiring exactly `optionCount` entries. */
export function probabilitiesSchemaFor(optionCount: number) {
  return probabilitiesSchema.refine((p) => p.length === optionCount, {
    message: `expected ${optionCount} probabilities, one per option`,
  });
}

/**
 * Turns non-negative weights (e.g. a model's [70, 30] or a slightly-off [0.7, 0.31]) into probabilities summing
 * to 1. Negative or non-finite weights count as 0; if nothing is left, the result is uniform.
 */
export function normaliseProbabilities(weights: readonly number[]): Probabilities {
  if (weights.length === 0) throw new RangeError("no options to normalise over");
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const total = sum(clean);
  if (total === 0) return clean.map(() => 1 / clean.length);
  return clean.map((w) => w / total);
}

/** Inputs to the log score besides the probabilities. */
export interface ScoreOptions {
  /** Rounds the debate actually ran (1-based count, at least 1). */
  roundsUsed: number;
  roundCost: number;
}

/** ln(max(p[gold], 0.01)) − roundCost × (roundsUsed − 1). Throws RangeError for a bad gold index or round count. */
export function logScore(probabilities: Probabilities, gold: number, { roundsUsed, roundCost }: ScoreOptions): number {
  const pGold = probabilities[gold];
  if (pGold === undefined || !Number.isInteger(gold)) {
    throw new RangeError(`gold option ${gold} is outside 0..${probabilities.length - 1}`);
  }
  if (!Number.isInteger(roundsUsed) || roundsUsed < 1)
    throw new RangeError(`roundsUsed must be ≥ 1, got ${roundsUsed}`);
  return Math.log(Math.max(pGold, MIN_SCORED_PROBABILITY)) - roundCost * (roundsUsed - 1);
}

/**
 * The option the judge chose: the most probable one, or null when the top options tie (within
 * {@link TIE_TOLERANCE}). A tied verdict is no choice and must be refused.
 */
export function chosenOption(probabilities: Probabilities): number | null {
  let best = -1;
  let bestP = Number.NEGATIVE_INFINITY;
  let runnerUp = Number.NEGATIVE_INFINITY;
  probabilities.forEach((p, i) => {
    if (p > bestP) {
      runnerUp = bestP;
      bestP = p;
      best = i;
    } else if (p > runnerUp) runnerUp = p;
  });
  if (best < 0 || bestP - runnerUp < TIE_TOLERANCE) return null;
  return best;
}

/**
 * The scored parts of a verdict, or null when the probabilities tie (the verdict must be refused).
 */
export function scoreVerdict(
  probabilities: Probabilities,
  gold: number,
  options: ScoreOptions,
): { chosen: number; correct: boolean; score: number } | null {
  const chosen = chosenOption(probabilities);
  if (chosen === null) return null;
  return { chosen, correct: chosen === gold, score: logScore(probabilities, gold, options) };
}
