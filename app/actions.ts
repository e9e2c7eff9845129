"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getOrCreateGuest } from "@/lib/auth/session";
import { clientIpFrom } from "@/lib/client-ip";
import { getDb } from "@/lib/db/client";
import { formFields } from "@/lib/form-data";
import { startJudgeMatch, startMatchSchema } from "@/lib/matches/start-guest-match";
import { admitMatchStart } from "@/lib/matches/start-limits";
import { retryAfterSeconds } from "@/lib/rate-limit";

/**
 * "Play": a guest (created on first play) judges a new match of the chosen format on a random QuALITY story. A
 * choice the form does not offer (a stale page, a hand-made request) goes back to the form with a message, and so
 * does a start past the rate limit (`CRUX_MATCH_STARTS_PER_USER` / `_PER_IP`), with the wait.
 */
export async function startGameAction(input: unknown): Promise<void> {
  const formData = formFields(input);
  // The form has no source field (always a QuALITY story); a field left out is the default.
  const parsed = startMatchSchema.safeParse({
    debaters: formData.get("debaters") ?? undefined,
    protocol: formData.get("protocol") ?? undefined,
  });
  if (!parsed.success) redirect("/?error=choice");
  const admitted = await admitMatchStart(clientIpFrom(await headers()), getOrCreateGuest);
  if (!admitted.ok) redirect(`/?error=busy&wait=${retryAfterSeconds(admitted.retryAfterMs)}`);
  const match = await startJudgeMatch(getDb(), { judgeId: admitted.user.id, ...parsed.data });
  redirect(`/match/${match.id}`);
}
