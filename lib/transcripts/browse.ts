import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { CruxError } from "../errors";
import { getStudyFor, listStudiesFor } from "../studies/repository";
import { debaterModelsSql, dialectOf } from "./dialect";
import { FREE_PLAY, type TranscriptFacets, type TranscriptFilters } from "./filters";
import { judgeLabel } from "./judge-label";
import { listTranscripts, type TranscriptPage } from "./list";
import { assertMayBrowse, scopeSql, TRANSCRIPT_FROM } from "./scope";
import { type SearchPage, searchTranscripts } from "./search";
import { allTagsSql } from "./tags";

/**
 * Everything /transcripts shows: the filter bar's choices (the viewer's studies, the chosen study's conditions,
 * the judges, debater models and tags found among the viewer's transcripts of that study, or of all) and either the
 * table or, with a full-text search, its hits. A refused study filter comes back as `refusal` with no results.
 */

export interface TranscriptBrowser {
  facets: TranscriptFacets;
  list: TranscriptPage | null;
  search: SearchPage | null;
  refusal: string | null;
}

/** Most judges the judge filter offers (the busiest first is not needed: the table links each row's judge). */
const MAX_JUDGES = 300;

async function facetsFor(db: Db, user: SessionUser, filters: TranscriptFilters): Promise<TranscriptFacets> {
  const dialect = dialectOf(db);
  const studies = await listStudiesFor(db, user);
  const study = filters.study && filters.study !== FREE_PLAY ? await getStudyFor(db, user, filters.study) : null;
  const parts = [scopeSql(user)];
  if (filters.study === FREE_PLAY) parts.push(Prisma.sql`m."studyId" IS NULL`);
  else if (study) parts.push(Prisma.sql`m."studyId" = ${study.id}`);
  const where = Prisma.join(parts, " AND ");
  const [judges, models, tags] = await Promise.all([
    db.$queryRaw<
      Array<{ judgeId: string | null; judgeModel: string | null; email: string | null; name: string | null }>
    >(
      Prisma.sql`SELECT DISTINCT m."judgeId", m."judgeModel", u."email", u."name" ${TRANSCRIPT_FROM}
        LEFT JOIN "User" u ON u."id" = m."judgeId"
        WHERE ${where} AND (m."judgeId" IS NOT NULL OR m."judgeModel" IS NOT NULL) LIMIT ${MAX_JUDGES}`,
    ),
    db.$queryRaw<Array<{ model: string | null }>>(debaterModelsSql(dialect, TRANSCRIPT_FROM, where)),
    db.$queryRaw<Array<{ tag: string }>>(
      Prisma.sql`SELECT DISTINCT t."tag" ${TRANSCRIPT_FROM} JOIN ${allTagsSql()} t ON t."matchId" = m."id"
        WHERE ${where} ORDER BY 1`,
    ),
  ]);
  return {
    studies,
    conditions: study?.config.conditions.map((c) => c.name) ?? [],
    judges: judges
      .map((j) => ({ key: j.judgeModel ?? j.judgeId ?? "", label: judgeLabel(user, j) }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    models: models.flatMap((m) => (m.model ? [m.model] : [])),
    tags: tags.map((t) => t.tag),
  };
}

/** The page's data for `filters`; FORBIDDEN for viewers without research rights. */
export async function browseTranscripts(
  db: Db,
  user: SessionUser,
  filters: TranscriptFilters,
): Promise<TranscriptBrowser> {
  assertMayBrowse(user);
  try {
    const facets = await facetsFor(db, user, filters);
    const [list, search] = filters.text
      ? [null, await searchTranscripts(db, user, filters)]
      : [await listTranscripts(db, user, filters), null];
    return { facets, list, search, refusal: null };
  } catch (error) {
    if (!(error instanceof CruxError) || (error.code !== "FORBIDDEN" && error.code !== "NOT_FOUND")) throw error;
    const studies = await listStudiesFor(db, user);
    return {
      facets: { studies, conditions: [], judges: [], models: [], tags: [] },
      list: null,
      search: null,
      refusal: error.message,
    };
  }
}
