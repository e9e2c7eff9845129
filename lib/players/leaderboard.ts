import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { CruxError } from "../errors";
import { nicknameKey } from "./nickname";
import { countsAsGame, playedGamesWhere } from "./record";
import { type LeaderboardRow, rankJudges } from "./stats";

/** Said when another player already has the nickname (whatever its case). */
export const NICKNAME_TAKEN = "Another player has that nickname. Choose another.";

/**
 * The leaderboard: players who opted in, with at least `minGames` free-play games judged to a verdict (the tutorial not counted), by mean
 * score. Only nicknames are returned: nothing else about a user (never an email address).
 */
export async function getLeaderboard(db: Db, options: { minGames: number; take?: number }): Promise<LeaderboardRow[]> {
  const entries = await db.leaderboardEntry.findMany({ select: { userId: true, nickname: true } });
  if (entries.length === 0) return [];
  const matches = await db.match.findMany({
    where: playedGamesWhere({ in: entries.map((e) => e.userId) }),
    select: { judgeId: true, config: true, verdict: { select: { score: true, correct: true } } },
  });
  const scores = new Map<string, { score: number; correct: boolean }[]>();
  for (const match of matches) {
    if (!match.judgeId || !match.verdict || !countsAsGame(match)) continue;
    const list = scores.get(match.judgeId) ?? [];
    list.push(match.verdict);
    scores.set(match.judgeId, list);
  }
  const judges = entries.map((e) => ({ ...e, scores: scores.get(e.userId) ?? [] }));
  return rankJudges(judges, options.minGames).slice(0, options.take ?? 100);
}

/** A player's leaderboard setting: their nickname when they opted in, else null. */
export async function getLeaderboardEntry(db: Db, options: { userId: string }): Promise<{ nickname: string } | null> {
  return db.leaderboardEntry.findUnique({ where: { userId: options.userId }, select: { nickname: true } });
}

/**
 * Opts `userId` in under `nickname` (already validated by nicknameSchema), or changes their nickname. Throws
 * CruxError CONFLICT when another player has it.
 */
export async function joinLeaderboard(db: Db, options: { userId: string; nickname: string }): Promise<void> {
  const data = { nickname: options.nickname, nicknameKey: nicknameKey(options.nickname) };
  try {
    await db.leaderboardEntry.upsert({
      where: { userId: options.userId },
      create: { userId: options.userId, ...data },
      update: data,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new CruxError("CONFLICT", NICKNAME_TAKEN);
    throw error;
  }
}

/** Opts `userId` out: their entry (and nickname) is deleted. Nothing happens when they were not in. */
export async function leaveLeaderboard(db: Db, options: { userId: string }): Promise<void> {
  await db.leaderboardEntry.deleteMany({ where: { userId: options.userId } });
}
