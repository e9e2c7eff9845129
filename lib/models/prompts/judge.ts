import { judgeMayAsk } from "../../debate/protocols";
import type { TurnRecord } from "../../debate/types";
import { assertTwoOptions, type Protocol, type Seat } from "../../debate/vocabulary";
import type { JudgeInput } from "../types";
import { checkRound, JUDGE_PROMPTS, renderPrompt } from "./catalog";
import type { RenderedPrompt } from "./template";
import { consultantName, debaterName, type PromptExtras, renderOptions, renderTranscript } from "./transcript";

/**
 * The judge's prompt, one template per protocol (see JUDGE_PROMPTS). Only the expert judge is shown the story:
 * `input.passage` is read in that branch alone, so no other protocol can leak it whatever the caller passes.
 * The interactive and consultancy judges are told they may add a "question" to a "continue" answer.
 */

/** The form of the judge's answer: one slot per option, "end" forced when final, and the question slot if allowed. */
function judgeJsonExample(optionCount: number, final: boolean, ask: boolean): string {
  const slots = Array.from({ length: optionCount }, (_, i) => `<probability of option ${i + 1}>`).join(", ");
  const action = final ? '"end"' : '"continue" or "end"';
  const question = ask && !final ? ', "question": "<optional: your question or comment for the next round>"' : "";
  return `{"probabilities": [${slots}], "action": ${action}, "reasoning": "<your explanation>"${question}}`;
}

/** Who argues what, from the turns (the judge input carries no seat table). */
function debaterLine(transcript: readonly TurnRecord[]): string {
  const bySeat = new Map<Seat, number>();
  for (const turn of transcript) if (!bySeat.has(turn.speaker)) bySeat.set(turn.speaker, turn.option);
  if (bySeat.size === 0) return "No debater has spoken yet.";
  return [...bySeat]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([seat, option]) => `${debaterName(seat)} argues for option ${option + 1}.`)
    .join(" ");
}

/** The consultant's position, from its turns. */
function consultantLine(transcript: readonly TurnRecord[]): string {
  const option = transcript[0]?.option;
  return option === undefined
    ? "The consultant has not spoken yet."
    : `The consultant argues for option ${option + 1}.`;
}

/** Which round just ended and what the judge may do now. */
function roundStatus(input: JudgeInput, protocol: Protocol): string {
  const status = `Round ${input.round} of ${input.totalRounds} has just ended.`;
  if (input.round === input.totalRounds) {
    return `${status} This is the final round: your "action" must be "end", and your probabilities are your verdict.`;
  }
  const next = `round ${input.round + 1}`;
  if (protocol === "interactive") {
    return (
      `${status} Answer "continue" to hear ${next}, optionally with a "question" that both debaters must address ` +
      'in it, or "end" to stop the debate now with these probabilities as your verdict.'
    );
  }
  if (protocol === "consultancy") {
    return (
      `${status} Answer "continue" to hear ${next}, optionally with a "question" that the consultant must answer ` +
      'in it, or "end" to stop the consultation now with these probabilities as your verdict.'
    );
  }
  return `${status} Answer "continue" to hear ${next}, or "end" to stop the debate now with these probabilities as your verdict.`;
}

/** Told to the expert judge below the story. */
function expertStoryNote(passage: string): string {
  return passage.trim() === ""
    ? "There is no story for this question (the story above is empty): answer from what you know."
    : "Read the story above carefully before you answer.";
}

/**
 * The judge's prompt for `input.protocol` (default "debate"). Debate, interactive and consultancy judges get the
 * question, the options, who argues what, the transcript (with the judge's earlier questions, from
 * `extras.judgeQuestions` or else `input.judgeQuestions`) with quotes marked `<v_quote>` (verified) or `<u_quote>`
 * (not found in the story), which round just ended and the JSON answer format; in the final round the prompt says
 * "This is the final round" and requires action "end". The naive judge gets only the question and the options;
 * the expert judge also the story, in `<story>` tags. Both must "end" at once.
 */
export function judgePrompt(input: JudgeInput, extras: PromptExtras = {}): RenderedPrompt {
  checkRound(input.round, input.totalRounds);
  assertTwoOptions(input.options);
  const protocol = input.protocol ?? "debate";
  const n = input.options.length;
  const common = { question: input.question, options: renderOptions(input.options), optionCount: n };
  if (protocol === "naive") {
    return renderPrompt(JUDGE_PROMPTS.naive, { ...common, jsonExample: judgeJsonExample(n, true, false) });
  }
  if (protocol === "expert") {
    const story = input.passage ?? "";
    return renderPrompt(JUDGE_PROMPTS.expert, {
      ...common,
      story,
      storyNote: expertStoryNote(story),
      jsonExample: judgeJsonExample(n, true, false),
    });
  }
  const judgeQuestions = extras.judgeQuestions ?? input.judgeQuestions ?? [];
  const final = input.round === input.totalRounds;
  const shared = {
    ...common,
    roundStatus: roundStatus(input, protocol),
    jsonExample: judgeJsonExample(n, final, judgeMayAsk(protocol)),
  };
  if (protocol === "consultancy") {
    return renderPrompt(JUDGE_PROMPTS.consultancy, {
      ...shared,
      consultant: consultantLine(input.transcript),
      transcript: renderTranscript(input.transcript, { name: consultantName, judgeQuestions }),
    });
  }
  return renderPrompt(JUDGE_PROMPTS[protocol], {
    ...shared,
    debaters: debaterLine(input.transcript),
    transcript: renderTranscript(input.transcript, { judgeQuestions }),
  });
}
