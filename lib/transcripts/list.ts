import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { getStudyFor } from "../studies/repository";
import { dialectOf, finalConfidenceSql, readJson } from "./dialect";
import { FREE_PLAY, PAGE_SIZE, type TranscriptFilters } from "./filters";
import { judgeLabel, type LabelledPerson } from "./judge-label";
import { assertMayBrowse, filteredFrom, TRANSCRIPT_FROM, whereSql } from "./scope";
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
  /** Pseudonymous unless the viewer is an admin: the one rule of lib/transcripts/judge-label.ts. */
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
  role: string | null;
  ordinal: unknown;
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
  const from = filteredFrom(filters);
  // The page's ids and the total in one pass (a window count), with only the joins the filters need; a page past
  // the end has no row to carry the total, so it is counted on its own. Then the page's rows are read in full.
  const page = await db.$queryRaw<Array<{ id: string; total: unknown }>>(Prisma.sql`SELECT m."id",
      COUNT(*) OVER () AS "total" ${from} WHERE ${where}
    ${orderSql(dialect, filters)} LIMIT ${PAGE_SIZE} OFFSET ${(filters.page - 1) * PAGE_SIZE}`);
  const counted =
    page.length > 0
      ? [{ n: page[0]?.total }]
      : await db.$queryRaw<Array<{ n: unknown }>>(Prisma.sql`SELECT COUNT(*) AS "n" ${from} WHERE ${where}`);
  const ids = page.map((r) => r.id);
  const found =
    ids.length === 0
      ? []
      : await db.$queryRaw<RawRow[]>(Prisma.sql`SELECT m."id", m."studyId", s."name" AS "study", m."protocol",
          m."condition", m."status", q."text" AS "question", m."judgeId", m."judgeModel", u."email", u."name",
          u."role", pa."ordinal", m."debaters", v."correct", ${finalConfidenceSql(dialect)} AS "confidence", v."rounds", m."createdAt"
        ${TRANSCRIPT_FROM}
        LEFT JOIN "Study" s ON s."id" = m."studyId"
        LEFT JOIN "User" u ON u."id" = m."judgeId"
        LEFT JOIN "Participant" pa ON pa."userId" = m."judgeId"
        WHERE m."id" IN (${Prisma.join(ids)})`);
  const byId = new Map(found.map((row) => [row.id, row]));
  const raw = ids.flatMap((id) => byId.get(id) ?? []);
  const total = Number(counted[0]?.n ?? 0);
  const tags =
    ids.length === 0
      ? []
      : await db.$queryRaw<Array<{ matchId: string; tag: string }>>(
          Prisma.sql`SELECT t."matchId", t."tag" FROM ${allTagsSql()} t
            WHERE t."matchId" IN (${Prisma.join(ids)}) ORDER BY t."tag"`,
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
      judge: judgeLabel(user, { judgeModel: row.judgeModel, judge: judgeOf(row) }),
      judgeKey: row.judgeModel ?? row.judgeId,
      judgeKind: row.judgeModel ? "ai" : "human",
      debaters: debaterSeats(row.debaters),
      correct: toBoolean(row.correct),
      confidence: toNumber(row.confidence),
      rounds: toNumber(row.rounds),
      tags: tags.filter((t) => t.matchId === row.id).map((t) => t.tag),
      createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(String(row.createdAt)),
    }),
  );
  return { rows, total, page: filters.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** The judge's account as the label rule reads it (null for an AI judge or none). */
function judgeOf(row: RawRow): LabelledPerson | null {
  if (!row.judgeId) return null;
  const ordinal = toNumber(row.ordinal);
  return {
    id: row.judgeId,
    role: row.role ?? "",
    name: row.name,
    email: row.email,
    participation: ordinal === null ? [] : [{ ordinal }],
  };
}

/** A match's debater seats and models, seat A first, from its `debaters` JSON. */
export function debaterSeats(value: unknown): TranscriptRow["debaters"] {
  const seats = readJson(value);
  if (!Array.isArray(seats)) return [];
  return seats
    .map((s: { seat?: unknown; model?: unknown }) => ({ seat: String(s.seat ?? ""), model: String(s.model ?? "") }))
    .sort((a, b) => a.seat.localeCompare(b.seat));
}
