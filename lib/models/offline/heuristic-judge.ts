/**
 * The offline judge: a transparent scoring rule, no language model. It reads ONLY the transcript (never the
 * passage — it has none, and it ignores the story even in the expert protocol) and trusts the quote verification
 * already stored on each turn. Per protocol:
 *
 * - debate, interactive: every option's evidence is scored (./tally.ts) and the scores turned into probabilities
 *   by a softmax with temperature 2, clipped to [0.05, 0.95]. It asks to "end" when the larger probability is
 *   ≥ 0.8, else to "continue". In interactive debate it asks no questions (it cannot think of good ones).
 * - consultancy: one side only, weighed against the prior that consultants are right half the time
 *   (./consultancy.ts): at most 0.75 for the consultant's option, at most 0.5 when a quote was unverified.
 * - naive, expert: there is no transcript and it cannot read, so it gives every option equal probability and
 *   ends at once. An exact tie is broken from the match seed by the runner, which is the honest chance baseline.
 *
 * It cannot tell a good argument from a bad one — only how much checkable, on-topic evidence each side offered.
 */

import type { Probabilities } from "../../debate/types";
import { assertTwoOptions, type JudgeChoice } from "../../debate/vocabulary";
import type { CallOptions, JudgeInput, JudgeModel, JudgeReply, ModelInfo } from "../types";
import { judgeConsultancy } from "./consultancy";
import { abortError } from "./stream";
import { describeTally, SCORE_FORMULA, type SideTally, scoresToProbabilities, tallyEvidence, uniform } from "./tally";

export { type SideTally, scoresToProbabilities, tallyEvidence } from "./tally";

export const HEURISTIC_JUDGE_SPEC = "offline:heuristic";
/** Bumped whenever the rule changes (v2: consultancy, naive and expert protocols). */
export const HEURISTIC_PROMPT_VERSION = "offline-heuristic-v2";

const END_CONFIDENCE = 0.8;

const INFO: ModelInfo = {
  spec: HEURISTIC_JUDGE_SPEC,
  label: "Offline judge (heuristic, no language model)",
  isLanguageModel: false,
};

/** What the judge decided, before call metadata is added. */
interface Judgement {
  probabilities: Probabilities;
  action: JudgeChoice;
  reasoning: string;
}

function explain(input: JudgeInput, tallies: SideTally[], p: Probabilities, action: JudgeChoice): string {
  const sides = tallies.map((t, i) => describeTally(`Option ${i + 1}`, t, p[i] ?? 0));
  const max = Math.max(...p);
  const verdict =
    action === "end"
      ? `Confident enough (${max.toFixed(2)} ≥ ${END_CONFIDENCE}) to end.`
      : `Not confident yet (${max.toFixed(2)} < ${END_CONFIDENCE}); another round would help.`;
  return [
    "Offline heuristic judge (no language model; reads only the transcript):",
    SCORE_FORMULA,
    ...sides,
    input.transcript.length === 0 ? "No turns yet, so no evidence either way." : verdict,
  ].join(" ");
}

/** Debate and interactive debate: both sides' evidence against each other. */
function judgeDebate(input: JudgeInput): Judgement {
  const tallies = tallyEvidence(input);
  const probabilities = scoresToProbabilities(tallies.map((t) => t.score));
  const action = Math.max(...probabilities) >= END_CONFIDENCE ? "end" : "continue";
  return { probabilities, action, reasoning: explain(input, tallies, probabilities, action) };
}

/** Naive and expert: nothing this judge can read, so chance, at once. */
function judgeWithoutTranscript(input: JudgeInput): Judgement {
  const why =
    input.protocol === "expert"
      ? "In the expert protocol the judge may read the story, but this judge cannot read (it only counts quotes),"
      : "In the naive protocol there are no debaters and no quotes,";
  return {
    probabilities: uniform(input.options.length),
    action: "end",
    reasoning:
      `Offline heuristic judge (no language model). ${why} so it has no evidence and gives every option equal ` +
      "probability. The match breaks the exact tie from its seed.",
  };
}

function decide(input: JudgeInput): Judgement {
  const protocol = input.protocol ?? "debate";
  switch (protocol) {
    case "consultancy":
      return judgeConsultancy(input);
    case "naive":
    case "expert":
      return judgeWithoutTranscript(input);
    case "debate":
    case "interactive":
    case "recorded":
      return judgeDebate(input);
    default: {
      const unhandled: never = protocol;
      throw new RangeError(`unknown protocol ${String(unhandled)}`);
    }
  }
}

/** Creates the offline heuristic judge (deterministic: same input, same answer; it never sets `question`). */
export function createHeuristicJudge(): JudgeModel {
  return {
    info: INFO,
    async judge(input: JudgeInput, call: CallOptions = {}): Promise<JudgeReply> {
      const started = performance.now();
      if (call.signal?.aborted) throw abortError();
      assertTwoOptions(input.options);
      const { probabilities, action, reasoning } = decide(input);
      call.onDelta?.(reasoning);
      return {
        probabilities,
        action,
        reasoning,
        meta: {
          model: HEURISTIC_JUDGE_SPEC,
          promptVersion: HEURISTIC_PROMPT_VERSION,
          latencyMs: Math.round(performance.now() - started),
        },
      };
    },
  };
}
