"use server";

import { redirect } from "next/navigation";
import { getOrCreateGuest } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { startJudgeMatch } from "@/lib/matches/start-guest-match";

/** "Play": a guest (created on first play) judges a new debate on a random QuALITY story. */
export async function startGameAction(): Promise<void> {
  const user = await getOrCreateGuest();
  const match = await startJudgeMatch(getDb(), { judgeId: user.id });
  redirect(`/match/${match.id}`);
}
