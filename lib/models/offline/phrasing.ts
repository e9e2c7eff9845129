/**
 * The extractive debater's canned prose. Kept short (quotes should take most of the word budget) and modest: it
 * frames evidence and never claims understanding it does not have. Variants are chosen with the seeded PRNG.
 */

import type { Quote } from "../../debate/types";
import { pick, type Rng } from "../../random";
import { type SideTerms, surfaceWord } from "./evidence";
import { termSet } from "./tokenize";

/** Options longer than this many words are shortened with "…" when named in prose. */
const OPTION_WORDS = 12;
/** Words of the opponent's quote repeated when answering it. */
const ECHO_WORDS = 8;

/** An option as named in prose: its first words, so a long option does not eat the budget. */
export function shortOption(option: string, maxWords = OPTION_WORDS): string {
  const ws = option.trim().split(/\s+/);
  const text = ws.length > maxWords ? `${ws.slice(0, maxWords).join(" ")}…` : ws.join(" ");
  return `"${text.replace(/[.\s]+$/, "")}"`;
}

export function opener(rng: Rng, o: string): string {
  return pick(rng, [
    `The story supports ${o}.`,
    `The answer is ${o}, and the text shows it.`,
    `I argue for ${o}; here is the evidence.`,
    `${o} is the answer the story backs up.`,
  ]);
}

export function connector(rng: Rng, nth: number): string {
  if (nth === 0) return pick(rng, ["The story says:", "Consider this passage:", "Look at the text:"]);
  return pick(rng, ["It also says:", "And further:", "More evidence:", "Then there is this:"]);
}

export function closing(rng: Rng, o: string, final: boolean): string {
  if (final) return pick(rng, [`In sum, the text supports ${o}.`, `Weighing all of it, the answer is ${o}.`]);
  return pick(rng, [`So the answer is ${o}.`, `The evidence points to ${o}.`, `That is why ${o} is correct.`]);
}

/** Echoes a judge's question back, so the judge sees which question the next sentences answer. */
export function asked(question: string): string {
  // A question ending in "?" (or "…") already closes the sentence; a bare comment gets a full stop.
  return `You asked: "${question}"${/[.!?…]$/.test(question) ? "" : "."}`;
}

/** Leads into the quote that answers a judge's question. */
export function answerLead(rng: Rng): string {
  return pick(rng, ["The story answers that:", "On that, the story says:", "Here is what the story says on it:"]);
}

/** Said when no sentence shares a content word with the judge's question: honest about the search, not the story. */
export function noDirectAnswer(rng: Rng): string {
  return pick(rng, [
    "I found no passage that speaks to that directly.",
    "No passage I found addresses that in so many words.",
  ]);
}

/** Said when no unused sentence matches; honest about whether there were earlier quotes to fall back on. */
export function noNewEvidence(rng: Rng, quotedBefore: boolean): string {
  if (!quotedBefore) return "I found no passage in the story that bears directly on the question.";
  return pick(rng, [
    "I found no further passage that bears directly on the question.",
    "My earlier quotes remain the strongest evidence I found.",
  ]);
}

/** Gloss after the quotes, only when it is true: a quote contains a word that is distinctive to our option. */
export function gloss(quotes: readonly string[], terms: SideTerms, option: string): string | undefined {
  for (const term of terms.ownDistinct) {
    if (!quotes.some((q) => termSet(q).has(term))) continue;
    const word = surfaceWord(option, term);
    if (word) return `Note the word "${word}", which is part of my answer.`;
  }
  return undefined;
}

/** The first words of the opponent's quote, as an exact passage substring (so it verifies when re-quoted). */
function echo(quote: Quote, passage: string): string {
  const source =
    quote.verified && quote.start !== undefined && quote.end !== undefined
      ? passage.slice(quote.start, quote.end)
      : quote.text;
  const tokens = [...source.trim().matchAll(/\S+/g)].slice(0, ECHO_WORDS);
  const last = tokens[tokens.length - 1];
  return last ? source.trim().slice(0, last.index + last[0].length) : "";
}

/**
 * Why the opponent's latest quote does not settle the question, by simple word checks: it mentions a word of our
 * answer; it never mentions what is distinctive about theirs; or (when neither holds) a generic objection.
 */
function reason(rng: Rng, quote: string, ours: SideTerms, theirs: SideTerms, options: readonly string[]): string {
  const words = termSet(quote);
  for (const term of ours.ownDistinct) {
    const word = words.has(term) ? options.map((o) => surfaceWord(o, term)).find(Boolean) : undefined;
    if (word) return `it actually mentions "${word}", which fits my answer`;
  }
  const missing = [...theirs.ownDistinct].find((t) => !words.has(t));
  const word = missing ? options.map((o) => surfaceWord(o, missing)).find(Boolean) : undefined;
  if (word) return `it never mentions "${word}", which their answer depends on`;
  return pick(rng, [
    "it is just as consistent with my answer",
    "it describes the setting, not the point the question asks about",
    "one line out of context does not decide the question",
  ]);
}

/** The rebuttal sentence for the opponent's latest turn. */
export function rebuttal(
  rng: Rng,
  quotes: readonly Quote[],
  passage: string,
  ours: SideTerms,
  theirs: SideTerms,
  options: readonly string[],
): string {
  const fake = quotes.find((q) => !q.verified);
  if (fake) {
    return `My opponent's quote "${echo(fake, passage)}…" does not appear in the story, so it is not evidence.`;
  }
  const latest = quotes[quotes.length - 1];
  if (!latest) return "My opponent offers no quotes from the story, only assertions.";
  const why = reason(rng, latest.text, ours, theirs, options);
  return pick(rng, [
    `My opponent cites <quote>${echo(latest, passage)}</quote>, but ${why}.`,
    `The opposing quote, <quote>${echo(latest, passage)}</quote>, does not settle it: ${why}.`,
  ]);
}
