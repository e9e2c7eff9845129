/**
 * The debate's vocabularies, each defined once: a const list and the type it gives, with the sets derived from it
 * next to it. Everything else (stored rows, socket payloads, import files, forms, filters) imports these instead of
 * spelling the strings out again; their zod schemas are in ./vocabulary.ts, built from these lists.
 *
 * Kept free of zod so that browser code (the judge page's protocol and scoring helpers) can use the lists without
 * shipping a validation library it never runs: the server parses, the browser only displays. It imports nothing.
 */

// ---------------------------------------------------------------------------------------------------------------
// Protocols

/**
 * The protocols a match can run (see ./protocols.ts): two debaters; two debaters the judge can question between
 * rounds; one consultant (honest half the time) the judge can question; no help at all; no help but the story
 * itself (a calibration ceiling); or a recorded debate — a stored match's turns replayed to a new judge.
 */
export const PROTOCOLS = ["debate", "interactive", "consultancy", "naive", "expert", "recorded"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * The protocols whose debaters are models (or nobody): everything but `recorded`, which needs a source debate. What
 * the play form, the CLI's `debate`, study designs and imported debates may name.
 */
export const LIVE_PROTOCOLS = [
  "debate",
  "interactive",
  "consultancy",
  "naive",
  "expert",
] as const satisfies readonly Exclude<Protocol, "recorded">[];
export type LiveProtocol = (typeof LIVE_PROTOCOLS)[number];

/** The recorded protocol, for code that compares a stored (untyped) protocol with it. */
export const RECORDED_PROTOCOL = "recorded" satisfies Protocol;

/** The protocols a recorded debate can come from: those with debaters to replay. */
export const RECORDED_SOURCE_PROTOCOLS = [
  "debate",
  "interactive",
  "consultancy",
] as const satisfies readonly LiveProtocol[];
export type RecordedSourceProtocol = (typeof RECORDED_SOURCE_PROTOCOLS)[number];

/**
 * How a recorded debate reaches its new judge (as in the NYU platform's offline judging): `stepped` — round by
 * round, the judge reporting probabilities after each and free to stop early; `timed` — every round first, then one
 * verdict.
 */
export const RECORDED_MODES = ["stepped", "timed"] as const;
export type RecordedMode = (typeof RECORDED_MODES)[number];

// ---------------------------------------------------------------------------------------------------------------
// Seats and options

/** A debater's seat. Seats are assigned to options at random per match. */
export const SEATS = ["A", "B"] as const;
export type Seat = (typeof SEATS)[number];

/**
 * A question's options by index. Every question has exactly two (the question bank, the importers and every
 * protocol are binary: two debaters on opposite options, a consultant on one of two), so "the other option" is
 * well defined. Growing this list would mean revisiting every place that calls {@link otherOption}.
 */
export const OPTION_INDEXES = [0, 1] as const;
export type OptionIndex = (typeof OPTION_INDEXES)[number];
/** How many options a question has: always two. */
export const OPTION_COUNT = OPTION_INDEXES.length;

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
export type RoundOrder = (typeof ROUND_ORDERS)[number];

// ---------------------------------------------------------------------------------------------------------------
// Judging

/** What a judge step records: another round, the verdict, or the server's note that the judge ran out of time. */
export const JUDGE_ACTIONS = ["continue", "end", "timeout"] as const;
export type JudgeAction = (typeof JUDGE_ACTIONS)[number];

/** What a judge (person or model) may choose after a round; `timeout` is recorded by the server only. */
export const JUDGE_CHOICES = ["continue", "end"] as const satisfies readonly JudgeAction[];
export type JudgeChoice = (typeof JUDGE_CHOICES)[number];

/** Who judged: a person or a model. */
export const JUDGE_KINDS = ["human", "ai"] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

// ---------------------------------------------------------------------------------------------------------------
// Scoring rules

/**
 * The proper scoring rules a condition may score its judges by (lib/debate/scoring.ts, docs/statistics.md): the
 * logarithmic rule, the quadratic (Brier) rule and the spherical rule, each rescaled so that 1 is all the probability
 * on the correct answer and 0 an even split.
 */
export const SCORING_RULES = ["log", "quadratic", "spherical"] as const;
export type ScoringRule = (typeof SCORING_RULES)[number];
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
export type MatchStatus = (typeof MATCH_STATUSES)[number];

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
