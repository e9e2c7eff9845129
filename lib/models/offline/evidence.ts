/**
 * Evidence selection for the extractive debater: which sentences to quote for an option, and which exact span of
 * a sentence to quote when the whole sentence does not fit the word budget.
 */

import type { Quote } from "../../debate/types";
import { indexPassage, type PassageIndex, type Sentence, scoreSentences, stem, tokenize } from "./bm25";

/** Sentences shorter than this rarely carry an argument ("I. ", "He nodded."). */
const MIN_SENTENCE_WORDS = 5;
/** How strongly a sentence that fits the opposing option better is pushed down. */
const OPPOSING_PENALTY = 0.8;
/** Sentences with U+FFFD are quoted only as a last resort. */
const REPLACEMENT_CHAR_FACTOR = 0.25;

/** The terms that distinguish each side, derived from the question and the options. */
export interface SideTerms {
  question: Set<string>;
  own: Set<string>;
  /** Terms of the debater's option not in the question or the other options. */
  ownDistinct: Set<string>;
  /** Terms of the other options not in the question or the debater's option. */
  opposingDistinct: Set<string>;
  /** Query weights used to rank and to clip spans. */
  weights: Map<string, number>;
  /** The option argued for, and how many options there are (to split neutral evidence). */
  option: number;
  optionCount: number;
}

/**
 * Computes the term sets for arguing `options[option]`. With the passage's `idf`, distinctive terms are ordered
 * rarest first, so prose that names "a word of the answer" names an informative one.
 */
export function sideTerms(
  question: string,
  options: readonly string[],
  option: number,
  idf?: ReadonlyMap<string, number>,
): SideTerms {
  const q = new Set(tokenize(question));
  const own = new Set(tokenize(options[option] ?? ""));
  const other = new Set(options.flatMap((o, i) => (i === option ? [] : tokenize(o))));
  // Terms absent from the passage count as rarest: "it never mentions X" is then true of the whole story.
  const rarity = (t: string) => idf?.get(t) ?? Number.POSITIVE_INFINITY;
  const rarestFirst = (terms: string[]) => new Set(terms.sort((a, b) => rarity(b) - rarity(a)));
  const ownDistinct = rarestFirst([...own].filter((t) => !other.has(t) && !q.has(t)));
  const opposingDistinct = rarestFirst([...other].filter((t) => !own.has(t) && !q.has(t)));
  const weights = new Map<string, number>();
  for (const t of q) weights.set(t, 1);
  for (const t of own) weights.set(t, (weights.get(t) ?? 0) + 1);
  for (const t of ownDistinct) weights.set(t, (weights.get(t) ?? 0) + 1);
  return { question: q, own, ownDistinct, opposingDistinct, weights, option, optionCount: Math.max(1, options.length) };
}

/** Letters and digits only, so repeated passages ("Your name is David Corbin.") are recognised as the same. */
function textKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Whether a sentence overlaps a quote already made: by offsets, or by text (the passage may repeat itself). */
function overlaps(sentence: Sentence, key: string, quote: Quote & { key: string }): boolean {
  if (
    quote.start !== undefined &&
    quote.end !== undefined &&
    quote.start < sentence.end &&
    sentence.start < quote.end
  ) {
    return true;
  }
  return quote.key.length > 0 && (key.includes(quote.key) || quote.key.includes(key));
}

/**
 * Sentences to quote for a side, best first. Score: BM25 against question + own option, minus a penalty for
 * matching the opposing option's distinctive words. Sentences that lean to neither option (no distinctive word of
 * either) are split between the options by their order in the passage, so two debaters who cannot see each
 * other's turn still bring different evidence; the other side's share is only a last resort. Sentences
 * overlapping `used` quotes (either side's) are skipped: no repeats, no re-offering the opponent's evidence.
 */
export function rankEvidence(passage: string, terms: SideTerms, used: readonly Quote[]): Sentence[] {
  const index: PassageIndex = indexPassage(passage);
  const main = scoreSentences(index, terms.weights);
  const ownLean = scoreSentences(index, [...terms.ownDistinct]);
  const otherLean = scoreSentences(index, [...terms.opposingDistinct]);
  let neutral = 0;
  const candidates = index.sentences.flatMap((sentence, i) => {
    const own = ownLean[i] ?? 0;
    const other = otherLean[i] ?? 0;
    let score = (main[i] ?? 0) - OPPOSING_PENALTY * other;
    if (score <= 0 || sentence.wordCount < MIN_SENTENCE_WORDS) return [];
    if (sentence.hasReplacementChar) score *= REPLACEMENT_CHAR_FACTOR;
    // Counted before `used` is applied, so both sides agree on which neutral sentence is whose.
    const mine = own > other || (own === other && neutral++ % terms.optionCount === terms.option);
    return [{ sentence, key: textKey(sentence.text), score, mine, i }];
  });
  const seen = new Set<string>();
  const usedKeyed = used.map((q) => ({ ...q, key: textKey(q.text) }));
  return candidates
    .filter((c) => !usedKeyed.some((q) => overlaps(c.sentence, c.key, q)))
    .sort((a, b) => Number(b.mine) - Number(a.mine) || b.score - a.score || a.i - b.i)
    .filter((c) => !seen.has(c.key) && seen.add(c.key))
    .map((c) => c.sentence);
}

/**
 * The exact substring of `sentence` to quote within `maxWords` whitespace-separated words: the whole sentence
 * when it fits, else the window with the most query weight (earliest on ties).
 */
export function clipSpan(sentence: Sentence, maxWords: number, weights: Map<string, number>): string {
  const tokens = [...sentence.text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (maxWords <= 0) return "";
  if (tokens.length <= maxWords) return sentence.text;
  const value = tokens.map((t) =>
    tokenize(sentence.text.slice(t.start, t.end)).reduce((sum, term) => sum + (weights.get(term) ?? 0), 0),
  );
  let best = 0;
  let bestValue = -1;
  for (let i = 0; i + maxWords <= tokens.length; i++) {
    const v = value.slice(i, i + maxWords).reduce((a, b) => a + b, 0);
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  }
  const first = tokens[best];
  const last = tokens[best + maxWords - 1];
  return first && last ? sentence.text.slice(first.start, last.end) : "";
}

/** The first word of `text` whose stem is `term`, for readable mentions like `it never mentions "nitrogen"`. */
export function surfaceWord(text: string, term: string): string | undefined {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.find((w) => stem(w.toLowerCase()) === term);
}
