import { PROTOCOL_LABELS } from "../debate/protocols";
import type { Protocol } from "../debate/vocabulary";

/**
 * The instructions participants read unless the researcher writes their own: one text per protocol (a consultancy
 * or no-help judge must not read of "two AI debaters"), joined when a study's conditions use several. Plain module:
 * the design form shows the default for the conditions being designed.
 */

const QUOTES = "Quotes taken from the story are checked, and verified quotes are marked.";
const ROUNDS =
  "After each round, move the slider to say how likely each answer is, then read another round or give your verdict.";
const SCORE = "You score more for confident correct answers and lose more for confident wrong ones.";

/** What the judge does under each protocol (without the scoring sentence, said once at the end). */
export const PROTOCOL_INSTRUCTIONS: Record<Protocol, string> = {
  debate:
    "Two AI debaters argue for different answers to a question about a story. Only they can read the story. " +
    `${QUOTES} ${ROUNDS}`,
  interactive:
    "Two AI debaters argue for different answers to a question about a story. Only they can read the story. " +
    `${QUOTES} Between rounds you may ask them a question, which they answer in the next round. ${ROUNDS}`,
  consultancy:
    "One AI consultant argues for one of the two answers to a question about a story: half the time the correct " +
    "answer, half the time the wrong one, so it may be misleading you. Only it can read the story. " +
    `${QUOTES} Between rounds you may ask it a question, which it answers in the next round. ${ROUNDS}`,
  naive:
    "You see a question about a story you cannot read, and its two answers, with no one to help you. Move the " +
    "slider to say how likely each answer is, then give your verdict.",
  expert:
    "You see a question about a story and its two answers, and you may read the story itself. Move the slider to " +
    "say how likely each answer is, then give your verdict.",
  recorded:
    "You judge a debate that already took place: its arguments about a story you cannot see are shown to you as " +
    `they were written. ${QUOTES} ${ROUNDS}`,
};

/** The default instructions for a study whose conditions use `protocols` (in the order first used). */
export function defaultInstructions(protocols: readonly Protocol[]): string {
  const used = [...new Set(protocols)];
  if (used.length <= 1) return `${PROTOCOL_INSTRUCTIONS[used[0] ?? "debate"]} ${SCORE}`;
  const ways = used.map((protocol) => `${PROTOCOL_LABELS[protocol]}: ${PROTOCOL_INSTRUCTIONS[protocol]}`);
  return ["Your matches come in different kinds; each match's page says which kind it is.", ...ways, SCORE].join(
    "\n\n",
  );
}

/**
 * The single default every study got before instructions followed the protocol. A stored design holding it word
 * for word did not choose it, so the form treats it as "the default" and offers the protocol's own instead.
 */
export const LEGACY_DEFAULT_INSTRUCTIONS =
  "Two AI debaters argue for different answers to a question about a story. Only they can read the story; quotes " +
  "they take from it are checked, and verified quotes are marked. After each round, move the slider to say how " +
  "likely each answer is, then read another round or give your verdict. You score more for confident correct " +
  "answers and lose more for confident wrong ones.";
