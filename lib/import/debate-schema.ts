import { z } from "zod";
import { MAX_RECORDED_ROUNDS } from "../debate/config";
import { hasDebaters, seatsOf } from "../debate/protocols";
import { PROBABILITY_SUM_TOLERANCE } from "../debate/scoring";
import {
  judgeChoiceSchema,
  judgeKindSchema,
  liveProtocolSchema,
  OPTION_COUNT,
  optionIndexSchema,
  roundOrderSchema,
  seatSchema,
} from "../debate/vocabulary";

/**
 * One line of a debate import file (docs/debate-import-format.md): an external debate with its question, passage,
 * debaters, turns, judge steps and verdict. Plain module: the schema is the documentation's source of truth.
 * Messages are predicates ("is missing", "must be …"): the parser puts the field's path in front of them.
 */

export const DEBATE_IMPORT_LIMITS = {
  id: 200,
  question: 5_000,
  option: 2_000,
  title: 500,
  passage: 2_000_000,
  turnText: 50_000,
  message: 50_000,
  turns: 100,
  judgeSteps: MAX_RECORDED_ROUNDS + 1,
  tags: 50,
  tag: 100,
  name: 200,
} as const;

function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, { error: "is empty" })
    .max(max, { error: `is longer than ${max.toLocaleString("en-US")} characters` });
}

/** Free text that may be empty (a turn can be silent), not trimmed (whitespace is part of the transcript). */
function body(max: number) {
  return z.string().max(max, { error: `is longer than ${max.toLocaleString("en-US")} characters` });
}

/** Ids: strings, or integers (many datasets number their items), stored as strings. */
const idSchema = z.preprocess(
  (value) => (typeof value === "number" && Number.isInteger(value) ? String(value) : value),
  text(DEBATE_IMPORT_LIMITS.id),
);

/** ISO 8601 date-time (e.g. `2023-07-20T20:27:47Z`) or milliseconds since 1970. */
const timestampSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isFinite(date.getTime()) && (typeof value === "number" || /^\d{4}-\d\d-\d\d/.test(value))) return date;
  ctx.issues.push({
    code: "custom",
    input: value,
    message: `must be an ISO 8601 date-time or milliseconds since 1970 (got ${JSON.stringify(value)})`,
  });
  return z.NEVER;
});

/** Two probabilities, one per option, in [0, 1] and summing to 1. */
export const importProbabilitiesSchema = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine((p) => Math.abs(p[0] + p[1] - 1) <= PROBABILITY_SUM_TOLERANCE, {
    error: (issue) => `must sum to 1 (got ${JSON.stringify(issue.input)})`,
  });

/** Same rule as a study condition's name (lib/studies/config.ts). */
const conditionNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/, { error: "must be 1–40 letters, digits, spaces, '_', '-' or '.'" });

const questionSchema = z.strictObject({
  /** Your id for the question within the dataset; default: a hash of its text, options and passage. */
  id: idSchema.optional(),
  text: text(DEBATE_IMPORT_LIMITS.question),
  /** Exactly two answers (OPTION_COUNT): every protocol puts one side on each. */
  options: z.tuple([text(DEBATE_IMPORT_LIMITS.option), text(DEBATE_IMPORT_LIMITS.option)], {
    error: (issue) =>
      Array.isArray(issue.input)
        ? `must be exactly ${OPTION_COUNT} answers: a question has exactly two options (found ${issue.input.length})`
        : undefined,
  }),
  /** 0-based index of the correct option. */
  gold: optionIndexSchema,
});

const debaterSchema = z.strictObject({
  seat: seatSchema,
  option: optionIndexSchema,
  /** Model spec of an AI debater; absent (or "human") for a person. */
  model: text(DEBATE_IMPORT_LIMITS.name).optional(),
  /** A human debater's (pseudonymous) id in the source, kept with the match. */
  name: text(DEBATE_IMPORT_LIMITS.name).optional(),
  /** Optional check: whether the debater argues the gold option. Crux derives it; a contradiction is an error. */
  honest: z.boolean().optional(),
});

const quoteSchema = z.strictObject({ text: text(DEBATE_IMPORT_LIMITS.turnText), verified: z.boolean() });

const turnSchema = z.strictObject({
  round: z.int().min(1).max(MAX_RECORDED_ROUNDS),
  speaker: seatSchema,
  /** The argument; quotes from the passage are marked `<quote>…</quote>`. */
  text: body(DEBATE_IMPORT_LIMITS.turnText),
  /** Only without a passage: the source's own quote check, stored as given. */
  quotes: z.array(quoteSchema).max(100).optional(),
  at: timestampSchema.optional(),
  latencyMs: z.int().min(0).optional(),
});

const judgeSchema = z.strictObject({
  /** The judge's (pseudonymous) id in the source; required for human judges. */
  id: idSchema.optional(),
  kind: judgeKindSchema,
  /** Model spec of an AI judge. */
  model: text(DEBATE_IMPORT_LIMITS.name).optional(),
});

const judgeStepSchema = z.strictObject({
  /** Rounds of arguments the judge had seen: 0 is the judge's prior, before any argument. */
  round: z.int().min(0).max(MAX_RECORDED_ROUNDS),
  probabilities: importProbabilitiesSchema,
  action: judgeChoiceSchema,
  message: body(DEBATE_IMPORT_LIMITS.message).optional(),
  at: timestampSchema.optional(),
});

const verdictSchema = z.strictObject({
  probabilities: importProbabilitiesSchema,
  /**
   * The option chosen; default: the more probable one. When the probabilities tie (50/50) and no option is given,
   * the verdict is stored as a tie (no option chosen; half correct in accuracy, docs/debate-import-format.md).
   */
  chosen: optionIndexSchema.optional(),
  explanation: body(DEBATE_IMPORT_LIMITS.message).optional(),
  /** Rounds of arguments the judge saw before deciding; default: the last round with a turn (at least 1). */
  rounds: z.int().min(1).max(MAX_RECORDED_ROUNDS).optional(),
  at: timestampSchema.optional(),
  /** Default: from the first turn or judge step (or `createdAt`) to `at`, else 0. */
  /** At most 2^31 − 1 ms (about 24.8 days): what the column holds on PostgreSQL. */
  timeTakenMs: z.int().min(0).max(2_147_483_647).optional(),
});

const rulesSchema = z.strictObject({
  /** Default: the longest turn's word count (20–1,000). */
  wordLimit: z.int().min(20).max(1000).optional(),
  laterRounds: roundOrderSchema.optional(),
  firstSpeaker: seatSchema.optional(),
});

export const debateImportRowSchema = z
  .strictObject({
    id: idSchema,
    question: questionSchema,
    passage: z
      .strictObject({ title: text(DEBATE_IMPORT_LIMITS.title).optional(), text: text(DEBATE_IMPORT_LIMITS.passage) })
      .optional(),
    protocol: liveProtocolSchema,
    /** The study condition the debate belongs to; default: the protocol's name. */
    condition: conditionNameSchema.optional(),
    debaters: z.array(debaterSchema).max(2).default([]),
    turns: z.array(turnSchema).max(DEBATE_IMPORT_LIMITS.turns).default([]),
    judge: judgeSchema,
    judgeSteps: z.array(judgeStepSchema).max(DEBATE_IMPORT_LIMITS.judgeSteps).default([]),
    verdict: verdictSchema,
    rules: rulesSchema.optional(),
    createdAt: timestampSchema.optional(),
    tags: z
      .array(text(DEBATE_IMPORT_LIMITS.tag))
      .max(DEBATE_IMPORT_LIMITS.tags)
      .transform((tags) => [...new Set(tags)])
      .optional(),
    /** Anything else worth keeping (JSON object): stored with the match's import event, never interpreted. */
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((row, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const { question, protocol } = row;
    if (question.options[0].toLowerCase() === question.options[1].toLowerCase())
      issue(["question", "options"], "must be two different answers");

    // Debaters: one per seat the protocol has (lib/debate/protocols.ts), on different options.
    const seats = seatsOf(protocol);
    const given = row.debaters.map((d) => d.seat);
    if (given.length !== seats.length || seats.some((seat) => !given.includes(seat))) {
      const want =
        seats.length === 0
          ? "must be empty"
          : `must be exactly seat${seats.length > 1 ? "s" : ""} ${seats.join(" and ")}`;
      issue(
        ["debaters"],
        `${want} for protocol ${protocol}${protocol === "consultancy" ? " (the consultant sits in seat A)" : ""}`,
      );
    }
    if (row.debaters.length === 2 && row.debaters[0]?.option === row.debaters[1]?.option)
      issue(["debaters"], "must argue different options");
    row.debaters.forEach((debater, i) => {
      if (debater.honest !== undefined && debater.honest !== (debater.option === question.gold))
        issue(["debaters", i, "honest"], `contradicts option ${debater.option} and gold ${question.gold}`);
    });

    // Turns: by a seated debater, one per seat and round.
    if (!hasDebaters(protocol) && row.turns.length > 0) issue(["turns"], `must be empty for protocol ${protocol}`);
    const spoken = new Set<string>();
    row.turns.forEach((turn, i) => {
      if (hasDebaters(protocol) && !given.includes(turn.speaker))
        issue(["turns", i, "speaker"], `must be the seat of a debater (${given.join(", ") || "none"})`);
      const key = `${turn.round}:${turn.speaker}`;
      if (spoken.has(key)) issue(["turns", i], `repeats seat ${turn.speaker} in round ${turn.round}`);
      spoken.add(key);
      if (turn.quotes && row.passage)
        issue(["turns", i, "quotes"], "must be left out when a passage is given (quotes are checked against it)");
    });
    const lastRound = Math.max(0, ...row.turns.map((t) => t.round));

    // Judge.
    if (row.judge.kind === "human" && row.judge.id === undefined)
      issue(["judge", "id"], "is missing (human judges need an id)");
    if (row.judge.kind === "ai" && row.judge.model === undefined)
      issue(["judge", "model"], "is missing (AI judges need a model)");

    // Judge steps: one per round, in order, none after the last.
    let previous = -1;
    row.judgeSteps.forEach((step, i) => {
      if (step.round <= previous) issue(["judgeSteps", i, "round"], "must be greater than the previous step's round");
      previous = step.round;
      if (step.action === "end" && i !== row.judgeSteps.length - 1)
        issue(["judgeSteps", i, "action"], "is end but later steps follow");
    });
    if (hasDebaters(protocol) && previous > Math.max(lastRound, row.verdict.rounds ?? 0))
      issue(["judgeSteps"], `has a step after round ${lastRound}, the last round with a turn`);

    // Verdict: a choice the probabilities support.
    const [p0, p1] = row.verdict.probabilities;
    const tie = Math.abs(p0 - p1) < 1e-6;
    if (!tie && row.verdict.chosen !== undefined && row.verdict.chosen !== (p0 > p1 ? 0 : 1))
      issue(["verdict", "chosen"], "contradicts the probabilities (the judge must choose the more probable option)");
    if (row.verdict.rounds !== undefined && hasDebaters(protocol) && row.verdict.rounds > Math.max(lastRound, 1))
      issue(["verdict", "rounds"], `is after round ${lastRound}, the last round with a turn`);
  });

export type DebateImportRow = z.output<typeof debateImportRowSchema>;
export type DebateImportInput = z.input<typeof debateImportRowSchema>;

/** A bad row (or file-level problem): the 1-based physical line it is on, and why. */
export interface DebateImportError {
  line: number;
  message: string;
}
