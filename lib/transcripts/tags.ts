import { Prisma } from "../db/generated/client";

/**
 * Where a transcript's tags come from. One filter and one list of choices cover them all: the tags an import gave a
 * match (`MatchTag`, e.g. NYU 2023's `in-paper`) and reviewers' annotation tags (`Annotation` rows of kind tag,
 * lib/transcripts/annotations.ts). Another source joins by adding a line here (a table with a match id column and a
 * tag column, the tag null on rows that are not tags), and nothing else in lib/transcripts changes.
 */
interface TagSource {
  table: string;
  matchColumn: string;
  tagColumn: string;
}

const TAG_SOURCES: readonly TagSource[] = [
  { table: "MatchTag", matchColumn: "matchId", tagColumn: "tag" },
  { table: "Annotation", matchColumn: "matchId", tagColumn: "tag" },
];

const ident = (name: string) => Prisma.raw(`"${name}"`);

/** True when the match `m` carries `tag` in any source. */
export function taggedSql(tag: string): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(
    TAG_SOURCES.map(
      (s) =>
        Prisma.sql`EXISTS (SELECT 1 FROM ${ident(s.table)} x WHERE x.${ident(s.matchColumn)} = m."id" AND x.${ident(s.tagColumn)} = ${tag})`,
    ),
    " OR ",
  )})`;
}

/** `(matchId, tag)` rows of every source, as one relation to select from. */
export function allTagsSql(): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(
    TAG_SOURCES.map(
      (s) =>
        Prisma.sql`SELECT ${ident(s.matchColumn)} AS "matchId", ${ident(s.tagColumn)} AS "tag" FROM ${ident(s.table)}
          WHERE ${ident(s.tagColumn)} IS NOT NULL`,
    ),
    " UNION ",
  )})`;
}
