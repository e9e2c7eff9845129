"use server";

import { revalidatePath } from "next/cache";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError, zodFieldErrors } from "@/lib/errors";
import { formFields, formText } from "@/lib/form-data";
import { joinLeaderboard, leaveLeaderboard } from "@/lib/players/leaderboard";
import { joinLeaderboardSchema } from "@/lib/players/nickname";

/** What the leaderboard setting on `/me` shows after an action. */
export interface LeaderboardFormState {
  ok?: boolean;
  message?: string;
  /** The nickname field's problem, shown at the field. */
  fieldError?: string;
  /** What was typed, kept after a refusal. */
  nickname?: string;
}

/** Who may be on the leaderboard: anyone playing (guest or account), but not a study participant (kept anonymous). */
async function playerOrRefusal(): Promise<{ id: string } | LeaderboardFormState> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, message: "Play a game first: the leaderboard is for players." };
  if (user.role === "participant") return { ok: false, message: "Study participants do not join the leaderboard." };
  return user;
}

function refreshPages(): void {
  revalidatePath("/me");
  revalidatePath("/leaderboard");
}

/** Opt in to the leaderboard under a nickname (or change it). */
export async function joinLeaderboardAction(
  _previous: LeaderboardFormState,
  input: unknown,
): Promise<LeaderboardFormState> {
  const player = await playerOrRefusal();
  if (!("id" in player)) return player;
  const typed = formText(formFields(input), "nickname") ?? "";
  const parsed = joinLeaderboardSchema.safeParse({ nickname: typed });
  if (!parsed.success) {
    const fieldError = zodFieldErrors(parsed.error).nickname ?? "Choose another nickname.";
    return { ok: false, fieldError, nickname: typed };
  }
  try {
    await joinLeaderboard(getDb(), { userId: player.id, nickname: parsed.data.nickname });
  } catch (error) {
    if (error instanceof CruxError) return { ok: false, fieldError: error.message, nickname: typed };
    throw error;
  }
  refreshPages();
  return { ok: true, message: `You are on the leaderboard as “${parsed.data.nickname}”.` };
}

/** Opt out: the nickname is forgotten and the player leaves the leaderboard. */
export async function leaveLeaderboardAction(
  _previous: LeaderboardFormState,
  _input: unknown,
): Promise<LeaderboardFormState> {
  const player = await playerOrRefusal();
  if (!("id" in player)) return player;
  await leaveLeaderboard(getDb(), { userId: player.id });
  refreshPages();
  return { ok: true, message: "You are no longer on the leaderboard." };
}
