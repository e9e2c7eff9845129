import { z } from "zod";
import { MAX_LIVE_ROUNDS, MAX_RECORDED_ROUNDS, samplingConfigSchema, scoringConfigSchema } from "../debate/config";
import {
  type LiveProtocol,
  protocolSchema,
  type RecordedMode,
  recordedModeSchema,
  recordedSourceProtocolSchema,
} from "../debate/vocabulary";
import { type ModelKind, modelSpecProblem } from "../models/spec";
import { payConfigSchema, payNote } from "./bonus";
import { describeStudyIssue, studyErrorMap } from "./config-messages";
import { defaultInstructions } from "./instructions";
import { qualificationRuleSchema } from "./vocabulary";

/**
 * A study's design: the one schema behind the browser form, `crux study create file.yaml` and the API, so the
 * three accept exactly the same thing. Plain module (the design form imports it). Unknown keys are rejected so a
 * misspelt option fails loudly. The format is documented in docs/studies.md.
 */

const specSchema = z.string().trim().min(3, "must be a model spec such as offline:extractive or openai:gpt-4o-mini");
const textSchema = (max: number) => z.string().trim().max(max);

/** Which questions the study uses: a set, optional tag filter, how many, drawn with a seed (or listed ids). */
export const questionPoolSchema = z.strictObject({
  /** Question set: "quality", "truthfulqa", or the name of an imported set. */
  source: z.string().trim().min(1).max(100).default("quality"),
  /** How many questions to draw from the set (after the tag filter). */
  count: z.int().min(1).max(10_000).default(10),
  /** Seed of the draw, so the same design always gets the same questions. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** Keep only questions carrying every one of these tags. */
  tags: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  /** An uploaded set: the questions' external ids in the source (overrides count/seed when given). */
  ids: z.array(z.string().trim().min(1).max(200)).max(10_000).optional(),
});

/**
 * Where a recorded condition's debates come from: the finished debates and consultancies of a source — an imported
 * dataset such as "nyu-2023" or another Crux study, by name or id — kept when they match every filter given, then
 * drawn with the seed (`count` of them; all by default). At most one debate per question is drawn, so a condition's
 * judgments of a question are judgments of one debate. Resolved and frozen at launch (lib/studies/recorded-sources.ts).
 */
export const recordedSourceSchema = z.strictObject({
  /** The source study or imported dataset: its name or id. */
  study: z.string().trim().min(1, "name the study or imported dataset the debates come from").max(200),
  /** Only the source's debates of this condition (by name, as the source's matches record it). */
  condition: z.string().trim().min(1).max(100).optional(),
  /** Only the source's debates of this protocol. */
  protocol: recordedSourceProtocolSchema.optional(),
  /** Only debates carrying every one of these tags (on the match, e.g. NYU's `live-judge`, or on its question). */
  tags: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  /** How many debates to draw; all that match by default. */
  count: z.int().min(1).max(10_000).optional(),
  /** Seed of the draw, so the same design always gets the same debates. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
});
export type RecordedSourceFilter = z.output<typeof recordedSourceSchema>;

/** Said of a setting a recorded condition takes from its source debates. */
const FROM_SOURCE = "a recorded condition replays its source debates as they were: remove this setting";

/**
 * A condition: one protocol with its settings, debaters and judge — or, with protocol `recorded`, a `source` of
 * recorded debates replayed to new judges (`mode` stepped or timed), whose debaters, rounds and word limits are the
 * source's. Matches record the condition's name. Parsed as one object (so every field's problem is reported at once),
 * then typed as a {@link LiveCondition} or a {@link RecordedCondition}.
 */
export const conditionSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/, "1–40 letters, digits, spaces, '_', '-' or '.'"),
    protocol: protocolSchema,
    /** At most MAX_LIVE_ROUNDS in a design (studyDesignSchema); an imported dataset's may be longer. Default 3. */
    rounds: z.int().min(1).max(MAX_RECORDED_ROUNDS).optional(),
    /** Default 150. */
    wordLimit: z.int().min(20).max(1000).optional(),
    /** One spec for every seat, or [seat A, seat B]. Default offline:extractive. */
    debaters: z.union([specSchema, z.tuple([specSchema, specSchema])]).optional(),
    /** Protocol `recorded`: the debates to replay. */
    source: recordedSourceSchema.optional(),
    /** Protocol `recorded`: round by round (`stepped`, the default) or every round then one verdict (`timed`). */
    mode: recordedModeSchema.optional(),
    /** "human" (participants judge) or an AI judge's model spec (automated runs; `--judge` overrides). */
    judge: z.union([z.literal("human"), specSchema]).default("human"),
    scoring: scoringConfigSchema.prefault({}),
    sampling: samplingConfigSchema.prefault({}),
    /** Time a human judge has per step, server-enforced; null = no limit. */
    judgeTimeLimitSeconds: z.int().min(10).max(3600).nullable().default(null),
    /** With a time limit: when time runs out, the answer the judge's slider shows is submitted for them. */
    submitDraftOnTimeout: z.boolean().default(true),
  })
  .superRefine((condition, ctx) => {
    if (condition.protocol === "recorded") {
      for (const key of ["rounds", "wordLimit", "debaters"] as const)
        if (condition[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: FROM_SOURCE });
      if (!condition.source)
        ctx.addIssue({
          code: "custom",
          path: ["source"],
          message: 'a recorded condition needs a source, e.g. { study: "nyu-2023" }',
        });
      return;
    }
    for (const key of ["source", "mode"] as const)
      if (condition[key] !== undefined)
        ctx.addIssue({ code: "custom", path: [key], message: "only a recorded condition has this setting" });
  })
  .transform((condition): LiveCondition | RecordedCondition => {
    const { protocol, rounds, wordLimit, debaters, source, mode, ...common } = condition;
    if (protocol === "recorded") {
      if (!source) throw new Error("a recorded condition without a source passed validation");
      return { ...common, protocol, source, mode: mode ?? "stepped" };
    }
    return {
      ...common,
      protocol,
      rounds: rounds ?? 3,
      wordLimit: wordLimit ?? 150,
      debaters: debaters ?? "offline:extractive",
    };
  });

/** What every condition has: its name, judge and the judge's settings. */
interface ConditionCommon {
  name: string;
  judge: string;
  scoring: z.output<typeof scoringConfigSchema>;
  sampling: z.output<typeof samplingConfigSchema>;
  judgeTimeLimitSeconds: number | null;
  submitDraftOnTimeout: boolean;
}

/** A condition whose debaters argue live (or, for naive and expert, no debaters). */
export interface LiveCondition extends ConditionCommon {
  protocol: LiveProtocol;
  rounds: number;
  wordLimit: number;
  debaters: string | [string, string];
}

/** A condition whose judges judge recorded debates again. */
export interface RecordedCondition extends ConditionCommon {
  protocol: "recorded";
  source: RecordedSourceFilter;
  mode: RecordedMode;
}

/** A recorded condition's source in words: `debates of "nyu-2023" (protocol debate, tags live-judge), 20 drawn`. */
export function describeRecordedSource(source: RecordedSourceFilter): string {
  const filters = [
    ...(source.condition ? [`condition ${source.condition}`] : []),
    ...(source.protocol ? [`protocol ${source.protocol}`] : []),
    ...(source.tags.length ? [`tags ${source.tags.join(", ")}`] : []),
  ];
  const which = filters.length ? ` (${filters.join("; ")})` : "";
  const count = source.count === undefined ? "all" : `${source.count} drawn`;
  return `recorded debates of "${source.study}"${which}, ${count}`;
}

/** Whether a condition replays recorded debates. */
export function isRecordedCondition(condition: StudyCondition): condition is RecordedCondition {
  return condition.protocol === "recorded";
}

const choiceQuestionSchema = z.strictObject({
  question: textSchema(1000).min(1),
  options: z.array(textSchema(300).min(1)).min(2).max(10),
  /** 0-based index of the answer a participant must give to pass. */
  answer: z.int().min(0),
});

/** Kinds of survey question: a free answer, a 1–7 Likert scale, or one of the question's options. */
export const SURVEY_KINDS = ["text", "scale", "choice"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const surveyQuestionSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "lower-case letters, digits and '_', starting with a letter"),
  prompt: textSchema(1000).min(1),
  kind: z.enum(SURVEY_KINDS).default("text"),
  options: z.array(textSchema(300).min(1)).max(10).default([]),
  required: z.boolean().default(false),
});

export const completionSchema = z.strictObject({
  /**
   * Where a participant is sent at the end, e.g. Prolific's "https://app.prolific.com/submissions/complete".
   * The code is added as `?cc=CODE`, or replaces `{code}` when the URL contains it. Without a URL the code is shown.
   */
  redirectUrl: z.url({ protocol: /^https?$/ }).optional(),
  codes: z
    .strictObject({
      completed: textSchema(100).min(1).default("CRUX-COMPLETE"),
      failedCheck: textSchema(100).min(1).default("CRUX-FAILED-CHECK"),
      removed: textSchema(100).min(1).default("CRUX-TIMED-OUT"),
      /** Given to participants who did not pass the qualification matches. */
      screenedOut: textSchema(100).min(1).default("CRUX-SCREENED-OUT"),
    })
    .prefault({}),
});

/**
 * Judge screening: `matches` matches on questions with known answers (outside the pool, never analysed) after the
 * practice and before the real matches, in one human-judged condition; a participant who does not meet the pass
 * rule leaves with the screened-out code and is excluded from the analysis. `matches: 0` = no qualification.
 */
export const qualificationSchema = z.strictObject({
  matches: z.int().min(0).max(10).default(0),
  /** The condition the qualification matches use (by name); default: the first condition with a human judge. */
  condition: z.string().trim().min(1).max(40).optional(),
  rule: qualificationRuleSchema.default("accuracy"),
  /** accuracy: the share correct needed (0–1); meanScore: the mean score needed, on the condition's scoring scale. */
  threshold: z.number().min(-100).max(100).default(0.5),
});
export type QualificationConfig = z.output<typeof qualificationSchema>;

export const DEFAULT_CONSENT =
  "You are invited to take part in a research study on how people judge arguments made by AI systems. You will " +
  "read debates about questions on short stories you cannot see, and say which answer you believe is correct. " +
  "Taking part is voluntary; you may stop at any time. We record your answers, probabilities, explanations and " +
  "timings, linked to a pseudonymous id, and use them only for research.";

export const studyConfigSchema = z
  .strictObject({
    name: textSchema(200).min(1, "give the study a name"),
    description: textSchema(5000).default(""),
    questions: questionPoolSchema.prefault({}),
    conditions: z.array(conditionSchema).min(1, "add at least one condition").max(12),
    /** Judgments per question and condition. */
    judgmentsPerQuestion: z.int().min(1).max(100).default(1),
    /** Matches each participant judges (each on a different story). */
    questionsPerJudge: z.int().min(1).max(100).default(4),
    consent: textSchema(20_000).min(1).default(DEFAULT_CONSENT),
    /** What participants read before judging; by default the text for the conditions' protocols (./instructions.ts). */
    instructions: textSchema(20_000).min(1).optional(),
    /** Questions a participant must answer correctly before judging; empty = no check. */
    comprehensionCheck: z
      .strictObject({
        questions: z.array(choiceQuestionSchema).max(20).default([]),
        /** Attempts allowed before the participant is sent off with the failed-check code. */
        attempts: z.int().min(1).max(5).default(2),
      })
      .prefault({}),
    /** A practice match before the real ones: the first condition's protocol, a question outside the pool, never analysed. */
    practice: z.boolean().default(false),
    /** Qualification matches that screen judges before the real ones (see `qualificationSchema`). */
    qualification: qualificationSchema.prefault({}),
    /**
     * Admit only arrivals whose link carries a PROLIFIC_PID (as Prolific's study links do): a bare `/join/<id>`
     * is refused, so nobody outside the recruiting platform can take the study's slots.
     */
    requireProlificId: z.boolean().default(false),
    survey: z.array(surveyQuestionSchema).max(20).default([]),
    completion: completionSchema.prefault({}),
    /** Base pay and the performance bonus (./bonus.ts), told to participants in the instructions. */
    pay: payConfigSchema.prefault({}),
    /** Minutes without a sign of life after which a participant's match is abandoned and its slot freed. */
    dropoutMinutes: z
      .int()
      .min(1)
      .max(24 * 60)
      .default(20),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.conditions.forEach((condition, index) => {
      const key = condition.name.toLowerCase();
      if (names.has(key))
        ctx.addIssue({ code: "custom", path: ["conditions", index, "name"], message: "condition names must differ" });
      names.add(key);
    });
    config.comprehensionCheck.questions.forEach((question, index) => {
      if (question.answer >= question.options.length)
        ctx.addIssue({
          code: "custom",
          path: ["comprehensionCheck", "questions", index, "answer"],
          message: "click one of the options as the correct answer",
        });
    });
    checkQualification(config, ctx);
    if (config.practice && config.conditions[0]?.protocol === "recorded")
      ctx.addIssue({
        code: "custom",
        path: ["practice"],
        message: "the practice match uses the first condition: put a live (not recorded) condition first",
      });
    const ids = new Set<string>();
    config.survey.forEach((question, index) => {
      if (ids.has(question.id))
        ctx.addIssue({ code: "custom", path: ["survey", index, "id"], message: "survey ids must differ" });
      ids.add(question.id);
      if (question.kind === "choice" && question.options.length < 2)
        ctx.addIssue({
          code: "custom",
          path: ["survey", index, "options"],
          message: "a choice question needs at least two options",
        });
    });
  })
  .transform((config) => ({
    ...config,
    instructions: config.instructions ?? defaultInstructions(config.conditions.map((c) => c.protocol)),
  }));

/** The qualification block's condition must name a human-judged condition; an accuracy threshold is a share. */
function checkQualification(
  config: Pick<StudyConfig, "conditions" | "qualification">,
  ctx: z.RefinementCtx<unknown>,
): void {
  const { qualification } = config;
  if (qualification.matches === 0) return;
  const at = (field: string) => ["qualification", field];
  if (qualification.rule === "accuracy" && (qualification.threshold < 0 || qualification.threshold > 1))
    ctx.addIssue({ code: "custom", path: at("threshold"), message: "an accuracy threshold is a share from 0 to 1" });
  if (qualification.condition === undefined) {
    const human = config.conditions.filter((c) => c.judge === "human");
    if (!human.some((c) => !isRecordedCondition(c)))
      ctx.addIssue({
        code: "custom",
        path: at("matches"),
        message: human.length
          ? "qualification needs a live (not recorded) condition with a human judge"
          : "qualification needs a condition with a human judge",
      });
    return;
  }
  const named = config.conditions.find((c) => c.name.toLowerCase() === qualification.condition?.toLowerCase());
  if (!named) ctx.addIssue({ code: "custom", path: at("condition"), message: "name one of the study's conditions" });
  else if (named.judge !== "human")
    ctx.addIssue({ code: "custom", path: at("condition"), message: "the qualification condition needs a human judge" });
  else if (isRecordedCondition(named))
    ctx.addIssue({ code: "custom", path: at("condition"), message: "the qualification condition cannot be recorded" });
}

/** The condition the qualification matches run in (null when the design has no qualification block). */
export function qualificationCondition(config: StudyConfig): LiveCondition | null {
  const { qualification } = config;
  if (qualification.matches === 0) return null;
  const wanted = qualification.condition?.toLowerCase();
  const live = config.conditions.filter((c): c is LiveCondition => !isRecordedCondition(c));
  return live.find((c) => (wanted ? c.name.toLowerCase() === wanted : c.judge === "human")) ?? null;
}

/** One model spec of a design and where it sits (`conditions.0.debaters`, `.1` for seat B of a pair). */
export interface DesignSpec {
  path: (string | number)[];
  spec: string;
  kind: ModelKind;
}

/** Every debater and judge spec of the conditions, with its path (a human judge has none). */
export function designSpecs(conditions: readonly z.output<typeof conditionSchema>[]): DesignSpec[] {
  return conditions.flatMap((condition, index) => {
    const at = (...rest: (string | number)[]) => ["conditions", index, ...rest];
    const debaters: DesignSpec[] = isRecordedCondition(condition)
      ? []
      : typeof condition.debaters === "string"
        ? [{ path: at("debaters"), spec: condition.debaters, kind: "debater" }]
        : condition.debaters.map((spec, seat) => ({ path: at("debaters", seat), spec, kind: "debater" as const }));
    const judge: DesignSpec[] =
      condition.judge === "human" ? [] : [{ path: at("judge"), spec: condition.judge, kind: "judge" }];
    return [...debaters, ...judge];
  });
}

/**
 * A design as a person enters it (the form, a study file, the API): the study schema plus `modelSpecProblem`
 * (lib/models/spec.ts: the half of the model check that holds on any server) on every debater and judge, so a spec
 * no server could call is refused at the field that holds it. Stored designs are read with the plain schema, so a
 * design saved before this check still opens. Launch adds the other half (lib/studies/repository.ts).
 */
export const studyDesignSchema = studyConfigSchema.superRefine((config, ctx) => {
  config.conditions.forEach((condition, i) => {
    if (!isRecordedCondition(condition) && condition.rounds > MAX_LIVE_ROUNDS)
      ctx.addIssue({
        code: "custom",
        path: ["conditions", i, "rounds"],
        message: `at most ${MAX_LIVE_ROUNDS} rounds (a judge waits for every one)`,
      });
  });
  for (const { path, spec, kind } of designSpecs(config.conditions)) {
    const reason = modelSpecProblem(spec, kind);
    if (reason) ctx.addIssue({ code: "custom", path, message: reason });
  }
});

/** A design as a person entered it, checked with `studyDesignSchema`; a refusal's messages are in plain words. */
export function parseStudyDesign(input: unknown) {
  return studyDesignSchema.safeParse(input, { error: studyErrorMap });
}

export type StudyConfig = z.output<typeof studyConfigSchema>;
export type StudyConfigInput = z.input<typeof studyConfigSchema>;
export type StudyCondition = LiveCondition | RecordedCondition;
export type SurveyQuestion = z.output<typeof surveyQuestionSchema>;

/** A launched version: the design plus the questions it resolved to (ids in the database), frozen and hashed. */
export const frozenStudySchema = z.strictObject({
  config: studyConfigSchema,
  /** Question ids in pool order (none when every condition is recorded). */
  questionIds: z.array(z.string()),
  /**
   * Recorded conditions: the source debates drawn for each (by condition name), match ids in draw order. Absent when
   * the design has no recorded condition (so versions launched before recorded conditions keep their hash).
   */
  recordedSources: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  /** The practice match's question (outside the pool), when the design asks for practice. */
  practiceQuestionId: z.string().nullable().default(null),
  /** The qualification matches' questions (outside the pool and apart from the practice one), in order. */
  qualificationQuestionIds: z.array(z.string()).default([]),
});
export type FrozenStudy = z.output<typeof frozenStudySchema>;

/** Told to participants when a condition is timed and time running out submits the slider's answer. */
export const TIMED_SUBMIT_NOTE =
  "Each step has a time limit, shown on the page. If the time runs out before you press a button, the answer " +
  "your slider shows at that moment is submitted for you.";

/** Told to participants when a condition is timed and time running out keeps the previous answer. */
export const TIMED_KEEP_NOTE =
  "Each step has a time limit, shown on the page. If the time runs out before you press a button, your answer " +
  "from the previous step is kept (an even split at first), so press a button before the time is up.";

/**
 * The instructions participants read: the study's text, followed by what happens when a step's time runs out when
 * any condition is timed, and by their pay and bonus when the study states them (the rules are the server's, so
 * participants are always told, whatever the study's text).
 */
export function participantInstructions(config: StudyConfig): string {
  const timed = config.conditions.filter((c) => c.judge === "human" && c.judgeTimeLimitSeconds !== null);
  const notes = [config.instructions];
  if (timed.length > 0) notes.push(timed.every((c) => c.submitDraftOnTimeout) ? TIMED_SUBMIT_NOTE : TIMED_KEEP_NOTE);
  const screening = qualificationRequirement(config);
  if (screening) notes.push(`${screening} Otherwise the study ends there for you.`);
  const pay = payNote(config.pay);
  if (pay) notes.push(pay);
  return notes.join("\n\n");
}

/** The qualification's pass rule as the participant reads it. */
export function qualificationRequirement(config: StudyConfig): string {
  const { matches, rule, threshold } = config.qualification;
  if (matches === 0) return "";
  const count = matches === 1 ? "1 qualifying match" : `${matches} qualifying matches`;
  if (rule === "accuracy") {
    const needed = Math.ceil(threshold * matches - 1e-9);
    return `You judge ${count} before the study's matches. To go on, get at least ${needed} of ${matches} right.`;
  }
  return `You judge ${count} before the study's matches. To go on, your mean score over them must be at least ${threshold}.`;
}

/** Debater specs for seats A and B. */
export function conditionDebaters(condition: LiveCondition): [string, string] {
  return typeof condition.debaters === "string" ? [condition.debaters, condition.debaters] : condition.debaters;
}

/** Readable one-line summaries of a refused design ("Condition 1 – protocol: must be one of …"), for forms and the CLI. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(describeStudyIssue);
}
