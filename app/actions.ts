"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getOrCreateGuest } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PROTOCOLS } from "@/lib/debate/vocabulary";
import { playableDebaters, startJudgeMatch } from "@/lib/matches/start-guest-match";

const playSchema = z.object({
  protocol: z.enum(PROTOCOLS).default("debate"),
  debaters: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined)
    .refine((spec) => spec === undefined || playableDebaters().includes(spec), "That debater is not offered."),
});

/**
 * "Play": a guest (created on first play) judges a new match of the chosen format on a random QuALITY story. A
 * choice the form does not offer (a stale page, a hand-made request) goes back to the form with a message.
 */
export async function startGameAction(formData: FormData): Promise<void> {
  const parsed = playSchema.safeParse({
    debaters: formData.get("debaters"),
    protocol: formData.get("protocol") ?? undefined,
  });
  if (!parsed.success) redirect("/?error=choice");
  const user = await getOrCreateGuest();
  const match = await startJudgeMatch(getDb(), { judgeId: user.id, ...parsed.data });
  redirect(`/match/${match.id}`);
}
