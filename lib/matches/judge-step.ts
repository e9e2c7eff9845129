import { judgeMayAsk } from "../debate/protocols";
import { nextStep } from "../debate/rounds";
import { chosenOption, judgeScore } from "../debate/scoring";
import type { JudgeStepRecord, VerdictRecord } from "../debate/types";
import type { JudgeChoice } from "../debate/vocabulary";
import { CruxError } from "../errors";
import type { StoredMatch } from "./repository";

/** A judge's decision after a round, from a person (socket intent) or an AI judge. */
export interface JudgeStepInput {
  round: number;
  probabilities: number[];
  action: JudgeChoice;
  /** Why, with the verdict. */
  explanation?: string;
  /** A question or comment for the next round (interactive debate and consultancy). */
  question?: string;
}

type Decision = { step: JudgeStepRecord; verdict: (VerdictRecord & { timeTakenMs: number }) | null };

/** Tolerance for probabilities that should sum to one (sliders and JSON round-trips lose a little). */
const SUM_TOLERANCE = 1e-6;

/**
 * Checks a judge step against the match's rules and turns it into what gets stored: the step, and the verdict
 * when it ends the match (the judge chose "end", or this was the last round). Throws CruxError for any intent
 * that is out of turn or malformed; nothing is written in that case.
 */
export function decideJudgeStep(match: StoredMatch, input: JudgeStepInput, now: number): Decision {
  expectJudgeStep(match, input.round);
  expectProbabilities(match, input.probabilities);
  const finalRound = input.round >= match.config.rounds;
  if (finalRound && input.action === "continue") {
    throw new CruxError("BAD_REQUEST", "That was the last round: submit your verdict.");
  }
  const ends = input.action === "end" || finalRound;
  if (input.question && (ends || !judgeMayAsk(match.config.protocol))) {
    throw new CruxError(
      "BAD_REQUEST",
      ends ? "A question goes with “Next round”, not with the verdict." : "This protocol does not take questions.",
    );
  }
  const step: JudgeStepRecord = {
    round: input.round,
    probabilities: input.probabilities,
    action: ends ? "end" : "continue",
    message: (ends ? input.explanation : input.question) ?? null,
  };
  if (!ends) return { step, verdict: null };
  const verdict = verdictFrom(match, input.probabilities, input.round, input.explanation ?? null, now);
  if (!verdict) throw new CruxError("BAD_REQUEST", "A verdict needs more probability on one option than the other.");
  return { step, verdict };
}

/** The judge's slider as last reported (a `judge:draft` intent) while they were answering `round`. */
export interface JudgeDraft {
  round: number;
  probabilities: number[];
}

/**
 * Checks a draft against the match's rules (it must be for the step awaiting the judge, one probability per option,
 * summing to one) and returns it as it will be kept. Throws CruxError otherwise, like `decideJudgeStep`.
 */
export function decideDraft(match: StoredMatch, draft: JudgeDraft): JudgeDraft {
  expectJudgeStep(match, draft.round);
  expectProbabilities(match, draft.probabilities);
  return { round: draft.round, probabilities: [...draft.probabilities] };
}

/**
 * The judge's time ran out on `round`. With the match's `submitDraftOnTimeout` and a draft for this round, the
 * draft's probabilities (what the judge's slider showed) are submitted; otherwise the last step's probabilities
 * are carried forward (uniform if there were none). Before the last round the debate goes on; after it they become
 * the verdict — unless they are a tie, in which case there is no verdict and the match is abandoned (`abandon`).
 * The step is stored with action `timeout` either way, and its message says which probabilities were used.
 */
export function decideTimeout(
  match: StoredMatch,
  round: number,
  now: number,
  draft: JudgeDraft | null = null,
): Decision & { abandon: boolean } {
  expectJudgeStep(match, round);
  const options = match.question.options.length;
  const useDraft = match.config.submitDraftOnTimeout && draft !== null && draft.round === round;
  const carried = useDraft
    ? draft.probabilities
    : (match.judgeSteps.at(-1)?.probabilities ?? Array.from({ length: options }, () => 1 / options));
  const step: JudgeStepRecord = {
    round,
    probabilities: carried,
    action: "timeout",
    message: useDraft ? DRAFT_SUBMITTED : null,
  };
  if (round < match.config.rounds) return { step, verdict: null, abandon: false };
  const explanation = useDraft
    ? "(The judge ran out of time; the probabilities on their slider were submitted.)"
    : "(The judge ran out of time; last probabilities kept.)";
  const verdict = verdictFrom(match, carried, round, explanation, now);
  return { step, verdict, abandon: verdict === null };
}

/** The message of a timeout step whose probabilities are the judge's draft (their slider), not carried forward. */
export const DRAFT_SUBMITTED = "(Time ran out: the judge's slider was submitted.)";

function expectProbabilities(match: StoredMatch, probabilities: number[]): void {
  const options = match.question.options.length;
  if (probabilities.length !== options) {
    throw new CruxError("BAD_REQUEST", `Give one probability per option (${options}).`);
  }
  const sum = probabilities.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new CruxError("BAD_REQUEST", `Probabilities must sum to 1 (they sum to ${sum.toFixed(4)}).`);
  }
}

/**
 * Whether `input` repeats the judge's step already stored for its round (same action, same probabilities): a double
 * click or a resend, to be answered as if it had just been recorded rather than refused.
 */
export function isRepeatOfStoredStep(match: StoredMatch, input: JudgeStepInput): boolean {
  const stored = match.judgeSteps.find((s) => s.round === input.round);
  if (!stored) return false;
  const ends = input.action === "end" || input.round >= match.config.rounds;
  return (
    stored.action === (ends ? "end" : "continue") &&
    stored.probabilities.length === input.probabilities.length &&
    stored.probabilities.every((p, i) => Math.abs(p - (input.probabilities[i] ?? Number.NaN)) <= SUM_TOLERANCE)
  );
}

function expectJudgeStep(match: StoredMatch, round: number): void {
  if (match.verdict || match.status === "complete") throw new CruxError("MATCH_OVER", "The verdict is already in.");
  if (match.status !== "running") throw new CruxError("OUT_OF_TURN", `The match is ${match.status}.`);
  const expected = nextStep(match.config, match.turns, match.judgeSteps);
  if (expected.kind !== "judge") {
    throw new CruxError("OUT_OF_TURN", "The debaters have not finished this round yet.");
  }
  if (round !== expected.round) {
    throw new CruxError("OUT_OF_TURN", `Round ${expected.round} is awaiting your judgement, not round ${round}.`);
  }
}

/** The verdict for final probabilities, or null on a tie. */
function verdictFrom(
  match: StoredMatch,
  probabilities: number[],
  round: number,
  explanation: string | null,
  now: number,
): (VerdictRecord & { timeTakenMs: number }) | null {
  const chosen = chosenOption(probabilities);
  if (chosen === null) return null;
  const gold = match.question.gold;
  const startedAt = match.startedAt?.getTime() ?? match.createdAt.getTime();
  return {
    probabilities,
    chosen,
    correct: chosen === gold,
    score: judgeScore(probabilities, gold, { ...match.config.scoring, roundsUsed: round }),
    explanation,
    rounds: round,
    timeTakenMs: Math.max(0, now - startedAt),
  };
}
