/**
 * How the extractive debater answers a judge's question: it echoes the question (so the judge sees what is being
 * answered) and quotes, verbatim, the story sentence BM25 ranks most relevant to the question's own words.
 */

import type { Quote } from "../../debate/types";
import type { Rng } from "../../random";
import { indexPassage, rankSentences, type Sentence, tokenize } from "./bm25";
import { clipSpan, type SideTerms } from "./evidence";
import * as say from "./phrasing";

/** Words of a question echoed back at most; a longer question is shortened with "…". */
export const ECHO_WORDS = 20;
/** Shorter echoes tried, in order, when the full one does not fit the word limit. */
const SHORT_ECHOES = [8, 4];
/** An answering quote is cut to at most this many words, so the turn keeps room for its own case. */
const MAX_ANSWER_QUOTE_WORDS = 30;
/** Below this many words of room, a quote is not worth adding. */
const MIN_QUOTE_WORDS = 6;
/** Sentences shorter than this rarely answer anything ("He nodded."). */
const MIN_SENTENCE_WORDS = 5;
/** The debater's own option only breaks ties between sentences that match the question about equally. */
const OWN_TERM_WEIGHT = 0.25;

/**
 * The question as a turn repeats it: markup removed (it must not open a quote of its own), double quotes turned
 * single (it sits inside double quotes), whitespace collapsed, at most `maxWords` words.
 */
export function echoQuestion(text: string, maxWords = ECHO_WORDS): string {
  const words = text
    .replace(/<[^>]*>/g, " ")
    .replace(/["“”]/g, "'")
    .split(/\s+/)
    .filter(Boolean);
  if (words.length <= maxWords) return words.join(" ");
  return `${words.slice(0, maxWords).join(" ")}…`;
}

function overlapsAny(sentence: Sentence, used: readonly Quote[]): boolean {
  return used.some(
    (q) => q.start !== undefined && q.end !== undefined && q.start < sentence.end && sentence.start < q.end,
  );
}

/** Query weights for a question: its content words, plus a little of the debater's own option. */
function questionWeights(question: string, ours: SideTerms): Map<string, number> {
  const weights = new Map<string, number>();
  for (const t of tokenize(question)) weights.set(t, 1);
  for (const t of ours.own) weights.set(t, (weights.get(t) ?? 0) + OWN_TERM_WEIGHT);
  return weights;
}

/**
 * The sentence that best answers `question`: only sentences sharing a content word with the question qualify,
 * ranked by BM25 on the question (own option as a tie-breaker); readable ones (≥ 5 words, no U+FFFD) first, and
 * not yet quoted ones first — though an already quoted sentence is still the right answer when it is the only one.
 */
export function answerSentence(
  passage: string,
  question: string,
  ours: SideTerms,
  used: readonly Quote[],
): Sentence | undefined {
  const asked = tokenize(question);
  if (asked.length === 0) return undefined;
  const index = indexPassage(passage);
  const relevant = new Set(rankSentences(index, asked).map((r) => r.index));
  const ranked = rankSentences(index, questionWeights(question, ours))
    .filter((r) => relevant.has(r.index))
    .flatMap((r) => index.sentences[r.index] ?? []);
  const readable = ranked.filter((s) => s.wordCount >= MIN_SENTENCE_WORDS && !s.hasReplacementChar);
  const pool = readable.length > 0 ? readable : ranked;
  return pool.find((s) => !overlapsAny(s, used)) ?? pool[0];
}

/** One answered question: the text for the turn, and the quote it made (to keep later evidence from repeating it). */
export interface Answer {
  text: string;
  quote?: Quote;
}

/**
 * Answers one question within the room `fits` allows: the echo (shortened if need be), then a lead-in and the
 * best sentence, clipped to fit; without room for a quote, or without a relevant sentence, the echo and an
 * honest remark. Undefined when not even the shortest echo fits.
 */
export function answerQuestion(
  rng: Rng,
  question: string,
  passage: string,
  ours: SideTerms,
  used: readonly Quote[],
  fits: (text: string) => boolean,
): Answer | undefined {
  const echo = [ECHO_WORDS, ...SHORT_ECHOES]
    .map((words) => say.asked(echoQuestion(question, words)))
    .find((text) => fits(text));
  if (echo === undefined) return undefined;
  const sentence = answerSentence(passage, question, ours, used);
  if (!sentence) {
    const none = `${echo} ${say.noDirectAnswer(rng)}`;
    return { text: fits(none) ? none : echo };
  }
  const lead = say.answerLead(rng);
  const weights = questionWeights(question, ours);
  for (let room = MAX_ANSWER_QUOTE_WORDS; room >= MIN_QUOTE_WORDS; room--) {
    const span = clipSpan(sentence, room, weights);
    // A clipped span rarely ends a sentence; a full stop after the tag keeps the prose readable.
    const text = `${echo} ${lead} <quote>${span}</quote>${/[.!?…"”')\]]$/.test(span) ? "" : "."}`;
    if (fits(text)) return { text, quote: { text: span, verified: true, start: sentence.start, end: sentence.end } };
  }
  return { text: echo };
}
