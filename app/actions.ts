"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getOrCreateGuest } from "@/lib/auth/session";
import { clientIpFrom } from "@/lib/client-ip";
import { getDb } from "@/lib/db/client";
import { formFields, formText } from "@/lib/form-data";
import { startMatchSchema } from "@/lib/matches/start-guest-match";
import { admitMatchStart } from "@/lib/matches/start-limits";
import { startPlayMatch } from "@/lib/play/start-play";
import { retryAfterSeconds } from "@/lib/rate-limit";

/**
 * "Play": a guest (created on first play) judges a new match of the chosen format on a random QuALITY story, or
 * with "Quick play" of a format drawn for them on a story they have not seen, or with "Judge a real debate" a
 * debate that really took place (NYU 2023, replayed) that they have not judged; a
 * second submission of the same form (its request key) goes to the match the first one made. A
 * choice the form does not offer (a stale page, a hand-made request) goes back to the form with a message, and so
 * does a start past the rate limit (`CRUX_MATCH_STARTS_PER_USER` / `_PER_IP`), with the wait.
 */
export async function startGameAction(input: unknown): Promise<void> {
  const formData = formFields(input);
  // The form has no source field (always a QuALITY story); a field left out is the default.
  const parsed = startMatchSchema.safeParse({
    debaters: formData.get("debaters") ?? undefined,
    protocol: formData.get("protocol") ?? undefined,
    // Without JavaScript the form sends no key: such a request is simply not deduplicated.
    requestKey: formText(formData, "requestKey") || undefined,
    // "Quick play" is the form's other submit button: it draws the format (whatever the select shows).
    quick: formText(formData, "mode") === "quick" || undefined,
    tutorial: formText(formData, "mode") === "tutorial" || undefined,
    recorded: formText(formData, "mode") === "recorded" || undefined,
  });
  if (!parsed.success) redirect("/?error=choice");
  const admitted = await admitMatchStart(clientIpFrom(await headers()), getOrCreateGuest);
  if (!admitted.ok) redirect(`/?error=busy&wait=${retryAfterSeconds(admitted.retryAfterMs)}`);
  const match = await startPlayMatch(getDb(), { judgeId: admitted.user.id, ...parsed.data });
  // The tutorial's explanations are the page's: the address asks for them, so a reload keeps them.
  redirect(parsed.data.tutorial ? `/match/${match.id}?tutorial=1` : `/match/${match.id}`);
}
