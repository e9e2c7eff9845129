import { protocolSchema } from "@/lib/debate/vocabulary";
import { DEFAULT_CONSENT } from "@/lib/studies/config";
import { defaultInstructions, LEGACY_DEFAULT_INSTRUCTIONS } from "@/lib/studies/instructions";
import { surveyIdFrom } from "@/lib/studies/survey-ids";
import { newCheckQuestion, newCondition, newSurveyQuestion, type StudyDraft } from "./study-draft";

/**
 * A draft (./study-draft.ts) to and from the config document that `studyConfigSchema` checks on the server. The
 * YAML/JSON editor goes through the same two functions, so both ways of editing agree.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown, fallback = ""): string =>
  value === undefined || value === null ? fallback : typeof value === "string" ? value : String(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const lines = (value: unknown, separator: string): string =>
  Array.isArray(value) ? value.map((v) => text(v)).join(separator) : text(value);
function without(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

const TOP_KEYS = [
  "name",
  "description",
  "questions",
  "conditions",
  "judgmentsPerQuestion",
  "questionsPerJudge",
  "consent",
  "instructions",
  "comprehensionCheck",
  "practice",
  "qualification",
  "requireProlificId",
  "survey",
  "completion",
  "dropoutMinutes",
  "pay",
] as const;
const CONDITION_KEYS = [
  "name",
  "protocol",
  "rounds",
  "wordLimit",
  "debaters",
  "judge",
  "judgeTimeLimitSeconds",
  "mode",
  "source",
];
const SOURCE_KEYS = ["study", "condition", "protocol", "tags", "count", "seed"];

/** The form's copy of a config document (a stored design, or whatever YAML was pasted). */
export function draftFromConfig(input: unknown): StudyDraft {
  const config = isRecord(input) ? input : {};
  const questions = isRecord(config.questions) ? config.questions : {};
  const check = isRecord(config.comprehensionCheck) ? config.comprehensionCheck : {};
  const completion = isRecord(config.completion) ? config.completion : {};
  const codes = isRecord(completion.codes) ? completion.codes : {};
  const pay = isRecord(config.pay) ? config.pay : {};
  const bonus = isRecord(pay.bonus) ? pay.bonus : null;
  const qualification = isRecord(config.qualification) ? config.qualification : {};
  const conditions = list(config.conditions).map((raw, index) => {
    const c = isRecord(raw) ? raw : {};
    const scoring = isRecord(c.scoring) ? c.scoring : {};
    const otherScoring = without(scoring, ["rule", "roundCost"]);
    const source = isRecord(c.source) ? c.source : {};
    const otherSource = without(source, SOURCE_KEYS);
    const rest = without(c, [...CONDITION_KEYS, "scoring"]);
    return {
      ...newCondition(index),
      name: text(c.name),
      protocol: text(c.protocol, "debate"),
      rounds: text(c.rounds, "3"),
      wordLimit: text(c.wordLimit, "150"),
      debaters: lines(c.debaters ?? "offline:extractive", ", "),
      judge: text(c.judge, "human"),
      scoringRule: text(scoring.rule, "log"),
      roundCost: text(scoring.roundCost, "0"),
      judgeTimeLimitSeconds: text(c.judgeTimeLimitSeconds),
      mode: text(c.mode, "stepped"),
      sourceStudy: text(source.study, "nyu-2023"),
      sourceCondition: text(source.condition),
      sourceProtocol: text(source.protocol),
      sourceTags: lines(source.tags, ", "),
      sourceCount: text(source.count),
      sourceSeed: text(source.seed, "1"),
      rest: {
        ...rest,
        ...(Object.keys(otherScoring).length ? { scoring: otherScoring } : {}),
        ...(Object.keys(otherSource).length ? { source: otherSource } : {}),
      },
    };
  });
  const instructions = text(config.instructions);
  const instructionsEdited =
    instructions.trim() !== "" &&
    instructions !== LEGACY_DEFAULT_INSTRUCTIONS &&
    instructions !== draftDefaultInstructions(conditions);
  return {
    name: text(config.name),
    description: text(config.description),
    source: text(questions.source, "quality"),
    count: text(questions.count, "10"),
    seed: text(questions.seed, "1"),
    tags: lines(questions.tags, ", "),
    ids: lines(questions.ids, "\n"),
    conditions,
    judgmentsPerQuestion: text(config.judgmentsPerQuestion, "1"),
    questionsPerJudge: text(config.questionsPerJudge, "4"),
    consent: text(config.consent, DEFAULT_CONSENT),
    instructions: instructionsEdited ? instructions : "",
    instructionsEdited,
    check: list(check.questions).map((raw) => {
      const q = isRecord(raw) ? raw : {};
      return {
        ...newCheckQuestion(),
        question: text(q.question),
        options: lines(q.options, "\n"),
        answer: text(q.answer),
      };
    }),
    checkAttempts: text(check.attempts, "2"),
    practice: config.practice === true,
    qualificationMatches: text(qualification.matches, "0"),
    qualificationCondition: text(qualification.condition),
    qualificationRule: text(qualification.rule, "accuracy"),
    qualificationThreshold: text(qualification.threshold, "0.5"),
    requireProlificId: config.requireProlificId === true,
    survey: list(config.survey).map((raw) => {
      const q = isRecord(raw) ? raw : {};
      return {
        ...newSurveyQuestion(),
        id: text(q.id),
        idEdited: text(q.id) !== "",
        prompt: text(q.prompt),
        kind: text(q.kind, "text"),
        options: lines(q.options, "\n"),
        required: q.required === true,
      };
    }),
    redirectUrl: text(completion.redirectUrl),
    codeCompleted: text(codes.completed, "CRUX-COMPLETE"),
    codeFailedCheck: text(codes.failedCheck, "CRUX-FAILED-CHECK"),
    codeRemoved: text(codes.removed, "CRUX-TIMED-OUT"),
    codeScreenedOut: text(codes.screenedOut, "CRUX-SCREENED-OUT"),
    dropoutMinutes: text(config.dropoutMinutes, "20"),
    basePay: text(pay.basePay, "0"),
    currency: text(pay.currency, "GBP"),
    bonus: bonus !== null,
    bonusPerPoint: text(bonus?.perPoint, "1"),
    bonusFloor: text(bonus?.floor, "0"),
    bonusCap: text(bonus?.cap, "1"),
    rest: without(config, TOP_KEYS),
  };
}

/** The instructions participants get unless the researcher writes their own: those of the conditions' protocols. */
export function draftDefaultInstructions(conditions: ReadonlyArray<{ protocol: string }>): string {
  return defaultInstructions(conditions.flatMap((c) => protocolSchema.safeParse(c.protocol).data ?? []));
}

/** A new design: one human-judged debate condition and the defaults of the schema. */
export function emptyDraft(): StudyDraft {
  return { ...draftFromConfig({}), conditions: [newCondition(0)] };
}

/** A typed number as a number; blank as "use the default"; anything else as typed, for the server to refuse. */
function num(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}
const splitLines = (value: string) =>
  value
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
const splitCommas = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
/** Drops undefined values, so the schema's defaults apply. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** The config document of a draft, as the server's `studyConfigSchema` expects it. */
export function configFromDraft(draft: StudyDraft): Record<string, unknown> {
  const ids = splitLines(draft.ids);
  return defined({
    ...draft.rest,
    name: draft.name,
    description: draft.description,
    questions: defined({
      source: draft.source,
      count: num(draft.count),
      seed: num(draft.seed),
      tags: splitCommas(draft.tags),
      ids: ids.length ? ids : undefined,
    }),
    conditions: draft.conditions.map((c) => {
      const debaters = splitCommas(c.debaters);
      const scoring = isRecord(c.rest.scoring) ? c.rest.scoring : {};
      const recorded = c.protocol === "recorded";
      // A recorded condition's debaters, rounds and word limits are its source's; a live one has no source.
      const source = isRecord(c.rest.source) ? c.rest.source : {};
      return defined({
        ...c.rest,
        name: c.name,
        protocol: c.protocol,
        rounds: recorded ? undefined : num(c.rounds),
        wordLimit: recorded ? undefined : num(c.wordLimit),
        debaters: recorded ? undefined : debaters.length === 2 ? debaters : (debaters[0] ?? undefined),
        mode: recorded ? c.mode || undefined : undefined,
        source: recorded
          ? defined({
              ...source,
              study: c.sourceStudy,
              condition: c.sourceCondition.trim() || undefined,
              protocol: c.sourceProtocol || undefined,
              tags: splitCommas(c.sourceTags),
              count: c.sourceCount.trim() ? num(c.sourceCount) : undefined,
              seed: num(c.sourceSeed),
            })
          : undefined,
        judge: c.judge.trim() || undefined,
        scoring: defined({ ...scoring, rule: c.scoringRule || undefined, roundCost: num(c.roundCost) }),
        judgeTimeLimitSeconds: c.judgeTimeLimitSeconds.trim() ? num(c.judgeTimeLimitSeconds) : null,
      });
    }),
    judgmentsPerQuestion: num(draft.judgmentsPerQuestion),
    questionsPerJudge: num(draft.questionsPerJudge),
    consent: draft.consent,
    instructions: draft.instructionsEdited ? draft.instructions : undefined,
    comprehensionCheck: {
      questions: draft.check.map((q) => ({
        question: q.question,
        options: splitLines(q.options),
        answer: num(q.answer),
      })),
      attempts: num(draft.checkAttempts),
    },
    practice: draft.practice,
    qualification: defined({
      matches: num(draft.qualificationMatches),
      condition: draft.qualificationCondition.trim() || undefined,
      rule: draft.qualificationRule,
      threshold: num(draft.qualificationThreshold),
    }),
    requireProlificId: draft.requireProlificId,
    survey: draft.survey.map((q, index) => ({
      id:
        q.id.trim() ||
        surveyIdFrom(
          q.prompt || `question ${index + 1}`,
          draft.survey.map((other) => other.id),
        ),
      prompt: q.prompt,
      kind: q.kind,
      options: splitLines(q.options),
      required: q.required,
    })),
    completion: defined({
      redirectUrl: draft.redirectUrl.trim() || undefined,
      codes: {
        completed: draft.codeCompleted,
        failedCheck: draft.codeFailedCheck,
        removed: draft.codeRemoved,
        screenedOut: draft.codeScreenedOut,
      },
    }),
    dropoutMinutes: num(draft.dropoutMinutes),
    pay: defined({
      basePay: num(draft.basePay),
      currency: draft.currency || undefined,
      bonus: draft.bonus
        ? defined({ perPoint: num(draft.bonusPerPoint), floor: num(draft.bonusFloor), cap: num(draft.bonusCap) })
        : null,
    }),
  });
}

/** Participants the design needs: every planned judgment once, each participant doing `questionsPerJudge`. */
export function participantsNeeded(draft: StudyDraft): number | null {
  const ids = splitLines(draft.ids).length;
  const questions = ids || Number(draft.count);
  const perQuestion = Number(draft.judgmentsPerQuestion || 1);
  const perJudge = Number(draft.questionsPerJudge || 4);
  const values = [questions, perQuestion, perJudge];
  if (!values.every((v) => Number.isFinite(v) && v > 0)) return null;
  // A recorded condition plans its drawn debates instead of the pool (unknown until launch when it draws them all).
  const items = draft.conditions.map((c) =>
    c.protocol === "recorded" ? Number(c.sourceCount || Number.NaN) : questions,
  );
  if (!items.every((v) => Number.isFinite(v) && v > 0)) return null;
  return Math.ceil((items.reduce((sum, n) => sum + n, 0) * perQuestion) / perJudge);
}
