import type { QuoteVerifier } from "../../debate/quotes";
import { verifyTurnQuotes } from "../../debate/quotes";
import type { Seat, TurnRecord } from "../../debate/types";
import type { DebaterTurnInput, JudgeInput } from "../types";
import {
  type PromptTemplate,
  type PromptVars,
  type RenderedPrompt,
  readTemplateFile,
  renderTemplate,
} from "./template";
import {
  debaterName,
  type JudgeQuestion,
  markQuotes,
  type PromptExtras,
  renderOptions,
  renderTranscript,
} from "./transcript";

/**
 * Prompts for the language-model debaters, consultants, judges and best-of-N pickers. The wording lives in
 * versioned markdown files next to this module (format: ./template.ts); this module turns domain inputs into
 * their variables. Every rendered prompt carries its template version and a hash of the exact text, which are
 * recorded with each model call.
 */

export type { PromptTemplate, PromptVars, RenderedPrompt } from "./template";
export { PromptTemplateError, parseTemplate, renderTemplate } from "./template";
export type { JudgeQuestion, MarkedQuote, PromptExtras } from "./transcript";
export { markQuotes, renderOptions, renderTranscript, stripReservedTags } from "./transcript";

/**
 * The template version each prompt is rendered with. Changing a prompt means adding `<name>.v2.md` and bumping
 * the version here; released files are never edited, so a recorded version always names the exact wording.
 */
export const PROMPT_VERSIONS = {
  debater: "v1",
  consultant: "v1",
  judge: "v1",
  "best-of-n-picker": "v1",
} as const;

export type PromptName = keyof typeof PROMPT_VERSIONS;

const templates = new Map<string, PromptTemplate>();

/** The template `<name>.<version>` (the current version by default), read from disk once and cached. */
export function loadPromptTemplate(name: PromptName, version: string = PROMPT_VERSIONS[name]): PromptTemplate {
  const id = `${name}.${version}`;
  let template = templates.get(id);
  if (!template) {
    template = readTemplateFile(name, version);
    templates.set(id, template);
  }
  return template;
}

// Read the current versions at module load, so a missing or malformed template fails at start, not mid-match.
for (const name of Object.keys(PROMPT_VERSIONS) as PromptName[]) loadPromptTemplate(name);

/**
 * Renders a prompt strictly: every placeholder needs a value and every value a placeholder (else a
 * PromptTemplateError). `version` defaults to the current one in {@link PROMPT_VERSIONS}.
 */
export function renderPrompt(name: PromptName, vars: PromptVars, version?: string): RenderedPrompt {
  return renderTemplate(loadPromptTemplate(name, version), vars);
}

function otherSeat(seat: Seat): Seat {
  return seat === "A" ? "B" : "A";
}

function checkOption(options: readonly string[], option: number): string {
  const text = options[option];
  if (text === undefined || !Number.isInteger(option)) {
    throw new RangeError(`option ${option} is outside 0..${options.length - 1}`);
  }
  return text;
}

function checkRound(round: number, totalRounds: number): void {
  if (!Number.isInteger(round) || !Number.isInteger(totalRounds) || round < 1 || round > totalRounds) {
    throw new RangeError(`round ${round} is outside 1..${totalRounds}`);
  }
}

/** Told to debaters and consultants below the story: whom it is for, or that there is none. */
function storyNote(passage: string): string {
  return passage.trim() === ""
    ? "There is no story for this question (the story above is empty): argue from what you know. Quote tags have " +
        "nothing to match, so the judge would see any quote as unverified: do not use them."
    : "The judge cannot see this story; only the words you quote can show the judge what it says.";
}

/** Questions the speaker in `seat` should answer in `round`: those asked after the previous round, to it or to all. */
function openQuestions(questions: readonly JudgeQuestion[], seat: Seat, round: number): JudgeQuestion[] {
  return questions.filter((q) => q.afterRound === round - 1 && (q.to === undefined || q.to === seat));
}

function debaterTask(input: DebaterTurnInput, questions: readonly JudgeQuestion[]): string {
  const { round, totalRounds, seat } = input;
  const opponentSpoke = input.transcript.some((t) => t.round === round && t.speaker !== seat);
  const lines: string[] = [];
  if (round === 1) {
    lines.push(
      `This is round 1 of ${totalRounds}: give your opening statement. Make the strongest case for your answer, ` +
        "with the quotes from the story that best support it.",
      opponentSpoke
        ? "Your opponent has already given their opening statement (above): you may answer it as well."
        : "Your opponent is writing their opening statement at the same time, so you cannot see it yet.",
    );
  } else {
    lines.push(
      `This is round ${round} of ${totalRounds}. Rebut your opponent's arguments, above all their latest turn: ` +
        "show where their evidence is missing, unverified or does not prove what they claim. Then support your " +
        "answer with new evidence from the story instead of repeating earlier points.",
    );
    if (opponentSpoke) lines.push(`Your opponent has already given their round ${round} turn (above).`);
  }
  if (openQuestions(questions, seat, round).length > 0) {
    lines.push("The judge asked a question after the last round (above): answer it directly.");
  }
  if (round === totalRounds) {
    lines.push(
      totalRounds === 1
        ? "There is only this one round."
        : "This is the final round: make the closing case you want the judge to remember.",
    );
  }
  return lines.join(" ");
}

function consultantTask(input: DebaterTurnInput, questions: readonly JudgeQuestion[]): string {
  const { round, totalRounds, seat } = input;
  const lines: string[] = [];
  if (round === 1) {
    lines.push(
      `This is round 1 of ${totalRounds}: give your opening statement. Make the strongest case for your answer, ` +
        "with the quotes from the story that best support it.",
    );
  } else {
    lines.push(
      openQuestions(questions, seat, round).length > 0
        ? `This is round ${round} of ${totalRounds}. Answer the judge's latest question (above) directly and ` +
            "convincingly, then strengthen your case with new evidence from the story."
        : `This is round ${round} of ${totalRounds}. The judge asked no question: strengthen your case with new ` +
            "evidence from the story, and answer the doubts the judge is likely to have.",
    );
  }
  if (round === totalRounds) {
    lines.push(
      totalRounds === 1
        ? "There is only this one round."
        : "This is the final round: make the closing case you want the judge to remember.",
    );
  }
  return lines.join(" ");
}

/** The variables shared by the debater and consultant templates. */
function speakerVars(input: DebaterTurnInput) {
  checkRound(input.round, input.totalRounds);
  return {
    story: input.passage,
    storyNote: storyNote(input.passage),
    question: input.question,
    options: renderOptions(input.options),
    optionNumber: input.option + 1,
    optionText: checkOption(input.options, input.option),
    wordLimit: input.wordLimit,
  };
}

/**
 * The debater's prompt: the story inside `<story>…</story>`, the question and options, its seat and assigned
 * option (to be argued whatever the truth), the transcript it may see with quote marks, the round's task and
 * the word limit. `extras.judgeQuestions` adds the judge's questions to the transcript.
 */
export function debaterPrompt(input: DebaterTurnInput, extras: PromptExtras = {}): RenderedPrompt {
  const questions = extras.judgeQuestions ?? [];
  const opponent = otherSeat(input.seat);
  // The opponent's option as the transcript shows it; with two options it can only be the other one.
  const opponentOption =
    input.transcript.find((t) => t.speaker === opponent)?.option ??
    (input.options.length === 2 ? 1 - input.option : undefined);
  const opponentText = opponentOption === undefined ? undefined : input.options[opponentOption];
  return renderPrompt("debater", {
    ...speakerVars(input),
    name: debaterName(input.seat),
    opponent:
      opponentOption === undefined || opponentText === undefined
        ? `Your opponent, ${debaterName(opponent)}, argues for a different option.`
        : `Your opponent, ${debaterName(opponent)}, argues for option ${opponentOption + 1}: "${opponentText}".`,
    transcript: renderTranscript(input.transcript, { judgeQuestions: questions }),
    task: debaterTask(input, questions),
  });
}

/** Consultancy names the single speaker "Consultant" whatever its seat. */
const consultantName = (): string => "Consultant";

/**
 * The consultant's prompt (consultancy: one AI argues its assigned option to the judge, who may question it).
 * It is told to argue for its option whatever the truth, and never whether that option is correct.
 */
export function consultantPrompt(input: DebaterTurnInput, extras: PromptExtras = {}): RenderedPrompt {
  const questions = extras.judgeQuestions ?? [];
  return renderPrompt("consultant", {
    ...speakerVars(input),
    transcript: renderTranscript(input.transcript, { name: consultantName, judgeQuestions: questions }),
    task: consultantTask(input, questions),
  });
}

/** The form of the judge's answer, with one slot per option (and "end" forced in the final round). */
function judgeJsonExample(optionCount: number, final: boolean): string {
  const slots = Array.from({ length: optionCount }, (_, i) => `<probability of option ${i + 1}>`).join(", ");
  const action = final ? '"end"' : '"continue" or "end"';
  return `{"probabilities": [${slots}], "action": ${action}, "reasoning": "<your explanation>"}`;
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

/**
 * The judge's prompt. It never contains the story: only the question, the options, the transcript with quotes
 * marked `<v_quote>` (verified) or `<u_quote>` (not found in the story), which round just ended, and the JSON
 * answer format. In the final round it says "This is the final round" and requires action "end".
 */
export function judgePrompt(input: JudgeInput, extras: PromptExtras = {}): RenderedPrompt {
  checkRound(input.round, input.totalRounds);
  if (input.options.length < 2) throw new RangeError("a judge needs at least two options");
  const final = input.round === input.totalRounds;
  const status = `Round ${input.round} of ${input.totalRounds} has just ended.`;
  return renderPrompt("judge", {
    question: input.question,
    options: renderOptions(input.options),
    optionCount: input.options.length,
    debaters: debaterLine(input.transcript),
    transcript: renderTranscript(input.transcript, { judgeQuestions: extras.judgeQuestions }),
    roundStatus: final
      ? `${status} This is the final round: your "action" must be "end", and your probabilities are your verdict.`
      : `${status} Answer "continue" to hear round ${input.round + 1}, or "end" to stop the debate now with ` +
        "these probabilities as your verdict.",
    jsonExample: judgeJsonExample(input.options.length, final),
  });
}

/** Input of the best-of-N picker. */
export interface PickerInput {
  question: string;
  options: readonly string[];
  /** Index of the option every draft argues for. */
  option: number;
  /** The draft turns; the answer is an index into this list. */
  candidates: readonly string[];
  /** The transcript the drafts follow (absent or empty for opening statements). */
  transcript?: readonly TurnRecord[];
  judgeQuestions?: readonly JudgeQuestion[];
  /**
   * Checks the drafts' quotes against the story, so they are marked as the judge would see them (recommended:
   * otherwise the picker cannot tell a real quote from an invented one). The story itself is never shown.
   */
  verify?: QuoteVerifier;
}

/**
 * The best-of-N picker's prompt (Khan et al. 2024): a judge model, without the story, picks the draft most likely
 * to persuade the judge; it answers `{"best": index}` (see parsePickerOutput).
 */
export function pickerPrompt(input: PickerInput): RenderedPrompt {
  if (input.candidates.length === 0) throw new RangeError("the picker needs at least one candidate");
  const { verify } = input;
  const candidates = input.candidates.map((text, i) => {
    const body = markQuotes(text, verify ? verifyTurnQuotes(text, verify) : null).trim();
    return `<candidate index="${i}">\n${body}\n</candidate>`;
  });
  return renderPrompt("best-of-n-picker", {
    quoteNote: verify
      ? "The drafts' quotes have been checked against the story and are marked as the judge will see them: " +
        "<v_quote> was found in the story, <u_quote> was not."
      : "The drafts' quotes, in <quote> tags, have not been checked yet; the judge will see any quote that is not " +
        "word for word from the story marked as unverified.",
    question: input.question,
    options: renderOptions(input.options),
    optionNumber: input.option + 1,
    optionText: checkOption(input.options, input.option),
    transcript: renderTranscript(input.transcript ?? [], { judgeQuestions: input.judgeQuestions }),
    candidateCount: input.candidates.length,
    candidates: candidates.join("\n\n"),
    maxIndex: input.candidates.length - 1,
  });
}
