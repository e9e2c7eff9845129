import { hasRole, type SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { findQuoteSpans } from "../debate/quotes";
import { CruxError } from "../errors";
import type { AnnotationInput, AnnotationKind } from "../matches/annotation-vocabulary";
import { assertObserverOf } from "../studies/match-access";
import { LABELLED_PERSON_SELECT, personLabel } from "./judge-label";
import { scopeSql } from "./scope";
import { allTagsSql } from "./tags";

/**
 * Annotations of a transcript: reviewers' comments (on the transcript, a turn, or words of a turn) and tags. Who may
 * read and add them is who may read the transcript — the review page's own rule (`assertObserverOf`, which
 * lib/transcripts/scope.ts spells as SQL for the list); who may delete one is its author or an admin. Authors are
 * named by the one rule of lib/transcripts/judge-label.ts: never an email address to anyone but an admin.
 */

export interface AnnotationView {
  id: string;
  kind: AnnotationKind;
  /** The comment's text, or the tag. */
  text: string;
  turnId: string | null;
  quote: { text: string; start: number; end: number } | null;
  author: string;
  createdAt: Date;
  /** The viewer may delete it (their own, or any for an admin). */
  deletable: boolean;
}

const ANNOTATION_SELECT = {
  id: true,
  kind: true,
  body: true,
  tag: true,
  turnId: true,
  quote: true,
  quoteStart: true,
  quoteEnd: true,
  createdAt: true,
  authorId: true,
  author: { select: LABELLED_PERSON_SELECT },
} as const;

type AnnotationRow = Prisma.AnnotationGetPayload<{ select: typeof ANNOTATION_SELECT }>;

function toView(viewer: SessionUser, row: AnnotationRow): AnnotationView {
  return {
    id: row.id,
    kind: row.kind === "tag" ? "tag" : "comment",
    text: (row.kind === "tag" ? row.tag : row.body) ?? "",
    turnId: row.turnId,
    quote:
      row.quote !== null && row.quoteStart !== null && row.quoteEnd !== null
        ? { text: row.quote, start: row.quoteStart, end: row.quoteEnd }
        : null,
    author: personLabel(viewer, row.author),
    createdAt: row.createdAt,
    deletable: row.authorId === viewer.id || hasRole(viewer, "admin"),
  };
}

/** The annotations of a match, oldest first; NOT_FOUND / FORBIDDEN as its review page. */
export async function listAnnotations(db: Db, user: SessionUser, matchId: string): Promise<AnnotationView[]> {
  await assertObserverOf(db, user, matchId);
  const rows = await db.annotation.findMany({
    where: { matchId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: ANNOTATION_SELECT,
  });
  return rows.map((row) => toView(user, row));
}

/** A turn's text as a reader sees it: quote tags removed, white space collapsed. */
export function shownTurnText(text: string): string {
  let shown = "";
  let cursor = 0;
  for (const span of findQuoteSpans(text)) {
    shown += text.slice(cursor, span.outerStart) + span.text;
    cursor = span.outerEnd;
  }
  return collapse(shown + text.slice(cursor));
}

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Adds an annotation as `user`; NOT_FOUND / FORBIDDEN as the review page, BAD_REQUEST for a turn of another match
 * or a quote that is not in the turn. A tag the transcript already carries from this author is not added twice.
 */
export async function addAnnotation(db: Db, user: SessionUser, input: AnnotationInput): Promise<AnnotationView> {
  await assertObserverOf(db, user, input.matchId);
  if (input.kind === "tag") {
    const existing = await db.annotation.findFirst({
      where: { matchId: input.matchId, authorId: user.id, kind: "tag", tag: input.tag },
      select: ANNOTATION_SELECT,
    });
    if (existing) return toView(user, existing);
    const row = await db.annotation.create({
      data: { matchId: input.matchId, authorId: user.id, kind: "tag", tag: input.tag },
      select: ANNOTATION_SELECT,
    });
    return toView(user, row);
  }
  let quote: { quote: string; quoteStart: number; quoteEnd: number } | undefined;
  if (input.turnId) {
    const turn = await db.turn.findUnique({ where: { id: input.turnId }, select: { matchId: true, text: true } });
    if (!turn || turn.matchId !== input.matchId) throw new CruxError("BAD_REQUEST", "No such turn in this transcript.");
    if (input.quote) {
      const words = collapse(input.quote);
      const start = shownTurnText(turn.text).indexOf(words);
      if (start < 0) throw new CruxError("BAD_REQUEST", "The quoted words are not in this turn.");
      quote = { quote: words, quoteStart: start, quoteEnd: start + words.length };
    }
  } else if (input.quote) throw new CruxError("BAD_REQUEST", "A quote belongs to a turn: say which.");
  const row = await db.annotation.create({
    data: {
      matchId: input.matchId,
      authorId: user.id,
      kind: "comment",
      body: input.body,
      turnId: input.turnId ?? null,
      ...quote,
    },
    select: ANNOTATION_SELECT,
  });
  return toView(user, row);
}

/**
 * Deletes an annotation of `matchId`: its author (who may still read the transcript) or an admin; NOT_FOUND for no
 * such annotation on that match, FORBIDDEN for anyone else.
 */
export async function deleteAnnotation(
  db: Db,
  user: SessionUser,
  input: { matchId: string; annotationId: string },
): Promise<void> {
  await assertObserverOf(db, user, input.matchId);
  const row = await db.annotation.findUnique({
    where: { id: input.annotationId },
    select: { matchId: true, authorId: true },
  });
  if (!row || row.matchId !== input.matchId) throw new CruxError("NOT_FOUND", "No such annotation.");
  if (row.authorId !== user.id && !hasRole(user, "admin"))
    throw new CruxError("FORBIDDEN", "Only its author or an admin may delete an annotation.");
  await db.annotation.delete({ where: { id: input.annotationId } });
}

/** Tags to suggest: every tag (imported or annotation) on a transcript the viewer may read, most used first. */
export async function listTagSuggestions(db: Db, user: SessionUser, limit = 200): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ tag: string }>>(
    Prisma.sql`SELECT t."tag" FROM ${allTagsSql()} t JOIN "Match" m ON m."id" = t."matchId"
      WHERE ${scopeSql(user)} GROUP BY t."tag" ORDER BY COUNT(*) DESC, t."tag" LIMIT ${limit}`,
  );
  return rows.map((r) => r.tag);
}
