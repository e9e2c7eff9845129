"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { SessionUser } from "@/lib/auth/roles";
import { requireAccount } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError, zodErrorMessage } from "@/lib/errors";
import { formFields } from "@/lib/form-data";
import { annotationInputSchema, deleteAnnotationSchema } from "@/lib/matches/annotation-vocabulary";
import { addAnnotation, deleteAnnotation } from "@/lib/transcripts/annotations";

/**
 * Annotating a transcript from its review page: an account (as the page asks), the form parsed with zod, one lib
 * call (which checks that the viewer may read the transcript, and for a deletion that they wrote the annotation or
 * are an admin), then the page is rendered again. They answer with a short message for the form's live region.
 */

export interface AnnotationActionState {
  ok?: boolean;
  message?: string;
}

/** The shared frame: account, parse, act, revalidate; CruxErrors become messages, anything else propagates. */
function annotationAction<S extends z.ZodType<{ matchId: string }>>(
  schema: S,
  act: (user: SessionUser, data: z.output<S>) => Promise<string>,
) {
  return async (_previous: AnnotationActionState, input: unknown): Promise<AnnotationActionState> => {
    const raw = Object.fromEntries([...formFields(input).entries()].filter(([key]) => !key.startsWith("$")));
    const matchId = typeof raw.matchId === "string" ? raw.matchId : "";
    const user = await requireAccount({ callbackUrl: `/transcripts/${encodeURIComponent(matchId)}` });
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      return {
        ok: false,
        message: zodErrorMessage(parsed.error, { first: true, path: false, fallback: "Invalid request." }),
      };
    try {
      const message = await act(user, parsed.data);
      revalidatePath(`/transcripts/${parsed.data.matchId}`);
      return { ok: true, message };
    } catch (error) {
      if (error instanceof CruxError) return { ok: false, message: error.message };
      throw error;
    }
  };
}

const add = annotationAction(annotationInputSchema, async (user, input) => {
  const added = await addAnnotation(getDb(), user, input);
  return added.kind === "tag" ? `Tagged “${added.text}”.` : "Comment added.";
});

const remove = annotationAction(deleteAnnotationSchema, async (user, input) => {
  await deleteAnnotation(getDb(), user, input);
  return "Annotation deleted.";
});

/** Adds a comment (on the transcript, a turn, or words of a turn) or a tag. */
export async function addAnnotationAction(previous: AnnotationActionState, input: unknown) {
  return add(previous, input);
}

/** Deletes an annotation: its author's, or any for an admin. */
export async function deleteAnnotationAction(previous: AnnotationActionState, input: unknown) {
  return remove(previous, input);
}
