import { z } from "zod";
import { hasRole, type SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { matchStatusSchema } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { getStudyFor } from "../studies/repository";

/**
 * Transcript review: the matches of one study or imported dataset (or of free play) that a researcher may read,
 * filtered and paged. Each links to the read-only room (/observe/<id>), which shows the whole transcript with the
 * story, verified quotes, the judge's steps and the verdict.
 */

export const PAGE_SIZE = 50;

/** The outcome filter's choices, with the words the filter form shows for them. */
export const OUTCOME_FILTER_LABELS = { correct: "judge right", wrong: "judge wrong", none: "no verdict" } as const;
export type OutcomeFilter = keyof typeof OUTCOME_FILTER_LABELS;
const OUTCOME_FILTERS = Object.keys(OUTCOME_FILTER_LABELS) as [OutcomeFilter, ...OutcomeFilter[]];

/** Query-string filters of /transcripts (all optional; strings because they come from a GET form). */
export const transcriptFiltersSchema = z.object({
  /** A study or dataset id, or "play" for matches outside any study. */
  study: z.string().trim().max(100).optional().catch(undefined),
  condition: z.string().trim().max(100).optional().catch(undefined),
  outcome: z.enum(OUTCOME_FILTERS).optional().catch(undefined),
  status: matchStatusSchema.optional().catch(undefined),
  /** Words to find in the question. */
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type TranscriptFilters = z.infer<typeof transcriptFiltersSchema>;

export interface TranscriptRow {
  id: string;
  protocol: string;
  condition: string | null;
  status: string;
  question: string;
  judge: string;
  chosenCorrect: boolean | null;
  score: number | null;
  rounds: number | null;
  createdAt: Date;
}

/** A page of matches; FORBIDDEN for a study that is not the user's, and for play matches without research rights. */
export async function listTranscripts(
  db: Db,
  user: SessionUser,
  filters: TranscriptFilters,
): Promise<{ rows: TranscriptRow[]; total: number; pages: number }> {
  if (!hasRole(user, "researcher")) throw new CruxError("FORBIDDEN", "Transcript review is for researchers.");
  if (filters.study && filters.study !== "play") await getStudyFor(db, user, filters.study);
  const where: Prisma.MatchWhereInput = {
    studyId: filters.study && filters.study !== "play" ? filters.study : null,
    practice: false,
    ...(filters.condition ? { condition: filters.condition } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.outcome === "none" ? { verdict: { is: null } } : {}),
    ...(filters.outcome === "correct" ? { verdict: { is: { correct: true } } } : {}),
    ...(filters.outcome === "wrong" ? { verdict: { is: { correct: false } } } : {}),
    ...(filters.q ? { question: { text: { contains: filters.q } } } : {}),
  };
  const [total, rows] = await Promise.all([
    db.match.count({ where }),
    db.match.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (filters.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        protocol: true,
        condition: true,
        status: true,
        createdAt: true,
        judgeModel: true,
        judge: { select: { name: true, email: true, id: true } },
        question: { select: { text: true } },
        verdict: { select: { correct: true, score: true, rounds: true } },
      },
    }),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((row) => ({
      id: row.id,
      protocol: row.protocol,
      condition: row.condition,
      status: row.status,
      question: row.question.text,
      judge:
        row.judgeModel ?? row.judge?.email ?? row.judge?.name ?? (row.judge ? `judge ${row.judge.id.slice(-6)}` : "—"),
      chosenCorrect: row.verdict?.correct ?? null,
      score: row.verdict?.score ?? null,
      rounds: row.verdict?.rounds ?? null,
      createdAt: row.createdAt,
    })),
  };
}
