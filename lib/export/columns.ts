/**
 * The tables of a study export and their columns (docs/cli.md, "crux export"). Plain module: the download UI may
 * list them too.
 */

export const EXPORT_TABLES = ["verdicts", "judge-steps", "turns", "matches", "events"] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

const MATCH_COLUMNS = ["study_id", "version", "config_hash", "condition", "protocol", "match_id", "plan_key"] as const;
const JUDGE_COLUMNS = ["judge_id", "judge_kind", "judge_model"] as const;
const SEAT_COLUMNS = ["debater_a_model", "debater_b_model", "debater_a_option", "consultant_honest"] as const;

/** Column order of each table (CSV header; JSONL objects have the same keys in the same order). */
export const EXPORT_COLUMNS: Record<ExportTable, readonly string[]> = {
  verdicts: [
    ...MATCH_COLUMNS,
    "question_id",
    "question_external_id",
    ...JUDGE_COLUMNS,
    ...SEAT_COLUMNS,
    "option_order",
    "gold",
    "chosen",
    "correct",
    "p0",
    "p1",
    "score",
    "rounds",
    "time_taken_ms",
    "started_at",
    "ended_at",
    "verdict_at",
    "match_status",
    "practice",
    "tags",
  ],
  "judge-steps": [
    "study_id",
    "condition",
    "protocol",
    "match_id",
    ...JUDGE_COLUMNS,
    "gold",
    "round",
    "p0",
    "p1",
    "action",
    "message",
    "created_at",
  ],
  turns: [
    "study_id",
    "condition",
    "protocol",
    "match_id",
    "round",
    "speaker",
    "option",
    "argues_correct",
    "model",
    "text",
    "quotes_verified",
    "quotes_total",
    "prompt_version",
    "prompt_hash",
    "tokens_in",
    "tokens_out",
    "latency_ms",
    "created_at",
  ],
  matches: [
    ...MATCH_COLUMNS,
    "run_id",
    "slot_id",
    "practice",
    "question_id",
    "question_external_id",
    ...JUDGE_COLUMNS,
    ...SEAT_COLUMNS,
    "max_rounds",
    "word_limit",
    "seed",
    "first_speaker",
    "option_order",
    "status",
    "error",
    "turns",
    "judge_steps",
    "has_verdict",
    "created_at",
    "started_at",
    "ended_at",
    "tags",
  ],
  events: ["study_id", "event_id", "match_id", "type", "payload", "created_at"],
};
