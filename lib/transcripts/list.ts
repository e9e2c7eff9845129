import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { getStudyFor } from "../studies/repository";
import { dialectOf, finalConfidenceSql, readJson } from "./dialect";
import { FREE_PLAY, PAGE_SIZE, type TranscriptFilters } from "./filters";
import { judgeLabel } from "./judge-label";
import { assertMayBrowse, TRANSCRIPT_FROM, whereSql } from "./scope";
import { allTagsSql } from "./tags";

/**
 * The transcript table of /transcripts: the viewer's matches (lib/transcripts/scope.ts) that pass the filters,
 * sorted and paged on the server (offset pages with a total). Each row links to the review page,
 * /transcripts/<id>.
 */

export interface TranscriptRow {
  id: string;
  studyId: string | null;
  study: string | null;
  protocol: string;
  condition: string | null;
  status: string;
  question: string;
  /** Pseudonymous unless the viewer is an admin (lib/transcripts/judge-label.ts). */
  judge: string;
  /** The judge filter's value for this judge: user id or model spec; null when there is no judge. */
  judgeKey: string | null;
  judgeKind: "human" | "ai";
  /** Debater seats and their model specs, seat A first. */
  debaters: Array<{ seat: string; model: string }>;
  correct: boolean | null;
  /** Probability the judge gave the answer they chose, 0–1. */
  confidence: number | null;
  rounds: number | null;
  tags: string[];
  createdAt: Date;
}

export interface TranscriptPage {
  rows: TranscriptRow[];
  total: number;
  page: number;
  pages: number;
}

interface RawRow {
  id: string;
  studyId: string | null;
  study: string | null;
  protocol: string;
  condition: string | null;
  status: string;
  question: string;
  judgeId: string | null;
  judgeModel: string | null;
  email: string | null;
  name: string | null;
  debaters: unknown;
  correct: unknown;
  confidence: unknown;
  rounds: unknown;
  createdAt: unknown;
}

function orderSql(dialect: ReturnType<typeof dialectOf>, filters: TranscriptFilters): Prisma.Sql {
  const dir = Prisma.raw(filters.dir === "asc" ? "ASC" : "DESC");
  const key =
    filters.sort === "confidence"
      ? finalConfidenceSql(dialect)
      : filters.sort === "rounds"
        ? Prisma.sql`v."rounds"`
        : Prisma.sql`m."createdAt"`;
  // Matches without a verdict have no confidence or rounds: they come last either way; ties by date, then id.
  return Prisma.sql`ORDER BY ${key} ${dir} NULLS LAST, m."createdAt" ${dir}, m."id" ${dir}`;
}

const toNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const toBoolean = (value: unknown) => (value === null || value === undefined ? null : Boolean(Number(value)));

/**
 * A page of the viewer's transcripts. FORBIDDEN for viewers without research rights, and (NOT_FOUND/FORBIDDEN)
 * when `filters.study` names a study the viewer may not see.
 */
export async function listTranscripts(db: Db, user: SessionUser, filters: TranscriptFilters): Promise<TranscriptPage> {
  assertMayBrowse(user);
  if (filters.study && filters.study !== FREE_PLAY) await getStudyFor(db, user, filters.study);
  const dialect = dialectOf(db);
  const where = whereSql(dialect, user, filters);
  const [counted, raw] = await Promise.all([
    db.$queryRaw<Array<{ n: unknown }>>(Prisma.sql`SELECT COUNT(*) AS "n" ${TRANSCRIPT_FROM} WHERE ${where}`),
    db.$queryRaw<RawRow[]>(Prisma.sql`SELECT m."id", m."studyId", s."name" AS "study", m."protocol", m."condition",
        m."status", q."text" AS "question", m."judgeId", m."judgeModel", u."email", u."name", m."debaters",
        v."correct", ${finalConfidenceSql(dialect)} AS "confidence", v."rounds", m."createdAt"
      ${TRANSCRIPT_FROM}
      LEFT JOIN "Study" s ON s."id" = m."studyId"
      LEFT JOIN "User" u ON u."id" = m."judgeId"
      WHERE ${where}
      ${orderSql(dialect, filters)}
      LIMIT ${PAGE_SIZE} OFFSET ${(filters.page - 1) * PAGE_SIZE}`),
  ]);
  const total = Number(counted[0]?.n ?? 0);
  const tags =
    raw.length === 0
      ? []
      : await db.$queryRaw<Array<{ matchId: string; tag: string }>>(
          Prisma.sql`SELECT t."matchId", t."tag" FROM ${allTagsSql()} t
            WHERE t."matchId" IN (${Prisma.join(raw.map((r) => r.id))}) ORDER BY t."tag"`,
        );
  const rows = raw.map(
    (row): TranscriptRow => ({
      id: row.id,
      studyId: row.studyId,
      study: row.study,
      protocol: row.protocol,
      condition: row.condition,
      status: row.status,
      question: row.question,
      judge: judgeLabel(user, row),
      judgeKey: row.judgeModel ?? row.judgeId,
      judgeKind: row.judgeModel ? "ai" : "human",
      debaters: debaterModels(row.debaters),
      correct: toBoolean(row.correct),
      confidence: toNumber(row.confidence),
      rounds: toNumber(row.rounds),
      tags: tags.filter((t) => t.matchId === row.id).map((t) => t.tag),
      createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(String(row.createdAt)),
    }),
  );
  return { rows, total, page: filters.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

function debaterModels(value: unknown): TranscriptRow["debaters"] {
  const seats = readJson(value);
  if (!Array.isArray(seats)) return [];
  return seats
    .map((s: { seat?: unknown; model?: unknown }) => ({ seat: String(s.seat ?? ""), model: String(s.model ?? "") }))
    .sort((a, b) => a.seat.localeCompare(b.seat));
}
