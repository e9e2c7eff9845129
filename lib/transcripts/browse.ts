import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { CruxError } from "../errors";
import { getStudyFor, listStudiesFor } from "../studies/repository";
import { FREE_PLAY, type TranscriptFacets, type TranscriptFilters } from "./filters";
import { judgeLabel, LABELLED_PERSON_SELECT } from "./judge-label";
import { debaterSeats, listTranscripts, type TranscriptPage } from "./list";
import { assertMayBrowse, scopeSql } from "./scope";
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
  const studies = await listStudiesFor(db, user);
  const study = filters.study && filters.study !== FREE_PLAY ? await getStudyFor(db, user, filters.study) : null;
  const parts = [scopeSql(user)];
  if (filters.study === FREE_PLAY) parts.push(Prisma.sql`m."studyId" IS NULL`);
  else if (study) parts.push(Prisma.sql`m."studyId" = ${study.id}`);
  const where = Prisma.join(parts, " AND ");
  // Each reads Match alone; debater seats are distinct JSON values (a few model pairings), parsed here.
  const [judges, seats, tags] = await Promise.all([
    db.$queryRaw<Array<{ judgeId: string | null; judgeModel: string | null }>>(
      Prisma.sql`SELECT DISTINCT m."judgeId", m."judgeModel" FROM "Match" m
        WHERE ${where} AND (m."judgeId" IS NOT NULL OR m."judgeModel" IS NOT NULL) LIMIT ${MAX_JUDGES}`,
    ),
    db.$queryRaw<Array<{ debaters: unknown }>>(Prisma.sql`SELECT DISTINCT m."debaters" FROM "Match" m WHERE ${where}`),
    // Each tag once, kept if one visible match has it (found through the tag index, stopping at the first).
    db.$queryRaw<Array<{ tag: string }>>(
      Prisma.sql`SELECT d."tag" FROM (SELECT DISTINCT "tag" FROM ${allTagsSql()} a) d
        WHERE EXISTS (SELECT 1 FROM ${allTagsSql()} t JOIN "Match" m ON m."id" = t."matchId"
          WHERE t."tag" = d."tag" AND ${where}) ORDER BY 1`,
    ),
  ]);
  const humans = judges.flatMap((j) => (j.judgeModel === null && j.judgeId !== null ? [j.judgeId] : []));
  const people = new Map(
    (await db.user.findMany({ where: { id: { in: humans } }, select: LABELLED_PERSON_SELECT })).map((u) => [u.id, u]),
  );
  const models = new Set(seats.flatMap((row) => debaterSeats(row.debaters).map((d) => d.model)));
  return {
    studies: studies.map(({ id, name, status }) => ({ id, name, status })),
    conditions: study?.config.conditions.map((c) => c.name) ?? [],
    judges: judges
      .map((j) => {
        const judge = j.judgeId ? (people.get(j.judgeId) ?? null) : null;
        const label = judgeLabel(user, { judgeModel: j.judgeModel, judge });
        return { key: j.judgeModel ?? j.judgeId ?? "", label };
      })
      .sort((a, b) => a.label.localeCompare(b.label)),
    models: [...models].sort(),
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
