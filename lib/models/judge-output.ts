import { z } from "zod";
import { JUDGE_CHOICES, type JudgeChoice } from "../debate/vocabulary";
import { zodErrorMessage } from "../errors";
import { NO_PROBABILITIES, readPlainTextVerdict } from "./judge-text";

/**
 * Parsing what a language-model judge (or best-of-N picker) answers. Models wrap JSON in code fences, add prose
 * around it, capitalise keys or answer in percent; all of that is accepted, and a judge answer with no JSON object
 * at all is read as plain text ("Probabilities: A 0.7, B 0.3 — Answer: A", see judge-text.ts). Anything else is
 * rejected with a short reason written to be fed back to the model (see {@link reaskMessage}), so it can correct
 * itself.
 */

/** Longest accepted judge reasoning, in characters. */
export const MAX_REASONING_CHARS = 4000;
/** Longest accepted judge question (interactive debate, consultancy), in characters. */
export const MAX_QUESTION_CHARS = 1000;
/** Probabilities summing to within this of 1 (or of 100, read as percent) are normalised; anything else is rejected. */
export const PROBABILITY_SUM_SLACK = 0.05;
/** How many `{` positions are tried when looking for the JSON object, so a huge answer cannot take long. */
const MAX_OBJECT_STARTS = 200;

/**
 * A judge's parsed answer; `probabilities` sum to 1 and have one entry per option. `question` is present only
 * with action "continue" and when the judge wrote a non-empty one.
 */
export interface JudgeOutput {
  probabilities: number[];
  action: JudgeChoice;
  reasoning: string;
  question?: string;
}

/** Outcome of a parse: the value, or a reason to show the model. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Object keys lower-cased and trimmed ("Probabilities", " ACTION" …); the first spelling of a key wins. */
function lowerKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = key.trim().toLowerCase();
    if (!Object.hasOwn(out, k)) out[k] = v;
  }
  return out;
}

/** Numeric strings ("0.7", "70%") as numbers; everything else unchanged for the schema to reject. */
function numberish(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(value);
  return match ? Number(match[1]) : value;
}

function formatSum(total: number): string {
  return String(Math.round(total * 1000) / 1000);
}

/** A missing, null or blank question is no question; a string is trimmed; anything else is left for the schema. */
function optionalText(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") return value;
  const text = value.trim();
  return text === "" ? undefined : text;
}

const questionSchema = z.preprocess(
  optionalText,
  z
    .string({ error: '"question" must be a string' })
    .max(MAX_QUESTION_CHARS, {
      error: (issue) =>
        `"question" is too long (${typeof issue.input === "string" ? issue.input.length : "?"} characters; at most ${MAX_QUESTION_CHARS})`,
    })
    .optional(),
);

/**
 * The judge answer's schema for `optionCount` options. Keys are matched case-insensitively. `probabilities`: one
 * number ≥ 0 per option (numeric strings accepted); a sum within 5% of 1 is normalised to 1, and so is a sum
 * within 5 of 100 (percentages); any other sum is invalid. `action`: "continue" or "end" (any case). `reasoning`:
 * a string of at most 4000 characters. `question` (optional): a string of at most 1000 characters, trimmed; null
 * or blank counts as absent, and it is dropped when the action is "end" (there is no next round to answer it in).
 */
export function judgeOutputSchema(optionCount: number) {
  const probabilities = z
    .array(
      z.preprocess(
        numberish,
        z
          .number({ error: '"probabilities" must contain only numbers' })
          .min(0, { error: '"probabilities" must not be negative' }),
      ),
      {
        error: (issue) =>
          issue.input === undefined ? 'missing "probabilities"' : '"probabilities" must be an array of numbers',
      },
    )
    .length(optionCount, {
      error: (issue) =>
        `"probabilities" must have exactly ${optionCount} numbers, one per option (got ${Array.isArray(issue.input) ? issue.input.length : "?"})`,
    })
    .transform((p, ctx) => {
      const total = sum(p);
      // Percentages are only read as such when they add up to about 100: [30, 70] is clear, [3, 7] is not.
      const scale =
        Math.abs(total - 1) <= PROBABILITY_SUM_SLACK
          ? 1
          : Math.abs(total - 100) <= 100 * PROBABILITY_SUM_SLACK
            ? 100
            : 0;
      if (scale === 0) {
        ctx.addIssue({
          code: "custom",
          message: `"probabilities" must sum to 1 (got ${formatSum(total)})`,
        });
        return z.NEVER;
      }
      return p.map((x) => x / total);
    });
  return z.preprocess(
    lowerKeys,
    z
      .object(
        {
          probabilities,
          action: z.preprocess(
            (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
            z.enum(JUDGE_CHOICES, {
              error: (issue) =>
                issue.input === undefined ? 'missing "action"' : '"action" must be "continue" or "end"',
            }),
          ),
          reasoning: z
            .string({
              error: (issue) => (issue.input === undefined ? 'missing "reasoning"' : '"reasoning" must be a string'),
            })
            .max(MAX_REASONING_CHARS, {
              error: (issue) =>
                `"reasoning" is too long (${typeof issue.input === "string" ? issue.input.length : "?"} characters; at most ${MAX_REASONING_CHARS})`,
            }),
          question: questionSchema,
        },
        { error: "the answer must be a JSON object" },
      )
      .transform(
        ({ question, ...answer }): JudgeOutput =>
          question !== undefined && answer.action === "continue" ? { ...answer, question } : answer,
      ),
  );
}

/** End of the balanced `{…}` starting at `start` (JSON strings respected), or -1 if it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth += 1;
    else if (ch === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * Every JSON object in the text, in order of where it starts: the whole text when it is one, then each balanced
 * `{…}` that parses (so objects in code fences or between prose are found, and nested ones after their parent).
 */
export function findJsonObjects(text: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let tries = 0;
  for (let start = text.indexOf("{"); start >= 0 && tries < MAX_OBJECT_STARTS; start = text.indexOf("{", start + 1)) {
    tries += 1;
    const end = balancedEnd(text, start);
    if (end < 0) continue;
    const value = parseObject(text.slice(start, end + 1));
    if (value) found.push(value);
  }
  return found;
}

/**
 * Raw line breaks and tabs inside JSON strings escaped: models often write multi-line reasoning that way, and
 * the intent is unambiguous.
 */
function escapeControlCharsInStrings(json: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i] as string;
    if (inString && ch === "\\") {
      out += ch + (json[i + 1] ?? "");
      i += 1;
      continue;
    }
    if (ch === '"') inString = !inString;
    if (inString && (ch === "\n" || ch === "\r" || ch === "\t"))
      out += ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : "\\t";
    else out += ch;
  }
  return out;
}

/** The slice as a JSON object (retried with line breaks in strings escaped), or null. */
function parseObject(slice: string): Record<string, unknown> | null {
  for (const candidate of [slice, escapeControlCharsInStrings(slice)]) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      return null;
    } catch {
      // Not JSON (prose in braces, a broken object): try the repaired form, then give up on this `{`.
    }
  }
  return null;
}

function hasKey(value: Record<string, unknown>, key: string): boolean {
  return Object.keys(value).some((k) => k.trim().toLowerCase() === key);
}

/**
 * Picks the answer object: the first JSON object that has `key`, or explains why there is none. A `{` without a
 * parseable object gets a hint about JSON syntax, since that is the usual cause.
 */
function answerObject(text: string, key: string): ParseResult<Record<string, unknown>> {
  const objects = findJsonObjects(text);
  const answer = objects.find((o) => hasKey(o, key));
  if (answer) return { ok: true, value: answer };
  if (objects.length > 0) return { ok: false, error: `the JSON object has no "${key}" field` };
  if (text.includes("{")) {
    return { ok: false, error: "no valid JSON object found (check the quotes, commas and brackets)" };
  }
  return { ok: false, error: "no JSON object found" };
}

function firstIssue(error: z.ZodError): string {
  return zodErrorMessage(error, {
    first: true,
    path: false,
    fallback: "the answer does not match the required format",
  });
}

/**
 * Parses a judge's answer for `optionCount` options (see {@link judgeOutputSchema} for what is accepted). A JSON
 * object with "probabilities" decides alone; without one the text is read as a plain-text verdict (options by
 * letter, number or by their text in `optionTexts`), validated by the same schema, its reasoning cut to fit. When
 * the text has probabilities that cannot be used, that reason is given; when it has none, the JSON reason (the
 * prompt asks for JSON), joined by the plain-text one when the text holds no brace at all.
 */
export function parseJudgeOutput(
  text: string,
  optionCount: number,
  optionTexts: readonly string[] = [],
): ParseResult<JudgeOutput> {
  const schema = judgeOutputSchema(optionCount);
  const found = answerObject(text, "probabilities");
  if (found.ok) {
    const parsed = schema.safeParse(found.value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: firstIssue(parsed.error) };
  }
  const plain = readPlainTextVerdict(text, optionCount, optionTexts);
  if (!plain.ok) {
    if (plain.error !== NO_PROBABILITIES) return plain;
    return text.includes("{") ? found : { ok: false, error: `${found.error} and ${plain.error}` };
  }
  const reasoning = plain.value.reasoning.slice(0, MAX_REASONING_CHARS);
  const question = plain.value.question?.slice(0, MAX_QUESTION_CHARS);
  const parsed = schema.safeParse({ ...plain.value, reasoning, ...(question ? { question } : {}) });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: firstIssue(parsed.error) };
}

/**
 * The JSON schema a judge's answer is requested in through a provider's structured output (OpenAI
 * `response_format: json_schema`, Anthropic's output format or JSON tool, vLLM/Ollama/llama.cpp guided decoding).
 * Written for OpenAI's strict mode, the narrowest of them: every property required, no extra properties, the
 * optional question as a nullable string (null reads as no question), no string length limits (unsupported
 * there; the parser enforces them). The answer is still read by {@link parseJudgeOutput}.
 */
export function judgeAnswerJsonSchema(optionCount: number, mayAsk: boolean): Record<string, unknown> {
  const answer = z.object({
    probabilities: z
      .array(z.number().min(0).max(1))
      .length(optionCount)
      .describe("one probability per answer option, in the order the options are listed, summing to 1"),
    action: z.enum(["continue", "end"]).describe('"continue" to hear another round, "end" to give the verdict now'),
    reasoning: z.string().describe("a short explanation of the judgement"),
  });
  const schema = mayAsk
    ? answer.extend({
        question: z.string().nullable().describe("only with continue: a question for the next round, or null"),
      })
    : answer;
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: "draft-7" }) as Record<string, unknown>;
  return json;
}

/**
 * Parses a best-of-N picker's answer `{"best": index}` for `n` candidates: the key in any case, the index a
 * whole number from 0 to n − 1 (a numeric string is accepted). The value is the index.
 */
export function parsePickerOutput(text: string, n: number): ParseResult<number> {
  const found = answerObject(text, "best");
  if (!found.ok) return found;
  const raw = numberish((lowerKeys(found.value) as Record<string, unknown>).best);
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw >= n) {
    return { ok: false, error: `"best" must be a whole number from 0 to ${n - 1} (got ${JSON.stringify(raw)})` };
  }
  return { ok: true, value: raw };
}

/** The formats {@link reaskMessage} can restate: "judge-ask" is a judge that may add a question. */
export type AnswerFormat = "judge" | "judge-ask" | "picker";

const JUDGE_FORMAT =
  '{"probabilities": [one number per option, in the order the options are listed, summing to 1], ' +
  '"action": "continue" or "end", "reasoning": "a short explanation"';

const FORMATS: Record<AnswerFormat, string> = {
  judge: `${JUDGE_FORMAT}}`,
  "judge-ask": `${JUDGE_FORMAT}, "question": "optional, only with continue: a question for the next round"}`,
  picker: '{"best": the index of the chosen draft}',
};

/**
 * The follow-up user message after an unusable answer: the reason, and the exact format to answer in. Pass
 * "picker" for best-of-N pickers and "judge-ask" for judges that may ask a question; the default is the judge
 * format.
 */
export function reaskMessage(error: string, format: AnswerFormat = "judge"): string {
  return (
    `Your answer could not be used: ${error}. Answer again with ONLY a JSON object in exactly this format, ` +
    `with no other text and no code fences:\n${FORMATS[format]}`
  );
}
