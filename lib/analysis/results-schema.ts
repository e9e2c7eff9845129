import { z } from "zod";
import { JUDGE_KINDS, type JudgeKind } from "../debate/vocabulary";
import { listSchema } from "../list-param";
import type { BradleyTerryIntervals, Rating, ReliabilityBin } from "./index";

/**
 * The results page's filters and the shape of its data: one schema shared by the page (its GET form), the JSON
 * route and `crux stats`, so all three read the same filters the same way. Plain module: the browser imports the
 * types and the URL helpers.
 */

const blankToUndefined = (value: unknown) =>
  value === "" || (typeof value === "string" && value.trim() === "") ? undefined : value;

/** A day (2025-06-30, the whole UTC day) or an instant with an offset (2025-06-30T12:00:00Z). */
const instantSchema = z.preprocess(
  blankToUndefined,
  z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
);

/** The parts the results route serves: every aggregate at once, or one of the slow resampled ones. */
export const RESULTS_PARTS = ["summary", "headline", "ratings"] as const;
export type ResultsPart = (typeof RESULTS_PARTS)[number];

/** The judge-kind filter: every judge, or one kind of judge. */
export const JUDGE_KIND_FILTERS = ["all", ...JUDGE_KINDS] as const;
export type JudgeKindFilter = (typeof JUDGE_KIND_FILTERS)[number];

/**
 * Filters of the results: verdict time (from/to: a day includes all of it), one judge (user id, or an AI judge's
 * model spec), conditions (none = all), tags (every one on the question or on the match — imported debates carry
 * tags) and the kind of judge.
 */
export const resultsFiltersSchema = z
  .object({
    from: instantSchema,
    to: instantSchema,
    judge: z.preprocess(blankToUndefined, z.string().trim().min(1).max(200).optional()),
    condition: listSchema,
    tag: listSchema,
    judgeKind: z.preprocess(blankToUndefined, z.enum(JUDGE_KIND_FILTERS).default("all")),
  })
  .superRefine((filters, ctx) => {
    const range = filterRange(filters);
    if (range.from && range.to && range.from >= range.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "the end must come after the start" });
  });
export type ResultsFilters = z.infer<typeof resultsFiltersSchema>;
export type ResultsFiltersInput = z.input<typeof resultsFiltersSchema>;

/**
 * The judge kind the results page shows when none is asked for: human judges when the study has a human-judged
 * condition (AI verdicts from automated runs would otherwise mix into the participants' numbers), else all.
 */
export function defaultJudgeKind(conditions: ReadonlyArray<{ judge: string }>): JudgeKindFilter {
  return conditions.some((c) => c.judge === "human") ? "human" : "all";
}

/** No filters: every verdict of the study. */
export const NO_FILTERS: ResultsFilters = { condition: [], tag: [], judgeKind: "all" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters' time range as instants: [from, to) — a day given as `to` runs to the end of that (UTC) day. */
export function filterRange(filters: Pick<ResultsFilters, "from" | "to">): { from?: Date; to?: Date } {
  const from = filters.from ? new Date(filters.from) : undefined;
  let to = filters.to ? new Date(filters.to) : undefined;
  if (to && filters.to && DAY.test(filters.to)) to = new Date(to.getTime() + 86_400_000);
  return { from, to };
}

/** Reads filters from URL query parameters (a URLSearchParams or Next's `searchParams` object). */
export function parseResultsFilters(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): ReturnType<typeof resultsFiltersSchema.safeParse> {
  const get = (name: string) => (params instanceof URLSearchParams ? params.getAll(name) : params[name]);
  const one = (name: string) => {
    const value = get(name);
    return Array.isArray(value) ? value[0] : value;
  };
  return resultsFiltersSchema.safeParse({
    from: one("from"),
    to: one("to"),
    judge: one("judge"),
    condition: get("condition"),
    tag: get("tag"),
    judgeKind: one("judgeKind"),
  });
}

/** The filters as query parameters (only those set), for links and the page's second request. */
export function resultsFiltersQuery(filters: ResultsFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.judge) params.set("judge", filters.judge);
  for (const condition of filters.condition) params.append("condition", condition);
  for (const tag of filters.tag) params.append("tag", tag);
  if (filters.judgeKind !== "all") params.set("judgeKind", filters.judgeKind);
  return params;
}

// ---------------------------------------------------------------------------------------------------------------
// The data. Plain JSON: no Dates, no NaN (missing values are null).

/** A count of judgments, how many were right, and the Wilson 95% interval of the rate (null when n = 0). */
export interface AccuracyCell {
  n: number;
  correct: number;
  accuracy: number | null;
  ci: [number, number] | null;
}

/**
 * Why matches were left out: practice, abandoned, errored, judged by a participant who failed or was removed, or
 * excluded by a correction (lib/studies/corrections.ts).
 */
export interface Exclusions {
  practice: number;
  abandoned: number;
  errored: number;
  /** Completed matches of participants with status failed_check or removed. */
  participant: number;
  /** Completed matches whose verdict, match or participant a correction excludes. */
  corrected: number;
  total: number;
  /** total / (analysed + total); null when there is nothing either way. */
  share: number | null;
}

export interface ConditionResult extends AccuracyCell {
  condition: string;
  protocol: string;
  /** The game's mean score (log score with the round cost) as stored with each verdict. */
  meanScore: number | null;
  /** Mean ln(max(p(correct), 0.01)), Brier score and ECE of the final probabilities (docs/statistics.md). */
  meanLogScore: number | null;
  brier: number | null;
  ece: number | null;
  reliability: ReliabilityBin[];
  excluded: Exclusions;
  /** Matches not finished yet (waiting, running, awaiting a verdict). */
  pending: number;
}

export interface ConsultancySplit {
  condition: string;
  honest: AccuracyCell;
  dishonest: AccuracyCell;
}

export interface RoundsRow extends AccuracyCell {
  condition: string;
  /** Rounds the judge saw before deciding (verdict.rounds). */
  rounds: number;
}

export interface QuestionRow extends AccuracyCell {
  questionId: string;
  text: string;
  byCondition: Array<{ condition: string; n: number; correct: number }>;
}

export interface JudgeRow {
  /** The user id (human judges) or the AI judge's model spec. */
  id: string;
  /** A pseudonym for humans ("J-3f2a", a short hash of the id); the model spec for AI judges. */
  label: string;
  kind: JudgeKind;
  n: number;
  correct: number;
  accuracy: number;
  meanScore: number;
  medianTimeMs: number | null;
}

/** How often the judge sided with a debater model, when it argued the correct option and when the wrong one. */
export interface DebaterRow {
  model: string;
  honest: { n: number; wins: number; rate: number | null };
  dishonest: { n: number; wins: number; rate: number | null };
}

export interface StudyResults {
  studyId: string;
  filters: ResultsFilters;
  generatedAt: string;
  /** Analysed verdicts (after filters and exclusions). */
  verdicts: number;
  conditions: ConditionResult[];
  /** Exclusions over the whole study (practice matches carry no condition, so they are counted only here). */
  excluded: Exclusions;
  pending: number;
  consultancy: ConsultancySplit[];
  byRounds: RoundsRow[];
  /** The most-judged questions (up to `questionLimit`), then the hardest first. */
  byQuestion: QuestionRow[];
  questionCount: number;
  /** Leaderboard: highest mean score first, the first `judgeLimit` (default 100) of `judgeCount` judges. */
  judges: JudgeRow[];
  judgeCount: number;
  debaters: DebaterRow[];
  /** Bradley–Terry ratings (no intervals; those come with the ratings request) when ≥ 2 models met. */
  ratings: { ratings: Rating[]; games: number } | null;
  /** Judge screening (null when no version of the study has a qualification block): the pass rate. */
  screening: ScreeningSummary | null;
  /** Recorded conditions: the new judges against the source debates' original judges (./recorded-comparison.ts). */
  recorded: RecordedComparison[];
}

/** Accuracy over a recorded condition's (new verdict, original verdict) pairs, from one side. */
export interface RecordedAccuracy {
  /** Summed accuracy credit (a 50/50 verdict counts half). */
  correct: number;
  accuracy: number | null;
  /** 95% percentile interval of a bootstrap over the source debates; null without pairs. */
  ci: [number, number] | null;
}

/**
 * A recorded condition's new judgments compared with the original judgments of the same debates: each new verdict
 * paired with its source debate's original verdict.
 */
export interface RecordedComparison {
  condition: string;
  /** Source debates judged again (with an original verdict). */
  debates: number;
  /** New verdicts on them: the pairs compared. */
  n: number;
  /** New verdicts on source debates that have no original verdict (left out of the comparison). */
  unpaired: number;
  newJudges: RecordedAccuracy;
  /** The original judges' accuracy, each original verdict counted once per new verdict of its debate. */
  originalJudges: RecordedAccuracy;
  /** New − original accuracy (paired: the bootstrap draws debates with both their verdicts), with its 95% interval. */
  difference: { estimate: number | null; ci: [number, number] | null };
  /** Bootstrap replicates drawn. */
  replicates: number;
}

/** Participants who finished a qualification block: passed of all, with the Wilson interval of the pass rate. */
export interface ScreeningSummary extends AccuracyCell {
  /** Screened out (they leave with the screened-out code; their practice and qualification matches are not analysed). */
  failed: number;
}

/** One difference in accuracy between two conditions, with its two-way bootstrap interval and permutation p. */
export interface ConditionDifference {
  a: string;
  b: string;
  protocolA: string;
  protocolB: string;
  accuracyA: number;
  accuracyB: number;
  nA: number;
  nB: number;
  /** accuracy(a) − accuracy(b). */
  estimate: number;
  /** 95% percentile interval of the two-way (judge × question) cluster bootstrap; null if every replicate skipped. */
  ci: [number, number] | null;
  replicates: number;
  skipped: number;
  /** Monte Carlo permutation p-value (within judges when possible). */
  p: number;
  stratified: boolean;
  summary: string;
}

export interface HeadlineComparison {
  studyId: string;
  verdicts: number;
  replicates: number;
  permutations: number;
  differences: ConditionDifference[];
  /** The first difference's sentence, or why there is none. */
  summary: string;
  /** Seconds spent computing (0 when served from the cache). */
  seconds: number;
  cached: boolean;
}

export interface RatingIntervals {
  studyId: string;
  replicates: number;
  ratings: BradleyTerryIntervals["ratings"];
  games: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Wording.

const percent = (value: number) => `${Math.round(value * 100)}%`;
const points = (value: number) => {
  const rounded = Math.round(value * 100);
  return `${rounded < 0 ? "-" : "+"}${Math.abs(rounded)}`;
};

/** A p-value as people write it: two decimals, three below 0.01, "< 0.001" below that. */
export function formatP(p: number): string {
  if (p < 0.001) return "p < 0.001";
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/**
 * The plain-language sentence for a difference, e.g. "Debate judges were right 84% of the time vs 74% with
 * consultancy; difference +10 points, 95% CI [+3, +17], permutation p = 0.01."
 */
export function describeDifference(
  d: Pick<ConditionDifference, "a" | "b" | "accuracyA" | "accuracyB" | "estimate" | "ci" | "p">,
): string {
  const name = d.a.charAt(0).toUpperCase() + d.a.slice(1);
  const ci = d.ci ? `95% CI [${points(d.ci[0])}, ${points(d.ci[1])}]` : "no interval (too little overlap)";
  return (
    `${name} judges were right ${percent(d.accuracyA)} of the time vs ${percent(d.accuracyB)} with ${d.b}; ` +
    `difference ${points(d.estimate)} points, ${ci}, permutation ${formatP(d.p)}.`
  );
}
