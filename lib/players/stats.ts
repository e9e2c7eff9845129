import { type ReliabilityBin, reliabilityDiagram } from "../analysis/calibration";

/**
 * A player's record and the leaderboard, computed from their games (pure: the queries in ./record.ts and
 * ./leaderboard.ts load the rows). A game is a free-play match the player judged to a verdict.
 */

/** One judged game, as the record needs it. */
export interface PlayedGame {
  matchId: string;
  protocol: string;
  question: string;
  playedAt: Date;
  correct: boolean;
  score: number;
  /** The verdict's probabilities and the correct option, for calibration. */
  probabilities: number[];
  gold: number;
}

/** Games, accuracy, mean score, streaks and calibration of a set of games. */
export interface RecordStats {
  games: number;
  correct: number;
  /** Share of games answered correctly; null without games. */
  accuracy: number | null;
  meanScore: number | null;
  /** Correct answers in a row up to the latest game. */
  currentStreak: number;
  bestStreak: number;
  /** Reliability bins of the chosen option's confidence (from 40%, where a 50/50 lands, to 100%). */
  calibration: ReliabilityBin[];
}

/** Summarises games given in any order (streaks follow the time they were played). */
export function summarizeGames(games: readonly PlayedGame[]): RecordStats {
  const ordered = [...games].sort((a, b) => a.playedAt.getTime() - b.playedAt.getTime());
  let current = 0;
  let best = 0;
  for (const game of ordered) {
    current = game.correct ? current + 1 : 0;
    best = Math.max(best, current);
  }
  const correct = games.filter((g) => g.correct).length;
  const total = games.reduce((sum, g) => sum + g.score, 0);
  const calibration = reliabilityDiagram(games.map((g) => ({ probabilities: g.probabilities, gold: g.gold }))).filter(
    (bin) => bin.lower >= 0.4 - 1e-9,
  );
  return {
    games: games.length,
    correct,
    accuracy: games.length > 0 ? correct / games.length : null,
    meanScore: games.length > 0 ? total / games.length : null,
    currentStreak: current,
    bestStreak: best,
    calibration,
  };
}

/** The record of each format played, most played first (ties in the order of `formats`). */
export function statsByFormat(
  games: readonly PlayedGame[],
  formats: readonly string[],
): { protocol: string; stats: RecordStats }[] {
  return formats
    .map((protocol) => ({ protocol, stats: summarizeGames(games.filter((g) => g.protocol === protocol)) }))
    .filter((entry) => entry.stats.games > 0)
    .sort((a, b) => b.stats.games - a.stats.games);
}

/** One judge's scored games for the leaderboard. */
export interface JudgeGames {
  userId: string;
  nickname: string;
  scores: { score: number; correct: boolean }[];
}

/** A row of the leaderboard. */
export interface LeaderboardRow {
  rank: number;
  userId: string;
  nickname: string;
  games: number;
  meanScore: number;
  accuracy: number;
}

/**
 * Ranks judges with at least `minGames` games by mean score (higher first; then more games, then nickname), with
 * shared ranks for equal mean scores (1, 2, 2, 4).
 */
export function rankJudges(judges: readonly JudgeGames[], minGames: number): LeaderboardRow[] {
  const rows = judges
    .filter((j) => j.scores.length >= minGames && j.scores.length > 0)
    .map((j) => ({
      userId: j.userId,
      nickname: j.nickname,
      games: j.scores.length,
      meanScore: j.scores.reduce((sum, s) => sum + s.score, 0) / j.scores.length,
      accuracy: j.scores.filter((s) => s.correct).length / j.scores.length,
    }))
    .sort((a, b) => b.meanScore - a.meanScore || b.games - a.games || a.nickname.localeCompare(b.nickname));
  return rows.map((row, i) => {
    const first = rows.findIndex((r) => r.meanScore === row.meanScore);
    return { rank: (first >= 0 ? first : i) + 1, ...row };
  });
}
