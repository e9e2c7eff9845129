import type { Db } from "../db/client";
import { PROTOCOLS } from "../debate/vocabulary";
import { type PlayedGame, type RecordStats, statsByFormat, summarizeGames } from "./stats";

/** Which matches are a player's games: free play (no study) that they judged to a verdict. */
export function playedGamesWhere(judgeId?: string | { in: string[] }) {
  return { judgeId, studyId: null, verdict: { isNot: null } } as const;
}

/** A player's record: overall and per format, and their games newest first (each reopens its reveal). */
export interface PlayerRecord {
  overall: RecordStats;
  byFormat: { protocol: string; stats: RecordStats }[];
  games: PlayedGame[];
}

/** The record of `userId` (a guest or an account): every free-play game they judged to a verdict. */
export async function getPlayerRecord(db: Db, options: { userId: string }): Promise<PlayerRecord> {
  const rows = await db.match.findMany({
    where: playedGamesWhere(options.userId),
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      protocol: true,
      createdAt: true,
      question: { select: { text: true, gold: true } },
      verdict: { select: { correct: true, score: true, probabilities: true, createdAt: true } },
    },
  });
  const games = rows.flatMap((row): PlayedGame[] =>
    row.verdict
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
