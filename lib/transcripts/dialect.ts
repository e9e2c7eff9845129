import { type Db, sqliteFileOf } from "../db/client";
import { Prisma } from "../db/generated/client";

/**
 * The few SQL fragments of transcript browsing and search that differ between SQLite (the default) and
 * PostgreSQL: reading the verdict's JSON probabilities and the debaters' JSON models, and case-insensitive LIKE.
 * Everything else in lib/transcripts is SQL both accept.
 */
export type Dialect = "sqlite" | "postgresql";

/** SQLite for clients made by `createDb` on a file; PostgreSQL otherwise. */
export function dialectOf(db: Db): Dialect {
  return sqliteFileOf(db) === undefined ? "postgresql" : "sqlite";
}

/** The probability the verdict gave its chosen option (`v` is the Verdict), null without a verdict. */
export function finalConfidenceSql(dialect: Dialect): Prisma.Sql {
  return dialect === "sqlite"
    ? Prisma.sql`json_extract(v."probabilities", '$[' || v."chosen" || ']')`
    : Prisma.sql`(v."probabilities"->>v."chosen")::float8`;
}

/** True when one of the match's (`m`) debater seats is played by `model`. */
export function debaterModelSql(dialect: Dialect, model: string): Prisma.Sql {
  return dialect === "sqlite"
    ? Prisma.sql`EXISTS (SELECT 1 FROM json_each(m."debaters") d WHERE json_extract(d."value", '$.model') = ${model})`
    : Prisma.sql`m."debaters" @> ${JSON.stringify([{ model }])}::jsonb`;
}

/** Every debater model of the matches `m` that `where` keeps, distinct. */
export function debaterModelsSql(dialect: Dialect, from: Prisma.Sql, where: Prisma.Sql): Prisma.Sql {
  return dialect === "sqlite"
    ? Prisma.sql`SELECT DISTINCT json_extract(d."value", '$.model') AS "model" ${from}, json_each(m."debaters") d
        WHERE ${where} ORDER BY 1`
    : Prisma.sql`SELECT DISTINCT d->>'model' AS "model" ${from}, jsonb_array_elements(m."debaters") d
        WHERE ${where} ORDER BY 1`;
}

/** `column` contains `words`, ignoring case (ASCII case on SQLite). */
export function containsSql(dialect: Dialect, column: Prisma.Sql, words: string): Prisma.Sql {
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return dialect === "sqlite"
    ? Prisma.sql`${column} LIKE ${pattern} ESCAPE '\\'`
    : Prisma.sql`${column} ILIKE ${pattern} ESCAPE '\\'`;
}

/** A JSON column as the driver returns it: text on SQLite, parsed on PostgreSQL. */
export function readJson(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}
