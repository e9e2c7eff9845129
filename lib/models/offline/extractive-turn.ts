/**
 * Composes one extractive-debater turn: answers to the judge's open questions (first, so they cannot be missed),
 * opener, (rebuttal of the opponent's latest quotes), new verbatim quotes from the passage, an optional gloss, and
 * a closing line — fitted to the word limit as it is built. A consultant (consultancy) has no opponent: no
 * rebuttal, and every neutral sentence of the story is its to use.
 */

import { countWords, enforceWordLimit } from "../../debate/limits";
import { hashSeed, mulberry32, pick, type Rng } from "../../random";
import { openQuestions } from "../judge-questions";
import type { DebaterTurnInput } from "../types";
import { answerQuestion, echoQuestion } from "./answers";
import { indexPassage } from "./bm25";
import { clipSpan, rankEvidence, sideTerms, surfaceWord } from "./evidence";
import * as say from "./phrasing";
import { termSet } from "./tokenize";

/** At most this many new quotes per turn: a few strong ones read better than a wall of text. */
const MAX_QUOTES = 3;
/** A quote is cut to at most this many words (long sentences are clipped to their most relevant window). */
const MAX_QUOTE_WORDS = 40;
/** Below this many words of room, a quote is not worth adding. */
const MIN_QUOTE_WORDS = 6;
/** A long sentence is clipped only if at least this many words fit; otherwise a shorter one is sought. */
const MIN_CLIP_WORDS = 15;
/** How far down the ranking to look for evidence that fits. */
const CANDIDATES = 25;
/** At most this many judge questions are answered in one turn (the judge normally asks one per round). */
const MAX_ANSWERS = 2;

/** Builds the whole turn text for `input`. Pure and deterministic for a given input (including its seed). */
export function composeTurn(input: DebaterTurnInput): string {
  const rng = mulberry32(hashSeed("offline-extractive", input.seed, input.seat, input.round));
  const text = input.passage.trim() === "" ? passageFreeTurn(input, rng) : extractiveTurn(input, rng);
  // The turn is built to fit; this only guards against a limit too small for even the opener.
  return enforceWordLimit(text, Math.max(0, input.wordLimit)).text;
}

function extractiveTurn(input: DebaterTurnInput, rng: Rng): string {
  const { passage, question, options, option, seat, transcript, wordLimit: limit } = input;
  const ownOption = options[option] ?? "";
  const o = say.shortOption(ownOption);
  const { idf } = indexPassage(passage);
  const consultant = input.role === "consultant";
  const ours = sideTerms(question, options, option, idf);
  // Neutral sentences are split between debaters so they bring different evidence; a consultant has no one to share with.
  const evidenceTerms = consultant ? { ...ours, option: 0, optionCount: 1 } : ours;
  const latest = consultant ? undefined : transcript.filter((t) => t.speaker !== seat).at(-1);
  // Drawn in the same order as before questions existed, so turns without questions read exactly as they did.
  const end = say.closing(rng, say.shortOption(ownOption, 6), input.round >= input.totalRounds);
  const open = say.opener(rng, o);
  const parts: string[] = [];
  const fits = (...extra: string[]) => countWords([...parts, ...extra].join(" ")) <= limit;
  // Everything quoted so far by either side is off limits: no repeats, no borrowing the opponent's evidence.
  const used = transcript.flatMap((t) => t.quotes);
  let answered = false;
  for (const q of openQuestions(input.judgeQuestions, seat, input.round).slice(0, MAX_ANSWERS)) {
    // Answering comes before the opener: under a tight limit the closing line alone states the side.
    const answer =
      answerQuestion(rng, q.text, passage, ours, used, (text) => fits(text, open, end)) ??
      answerQuestion(rng, q.text, passage, ours, used, (text) => fits(text, end));
    if (!answer) continue;
    parts.push(answer.text);
    if (answer.quote) used.push(answer.quote);
    answered ||= answer.quote !== undefined;
  }
  if (parts.length === 0 || fits(open, end)) parts.push(open);

  if (latest) {
    const theirs = sideTerms(question, options, latest.option, idf);
    const answer = say.rebuttal(rng, latest.quotes, passage, ours, theirs, options);
    if (fits(answer, end)) parts.push(answer);
  }

  const quoted: string[] = [];
  for (const sentence of rankEvidence(passage, evidenceTerms, used).slice(0, CANDIDATES)) {
    if (quoted.length >= MAX_QUOTES) break;
    const lead = say.connector(rng, quoted.length);
    let room = Math.min(MAX_QUOTE_WORDS, limit - countWords([...parts, lead, end].join(" ")));
    if (room < MIN_QUOTE_WORDS) break;
    // With little room left, a shorter whole sentence further down reads better than a sliver of a long one.
    if (sentence.wordCount > room && room < MIN_CLIP_WORDS) continue;
    let block = "";
    // clipSpan counts whitespace chunks, countWords only chunks with letters, so one pass almost always fits.
    while (room >= MIN_QUOTE_WORDS) {
      const span = clipSpan(sentence, room, ours.weights);
      // A clipped span rarely ends a sentence; a full stop after the tag keeps the prose readable.
      block = `${lead} <quote>${span}</quote>${/[.!?…"”')\]]$/.test(span) ? "" : "."}`;
      if (fits(block, end)) break;
      block = "";
      room -= 1;
    }
    if (!block) continue;
    parts.push(block);
    quoted.push(block);
  }

  if (quoted.length === 0) {
    // An answer's quote counts: "no passage bears on the question" would then be false.
    const quotedBefore = answered || transcript.some((t) => t.speaker === seat && t.quotes.length > 0);
    const none = say.noNewEvidence(rng, quotedBefore);
    if (fits(none, end)) parts.push(none);
  }
  const note = say.gloss(quoted, ours, ownOption);
  if (note && fits(note, end)) parts.push(note);
  if (fits(end)) parts.push(end);
  return parts.join(" ");
}

/** Without a story there is nothing to quote; say so, and argue only from how the options fit the question. */
function passageFreeTurn(input: DebaterTurnInput, rng: Rng): string {
  const { question, options, option, seat, transcript } = input;
  const o = say.shortOption(options[option] ?? "");
  const opponent = input.role === "consultant" ? undefined : transcript.filter((t) => t.speaker !== seat).at(-1);
  const parts = ["No story is available; arguing from the question alone."];
  for (const q of openQuestions(input.judgeQuestions, seat, input.round).slice(0, MAX_ANSWERS)) {
    parts.push(`${say.asked(echoQuestion(q.text))} Without the story there is nothing to quote in reply.`);
  }
  if (opponent) {
    const theirs = say.shortOption(options[opponent.option] ?? "");
    parts.push(`My opponent cannot quote a story either, so the case for ${theirs} is assertion, not evidence.`);
  } else {
    parts.push(`I take the position that ${o} is the answer.`);
  }
  const questionTerms = termSet(question);
  const shared = [...termSet(options[option] ?? "")]
    .filter((t) => questionTerms.has(t))
    .map((t) => surfaceWord(question, t))
    .filter((w): w is string => w !== undefined)
    .slice(0, 3);
  parts.push(
    shared.length > 0
      ? `${o} uses the question's own terms (${shared.map((w) => `"${w}"`).join(", ")}), so it addresses what is asked.`
      : pick(rng, [
          `${o} is the reading that needs the fewest extra assumptions.`,
          `${o} is the more natural answer to the question as worded.`,
        ]),
  );
  parts.push(say.closing(rng, o, input.round >= input.totalRounds));
  return parts.join(" ");
}
