import { findQuoteSpans } from "../../debate/quotes";
import type { JudgeQuestion, Quote, TurnRecord } from "../../debate/types";
import type { Seat } from "../../debate/vocabulary";

/**
 * How a transcript is written into every prompt (debater, consultant, judge, picker), so all of them see the same
 * record. Each round is a `<round>` element holding its turns in the order given, then any judge questions asked
 * after it. Quotes are marked as the judge sees them (Khan et al. 2024): `<v_quote>` for text verified against the
 * story, `<u_quote>` for text that was not found in it.
 *
 * Turn text is written by models, so it may contain markup that would lie about the transcript: a forged
 * `<v_quote>` would show invented text as verified, a forged `</turn>` could fake another speaker. Every tag of the
 * transcript's own vocabulary is therefore removed from turn and question text before it is wrapped.
 */

export type { JudgeQuestion } from "../../debate/types";

/** What the builders accept besides the domain input. */
export interface PromptExtras {
  judgeQuestions?: readonly JudgeQuestion[];
}

/** A turn's quote as far as rendering is concerned (offsets are irrelevant and never shown). */
export type MarkedQuote = Pick<Quote, "text" | "verified">;

/** Tags of the transcript's vocabulary (and the prompts' own wrappers), case-insensitive, with or without attributes. */
const RESERVED_TAG =
  /<\s*\/?\s*(?:v_quote|u_quote|quote|turn|round|judge_question|transcript|story|candidate)\b[^>]*>/gi;

/** Removes every reserved tag from model-written text. */
export function stripReservedTags(text: string): string {
  return text.replace(RESERVED_TAG, "");
}

/**
 * Rewrites a turn's `<quote>` spans with verification marks. `quotes` are the turn's checked quotes in order (as
 * stored in TurnRecord.quotes); a span is marked verified only when its checked quote has the same text and is
 * verified, so a record that does not line up with the text can never make a quote look verified. With `quotes`
 * null (not checked at all), spans keep plain `<quote>` tags.
 */
export function markQuotes(text: string, quotes: readonly MarkedQuote[] | null): string {
  let out = "";
  let cursor = 0;
  findQuoteSpans(text).forEach((span, i) => {
    out += stripReservedTags(text.slice(cursor, span.outerStart));
    const inner = stripReservedTags(span.text);
    if (quotes === null) out += `<quote>${inner}</quote>`;
    else {
      const check = quotes[i];
      const tag = check?.verified === true && check.text === span.text ? "v_quote" : "u_quote";
      out += `<${tag}>${inner}</${tag}>`;
    }
    cursor = span.outerEnd;
  });
  return out + stripReservedTags(text.slice(cursor));
}

/** How a speaker is named in a transcript: "Debater A", or "Consultant" in consultancy. */
export type SpeakerNamer = (seat: Seat) => string;

/** Debate naming. */
export const debaterName: SpeakerNamer = (seat) => `Debater ${seat}`;

/** Consultancy names the single speaker "Consultant" whatever its seat. */
export const consultantName: SpeakerNamer = () => "Consultant";

/** Written in place of an empty transcript. */
export const EMPTY_TRANSCRIPT = "(Nothing has been said yet.)";

/** A turn's text as every transcript renders it (its quotes marked), whoever reads it and however speakers are named. */
export function renderedTurnBody(turn: Pick<TurnRecord, "text" | "quotes">): string {
  return markQuotes(turn.text, turn.quotes).trim();
}

function renderTurn(turn: TurnRecord, name: SpeakerNamer): string {
  const body = renderedTurnBody(turn);
  return `<turn speaker="${name(turn.speaker)}" option="${turn.option + 1}">\n${body}\n</turn>`;
}

function renderQuestion(question: JudgeQuestion, name: SpeakerNamer): string {
  const to = question.to ? ` to="${name(question.to)}"` : "";
  return `<judge_question${to}>\n${stripReservedTags(question.text).trim()}\n</judge_question>`;
}

/**
 * Renders turns (and judge questions) grouped by round, rounds ascending, turns within a round in the given order
 * (callers pass them in speaking order). Options are numbered from 1 as in the prompts.
 */
export function renderTranscript(
  turns: readonly TurnRecord[],
  options: { name?: SpeakerNamer; judgeQuestions?: readonly JudgeQuestion[] } = {},
): string {
  const name = options.name ?? debaterName;
  const questions = options.judgeQuestions ?? [];
  const rounds = [...new Set([...turns.map((t) => t.round), ...questions.map((q) => q.afterRound)])].sort(
    (a, b) => a - b,
  );
  if (rounds.length === 0) return EMPTY_TRANSCRIPT;
  return rounds
    .map((round) => {
      const parts = [
        ...turns.filter((t) => t.round === round).map((t) => renderTurn(t, name)),
        ...questions.filter((q) => q.afterRound === round).map((q) => renderQuestion(q, name)),
      ];
      return `<round number="${round}">\n${parts.join("\n")}\n</round>`;
    })
    .join("\n");
}

/** Options as the prompts list them: one per line, numbered from 1. */
export function renderOptions(options: readonly string[]): string {
  return options.map((option, i) => `Option ${i + 1}: ${option}`).join("\n");
}
