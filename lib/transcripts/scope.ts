import { hasRole, type SessionUser } from "../auth/roles";
import { Prisma } from "../db/generated/client";
import { SETTLED_MATCH_STATUSES } from "../debate/vocabulary";
import { CruxError } from "../errors";
import { containsSql, type Dialect, debaterModelSql, finalConfidenceSql } from "./dialect";
import { FREE_PLAY, type TranscriptFilters } from "./filters";
import { taggedSql } from "./tags";

/**
 * Which matches a viewer may read, and the filters, as one SQL condition over `m` (Match), `q` (Question),
 * `p` (Passage, may be null) and `v` (Verdict, may be null). The rules are those of lib/studies/match-access.ts:
 * admins every match; researchers the matches of studies (and imported datasets) they own or were added to, and
 * free play; anyone the matches they judged once these are settled. Nobody sees a match they are still judging
 * (the review shows the story and the answer), and qualification (practice) matches are not transcripts.
 */

/** The joins every transcript query shares; `v` and `p` are LEFT JOINs. */
export const TRANSCRIPT_FROM = Prisma.sql`FROM "Match" m
  JOIN "Question" q ON q."id" = m."questionId"
  LEFT JOIN "Passage" p ON p."id" = q."passageId"
  LEFT JOIN "Verdict" v ON v."matchId" = m."id"`;

const SETTLED = Prisma.join([...SETTLED_MATCH_STATUSES]);

export function assertMayBrowse(user: SessionUser): void {
  if (!hasRole(user, "researcher")) throw new CruxError("FORBIDDEN", "Transcript review is for researchers.");
}

/** The viewer's transcripts. */
export function scopeSql(user: SessionUser): Prisma.Sql {
  const ownSettled = Prisma.sql`(m."judgeId" = ${user.id} AND m."status" IN (${SETTLED}))`;
  const visible = hasRole(user, "admin")
    ? Prisma.sql`1 = 1`
    : hasRole(user, "researcher")
      ? Prisma.sql`(m."studyId" IS NULL
          OR m."studyId" IN (SELECT s."id" FROM "Study" s WHERE s."ownerId" = ${user.id})
          OR m."studyId" IN (SELECT sm."studyId" FROM "StudyMember" sm WHERE sm."userId" = ${user.id})
          OR ${ownSettled})`
      : ownSettled;
  // Spelled without NOT: with no judge (NULL), NOT (NULL = id AND …) would be NULL and hide AI-judged matches.
  const notJudging = Prisma.sql`(m."judgeId" IS NULL OR m."judgeId" <> ${user.id} OR m."status" IN (${SETTLED}))`;
  return Prisma.sql`m."practice" = false AND ${visible} AND ${notJudging}`;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);

/** The viewer's transcripts that pass `filters` (all but the full-text search, the sort and the page). */
export function whereSql(dialect: Dialect, user: SessionUser, filters: TranscriptFilters): Prisma.Sql {
  const parts = [scopeSql(user)];
  const add = (part: Prisma.Sql) => parts.push(part);
  if (filters.study === FREE_PLAY) add(Prisma.sql`m."studyId" IS NULL`);
  else if (filters.study) add(Prisma.sql`m."studyId" = ${filters.study}`);
  if (filters.condition) add(Prisma.sql`m."condition" = ${filters.condition}`);
  if (filters.protocol) add(Prisma.sql`m."protocol" = ${filters.protocol}`);
  if (filters.judgeKind === "human") add(Prisma.sql`m."judgeModel" IS NULL`);
  if (filters.judgeKind === "ai") add(Prisma.sql`m."judgeModel" IS NOT NULL`);
  if (filters.judge) add(Prisma.sql`(m."judgeId" = ${filters.judge} OR m."judgeModel" = ${filters.judge})`);
  if (filters.model) add(debaterModelSql(dialect, filters.model));
  if (filters.status) add(Prisma.sql`m."status" = ${filters.status}`);
  if (filters.outcome === "none") add(Prisma.sql`v."id" IS NULL`);
  if (filters.outcome === "correct") add(Prisma.sql`v."correct" = true`);
  if (filters.outcome === "wrong") add(Prisma.sql`v."correct" = false`);
  if (filters.confMin !== undefined) add(Prisma.sql`${finalConfidenceSql(dialect)} >= ${filters.confMin / 100}`);
  if (filters.confMax !== undefined) add(Prisma.sql`${finalConfidenceSql(dialect)} <= ${filters.confMax / 100}`);
  if (filters.rounds !== undefined) add(Prisma.sql`v."rounds" = ${filters.rounds}`);
  if (filters.q)
    add(
      Prisma.sql`(${containsSql(dialect, Prisma.sql`q."text"`, filters.q)} OR ${containsSql(dialect, Prisma.sql`p."title"`, filters.q)})`,
    );
  if (filters.from) add(Prisma.sql`m."createdAt" >= ${new Date(`${filters.from}T00:00:00Z`)}`);
  if (filters.to) add(Prisma.sql`m."createdAt" < ${nextDay(filters.to)}`);
  if (filters.tag) add(taggedSql(filters.tag));
  return Prisma.join(parts, " AND ");
}
