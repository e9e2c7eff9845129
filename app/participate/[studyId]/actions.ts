"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { StepState } from "@/components/participant/step-form";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError, zodErrorMessage } from "@/lib/errors";
import { formFields } from "@/lib/form-data";
import { getRunner } from "@/lib/matches/runner-registry";
import { type EndMatch, endMatchInDatabase } from "@/lib/studies/assignment";
import {
  advanceParticipant,
  type ParticipantIntent,
  participantIntentSchema,
  touchParticipant,
} from "@/lib/studies/participants";

const studyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * A participant's step: the form's fields become a `ParticipantIntent`, the state machine applies it, and the page
 * is shown again at whatever step comes next. Refusals (a stale tab, a missing answer) come back as a message.
 */
export async function advanceStepAction(_previous: StepState, input: unknown): Promise<StepState> {
  const formData = formFields(input);
  const studyId = studyIdSchema.safeParse(formData.get("studyId"));
  if (!studyId.success) return { message: "This page is not part of a study." };
  const intent = intentFromForm(formData);
  if ("message" in intent) return intent;
  const user = await getCurrentUser();
  if (!user) return { message: "Your session has ended: open your study link again to continue." };
  const path = `/participate/${studyId.data}`;
  try {
    await advanceParticipant(getDb(), user.id, studyId.data, intent.intent, { endMatch: endMatch() });
  } catch (error) {
    if (!(error instanceof CruxError)) throw error;
    // A stale tab: show the participant's current step (with the message, if this form is still on the page).
    if (error.code === "CONFLICT") revalidatePath(path);
    return { message: error.message };
  }
  revalidatePath(path);
  redirect(path);
}

/** A sign of life while the participant's page is open, so a long match is not taken for a dropout. */
export async function stillHereAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user?.role === "participant") await touchParticipant(getDb(), user.id);
}

/** Ends a match through the live runner (so its room hears of it), or in the database where none runs. */
function endMatch(): EndMatch {
  const runner = getRunner();
  if (!runner) return endMatchInDatabase(getDb());
  return async (matchId, reason) => {
    await runner.abandon(matchId, reason);
  };
}

/** Form fields → intent: `agree` (consent), `check.<i>` with `questions` (the check), `survey.<id>` (survey). */
function intentFromForm(formData: FormData): { intent: ParticipantIntent } | { message: string } {
  const step = formData.get("step");
  let raw: unknown = { step };
  if (step === "consent") raw = { step, agree: formData.get("agree") === "on" };
  if (step === "check") {
    const count = z.coerce.number().int().min(0).max(20).safeParse(formData.get("questions"));
    const answers = Array.from({ length: count.success ? count.data : 0 }, (_, i) => formData.get(`check.${i}`));
    if (!count.success || answers.some((answer) => answer === null))
      return { message: "Answer every question before you continue." };
    raw = { step, answers: answers.map(Number) };
  }
  if (step === "survey") {
    const answers: Record<string, string> = {};
    for (const [key, value] of formData)
      if (key.startsWith("survey.") && typeof value === "string") answers[key.slice("survey.".length)] = value;
    raw = { step, answers };
  }
  const parsed = participantIntentSchema.safeParse(raw);
  if (!parsed.success)
    return {
      message: zodErrorMessage(parsed.error, {
        first: true,
        path: false,
        fallback: "Something in the form is not valid.",
      }),
    };
  return { intent: parsed.data };
}
