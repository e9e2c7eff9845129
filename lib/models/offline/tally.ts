/**
 * The offline judge's scoring rule: how much checkable, on-topic evidence each option's speakers offered. It reads
 * ONLY the transcript (never the passage) and trusts the quote verification already stored on each turn.
 *
 * For each option i, over every turn arguing for i:
 *   v  = verified quotes. A verified quote whose passage span lies inside a span quoted earlier (by either side)
 *        does not count: re-quoting the opponent to rebut them, or repeating oneself, is not new evidence.
 *   w  = words in those verified quotes, at most 40 per quote (one huge quote is not a whole case).
 *   u  = unverified quotes (text that is not in the story: the strongest sign of a weak or dishonest case).
 *   r  = relevance in [0, 1]: the share of content words of the question and option i that appear in i's
 *        counted quotes (stemmed, stopwords removed).
 *   score_i = 1.0·v + 0.02·w − 1.5·u + 2.0·r
 */

import type { Probabilities, TurnRecord } from "../../debate/types";
import type { JudgeInput } from "../types";
import { termSet } from "./tokenize";

const W_VERIFIED = 1;
const W_WORDS = 0.02;
const W_UNVERIFIED = 1.5;
const W_RELEVANCE = 2;
const MAX_WORDS_PER_QUOTE = 40;
const TEMPERATURE = 2;
const P_MIN = 0.05;
const P_MAX = 0.95;

/** The evidence tally of one option, as used in the score. */
export interface SideTally {
  verified: number;
  words: number;
  unverified: number;
  relevance: number;
  score: number;
}

/** Tallies every option's evidence from the transcript (options nobody argued score 0). */
export function tallyEvidence(input: Pick<JudgeInput, "question" | "options" | "transcript">): SideTally[] {
  const seen: Array<[number, number]> = [];
  const sides = input.options.map(() => ({ verified: 0, words: 0, unverified: 0, quoted: new Set<string>() }));
  const turns: TurnRecord[] = [...input.transcript].sort((a, b) => a.round - b.round);
  for (const turn of turns) {
    const side = sides[turn.option];
    if (!side) continue;
    for (const q of turn.quotes) {
      if (!q.verified) {
        side.unverified += 1;
        continue;
      }
      const { start, end } = q;
      if (start !== undefined && end !== undefined) {
        if (seen.some(([s, e]) => s <= start && end <= e)) continue;
        seen.push([start, end]);
      }
      side.verified += 1;
      side.words += Math.min(MAX_WORDS_PER_QUOTE, q.text.split(/\s+/).filter(Boolean).length);
      for (const t of termSet(q.text)) side.quoted.add(t);
    }
  }
  const question = termSet(input.question);
  return sides.map((side, i) => {
    const target = new Set([...question, ...termSet(input.options[i] ?? "")]);
    const hits = [...target].filter((t) => side.quoted.has(t)).length;
    const relevance = target.size === 0 ? 0 : hits / target.size;
    const score =
      W_VERIFIED * side.verified + W_WORDS * side.words - W_UNVERIFIED * side.unverified + W_RELEVANCE * relevance;
    return { verified: side.verified, words: side.words, unverified: side.unverified, relevance, score };
  });
}

/**
 * Softmax of scores / 2, clipped to [0.05, 0.95] and renormalised. With two options, p = logistic((s₀ − s₁) / 2),
 * so a lead of about 2.8 points gives 0.8.
 */
export function scoresToProbabilities(scores: readonly number[]): Probabilities {
  if (scores.length === 0) return [];
  const top = Math.max(...scores);
  const exp = scores.map((s) => Math.exp((s - top) / TEMPERATURE));
  const total = exp.reduce((a, b) => a + b, 0);
  const clipped = exp.map((e) => Math.min(P_MAX, Math.max(P_MIN, e / total)));
  const sum = clipped.reduce((a, b) => a + b, 0);
  return exactPair(clipped.map((p) => p / sum));
}

/** Two options: makes the pair sum to exactly 1 despite floating point. */
export function exactPair(probabilities: number[]): Probabilities {
  if (probabilities.length === 2) probabilities[1] = 1 - (probabilities[0] ?? 0);
  return probabilities;
}

/** Equal probability for every option: the judge has no evidence either way. */
export function uniform(optionCount: number): Probabilities {
  return exactPair(Array.from({ length: optionCount }, () => 1 / optionCount));
}

/** A one-line account of a side's tally for the judge's reasoning. */
export function describeTally(name: string, t: SideTally, p: number): string {
  return `${name}: ${t.verified} verified quote(s) (${t.words} words), ${t.unverified} unverified, relevance ${t.relevance.toFixed(2)} → score ${t.score.toFixed(2)}, P = ${p.toFixed(2)}.`;
}

/** The scoring formula in words, for the judge's reasoning. */
export const SCORE_FORMULA = "score = verified quotes + 0.02 × quoted words − 1.5 × unverified quotes + 2 × relevance.";
