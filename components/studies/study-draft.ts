import type { FieldIssue } from "@/lib/studies/config-paths";

/**
 * The design form's working copy of a study: every field as typed (numbers stay strings until sent, so a bad value
 * is shown back exactly as entered). ./draft-config.ts converts it to and from the config document that
 * `studyConfigSchema` checks on the server.
 */

export interface ConditionDraft {
  key: number;
  name: string;
  protocol: string;
  rounds: string;
  wordLimit: string;
  /** One spec, or two separated by a comma (seats A and B). */
  debaters: string;
  judge: string;
  /** SCORING_RULES in lib/debate/vocabulary.ts. */
  scoringRule: string;
  roundCost: string;
  judgeTimeLimitSeconds: string;
  /** Protocol `recorded`: how the debates are shown (RECORDED_MODES) and where they come from. */
  mode: string;
  /** The source study or imported dataset (name or id). */
  sourceStudy: string;
  sourceCondition: string;
  /** A RECORDED_SOURCE_PROTOCOLS value, or "" for any. */
  sourceProtocol: string;
  /** Comma-separated; every one must match. */
  sourceTags: string;
  /** "" = every matching debate. */
  sourceCount: string;
  sourceSeed: string;
  /** Settings the form does not show (sampling), kept as they were. */
  rest: Record<string, unknown>;
}

export interface CheckDraft {
  key: number;
  question: string;
  /** One option per line. */
  options: string;
  /** The correct option's index ("" until one is clicked). */
  answer: string;
}

export interface SurveyDraft {
  key: number;
  id: string;
  /** Set once the researcher types an id (or the design came with one); until then it follows the prompt. */
  idEdited: boolean;
  prompt: string;
  kind: string;
  options: string;
  required: boolean;
}

export interface StudyDraft {
  name: string;
  description: string;
  source: string;
  count: string;
  seed: string;
  tags: string;
  /** External ids, one per line: an uploaded set (overrides count and seed). */
  ids: string;
  conditions: ConditionDraft[];
  judgmentsPerQuestion: string;
  questionsPerJudge: string;
  consent: string;
  /** The researcher's own instructions; ignored until `instructionsEdited` (the protocols' default applies). */
  instructions: string;
  instructionsEdited: boolean;
  check: CheckDraft[];
  checkAttempts: string;
  practice: boolean;
  /** The qualification block: how many matches (0 = none), in which condition (blank: the first human-judged), the rule. */
  qualificationMatches: string;
  qualificationCondition: string;
  qualificationRule: string;
  qualificationThreshold: string;
  /** Refuse study links without a PROLIFIC_PID. */
  requireProlificId: boolean;
  survey: SurveyDraft[];
  redirectUrl: string;
  codeCompleted: string;
  codeFailedCheck: string;
  codeRemoved: string;
  codeScreenedOut: string;
  dropoutMinutes: string;
  /** Pay (lib/studies/bonus.ts): base pay, currency, and the bonus rule when `bonus` is on. */
  basePay: string;
  currency: string;
  bonus: boolean;
  bonusPerPoint: string;
  bonusFloor: string;
  bonusCap: string;
  /** Top-level keys the form does not know (from pasted YAML): sent as they are, so the server names them. */
  rest: Record<string, unknown>;
}

/** What the create/update actions answer when the design is refused (nothing when they redirect). */
export interface StudyFormState {
  /** One entry per zod issue (`fieldIssues`), shown at the field its path names. */
  issues?: FieldIssue[];
  /** The same issues as readable lines (`describeIssues`), for the list at the top of the form. */
  summary?: string[];
  error?: string;
}

let nextKey = 1;
const key = () => nextKey++;

export function newCondition(index: number): ConditionDraft {
  return {
    key: key(),
    name: index === 0 ? "debate" : `condition ${index + 1}`,
    protocol: "debate",
    rounds: "3",
    wordLimit: "150",
    debaters: "offline:extractive",
    judge: "human",
    scoringRule: "log",
    roundCost: "0",
    judgeTimeLimitSeconds: "",
    mode: "stepped",
    sourceStudy: "nyu-2023",
    sourceCondition: "",
    sourceProtocol: "",
    sourceTags: "",
    sourceCount: "",
    sourceSeed: "1",
    rest: {},
  };
}

/** A new check question: no correct answer until the researcher clicks one. */
export const newCheckQuestion = (): CheckDraft => ({ key: key(), question: "", options: "", answer: "" });
export const newSurveyQuestion = (): SurveyDraft => ({
  key: key(),
  id: "",
  idEdited: false,
  prompt: "",
  kind: "text",
  options: "",
  required: false,
});
