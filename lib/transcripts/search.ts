import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { getStudyFor } from "../studies/repository";
import { type Dialect, dialectOf } from "./dialect";
import { FREE_PLAY, SEARCH_PAGE_SIZE, type TranscriptFilters } from "./filters";
import { assertMayBrowse, filterJoins, whereSql } from "./scope";

/**
 * Full-text search over the text of every turn, every judge step's message (questions to the debaters) and every
 * verdict's explanation, within the viewer's transcripts and the other filters. SQLite: the FTS5 indexes of
 * migration …_transcript_search (porter stemming), best matches first (bm25), the hit shown in context with
 * FTS5's snippet(). PostgreSQL: the same through tsvector expression indexes and ts_headline (see
 * docs/transcripts.md for the migration it needs).
 */

export const SEARCH_HIT_KINDS = ["turn", "judge", "verdict"] as const;
export type SearchHitKind = (typeof SEARCH_HIT_KINDS)[number];

/** Marks around the matched words in a snippet: control characters, so no text can forge them and no HTML is made. */
export const HIT_START = "\u0002";
export const HIT_END = "\u0003";

/** A snippet cut into plain and matched parts, each with its offset in the snippet (a stable key). */
export function snippetParts(snippet: string): Array<{ text: string; hit: boolean; at: number }> {
  const parts: Array<{ text: string; hit: boolean; at: number }> = [];
  const pattern = new RegExp(`${HIT_START}([^${HIT_END}]*)${HIT_END}`, "g");
  let last = 0;
  for (const match of snippet.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: snippet.slice(last, match.index), hit: false, at: last });
    parts.push({ text: match[1] ?? "", hit: true, at: match.index });
    last = match.index + match[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), hit: false, at: last });
  return parts;
}

export interface SearchHit {
  kind: SearchHitKind;
  /** The Turn, JudgeStep or Verdict id. */
  id: string;
  matchId: string;
  round: number;
  /** The seat that spoke, for turns. */
  speaker: string | null;
  /** The text around the hit, the matched words between HIT_START and HIT_END. */
  snippet: string;
  question: string;
  protocol: string;
  condition: string | null;
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
  page: number;
  pages: number;
}

/**
 * The user's words as an FTS5 query: every word (or "quoted phrase") must occur, in any order; a trailing `*`
 * keeps its prefix meaning. Nothing the user types is read as FTS5 syntax (column filters, NEAR, operators).
 * Returns null when there is no word to look for.
 */
export function ftsQuery(input: string): string | null {
  const terms: string[] = [];
  for (const [, phrase, word] of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const raw = phrase ?? word ?? "";
    const prefix = phrase === undefined && raw.endsWith("*");
    const clean = raw.replaceAll('"', " ").replaceAll("*", " ").trim();
    if (!/[\p{L}\p{N}]/u.test(clean)) continue;
    terms.push(`"${clean}"${prefix ? "*" : ""}`);
  }
  return terms.length > 0 ? terms.join(" ") : null;
}

interface RankedRow {
  kind: SearchHitKind;
  id: string;
  rid: unknown;
  matchId: string;
  round: unknown;
  speaker: string | null;
  question: string;
  protocol: string;
  condition: string | null;
}

/** Each searchable source: its FTS5 table, the table it indexes and how a hit names its round and speaker. */
const SOURCES = {
  turn: { fts: "TurnSearch", table: "Turn", round: `x."round"`, speaker: `x."speaker"` },
  judge: { fts: "JudgeStepSearch", table: "JudgeStep", round: `x."round"`, speaker: "NULL" },
  verdict: { fts: "VerdictSearch", table: "Verdict", round: `x."rounds"`, speaker: "NULL" },
} as const satisfies Record<SearchHitKind, { fts: string; table: string; round: string; speaker: string }>;

function sqliteHits(query: string): Prisma.Sql {
  return Prisma.join(
    SEARCH_HIT_KINDS.map((kind) => {
      const s = SOURCES[kind];
      const fts = Prisma.raw(`"${s.fts}"`);
      return Prisma.sql`SELECT ${kind} AS "kind", x."id", x."rowid" AS "rid", x."matchId",
          ${Prisma.raw(s.round)} AS "round", ${Prisma.raw(s.speaker)} AS "speaker", bm25(${fts}) AS "rank"
        FROM ${fts} JOIN ${Prisma.raw(`"${s.table}"`)} x ON x."rowid" = ${fts}."rowid"
        WHERE ${fts} MATCH ${query}`;
    }),
    " UNION ALL ",
  );
}

/** Snippets for the hits of one page only (snippet() reads and re-tokenizes the text, so not for every match). */
async function sqliteSnippets(db: Db, query: string, rows: RankedRow[]): Promise<Map<string, string>> {
  const snippets = new Map<string, string>();
  for (const kind of SEARCH_HIT_KINDS) {
    const rids = rows.filter((r) => r.kind === kind).map((r) => Number(r.rid));
    if (rids.length === 0) continue;
    const fts = Prisma.raw(`"${SOURCES[kind].fts}"`);
    const found = await db.$queryRaw<Array<{ rid: unknown; snippet: string }>>(
      Prisma.sql`SELECT "rowid" AS "rid", snippet(${fts}, 0, ${HIT_START}, ${HIT_END}, '…', 24) AS "snippet"
        FROM ${fts} WHERE ${fts} MATCH ${query} AND "rowid" IN (${Prisma.join(rids)})`,
    );
    for (const f of found) snippets.set(`${kind}:${Number(f.rid)}`, f.snippet);
  }
  return snippets;
}

/** The viewer's matches that pass the filters, as SQL: `m` and the joins the filters need, and the condition. */
interface Visible {
  joins: Prisma.Sql;
  where: Prisma.Sql;
}

/**
 * Hits among the visible matches, then (for one page only) the question and condition of each. CROSS JOIN makes
 * SQLite start from the hits and look each one's match up by key; left to itself it would walk every visible
 * match and probe the hits, several times slower for a selective search.
 */
async function searchSqlite(db: Db, visible: Visible, query: string, offset: number) {
  const hits = Prisma.sql`FROM (${sqliteHits(query)}) h
    CROSS JOIN "Match" m ON m."id" = h."matchId"${visible.joins} WHERE ${visible.where}`;
  const [counted, rows] = await Promise.all([
    db.$queryRaw<Array<{ n: unknown }>>(Prisma.sql`SELECT COUNT(*) AS "n" ${hits}`),
    db.$queryRaw<RankedRow[]>(Prisma.sql`SELECT r."kind", r."id", r."rid", r."matchId", r."round", r."speaker",
        q."text" AS "question", m."protocol", m."condition"
      FROM (SELECT h.* ${hits} ORDER BY h."rank", h."id" LIMIT ${SEARCH_PAGE_SIZE} OFFSET ${offset}) r
      JOIN "Match" m ON m."id" = r."matchId" JOIN "Question" q ON q."id" = m."questionId"
      ORDER BY r."rank", r."id"`),
  ]);
  const snippets = await sqliteSnippets(db, query, rows);
  return {
    total: Number(counted[0]?.n ?? 0),
    hits: rows.map((r) => toHit(r, snippets.get(`${r.kind}:${Number(r.rid)}`) ?? "")),
  };
}

/** The typed terms as ftsQuery reads them: words, `"phrases"` and `prefix*` words. */
function searchTerms(input: string): Array<{ text: string; phrase: boolean; prefix: boolean }> {
  const terms = [];
  for (const [, phrase, word] of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const raw = phrase ?? word ?? "";
    const prefix = phrase === undefined && raw.endsWith("*");
    const text = raw.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    if (text) terms.push({ text, phrase: phrase !== undefined, prefix });
  }
  return terms;
}

/**
 * PostgreSQL's reading of what the user typed, as ftsQuery's for FTS5: every term required, a phrase in quotes, a
 * prefix with `*`. Built from plainto_tsquery, phraseto_tsquery and to_tsquery over letters and digits only, so
 * nothing typed is read as tsquery syntax.
 */
function pgTsquery(input: string): Prisma.Sql {
  const parts = searchTerms(input).map((term) => {
    if (term.phrase) return Prisma.sql`phraseto_tsquery('english', ${term.text})`;
    if (term.prefix) {
      const stem = term.text.split(" ").at(-1) ?? "";
      return Prisma.sql`to_tsquery('english', ${`${stem}:*`})`;
    }
    return Prisma.sql`plainto_tsquery('english', ${term.text})`;
  });
  // In parentheses: `@@` binds tighter than `&&`.
  return parts.length > 0 ? Prisma.sql`(${Prisma.join(parts, " && ")})` : Prisma.sql`plainto_tsquery('english', '')`;
}

/**
 * ts_headline marks each matched word on its own ("was «written» after the «storm»"); a phrase the user asked
 * for reads as one mark, as FTS5's snippet gives it.
 */
export function markPhrases(snippet: string, input: string): string {
  let out = snippet;
  const marks = `[\\s${HIT_START}${HIT_END}]+`;
  for (const term of searchTerms(input).filter((t) => t.phrase && t.text.includes(" "))) {
    const words = term.text.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(`${HIT_START}?${words.join(marks)}${HIT_END}?`, "giu");
    out = out.replace(
      pattern,
      (found) => `${HIT_START}${found.replace(new RegExp(`[${HIT_START}${HIT_END}]`, "g"), "")}${HIT_END}`,
    );
  }
  return out;
}

/** PostgreSQL: the same three sources through to_tsvector expression indexes (GIN) and ts_headline. */
async function searchPostgres(db: Db, visible: Visible, input: string, offset: number) {
  const tsquery = pgTsquery(input);
  const hits = Prisma.join(
    SEARCH_HIT_KINDS.map((kind) => {
      const s = SOURCES[kind];
      const column = Prisma.raw(`x."${kind === "turn" ? "text" : kind === "judge" ? "message" : "explanation"}"`);
      const vector = Prisma.sql`to_tsvector('english', coalesce(${column}, ''))`;
      return Prisma.sql`SELECT ${kind}::text AS "kind", x."id", 0 AS "rid", x."matchId", ${Prisma.raw(s.round)} AS "round",
          ${Prisma.raw(s.speaker)}::text AS "speaker", ts_rank(${vector}, ${tsquery}) AS "rank", ${column} AS "body"
        FROM ${Prisma.raw(`"${s.table}"`)} x WHERE ${vector} @@ ${tsquery}`;
    }),
    " UNION ALL ",
  );
  const from = Prisma.sql`FROM (${hits}) h
    JOIN (SELECT m."id", q."text" AS "question", m."protocol", m."condition" FROM "Match" m
      JOIN "Question" q ON q."id" = m."questionId"
      WHERE m."id" IN (SELECT m."id" FROM "Match" m${visible.joins} WHERE ${visible.where})) t ON t."id" = h."matchId"`;
  const headline = Prisma.sql`ts_headline('english', h."body", ${tsquery},
    ${`StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, FragmentDelimiter=" … ", MaxFragments=1`})`;
  const [counted, rows] = await Promise.all([
    db.$queryRaw<Array<{ n: unknown }>>(Prisma.sql`SELECT COUNT(*) AS "n" ${from}`),
    db.$queryRaw<Array<RankedRow & { snippet: string }>>(Prisma.sql`SELECT h."kind", h."id", h."rid", h."matchId",
        h."round", h."speaker", t."question", t."protocol", t."condition", ${headline} AS "snippet"
      ${from} ORDER BY h."rank" DESC, h."id" LIMIT ${SEARCH_PAGE_SIZE} OFFSET ${offset}`),
  ]);
  return { total: Number(counted[0]?.n ?? 0), hits: rows.map((r) => toHit(r, markPhrases(r.snippet, input))) };
}

function toHit(row: RankedRow, snippet: string): SearchHit {
  return {
    kind: row.kind,
    id: row.id,
    matchId: row.matchId,
    round: Number(row.round),
    speaker: row.speaker,
    snippet,
    question: row.question,
    protocol: row.protocol,
    condition: row.condition,
  };
}

const SEARCHERS: Record<Dialect, typeof searchSqlite> = { sqlite: searchSqlite, postgresql: searchPostgres };

/**
 * A page of hits for `filters.text` among the viewer's transcripts that pass the other filters; empty when the
 * text has no word to look for. Refusals as listTranscripts.
 */
export async function searchTranscripts(db: Db, user: SessionUser, filters: TranscriptFilters): Promise<SearchPage> {
  assertMayBrowse(user);
  if (filters.study && filters.study !== FREE_PLAY) await getStudyFor(db, user, filters.study);
  const dialect = dialectOf(db);
  const query = dialect === "sqlite" ? ftsQuery(filters.text ?? "") : filters.text?.trim() || null;
  if (!query) return { hits: [], total: 0, page: filters.page, pages: 1 };
  const { hits, total } = await SEARCHERS[dialect](
    db,
    { joins: filterJoins(filters), where: whereSql(dialect, user, filters) },
    query,
    (filters.page - 1) * SEARCH_PAGE_SIZE,
  );
  return { hits, total, page: filters.page, pages: Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE)) };
}
