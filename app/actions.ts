"use server";

import { redirect } from "next/navigation";
import { getOrCreateGuest } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { formFields } from "@/lib/form-data";
import { startJudgeMatch, startMatchSchema } from "@/lib/matches/start-guest-match";

/**
 * "Play": a guest (created on first play) judges a new match of the chosen format on a random QuALITY story. A
 * choice the form does not offer (a stale page, a hand-made request) goes back to the form with a message.
 */
export async function startGameAction(input: unknown): Promise<void> {
  const formData = formFields(input);
  // The form has no source field (always a QuALITY story); a field left out is the default.
  const parsed = startMatchSchema.safeParse({
    debaters: formData.get("debaters") ?? undefined,
    protocol: formData.get("protocol") ?? undefined,
  });
  if (!parsed.success) redirect("/?error=choice");
  const user = await getOrCreateGuest();
  const match = await startJudgeMatch(getDb(), { judgeId: user.id, ...parsed.data });
  redirect(`/match/${match.id}`);
}
