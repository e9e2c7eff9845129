"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { ActionState } from "@/components/action-form";
import type { SessionUser } from "@/lib/auth/roles";
import { requireAccount } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { annotationInputSchema, deleteAnnotationSchema } from "@/lib/matches/annotation-vocabulary";
import { addAnnotation, deleteAnnotation } from "@/lib/transcripts/annotations";
import { formAction, rawText } from "../../form-action";

/**
 * Annotating a transcript from its review page: an account (as the page asks), the form parsed with zod, one lib
 * call (which checks that the viewer may read the transcript, and for a deletion that they wrote the annotation or
 * are an admin), then the page is rendered again. They answer with a short message for the form's live region.
 */

/** An account, as the review page asks (back to the transcript after signing in). */
const annotationAction = <S extends z.ZodType<{ matchId: string }>>(
  schema: S,
  act: (user: SessionUser, data: z.output<S>) => Promise<string>,
) =>
  formAction({
    schema,
    authorize: (raw) => requireAccount({ callbackUrl: `/transcripts/${encodeURIComponent(rawText(raw, "matchId"))}` }),
    act,
    revalidate: (data) => revalidatePath(`/transcripts/${data.matchId}`),
  });

const add = annotationAction(annotationInputSchema, async (user, input) => {
  const added = await addAnnotation(getDb(), user, input);
  return added.kind === "tag" ? `Tagged “${added.text}”.` : "Comment added.";
});

const remove = annotationAction(deleteAnnotationSchema, async (user, input) => {
  await deleteAnnotation(getDb(), user, input);
  return "Annotation deleted.";
});

/** Adds a comment (on the transcript, a turn, or words of a turn) or a tag. */
export async function addAnnotationAction(previous: ActionState, input: unknown) {
  return add(previous, input);
}

/** Deletes an annotation: its author's, or any for an admin. */
export async function deleteAnnotationAction(previous: ActionState, input: unknown) {
  return remove(previous, input);
}
