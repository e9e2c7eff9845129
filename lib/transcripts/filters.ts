import { z } from "zod";
import { judgeKindSchema, matchStatusSchema, protocolSchema } from "../debate/vocabulary";

/**
 * The query string of /transcripts: every filter, the sort, the page and the full-text search, all optional. The
 * URL is the state (shareable, and the back button restores it); a bad value falls back to no filter rather than
 * failing the page. Plain module: the filter bar imports the names.
 */

export const PAGE_SIZE = 50;
/** Search hits shown per page. */
export const SEARCH_PAGE_SIZE = 20;

/** The outcome filter's choices, with the words the filter form shows for them. */
export const OUTCOME_FILTER_LABELS = { correct: "judge right", wrong: "judge wrong", none: "no verdict" } as const;
export type OutcomeFilter = keyof typeof OUTCOME_FILTER_LABELS;
const OUTCOME_FILTERS = Object.keys(OUTCOME_FILTER_LABELS) as [OutcomeFilter, ...OutcomeFilter[]];

/** Sort keys, with their labels: when the match was created, the judge's final confidence, rounds seen. */
export const TRANSCRIPT_SORT_LABELS = { date: "date", confidence: "final confidence", rounds: "rounds" } as const;
export type TranscriptSort = keyof typeof TRANSCRIPT_SORT_LABELS;
const TRANSCRIPT_SORTS = Object.keys(TRANSCRIPT_SORT_LABELS) as [TranscriptSort, ...TranscriptSort[]];
export const SORT_DIRECTIONS = ["desc", "asc"] as const;

/** "play": the matches outside any study. */
export const FREE_PLAY = "play";

const text = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
  .optional()
  .catch(undefined);
/** Final confidence in percent: the probability the judge gave the answer they chose (50–100 with two options). */
const percent = z.coerce.number().min(0).max(100).optional().catch(undefined);

export const transcriptFiltersSchema = z.object({
  /** A study or dataset id, or "play" for matches outside any study. */
  study: text(100),
  condition: text(100),
  protocol: protocolSchema.optional().catch(undefined),
  judgeKind: judgeKindSchema.optional().catch(undefined),
  /** One judge: a human judge's user id or an AI judge's model spec. */
  judge: text(200),
  /** A debater's model spec. */
  model: text(200),
  outcome: z.enum(OUTCOME_FILTERS).optional().catch(undefined),
  status: matchStatusSchema.optional().catch(undefined),
  confMin: percent,
  confMax: percent,
  /** Rounds the judge saw before the verdict. */
  rounds: z.coerce.number().int().min(0).max(1000).optional().catch(undefined),
  /** Words in the question or the story's title. */
  q: text(200),
  /** Full-text search over turns, judge messages and explanations. */
  text: text(300),
  /** Created on or after / on or before (UTC days, YYYY-MM-DD). */
  from: day,
  to: day,
  /** A tag: imported debates' tags (MatchTag), and any other tag source (lib/transcripts/tags.ts). */
  tag: text(100),
  sort: z.enum(TRANSCRIPT_SORTS).default("date").catch("date"),
  dir: z.enum(SORT_DIRECTIONS).default("desc").catch("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type TranscriptFilters = z.infer<typeof transcriptFiltersSchema>;

/** The filter bar's choices (lib/transcripts/browse.ts finds them among the viewer's transcripts). */
export interface TranscriptFacets {
  studies: Array<{ id: string; name: string; status: string }>;
  /** The chosen study's conditions. */
  conditions: string[];
  /** key: a human judge's user id or an AI judge's model spec; label: as the table shows the judge. */
  judges: Array<{ key: string; label: string }>;
  models: string[];
  tags: string[];
}

/** Parses a page's search params (first value of repeated keys; empty values are "no filter"). */
export function parseTranscriptFilters(params: Record<string, string | string[] | undefined>): TranscriptFilters {
  const entries = Object.entries(params)
    .map(([key, value]) => [key, Array.isArray(value) ? value[0] : value] as const)
    .filter((entry): entry is readonly [string, string] => typeof entry[1] === "string" && entry[1].trim() !== "");
  return transcriptFiltersSchema.parse(Object.fromEntries(entries));
}

/** The /transcripts URL of `filters` with `changes` applied; defaults are left out so URLs stay short. */
export function transcriptsHref(filters: Partial<TranscriptFilters>, changes: Partial<TranscriptFilters> = {}): string {
  const merged: Partial<TranscriptFilters> = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === "") continue;
    if ((key === "page" && value === 1) || (key === "sort" && value === "date") || (key === "dir" && value === "desc"))
      continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `/transcripts?${query}` : "/transcripts";
}

/** The review page of one transcript, and the anchor of one of its turns (agreed with app/transcripts/[id]). */
export function transcriptHref(matchId: string): string {
  return `/transcripts/${encodeURIComponent(matchId)}`;
}
export function turnHref(matchId: string, turnId: string): string {
  return `${transcriptHref(matchId)}#turn-${encodeURIComponent(turnId)}`;
}
