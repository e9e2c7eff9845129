import { RECORDED_PROTOCOL } from "../debate/vocabulary-lists";
import {
  brierScore,
  confidenceAndCorrectness,
  expectedCalibrationError,
  type Forecast,
  meanLogScore,
  reliabilityDiagram,
  wilsonInterval,
} from "./index";
import { json, type OutcomeRow, seatsSchema, type TalliedSeat, toNumber } from "./results-rows";
import type {
  AccuracyCell,
  ConditionResult,
  ConsultancySplit,
  DebaterRow,
  Exclusions,
  RoundsRow,
} from "./results-schema";

/**
 * The per-condition part of a study's results, from its outcome and forecast rows: accuracy, exclusions, pending
 * matches, rounds, the consultancy honest/dishonest split, debater win rates and calibration. Pure: the rows come
 * from ./verdict-aggregates.ts and the unjudged-matches query.
 */

/** n, correct, accuracy and its Wilson 95% interval. */
export function accuracyCell(correct: number, n: number): AccuracyCell {
  const interval = wilsonInterval(correct, n);
  return {
    n,
    correct,
    accuracy: interval ? interval.estimate : null,
    ci: interval ? [interval.lower, interval.upper] : null,
  };
}

const emptyExclusions = (): Exclusions => ({
  practice: 0,
  abandoned: 0,
  errored: 0,
  participant: 0,
  corrected: 0,
  total: 0,
  share: null,
});

/** Exclusions with their total and their share of everything (`analysed` included). */
export function finishExclusions(e: Exclusions, analysed: number): Exclusions {
  const total = e.practice + e.abandoned + e.errored + e.participant + e.corrected;
  return { ...e, total, share: analysed + total > 0 ? total / (analysed + total) : null };
}

/** One condition's sums, gathered row by row. */
export interface ConditionTally {
  condition: string;
  protocol: string;
  n: number;
  correct: number;
  score: number;
  excluded: Exclusions;
  pending: number;
  forecasts: Forecast[];
}

/** Judged consultancy games by whether the consultant argued for the correct option: [games, judged right]. */
export interface ConsultancyCounts {
  honest: [number, number];
  dishonest: [number, number];
}

/** Everything {@link tallyOutcomes} counts. */
export interface OutcomeTally {
  /** Per condition, in design order, then any others found in the rows. */
  conditions: Map<string, ConditionTally>;
  /** Over the whole study, conditions without a name included. */
  excluded: Exclusions;
  pending: number;
  /** Keyed by condition and rounds. */
  rounds: Map<string, RoundsRow>;
  /** Keyed by condition. */
  consultancy: Map<string, ConsultancyCounts>;
  /** Keyed by model. */
  debaters: Map<string, DebaterRow>;
}

/**
 * An analysed outcome row split by whether the judge was right, with the correct option where it is known: the
 * chosen one when right; the other one when wrong (questions in Crux have two options).
 */
function* judgedGroups(row: OutcomeRow): Generator<{ count: number; right: boolean; chosen: number; gold: number }> {
  // A tie chose no option: neither side won, and the gold option is not known from the row.
  if (row.chosen === null || row.chosen === undefined) return;
  const n = toNumber(row.n);
  const correct = toNumber(row.correct);
  const chosen = toNumber(row.chosen);
  if (correct > 0) yield { count: correct, right: true, chosen, gold: chosen };
  if (n - correct > 0) yield { count: n - correct, right: false, chosen, gold: 1 - chosen };
}

/**
 * Tallies outcome rows. The designed conditions come first (only those in `conditionFilter` when it is not empty),
 * so a condition without verdicts still has a line.
 */
export function tallyOutcomes(
  outcomes: Iterable<OutcomeRow>,
  designed: ReadonlyArray<{ name: string; protocol: string }>,
  conditionFilter: readonly string[],
): OutcomeTally {
  const result: OutcomeTally = {
    conditions: new Map(),
    excluded: emptyExclusions(),
    pending: 0,
    rounds: new Map(),
    consultancy: new Map(),
    debaters: new Map(),
  };
  const tally = (condition: string, protocol: string): ConditionTally => {
    let t = result.conditions.get(condition);
    if (!t) {
      t = { condition, protocol, n: 0, correct: 0, score: 0, excluded: emptyExclusions(), pending: 0, forecasts: [] };
      result.conditions.set(condition, t);
    }
    return t;
  };
  for (const c of designed)
    if (conditionFilter.length === 0 || conditionFilter.includes(c.name)) tally(c.name, c.protocol);

  for (const row of outcomes) {
    const n = toNumber(row.n);
    const t = row.condition === null ? null : tally(row.condition, row.protocol);
    if (row.bucket === "pending") {
      result.pending += n;
      if (t) t.pending += n;
      continue;
    }
    if (row.bucket !== "included") {
      result.excluded[row.bucket] += n;
      if (t) t.excluded[row.bucket] += n;
      continue;
    }
    if (!t) continue;
    const correct = toNumber(row.correct);
    t.n += n;
    t.correct += correct;
    t.score += toNumber(row.score);

    const r = toNumber(row.rounds);
    const key = `${t.condition}\u0000${r}`;
    const cell = result.rounds.get(key) ?? { condition: t.condition, rounds: r, ...accuracyCell(0, 0) };
    cell.n += n;
    cell.correct += correct;
    result.rounds.set(key, cell);

    const seats = seatsSchema.parse(json(row.debaters));
    const recorded = t.protocol === RECORDED_PROTOCOL;
    for (const group of judgedGroups(row)) {
      // A recorded debate's seats are its source's people or models, named per source (`recorded:<match>:<seat>`):
      // no debater to rate. A recorded consultancy (one seat) is still split by the consultant's honesty.
      if (!recorded) for (const seat of seats) tallySeat(result.debaters, seat, group);
      const [consultant] = seats;
      if ((t.protocol === "consultancy" || recorded) && seats.length === 1 && consultant) {
        const split = result.consultancy.get(t.condition) ?? { honest: [0, 0], dishonest: [0, 0] };
        const honest = consultant.honest ?? consultant.option === group.gold;
        const side = honest ? split.honest : split.dishonest;
        side[0] += group.count;
        if (group.right) side[1] += group.count;
        result.consultancy.set(t.condition, split);
      }
    }
  }
  return result;
}

function tallySeat(
  models: Map<string, DebaterRow>,
  seat: TalliedSeat,
  group: { count: number; chosen: number; gold: number },
): void {
  let row = models.get(seat.model);
  if (!row) {
    row = { model: seat.model, honest: { n: 0, wins: 0, rate: null }, dishonest: { n: 0, wins: 0, rate: null } };
    models.set(seat.model, row);
  }
  const honest = seat.honest ?? seat.option === group.gold;
  const side = honest ? row.honest : row.dishonest;
  side.n += group.count;
  if (seat.option === group.chosen) side.wins += group.count;
  side.rate = side.wins / side.n;
}

/**
 * Adds the forecast rows to the forecasts of the tallied conditions (conditions not tallied are skipped).
 * Malformed probabilities (imported data) are left out of calibration only.
 */
export function tallyForecasts(rows: Iterable<OutcomeRow>, conditions: ReadonlyMap<string, ConditionTally>): void {
  for (const row of rows) {
    const t = row.part === "forecast" && row.condition !== null ? conditions.get(row.condition) : undefined;
    const probabilities = json(row.probabilities);
    if (!t || !Array.isArray(probabilities)) continue;
    // Two options: the correct one is the chosen one when the judge was right, else the other.
    const chosen = toNumber(row.chosen);
    const forecast: Forecast = {
      probabilities: probabilities.map(Number),
      // A tie (row.chosen null) is a 50/50 forecast: it scores the same whichever option is taken as gold.
      gold: toNumber(row.ok) ? chosen : 1 - chosen,
    };
    try {
      confidenceAndCorrectness(forecast);
    } catch {
      continue;
    }
    for (let i = toNumber(row.n); i > 0; i--) t.forecasts.push(forecast);
  }
}

/** A condition's line of the results: accuracy, scores, calibration and exclusions. */
export function conditionResult(t: ConditionTally): ConditionResult {
  const calibration = expectedCalibrationError(t.forecasts);
  return {
    condition: t.condition,
    protocol: t.protocol,
    ...accuracyCell(t.correct, t.n),
    meanScore: t.n > 0 ? t.score / t.n : null,
    meanLogScore: meanLogScore(t.forecasts),
    brier: brierScore(t.forecasts),
    ece: calibration?.ece ?? null,
    reliability: calibration?.bins ?? reliabilityDiagram([]),
    excluded: finishExclusions(t.excluded, t.n),
    pending: t.pending,
  };
}

/** The consultancy split per condition, as accuracy cells. */
export function consultancySplits(consultancy: ReadonlyMap<string, ConsultancyCounts>): ConsultancySplit[] {
  return [...consultancy.entries()].map(([condition, split]) => ({
    condition,
    honest: accuracyCell(split.honest[1], split.honest[0]),
    dishonest: accuracyCell(split.dishonest[1], split.dishonest[0]),
  }));
}

/** Accuracy by rounds, conditions in `order`, then fewest rounds first. */
export function roundsRows(rounds: Iterable<RoundsRow>, order: ReadonlyMap<string, number>): RoundsRow[] {
  return [...rounds]
    .map((r) => ({ ...r, ...accuracyCell(r.correct, r.n) }))
    .sort((a, b) => (order.get(a.condition) ?? 0) - (order.get(b.condition) ?? 0) || a.rounds - b.rounds);
}
