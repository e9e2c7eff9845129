import type { z } from "zod";

/**
 * A refused study design in plain words: the one mapping from zod issues to what a researcher reads, used by the
 * design form (each message at its field), study files and `crux study create` (each with its line), and the API.
 * `studyErrorMap` words an issue from its code and parameters ("must be at most 1000 words", not zod's "Too big:
 * expected number to be <=1000"); messages the schema words itself ("give the study a name") are kept.
 * `studyFieldLabel` names the field a path points at ("Condition 1 – word limit"), for lists that stand apart
 * from the form. Plain module (zod types only): the form imports it.
 */

type Path = readonly PropertyKey[];

/** How each field is called on the form (lower case; the label's first word is capitalised when it leads). */
const FIELD_LABELS: Record<string, string> = {
  name: "name",
  description: "description",
  questions: "questions",
  source: "question set",
  count: "number of questions",
  seed: "seed",
  tags: "tags",
  ids: "question ids",
  conditions: "conditions",
  protocol: "protocol",
  study: "study",
  mode: "mode",
  rounds: "rounds",
  wordLimit: "word limit",
  debaters: "debaters",
  judge: "judge",
  scoring: "scoring",
  rule: "scoring rule",
  roundCost: "round cost",
  sampling: "sampling",
  judgeTimeLimitSeconds: "judge time limit",
  submitDraftOnTimeout: "submit the slider's answer on timeout",
  judgmentsPerQuestion: "judgments per question",
  questionsPerJudge: "questions per participant",
  consent: "consent",
  instructions: "instructions",
  comprehensionCheck: "comprehension check",
  question: "question",
  options: "options",
  answer: "correct answer",
  attempts: "attempts allowed",
  practice: "practice match",
  requireProlificId: "require a Prolific id",
  survey: "survey",
  id: "id",
  prompt: "prompt",
  kind: "kind",
  required: "required",
  completion: "completion",
  redirectUrl: "redirect URL",
  codes: "completion codes",
  completed: "code for completing",
  failedCheck: "code for failing the check",
  removed: "code for being removed",
  dropoutMinutes: "minutes before a silent participant is dropped",
  screenedOut: "code for being screened out",
  qualification: "qualification",
  threshold: "pass threshold",
};

/** Fields named on their own rather than after the section that holds them. */
const PATH_LABELS: Record<string, string> = {
  questions: "Questions",
  "questions.source": "Question set",
  "questions.count": "Number of questions",
  "questions.seed": "Seed of the question draw",
  "questions.tags": "Question tags",
  "questions.ids": "Question ids",
  "comprehensionCheck.attempts": "Comprehension check – attempts allowed",
  "qualification.matches": "Qualification – number of matches",
  "qualification.condition": "Qualification – condition",
  "qualification.rule": "Qualification – pass rule",
};

/** Lists whose items are named on their own ("Condition 2 – …"), with what went before dropped. */
const TOP_ITEMS: Record<string, string> = {
  conditions: "Condition",
  survey: "Survey question",
  "comprehensionCheck.questions": "Check question",
};
/** Lists whose items are named after their list ("… – option 3"). */
const INNER_ITEMS: Record<string, string> = { options: "option", tags: "tag", ids: "question id" };

/** The field a path names, as the form calls it: "Condition 1 – word limit", "Survey question 2 – id". */
export function studyFieldLabel(path: Path): string {
  const own = PATH_LABELS[path.slice(0, 2).map(String).join(".")];
  if (own && path.length <= 2) return own;
  if (own && typeof path[2] === "number") return `${own} – ${INNER_ITEMS[String(path[1])] ?? "item"} ${path[2] + 1}`;
  let parts: string[] = [];
  path.forEach((key, index) => {
    if (typeof key === "number") {
      const list = path.slice(0, index).map(String).join(".");
      const last = String(path[index - 1]);
      if (TOP_ITEMS[list]) parts = [`${TOP_ITEMS[list]} ${key + 1}`];
      else if (last === "debaters") parts[parts.length - 1] = `debater ${key === 0 ? "A" : "B"}`;
      else parts[parts.length - 1] = `${INNER_ITEMS[last] ?? "item"} ${key + 1}`;
      return;
    }
    // A condition's `source` is its recorded debates, not the question set `questions.source` names.
    const conditionSource = key === "source" && path[index - 2] === "conditions";
    parts.push(conditionSource ? "source debates" : (FIELD_LABELS[String(key)] ?? String(key)));
  });
  const label = parts.join(" – ");
  return label ? label[0]?.toUpperCase() + label.slice(1) : "The design";
}

/** What a number counts, by the field that holds it. */
const NUMBER_UNITS: Record<string, [string, string]> = {
  rounds: ["round", "rounds"],
  wordLimit: ["word", "words"],
  judgeTimeLimitSeconds: ["second", "seconds"],
  dropoutMinutes: ["minute", "minutes"],
  count: ["question", "questions"],
  judgmentsPerQuestion: ["judgment", "judgments"],
  questionsPerJudge: ["question", "questions"],
  attempts: ["attempt", "attempts"],
  matches: ["match", "matches"],
};
/** What a list holds, by the field that holds it. */
const LIST_ITEMS: Record<string, [string, string]> = {
  conditions: ["condition", "conditions"],
  options: ["option", "options"],
  tags: ["tag", "tags"],
  ids: ["question id", "question ids"],
  survey: ["survey question", "survey questions"],
  questions: ["question", "questions"],
};

const counted = (n: number | bigint, [one, many]: [string, string]) => `${n} ${Number(n) === 1 ? one : many}`;

function lastKey(path: Path | undefined): string {
  const keys = (path ?? []).filter((key) => typeof key !== "number");
  return String(keys[keys.length - 1] ?? "");
}

function sizeMessage(
  issue: { origin: string; inclusive?: boolean; path?: Path },
  bound: number | bigint,
  big: boolean,
): string | undefined {
  const key = lastKey(issue.path);
  const most = big ? "at most" : "at least";
  if (issue.origin === "string") {
    if (!big && Number(bound) === 1) return "must not be empty";
    return `must be ${most} ${counted(bound, ["character", "characters"])}`;
  }
  if (issue.origin === "array" || issue.origin === "set") {
    const items = LIST_ITEMS[key] ?? ["item", "items"];
    return big ? `can have at most ${counted(bound, items)}` : `needs at least ${counted(bound, items)}`;
  }
  if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
    const unit = NUMBER_UNITS[key];
    const value = unit ? counted(bound, unit) : String(bound);
    if (issue.inclusive === false) return `must be ${big ? "less" : "more"} than ${value}`;
    return `must be ${most} ${value}`;
  }
  return undefined;
}

const TYPE_WORDS: Record<string, string> = {
  number: "must be a number",
  int: "must be a whole number",
  string: "must be text",
  boolean: "must be true or false",
  array: "must be a list",
  object: "must be a section of settings",
};

/** What to say of a missing field, where "is required" would not say what to do. */
const MISSING_WORDS: Record<string, string> = { answer: "click the correct option" };

/** Union fields of the design, by the key that holds them. */
const UNION_WORDS: Record<string, string> = {
  debaters: "one model spec for both seats, or two (seat A, seat B), e.g. offline:extractive",
  judge: '"human" or an AI judge\'s model spec, e.g. offline:heuristic',
};

/**
 * The design's zod error map: pass it to a parse (`{ error: studyErrorMap }`, see `parseStudyDesign`). Returns
 * undefined for what it does not word, so zod's own message (or the schema's) stands.
 */
export const studyErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "too_big":
      return sizeMessage(issue, issue.maximum, true);
    case "too_small":
      return sizeMessage(issue, issue.minimum, false);
    case "invalid_type":
      if (issue.input === undefined) return MISSING_WORDS[lastKey(issue.path)] ?? "is required";
      if (issue.input === null && issue.expected !== "null") return "is required";
      return TYPE_WORDS[issue.expected];
    case "invalid_value":
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}`;
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "unrecognized_keys": {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `${issue.keys.length === 1 ? "unknown setting" : "unknown settings"} ${keys} (check the spelling)`;
    }
    case "invalid_union":
      return UNION_WORDS[lastKey(issue.path)] ?? "is not in a form this field accepts";
    case "invalid_format":
      if (issue.format === "url") return "must be a web address starting with https:// (or http://)";
      return undefined;
    default:
      return undefined;
  }
};

/** One issue as a line on its own: "Condition 1 – word limit: must be at most 1000 words". */
export function describeStudyIssue(issue: { path: Path; message: string }): string {
  return `${studyFieldLabel(issue.path)}: ${issue.message}`;
}

/**
 * Why a design's number of questions cannot be drawn from its set, or null: the one wording of the check the form
 * runs as the researcher types and the server runs when the design is saved (and launch again).
 */
export function questionCountProblem(pool: {
  source: string;
  available: number;
  wanted: number;
  tags?: readonly string[];
}): string | null {
  if (!(pool.wanted > pool.available)) return null;
  const filter = pool.tags?.length ? ` with the tags ${pool.tags.join(", ")}` : "";
  const has = counted(pool.available, ["question", "questions"]);
  return `the set "${pool.source}" has ${has}${filter}; ask for at most ${pool.available}`;
}
