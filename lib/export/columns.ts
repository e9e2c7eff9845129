/**
 * The tables of a study export, each defined once: its columns in order, with a type and a description. The CSV
 * header, the JSONL keys, the `codebook` table and the study page's download buttons all come from here (plain
 * module: the browser may import it). docs/studies.md, "Exporting the data".
 */

import { JUDGE_ACTIONS, JUDGE_KINDS, MATCH_STATUSES, PROTOCOLS } from "../debate/vocabulary";
import { ANNOTATION_KINDS } from "../matches/annotation-vocabulary";
import { SURVEY_KINDS } from "../studies/config";
import { CURRENCIES, PARTICIPANT_STAGES, PARTICIPANT_STATUSES } from "../studies/vocabulary";

export const EXPORT_TABLES = [
  "matches",
  "turns",
  "judge_steps",
  "verdicts",
  "participants",
  "survey_answers",
  "check_attempts",
  "payments",
  "model_calls",
  "events",
  "audit",
  "annotations",
  "codebook",
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** How a column's values read: JSON types in JSONL; in CSV, booleans are `true`/`false` and null is empty. */
export const COLUMN_TYPES = ["string", "integer", "number", "boolean", "datetime", "json"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ExportColumn {
  name: string;
  type: ColumnType;
  description: string;
}

export interface ExportTableDef {
  /** One line for the download buttons. */
  title: string;
  columns: readonly ExportColumn[];
}

const oneOf = (values: readonly (string | number)[]) => values.join(" | ");
const c = (name: string, type: ColumnType, description: string): ExportColumn => ({ name, type, description });

const STUDY = c("study_id", "string", "The study's id.");
const MATCH_ID = c("match_id", "string", "The match's id (joins matches, turns, judge_steps, verdicts, model_calls).");
const CONDITION = c("condition", "string", "The study condition the match belongs to.");
const PROTOCOL = c("protocol", "string", `${oneOf(PROTOCOLS)}.`);
const JUDGE_ID = c(
  "judge_id",
  "string",
  "The human judge: a per-study pseudonym (j-…), or the user id in a raw export; joins participants. Empty for AI judges.",
);
const PARTICIPANT_ID = c("participant_id", "string", "The participant's id in Crux (joins participants).");
const EXTERNAL_ID = c(
  "external_id",
  "string",
  "The recruiting platform's participant id (Prolific PROLIFIC_PID): a per-study pseudonym (x-…) unless raw.",
);
const CREATED = c("created_at", "datetime", "When the row was written (ISO 8601, UTC).");

const MATCH_COLUMNS = [
  STUDY,
  c("version", "integer", "The study version the match ran under (1 = first launch)."),
  c("config_hash", "string", "SHA-256 of that frozen version's configuration."),
  CONDITION,
  PROTOCOL,
  MATCH_ID,
  c("plan_key", "string", "Automated runs: the planned judgment's key."),
];
const JUDGE_COLUMNS = [
  JUDGE_ID,
  c("judge_kind", "string", `${oneOf(JUDGE_KINDS)}.`),
  c("judge_model", "string", "The AI judge's model spec, for AI-judged matches."),
];
const SEAT_COLUMNS = [
  c("debater_a_model", "string", "Model spec of seat A."),
  c("debater_b_model", "string", "Model spec of seat B (empty with one seat)."),
  c("debater_a_option", "integer", "The option (0 or 1) seat A argues for."),
  c("consultant_honest", "boolean", "Consultancy: whether the consultant argues the correct option."),
];
const QUESTION_COLUMNS = [
  c("question_id", "string", "The question's id in Crux."),
  c("question_external_id", "string", "The question's id in its source data set."),
];
const OPTION_ORDER = c("option_order", "string", "Order the options were shown in, e.g. 1|0.");
const GOLD = c("gold", "integer", "The correct option (0 or 1).");
const P0 = c("p0", "number", "The judge's probability that option 0 is correct.");
const P1 = c("p1", "number", "The judge's probability that option 1 is correct.");
const PRACTICE = c("practice", "boolean", "A participant's practice match (not analysed).");
const TAGS = c("tags", "string", "Imported debates: their tags, joined with |.");
const PROMPT_VERSION = c("prompt_version", "string", "Version of the prompt template.");
const PROMPT_HASH = c("prompt_hash", "string", "SHA-256 of the prompt as sent.");
const TOKENS_IN = c("tokens_in", "integer", "Input tokens, when the provider reports them.");
const TOKENS_OUT = c("tokens_out", "integer", "Output tokens, when the provider reports them.");
const LATENCY = c("latency_ms", "integer", "How long the call took, in milliseconds.");
const STARTED = c("started_at", "datetime", "When the match started.");
const ENDED = c("ended_at", "datetime", "When the match ended.");

export const EXPORT_TABLE_DEFS: Record<ExportTable, ExportTableDef> = {
  matches: {
    title: "Matches: one row per match, with its setup and outcome",
    columns: [
      ...MATCH_COLUMNS,
      c("run_id", "string", "Automated runs: the run's id."),
      c("slot_id", "string", "Human matches: the assignment slot's id."),
      c("source_match_id", "string", "Recorded debates: the match replayed (its verdict is the original judgment)."),
      PRACTICE,
      ...QUESTION_COLUMNS,
      ...JUDGE_COLUMNS,
      ...SEAT_COLUMNS,
      c("max_rounds", "integer", "Rounds the protocol allows."),
      c("word_limit", "integer", "Word limit per turn."),
      c("seed", "integer", "The match's random seed."),
      c("first_speaker", "string", "The seat that speaks first."),
      OPTION_ORDER,
      c("status", "string", `${oneOf(MATCH_STATUSES)}.`),
      c("error", "string", "Why the match did not complete."),
      c("turns", "integer", "Number of debater turns."),
      c("judge_steps", "integer", "Number of judge steps."),
      c("has_verdict", "boolean", "Whether the match has a verdict."),
      CREATED,
      STARTED,
      ENDED,
      TAGS,
    ],
  },
  turns: {
    title: "Turns: one row per debater turn",
    columns: [
      STUDY,
      CONDITION,
      PROTOCOL,
      MATCH_ID,
      c("round", "integer", "The round (1-based)."),
      c("speaker", "string", "The seat that spoke: A or B."),
      c("option", "integer", "The option the speaker argues for."),
      c("argues_correct", "boolean", "Whether that option is the correct one."),
      c("model", "string", "Model spec that wrote the turn."),
      c("text", "string", "The turn's text."),
      c("quotes_verified", "integer", "Quotes found verbatim in the passage."),
      c("quotes_total", "integer", "Quotes in the turn."),
      PROMPT_VERSION,
      PROMPT_HASH,
      TOKENS_IN,
      TOKENS_OUT,
      LATENCY,
      CREATED,
    ],
  },
  judge_steps: {
    title: "Judge steps: the judge's probabilities after each round",
    columns: [
      STUDY,
      CONDITION,
      PROTOCOL,
      MATCH_ID,
      ...JUDGE_COLUMNS,
      GOLD,
      c("round", "integer", "The round after which the judge stepped (1-based)."),
      P0,
      P1,
      c("action", "string", `${oneOf(JUDGE_ACTIONS)}.`),
      c("message", "string", "What the judge wrote to the debaters (interactive protocols)."),
      CREATED,
    ],
  },
  verdicts: {
    title: "Verdicts: one row per final judgment",
    columns: [
      ...MATCH_COLUMNS,
      ...QUESTION_COLUMNS,
      ...JUDGE_COLUMNS,
      ...SEAT_COLUMNS,
      OPTION_ORDER,
      GOLD,
      c(
        "chosen",
        "integer",
        "The option the judge chose; empty for a tie (an imported 50/50 verdict, half correct in accuracy).",
      ),
      c("correct", "boolean", "Whether the chosen option is the correct one (false for a tie)."),
      P0,
      P1,
      c("score", "number", "The judge's score for the verdict (the study's scoring rule)."),
      c("explanation", "string", "The judge's explanation, when asked for."),
      c("rounds", "integer", "Rounds the judge saw before deciding."),
      c("time_taken_ms", "integer", "Time from the match's start to the verdict, in milliseconds."),
      STARTED,
      ENDED,
      c("verdict_at", "datetime", "When the verdict was given."),
      c("match_status", "string", "The match's status."),
      PRACTICE,
      TAGS,
    ],
  },
  participants: {
    title: "Participants: one row per person who opened the study link",
    columns: [
      STUDY,
      PARTICIPANT_ID,
      JUDGE_ID,
      c("version", "integer", "The study version they joined."),
      c("ordinal", "integer", "Order of arrival within that version (0-based)."),
      EXTERNAL_ID,
      c("external_study_id", "string", "The platform's study id (Prolific STUDY_ID): pseudonymised unless raw."),
      c("external_session_id", "string", "The platform's session id (Prolific SESSION_ID): pseudonymised unless raw."),
      c("stage", "string", `Where they are in the study: ${oneOf(PARTICIPANT_STAGES)}.`),
      c("status", "string", `${oneOf(PARTICIPANT_STATUSES)}.`),
      c("check_failures", "integer", "Failed comprehension-check submissions."),
      c("matches_judged", "integer", "Non-practice matches they gave a verdict in."),
      c("completion_code", "string", "The completion code they were given."),
      c("joined_at", "datetime", "When they first opened the link."),
      c("last_seen_at", "datetime", "When they were last active."),
      c("finished_at", "datetime", "When they finished (completed, failed or were removed)."),
      c("duration_ms", "integer", "finished_at − joined_at, in milliseconds."),
    ],
  },
  survey_answers: {
    title: "Survey answers: one row per participant and survey question",
    columns: [
      STUDY,
      PARTICIPANT_ID,
      JUDGE_ID,
      c("question_id", "string", "The survey question's id in the study design."),
      c("position", "integer", "The question's position in the survey (1-based)."),
      c("kind", "string", `${oneOf(SURVEY_KINDS)}.`),
      c("prompt", "string", "The question as shown."),
      c("answered", "boolean", "Whether the participant answered it (optional questions may be skipped)."),
      c("answer", "string", "The answer as given (a scale's number as text)."),
      c("answer_number", "number", "Scale questions: the answer as a number (1–7)."),
      c("submitted_at", "datetime", "When the survey was submitted."),
    ],
  },
  check_attempts: {
    title: "Comprehension-check attempts: one row per submission",
    columns: [
      STUDY,
      PARTICIPANT_ID,
      JUDGE_ID,
      c("attempt", "integer", "The participant's submission number (1-based)."),
      c("answers", "string", "The option chosen for each check question (0 = first), joined with |."),
      c("correct", "integer", "How many answers were right."),
      c("questions", "integer", "How many check questions there were."),
      c("passed", "boolean", "Whether every answer was right."),
      CREATED,
    ],
  },
  payments: {
    title: "Payments: base pay and bonus owed to each participant (the study's pay rule)",
    columns: [
      STUDY,
      PARTICIPANT_ID,
      EXTERNAL_ID,
      c("status", "string", `The participant's status (${oneOf(PARTICIPANT_STATUSES)}); only completed is paid.`),
      c("matches", "integer", "Study matches judged (practice and qualification excluded)."),
      c("mean_score", "number", "Mean score over those matches (the score shown with each verdict); empty with none."),
      c("base_pay", "number", "Base pay owed."),
      c("bonus", "number", "Bonus owed under the bonus rule (mean score above the floor × rate, capped; to the cent)."),
      c("total", "number", "base_pay + bonus."),
      c("currency", "string", `${oneOf(CURRENCIES)}.`),
    ],
  },
  model_calls: {
    title: "Model calls: every call to a model, with its prompt, output and cost",
    columns: [
      STUDY,
      CONDITION,
      MATCH_ID,
      c("call_id", "string", "The call's id."),
      c("round", "integer", "The round the call was for."),
      c("role", "string", "debater | judge | picker | check."),
      c("seat", "string", "The debater's seat the call was for."),
      c("model", "string", "Model spec called."),
      PROMPT_VERSION,
      PROMPT_HASH,
      c("prompt", "json", "The prompt exactly as sent ({ system, messages })."),
      c("settings", "json", "Sampling settings (temperature, seed, max tokens)."),
      c("output", "string", "The raw text the model returned (empty when the call failed)."),
      c("error", "string", "Why the call failed."),
      c("attempts", "integer", "Tries made (retries included)."),
      c("cached", "boolean", "Answered from the response cache (no provider call, no cost)."),
      TOKENS_IN,
      TOKENS_OUT,
      c("cost_usd", "number", "Cost in US dollars, when the model's price is known."),
      LATENCY,
      CREATED,
    ],
  },
  events: {
    title: "Events: the matches' event log",
    columns: [
      STUDY,
      c("event_id", "integer", "The event's number (increasing)."),
      MATCH_ID,
      c("type", "string", "What happened, e.g. match.created."),
      c("payload", "json", "The event's details (judge ids pseudonymised unless raw)."),
      CREATED,
    ],
  },
  audit: {
    title: "Audit log: what researchers and admins did to the study",
    columns: [
      STUDY,
      c("audit_id", "integer", "The entry's number (increasing)."),
      c("actor_id", "string", "The account that acted."),
      c("action", "string", "What they did, e.g. study.launch or export.download."),
      c("details", "json", "The action's details."),
      CREATED,
    ],
  },
  annotations: {
    title: "Annotations: reviewers' comments and tags on the matches",
    columns: [
      STUDY,
      CONDITION,
      PROTOCOL,
      MATCH_ID,
      c("annotation_id", "string", "The annotation's id."),
      c(
        "author_id",
        "string",
        "Who wrote it: a per-study pseudonym (j-…, the same as judge_id for the same person), or the user id in a raw export.",
      ),
      c("kind", "string", `${oneOf(ANNOTATION_KINDS)}.`),
      c("text", "string", "The comment's text, or the tag (lower case)."),
      c("round", "integer", "A comment on a turn: the turn's round (joins turns with match_id and speaker)."),
      c("speaker", "string", "A comment on a turn: the seat that spoke."),
      c("quote", "string", "A comment on words of a turn: those words, as shown (quote marks removed)."),
      c("quote_start", "integer", "Where those words start in the turn's shown text (0-based)."),
      c("quote_end", "integer", "Where they end (exclusive)."),
      CREATED,
    ],
  },
  codebook: {
    title: "Codebook: every column of every table, described",
    columns: [
      c("table", "string", "The table (file) the column is in."),
      c("column", "string", "The column's name."),
      c("type", "string", `${oneOf(COLUMN_TYPES)}.`),
      c("description", "string", "What the column holds."),
    ],
  },
};

/** Column order of each table (CSV header; JSONL objects have the same keys in the same order). */
export const EXPORT_COLUMNS = Object.fromEntries(
  EXPORT_TABLES.map((table) => [table, EXPORT_TABLE_DEFS[table].columns.map((col) => col.name)]),
) as unknown as Record<ExportTable, readonly string[]>;

/** The `codebook` table's rows: one per column of every table, the codebook's own included. */
export function codebookRows(): Row[] {
  return EXPORT_TABLES.flatMap((table) =>
    EXPORT_TABLE_DEFS[table].columns.map((col) => ({
      table,
      column: col.name,
      type: col.type,
      description: col.description,
    })),
  );
}
