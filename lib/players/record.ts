import type { Db } from "../db/client";
import { PROTOCOLS } from "../debate/vocabulary";
import { type PlayedGame, type RecordStats, statsByFormat, summarizeGames } from "./stats";

/**
 * Which matches may be a player's games: free play (no study) that they judged to a verdict. Select `config` too and
 * keep those {@link countsAsGame} accepts (a JSON field, filtered here alike on SQLite and PostgreSQL).
 */
export function playedGamesWhere(judgeId?: string | { in: string[] }) {
  return { judgeId, studyId: null, verdict: { isNot: null } } as const;
}

/** The tutorial game (lib/play) teaches the page and is no test of the player: it stays out of records and rankings. */
export function countsAsGame(match: { config: unknown }): boolean {
  const config = match.config;
  return !(typeof config === "object" && config !== null && (config as { tutorial?: unknown }).tutorial === true);
}

/** A player's record: overall and per format, and their games newest first (each reopens its reveal). */
export interface PlayerRecord {
  overall: RecordStats;
  byFormat: { protocol: string; stats: RecordStats }[];
  games: PlayedGame[];
}

/** The record of `userId` (a guest or an account): every free-play game they judged to a verdict
 * except the tutorial. */
export async function getPlayerRecord(db: Db, options: { userId: string }): Promise<PlayerRecord> {
  const rows = await db.match.findMany({
    where: playedGamesWhere(options.userId),
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      protocol: true,
      config: true,
      createdAt: true,
      question: { select: { text: true, gold: true } },
      verdict: { select: { correct: true, score: true, probabilities: true, createdAt: true } },
    },
  });
  const games = rows.flatMap((row): PlayedGame[] =>
    row.verdict && countsAsGame(row)
      ? [
          {
            matchId: row.id,
            protocol: row.protocol,
            question: row.question.text,
            playedAt: row.verdict.createdAt,
            correct: row.verdict.correct,
            score: row.verdict.score,
            probabilities: row.verdict.probabilities as number[],
            gold: row.question.gold,
          },
        ]
      : [],
  );
  return { overall: summarizeGames(games), byFormat: statsByFormat(games, PROTOCOLS), games };
}
