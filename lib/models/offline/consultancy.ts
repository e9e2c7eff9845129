/**
 * The offline judge's rule for consultancy, where it hears one side only. A consultant is assigned the correct
 * option only half the time, and a consultant for the wrong option can quote real sentences too, so even verified
 * evidence cannot establish its option. The judge starts from that 50% prior and leans towards the consultant's
 * option with the evidence score of ./tally.ts, but never beyond 0.75:
 *
 *   p(consultant's option) = 0.5 + 0.25 · tanh(score / 4)      (so within (0.25, 0.75))
 *
 * It is more sceptical when a quote is unverified: each costs 1.5 points of score, and any unverified quote caps
 * p at 0.5 — an honest consultant has no reason to misquote, so invented evidence earns no credit above the prior.
 * The other options share 1 − p equally.
 *
 * It asks for another round while the consultant keeps bringing new verified evidence, and ends when the latest
 * round added none (another round would be unlikely to move it). It never asks questions.
 */

import type { Probabilities, TurnRecord } from "../../debate/types";
import type { JudgeChoice } from "../../debate/vocabulary";
import type { JudgeInput } from "../types";
import { describeTally, exactPair, SCORE_FORMULA, type SideTally, tallyEvidence, uniform } from "./tally";

/** Consultants are assigned the correct option half the time: where the judge starts. */
const PRIOR = 0.5;
/** The most the judge gives the consultant's option (and, symmetrically, the least is 1 − this). */
export const CONSULTANT_CAP = 0.75;
/** Score at which about three quarters of the possible lean is reached (tanh(1) ≈ 0.76). */
const SCORE_SCALE = 4;
/** The cap when any quote was unverified. */
const UNVERIFIED_CAP = PRIOR;

/** The judge's reading of a consultancy so far. */
export interface ConsultancyJudgement {
  probabilities: Probabilities;
  action: JudgeChoice;
  reasoning: string;
}

/** The probability of the consultant's option for its tally (see the module comment). */
export function consultantProbability(tally: Pick<SideTally, "score" | "unverified">): number {
  const lean = PRIOR + (CONSULTANT_CAP - PRIOR) * Math.tanh(tally.score / SCORE_SCALE);
  return tally.unverified > 0 ? Math.min(UNVERIFIED_CAP, lean) : lean;
}

/** Verified quotes counted for `option` in the turns given (re-quotes of earlier spans do not count). */
function countedVerified(input: JudgeInput, turns: TurnRecord[], option: number): number {
  return tallyEvidence({ ...input, transcript: turns })[option]?.verified ?? 0;
}

/** Judges a consultancy from the consultant's turns alone. */
export function judgeConsultancy(input: JudgeInput): ConsultancyJudgement {
  const n = input.options.length;
  const option = input.transcript[0]?.option;
  if (option === undefined || option < 0 || option >= n) {
    return {
      probabilities: uniform(n),
      action: "continue",
      reasoning: "Offline heuristic judge (no language model): the consultant has not spoken yet, so no evidence.",
    };
  }
  const tally = tallyEvidence(input)[option] ?? { verified: 0, words: 0, unverified: 0, relevance: 0, score: 0 };
  const p = consultantProbability(tally);
  const probabilities = exactPair(input.options.map((_, i) => (i === option ? p : 1 - p)));
  const latest = Math.max(...input.transcript.map((t) => t.round));
  const earlier = input.transcript.filter((t) => t.round < latest);
  const fresh = countedVerified(input, input.transcript, option) - countedVerified(input, earlier, option);
  const action = fresh > 0 ? "continue" : "end";
  const reasoning = [
    "Offline heuristic judge (no language model; reads only the transcript). One consultant argues one option and",
    "is assigned the correct one only half the time, so its evidence moves me from 0.50 towards its option, to at",
    `most ${CONSULTANT_CAP.toFixed(2)}, and not above ${UNVERIFIED_CAP.toFixed(2)} if any quote was unverified:`,
    `P = 0.5 + 0.25 × tanh(score / ${SCORE_SCALE}), ${SCORE_FORMULA}`,
    describeTally(`Option ${option + 1} (the consultant's)`, tally, p),
    action === "continue"
      ? `The last round brought ${fresh} new verified quote(s); another round may bring more.`
      : "The last round brought no new verified evidence, so another round is unlikely to change my view.",
  ].join(" ");
  return { probabilities, action, reasoning };
}
