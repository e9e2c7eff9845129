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
  roundCost: string;
  judgeTimeLimitSeconds: string;
  /** Settings the form does not show (sampling, the scoring rule), kept as they were. */
  rest: Record<string, unknown>;
}

export interface CheckDraft {
  key: number;
  question: string;
  /** One option per line. */
  options: string;
  answer: string;
}

export interface SurveyDraft {
  key: number;
  id: string;
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
  instructions: string;
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
    roundCost: "0",
    judgeTimeLimitSeconds: "",
    rest: {},
  };
}

export const newCheckQuestion = (): CheckDraft => ({ key: key(), question: "", options: "", answer: "0" });
export const newSurveyQuestion = (): SurveyDraft => ({
  key: key(),
  id: "",
  prompt: "",
  kind: "text",
  options: "",
  required: false,
});
