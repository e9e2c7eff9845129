import { z } from "zod";

/**
 * The vocabulary of transcript annotations, once, for the review page's forms and the server: the kinds, the limits,
 * and the zod schemas of what a reviewer sends. A plain module: the browser imports it too.
 */

/** A comment (on the transcript, a turn or words of a turn) or a tag (on the transcript). */
export const ANNOTATION_KINDS = ["comment", "tag"] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];
export const annotationKindSchema = z.enum(ANNOTATION_KINDS);

export const COMMENT_MAX = 2000;
export const TAG_MAX = 60;
export const QUOTE_MAX = 1000;

/** A tag as stored and filtered: trimmed, inner spaces collapsed, lower case ("Misused evidence" = "misused evidence"). */
export function normaliseTag(tag: string): string {
  return tag.trim().replace(/\s+/g, " ").toLowerCase();
}

const id = z.string().trim().min(1).max(64);

export const commentInputSchema = z.object({
  kind: z.literal("comment"),
  matchId: id,
  body: z
    .string()
    .trim()
    .min(1, "Write a comment.")
    .max(COMMENT_MAX, `A comment is at most ${COMMENT_MAX} characters.`),
  /** The turn commented on; absent for the whole transcript. */
  turnId: id.optional(),
  /** Words of that turn the comment is about, as shown (quote marks removed). */
  quote: z
    .string()
    .trim()
    .max(QUOTE_MAX, `A quoted passage is at most ${QUOTE_MAX} characters.`)
    .optional()
    .transform((q) => (q ? q : undefined)),
});

export const tagInputSchema = z.object({
  kind: z.literal("tag"),
  matchId: id,
  tag: z
    .string()
    .transform(normaliseTag)
    .pipe(z.string().min(1, "Write a tag.").max(TAG_MAX, `A tag is at most ${TAG_MAX} characters.`)),
});

/** What a reviewer sends to annotate a transcript. */
export const annotationInputSchema = z.discriminatedUnion("kind", [commentInputSchema, tagInputSchema]);
export type AnnotationInput = z.infer<typeof annotationInputSchema>;

export const deleteAnnotationSchema = z.object({ matchId: id, annotationId: id });
