import { z } from "zod";

/**
 * The debate's vocabularies, each defined once: a const list, the zod schema built from it and the type inferred
 * from it, with the sets derived from it next to it. Everything else (stored rows, socket payloads, import files,
 * forms, filters) imports these instead of spelling the strings out again.
 *
 * A plain module apart from ./types.ts because these are runtime values (lists and schemas) that the browser, the
 * server, the CLI and the importers all parse with, while ./types.ts holds the shapes built from them and is erased
 * at runtime. It imports nothing but zod, so any layer may use it.
 */

// ---------------------------------------------------------------------------------------------------------------
// Protocols

/**
 * The protocols a match can run (see ./protocols.ts): two debaters; two debaters the judge can question between
 * rounds; one consultant (honest half the time) the judge can question; no help at all; or no help but the story
 * itself (a calibration ceiling).
 */
export const PROTOCOLS = ["debate", "interactive", "consultancy", "naive", "expert"] as const;
export const protocolSchema = z.enum(PROTOCOLS);
export type Protocol = z.infer<typeof protocolSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Seats and options

/** A debater's seat. Seats are assigned to options at random per match. */
export const SEATS = ["A", "B"] as const;
export const seatSchema = z.enum(SEATS);
export type Seat = z.infer<typeof seatSchema>;

/**
 * A question's options by index. Every question has exactly two (the question bank, the importers and every
 * protocol are binary: two debaters on opposite options, a consultant on one of two), so "the other option" is
 * well defined. Growing this list would mean revisiting every place that calls {@link otherOption}.
 */
export const OPTION_INDEXES = [0, 1] as const;
export type OptionIndex = (typeof OPTION_INDEXES)[number];
/** How many options a question has: always two. */
export const OPTION_COUNT = OPTION_INDEXES.length;
export const optionIndexSchema = z.literal(OPTION_INDEXES);

/** Checks that a stored option index (a plain number from the database) is one of the two options. */
export function toOptionIndex(option: number): OptionIndex {
  if (option === 0 || option === 1) return option;
  throw new RangeError(`option ${option} is not 0 or 1: a question has exactly two options`);
}

/** The option a debater opposite `option` argues (a question has exactly two). */
export function otherOption(option: number): OptionIndex {
  return toOptionIndex(option) === 0 ? 1 : 0;
}

/** Throws unless a question has exactly two options: everything that computes "the other option" relies on it. */
export function assertTwoOptions(options: readonly unknown[]): void {
  if (options.length !== OPTION_COUNT)
    throw new RangeError(`a question needs exactly two options (got ${options.length})`);
}

/** Order of the debaters' turns after the blind opening round. */
export const ROUND_ORDERS = ["sequential", "simultaneous"] as const;
export const roundOrderSchema = z.enum(ROUND_ORDERS);
export type RoundOrder = z.infer<typeof roundOrderSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Judging

/** What a judge step records: another round, the verdict, or the server's note that the judge ran out of time. */
export const JUDGE_ACTIONS = ["continue", "end", "timeout"] as const;
export const judgeActionSchema = z.enum(JUDGE_ACTIONS);
export type JudgeAction = z.infer<typeof judgeActionSchema>;

/** What a judge (person or model) may choose after a round; `timeout` is recorded by the server only. */
export const JUDGE_CHOICES = ["continue", "end"] as const satisfies readonly JudgeAction[];
export const judgeChoiceSchema = z.enum(JUDGE_CHOICES);
export type JudgeChoice = z.infer<typeof judgeChoiceSchema>;

/** Who judged: a person or a model. */
export const JUDGE_KINDS = ["human", "ai"] as const;
export const judgeKindSchema = z.enum(JUDGE_KINDS);
export type JudgeKind = z.infer<typeof judgeKindSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Scoring rules

/**
 * The proper scoring rules a condition may score its judges by (lib/debate/scoring.ts, docs/statistics.md): the
 * logarithmic rule, the quadratic (Brier) rule and the spherical rule, each rescaled so that 1 is all the probability
 * on the correct answer and 0 an even split.
 */
export const SCORING_RULES = ["log", "quadratic", "spherical"] as const;
export const scoringRuleSchema = z.enum(SCORING_RULES);
export type ScoringRule = z.infer<typeof scoringRuleSchema>;
/** Each rule's name in plain words (forms, the judge page, the results). */
export const SCORING_RULE_LABELS = {
  log: "log",
  quadratic: "quadratic (Brier)",
  spherical: "spherical",
} as const satisfies Record<ScoringRule, string>;

// ---------------------------------------------------------------------------------------------------------------
// Match status (stored as Match.status)

/**
 * A match's life: created `waiting` for its judge, `running` from the first turn, then settled for good as
 * `complete` (a verdict), `abandoned` (ended by the judge leaving, a time limit or a researcher; kept) or `errored`
 * (a model or the server failed; kept).
 */
export const MATCH_STATUSES = ["waiting", "running", "complete", "abandoned", "errored"] as const;
export const matchStatusSchema = z.enum(MATCH_STATUSES);
export type MatchStatus = z.infer<typeof matchStatusSchema>;

/** Statuses a match never leaves: nothing more happens in it and nothing may be written to it. */
export const SETTLED_MATCH_STATUSES = ["complete", "abandoned", "errored"] as const satisfies readonly MatchStatus[];
export type SettledMatchStatus = (typeof SETTLED_MATCH_STATUSES)[number];

/** Statuses of a match that is still going (waiting for its judge or running): every status that is not settled. */
export const ACTIVE_MATCH_STATUSES = ["waiting", "running"] as const satisfies readonly Exclude<
  MatchStatus,
  SettledMatchStatus
>[];
export type ActiveMatchStatus = (typeof ACTIVE_MATCH_STATUSES)[number];

/** Whether a match in this status is over for good. Takes a plain string because stored rows are typed so. */
export function isSettledMatchStatus(status: string): status is SettledMatchStatus {
  return (SETTLED_MATCH_STATUSES as readonly string[]).includes(status);
}
