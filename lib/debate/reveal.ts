import type { Scoring } from "./scoring";
import { ruleScore } from "./scoring";
import type { JudgeStepRecord, Quote, VerdictRecord } from "./types";
import type { Seat } from "./vocabulary";

/**
 * What the reveal after a verdict shows besides the answer, computed from the match as stored (pure: the browser
 * renders it). The judge's probability path, the round that moved them most, what each debater got right or wrong,
 * the story's quoted passages by debater, and where the score sits on its scale.
 */

/** The judge's probability on the correct option after a round; round 0 is the even split before any argument. */
export interface PathPoint {
  round: number;
  pCorrect: number;
}

/**
 * The probability the judge put on the correct option after each round they judged (from their steps, the verdict
 * replacing the step of its own round), starting from 0.5 at round 0.
 */
export function probabilityPath(
  judgeSteps: readonly JudgeStepRecord[],
  verdict: Pick<VerdictRecord, "probabilities" | "rounds">,
  gold: number,
): PathPoint[] {
  const byRound = new Map<number, number>();
  for (const step of judgeSteps) {
    if (step.round < verdict.rounds) byRound.set(step.round, step.probabilities[gold] ?? 0);
  }
  byRound.set(verdict.rounds, verdict.probabilities[gold] ?? 0);
  const rounds = [...byRound.keys()].sort((a, b) => a - b);
  return [{ round: 0, pCorrect: 0.5 }, ...rounds.map((round) => ({ round, pCorrect: byRound.get(round) ?? 0 }))];
}

/** A move of the judge's probability smaller than this (5 percentage points) decides nothing. */
export const DECISIVE_MIN_CHANGE = 0.05;

/**
 * The round whose arguments moved the judge most: the largest change of the probability on the correct option from
 * the previous point of the path (the earliest on a tie), with its signed change; null when no round moved it by
 * {@link DECISIVE_MIN_CHANGE} or more. Its quotes are the "decisive" ones.
 */
export function decisiveRound(path: readonly PathPoint[]): { round: number; change: number } | null {
  let best: { round: number; change: number } | null = null;
  for (let i = 1; i < path.length; i++) {
    const point = path[i];
    const before = path[i - 1];
    if (!point || !before) continue;
    const change = point.pCorrect - before.pCorrect;
    if (Math.abs(change) >= DECISIVE_MIN_CHANGE && (!best || Math.abs(change) > Math.abs(best.change))) {
      best = { round: point.round, change };
    }
  }
  return best;
}

/** A turn as the reveal needs it: who spoke in which round, and its quotes (with passage offsets when verified). */
export interface RevealTurn {
  round: number;
  speaker: Seat;
  quotes: readonly Quote[];
}

/** One debater's record in a match: the option argued, whether it was the correct one, and their quotes. */
export interface DebaterReport {
  seat: Seat;
  option: number;
  arguedCorrect: boolean;
  verified: Quote[];
  unverified: Quote[];
  /** Their quotes in the decisive round (verified or not). */
  decisive: Quote[];
}

/** Each debater's report, in seat order. */
export function debaterReports(
  debaters: readonly { seat: Seat; option: number }[],
  turns: readonly RevealTurn[],
  gold: number,
  decisive: { round: number } | null,
): DebaterReport[] {
  return debaters.map(({ seat, option }) => {
    const own = turns.filter((t) => t.speaker === seat);
    const quotes = own.flatMap((t) => t.quotes);
    return {
      seat,
      option,
      arguedCorrect: option === gold,
      verified: quotes.filter((q) => q.verified),
      unverified: quotes.filter((q) => !q.verified),
      decisive: decisive ? own.filter((t) => t.round === decisive.round).flatMap((t) => t.quotes) : [],
    };
  });
}

/** A run of the story and the debaters whose verified quotes cover it (none for plain text). */
export interface SeatSegment {
  text: string;
  seats: Seat[];
}

/**
 * Splits the story into runs covering it exactly once, in order, each with the seats that quoted it (both when two
 * debaters quoted the same words). Only verified quotes have offsets; the others are skipped.
 */
export function seatSegments(passage: string, turns: readonly RevealTurn[]): SeatSegment[] {
  const spans = turns.flatMap((t) =>
    t.quotes.flatMap((q) =>
      q.verified && q.start !== undefined && q.end !== undefined
        ? [{ start: Math.max(0, q.start), end: Math.min(passage.length, q.end), seat: t.speaker }]
        : [],
    ),
  );
  const cuts = [...new Set([0, passage.length, ...spans.flatMap((s) => [s.start, s.end])])]
    .filter((c) => c >= 0 && c <= passage.length)
    .sort((a, b) => a - b);
  const segments: SeatSegment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i] ?? 0;
    const end = cuts[i + 1] ?? 0;
    if (end <= start) continue;
    const seats = [...new Set(spans.filter((s) => s.start <= start && s.end >= end).map((s) => s.seat))].sort();
    const last = segments.at(-1);
    if (last && last.seats.join() === seats.join()) last.text += passage.slice(start, end);
    else segments.push({ text: passage.slice(start, end), seats });
  }
  return segments;
}

/** Where a score sits: the rule's value for certainty on the truth (1), an even split (0) and certainty on a wrong answer. */
export interface ScoreReference {
  certain: number;
  even: number;
  worst: number;
  /** The rule's score of the verdict before round costs. */
  beforeCosts: number;
  /** What the rounds after the first cost. */
  roundCosts: number;
}

/** The reference points of the score of `verdict` under `scoring` (two options). */
export function scoreReference(
  scoring: Scoring,
  verdict: Pick<VerdictRecord, "probabilities" | "rounds">,
  gold: number,
): ScoreReference {
  const n = verdict.probabilities.length;
  const even = Array.from({ length: n }, () => 1 / n);
  const wrong = Array.from({ length: n }, (_, i) => (i === (gold + 1) % n ? 1 : 0));
  const certain = Array.from({ length: n }, (_, i) => (i === gold ? 1 : 0));
  return {
    certain: ruleScore(scoring.rule, certain, gold),
    even: ruleScore(scoring.rule, even, gold),
    worst: ruleScore(scoring.rule, wrong, gold),
    beforeCosts: ruleScore(scoring.rule, verdict.probabilities, gold),
    roundCosts: scoring.roundCost * (verdict.rounds - 1),
  };
}

/** The bank's licence lines end by pointing at a file in the repository; players get the about page instead. */
export function creditLine(license: string): string {
  return license.replace(/;?\s*see data\/README\.md\.?$/, "").trim();
}
