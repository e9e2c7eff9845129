import { nextStep } from "../debate/rounds";
import { chosenOption, logScore } from "../debate/scoring";
import type { JudgeStepRecord, VerdictRecord } from "../debate/types";
import { CruxError } from "../errors";
import type { StoredMatch } from "./repository";

/** A judge's decision after a round, from a person (socket intent) or an AI judge. */
export interface JudgeStepInput {
  round: number;
  probabilities: number[];
  action: "continue" | "end";
  explanation?: string;
}

/** Tolerance for probabilities that should sum to one (sliders and JSON round-trips lose a little). */
const SUM_TOLERANCE = 1e-6;

/**
 * Checks a judge step against the match's rules and turns it into what gets stored: the step, and the verdict
 * when it ends the match (the judge chose "end", or this was the last round). Throws CruxError for any intent
 * that is out of turn or malformed; nothing is written in that case.
 */
export function decideJudgeStep(
  match: StoredMatch,
  input: JudgeStepInput,
  now: number,
): { step: JudgeStepRecord; verdict: (VerdictRecord & { timeTakenMs: number }) | null } {
  if (match.verdict || match.status === "complete") throw new CruxError("MATCH_OVER", "The verdict is already in.");
  if (match.status !== "running") throw new CruxError("OUT_OF_TURN", `The match is ${match.status}.`);
  const expected = nextStep(match.config, match.turns, match.judgeSteps);
  if (expected.kind !== "judge") {
    throw new CruxError("OUT_OF_TURN", "The debaters have not finished this round yet.");
  }
  if (input.round !== expected.round) {
    throw new CruxError("OUT_OF_TURN", `Round ${expected.round} is awaiting your judgement, not round ${input.round}.`);
  }
  const options = match.question.options.length;
  if (input.probabilities.length !== options) {
    throw new CruxError("BAD_REQUEST", `Give one probability per option (${options}).`);
  }
  const sum = input.probabilities.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new CruxError("BAD_REQUEST", `Probabilities must sum to 1 (they sum to ${sum.toFixed(4)}).`);
  }
  const finalRound = input.round >= match.config.rounds;
  if (finalRound && input.action === "continue") {
    throw new CruxError("BAD_REQUEST", "That was the last round: submit your verdict.");
  }
  const ends = input.action === "end" || finalRound;
  const step: JudgeStepRecord = {
    round: input.round,
    probabilities: input.probabilities,
    action: ends ? "end" : "continue",
    message: input.explanation ?? null,
  };
  if (!ends) return { step, verdict: null };

  const chosen = chosenOption(input.probabilities);
  if (chosen === null) {
    throw new CruxError("BAD_REQUEST", "A verdict needs more probability on one option than the other.");
  }
  const gold = match.question.gold;
  const startedAt = match.startedAt?.getTime() ?? match.createdAt.getTime();
  return {
    step,
    verdict: {
      probabilities: input.probabilities,
      chosen,
      correct: chosen === gold,
      score: logScore(input.probabilities, gold, {
        roundsUsed: input.round,
        roundCost: match.config.scoring.roundCost,
      }),
      explanation: input.explanation ?? null,
      rounds: input.round,
      timeTakenMs: Math.max(0, now - startedAt),
    },
  };
}
