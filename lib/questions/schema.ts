import { z } from "zod";
import { OPTION_COUNT, OPTION_INDEXES, type OptionIndex, optionIndexSchema } from "../debate/vocabulary";

// ---------------------------------------------------------------------------------------------------------------
// Question sets

/** Sets shipped with Crux (seeded from data/). Imports may not use these names, so seeding and imports never mix. */
export const BUILTIN_SETS = ["quality", "truthfulqa"] as const;

/**
 * Name of an imported question set (stored as Question.source / Passage.source): lowercase letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit, at most 64 characters. Lowercase only because sources compare
 * case-sensitively and "MySet" next to "myset" would be two sets that look like one.
 */
export const setNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    "set name must be 1–64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
  )
  .refine((name) => !(BUILTIN_SETS as readonly string[]).includes(name), {
    error: (issue) => `set name "${String(issue.input)}" is reserved for the built-in question bank`,
  });

// ---------------------------------------------------------------------------------------------------------------
// Import rows (docs/import-format.md)

/** Limits that keep one bad file from filling the database or breaking the judge's screen. */
export const IMPORT_LIMITS = {
  id: 200,
  question: 5_000,
  option: 2_000,
  title: 500,
  passage: 2_000_000,
  tags: 50,
  tag: 100,
} as const;

/**
 * One question to import, as written in a JSONL line (a CSV row is converted to this shape first).
 * `gold` is the 0-based index of the correct option; `passage` (with an optional `title`) is the text the
 * debaters quote from; rows without a passage are closed-book questions.
 */
export interface ImportRow {
  id?: string;
  question: string;
  /** Exactly two different, non-empty answers: debate needs one side per option. */
  options: [string, string];
  gold: OptionIndex;
  passage?: string;
  title?: string;
  tags?: string[];
}

// Messages are predicates ("is missing", "must be …"): the formatter puts the field name in front of them.
function text(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? "is missing" : "must be a string") })
    .trim()
    .min(1, { error: "is empty" })
    .max(max, { error: `is longer than ${max.toLocaleString("en-US")} characters` });
}

const idSchema = z.preprocess(
  // Many datasets number their items: accept integer ids and store them as strings.
  (value) => (typeof value === "number" && Number.isInteger(value) ? String(value) : value),
  z
    .string({ error: (issue) => (issue.input === undefined ? "is missing" : "must be a string or an integer") })
    .trim()
    .min(1, { error: "is empty" })
    .max(IMPORT_LIMITS.id, { error: `is longer than ${IMPORT_LIMITS.id} characters` }),
);

const optionsSchema = z.tuple([text(IMPORT_LIMITS.option), text(IMPORT_LIMITS.option)], {
  error: (issue) => {
    if (issue.input === undefined) return "is missing";
    if (Array.isArray(issue.input))
      return `must have exactly ${OPTION_COUNT} entries: a question has exactly two options (found ${issue.input.length})`;
    return "must be an array of two strings";
  },
});

const tagsSchema = z
  .array(text(IMPORT_LIMITS.tag), { error: "must be an array of strings" })
  .max(IMPORT_LIMITS.tags, { error: `has more than ${IMPORT_LIMITS.tags} tags` })
  .transform((tags) => [...new Set(tags)]);

/** `gold` in JSON: the number 0 or 1 (JSON has types, so "1" is a mistake worth reporting). */
const jsonGoldSchema = z.literal(OPTION_INDEXES, {
  error: (issue) =>
    issue.input === undefined
      ? "is missing"
      : `must be 0 or 1, the index of the correct option (got ${JSON.stringify(issue.input)})`,
});

/** `gold` in CSV: 0/1 (index) or A/B (letter of the option column), case-insensitive. */
const csvGoldSchema = z
  .string({ error: "is missing" })
  .trim()
  .transform((value, ctx) => {
    const gold = { "0": 0, "1": 1, a: 0, b: 1 }[value.toLowerCase()];
    if (gold === 0 || gold === 1) return gold;
    ctx.issues.push({ code: "custom", input: value, message: `must be 0, 1, A or B (got "${value}")` });
    return z.NEVER;
  });

function importRowSchema(gold: z.ZodType<OptionIndex, unknown>) {
  return z
    .strictObject(
      {
        id: idSchema.optional(),
        question: text(IMPORT_LIMITS.question),
        options: optionsSchema,
        gold,
        passage: text(IMPORT_LIMITS.passage).optional(),
        title: text(IMPORT_LIMITS.title).optional(),
        tags: tagsSchema.optional(),
      },
      {
        error: (issue) => {
          if (issue.code === "unrecognized_keys") {
            const keys = issue.keys.map((k) => `"${k}"`).join(", ");
            return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys} (allowed: id, question, options, gold, passage, title, tags)`;
          }
          if (issue.code === "invalid_type") return "each line must be a JSON object";
          return undefined;
        },
      },
    )
    .superRefine((row, ctx) => {
      // Compared case-insensitively: "Yes" against "yes" is not a debate.
      if (row.options[0].toLowerCase() === row.options[1].toLowerCase()) {
        ctx.addIssue({ code: "custom", message: "the two options must be different" });
      }
      if (row.title !== undefined && row.passage === undefined) {
        ctx.addIssue({ code: "custom", message: "a title was given without a passage" });
      }
    }) satisfies z.ZodType<ImportRow, unknown>;
}

/** Validates one JSONL row. */
export const jsonImportRowSchema = importRowSchema(jsonGoldSchema);

/** Validates one CSV row after conversion to an object (cells as strings, `tags` already split on `|`). */
export const csvImportRowSchema = importRowSchema(csvGoldSchema);

/** CSV header names. `question`, `option_a`, `option_b` and `gold` are required; the order is free. */
export const CSV_COLUMNS = ["id", "question", "option_a", "option_b", "gold", "passage", "title", "tags"] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ["question", "option_a", "option_b", "gold"];

/** A bad row (or file-level problem): the 1-based physical line it starts on, and why. */
export interface ImportError {
  line: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The shipped question bank (data/, written by scripts/build-question-bank.ts, read by lib/questions/seed.ts)

/** One line of data/quality/articles.jsonl.gz. */
export const bankArticleSchema = z.object({
  article_id: z.string().min(1),
  title: z.string().min(1),
  text: z.string().min(1),
});
export type BankArticle = z.infer<typeof bankArticleSchema>;

const bankOptions = z.tuple([z.string().min(1), z.string().min(1)]);

/** One line of data/truthfulqa/questions.jsonl.gz. */
export const bankQuestionSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  options: bankOptions,
  gold: optionIndexSchema,
  tags: z.array(z.string().min(1)),
});
export type BankQuestion = z.infer<typeof bankQuestionSchema>;

/** One line of data/quality/questions.jsonl.gz: a question on the article `article_id`. */
export const bankPassageQuestionSchema = bankQuestionSchema.extend({ article_id: z.string().min(1) });
export type BankPassageQuestion = z.infer<typeof bankPassageQuestionSchema>;

/** Question.options / Question.tags as stored (Json columns holding string arrays). */
export const storedStringsSchema = z.array(z.string());
