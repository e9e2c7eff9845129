import { describe, expect, it } from "vitest";
import { type PlayedGame, rankJudges, statsByFormat, summarizeGames } from "./stats";

let serial = 0;
function game(correct: boolean, score: number, protocol = "debate", p = 0.8): PlayedGame {
  serial += 1;
  return {
    matchId: `m${serial}`,
    protocol,
    question: "q",
    playedAt: new Date(Date.UTC(2026, 0, 1, 0, serial)),
    correct,
    score,
    probabilities: correct ? [p, 1 - p] : [1 - p, p],
    gold: 0,
  };
}

describe("summarizeGames", () => {
  it("counts games, accuracy, mean score and streaks in the order played", () => {
    const games = [game(true, 0.5), game(true, 0.7), game(false, -1), game(true, 0.2), game(true, 0.6)];
    // Given newest first, as the record lists them: streaks still follow the time played.
    const stats = summarizeGames([...games].reverse());
    expect(stats).toMatchObject({ games: 5, correct: 4, accuracy: 0.8, currentStreak: 2, bestStreak: 2 });
    expect(stats.meanScore).toBeCloseTo(0.2, 12);
  });

  it("bins calibration by the chosen option's confidence, from 40% up", () => {
    const stats = summarizeGames([game(true, 0.6, "debate", 0.8), game(false, -1, "debate", 0.8)]);
    expect(stats.calibration.map((b) => b.lower)).toEqual(
      [0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((x) => expect.closeTo(x, 9)),
    );
    const bin = stats.calibration.find((b) => b.count > 0);
    expect(bin).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(bin?.meanConfidence).toBeCloseTo(0.8, 12);
  });

  it("has no accuracy or mean without games", () => {
    expect(summarizeGames([])).toMatchObject({ games: 0, accuracy: null, meanScore: null, currentStreak: 0 });
  });
});

describe("statsByFormat", () => {
  it("summarises each format played, most played first", () => {
    const games = [game(true, 1, "naive"), game(true, 1, "debate"), game(false, 0, "debate")];
    expect(statsByFormat(games, ["debate", "consultancy", "naive"]).map((f) => [f.protocol, f.stats.games])).toEqual([
      ["debate", 2],
      ["naive", 1],
    ]);
  });
});

describe("rankJudges", () => {
  const judge = (nickname: string, scores: number[]) => ({
    userId: nickname,
    nickname,
    scores: scores.map((score) => ({ score, correct: score > 0 })),
  });

  it("ranks by mean score those with enough games, sharing ranks on equal means", () => {
    const rows = rankJudges(
      [judge("low", [0, 0]), judge("high", [1, 0.5]), judge("few", [1]), judge("tied", [0.5, 0.5, -0.5, 0.5])],
      2,
    );
    expect(rows.map((r) => [r.rank, r.nickname, r.games])).toEqual([
      [1, "high", 2],
      [2, "tied", 4],
      [3, "low", 2],
    ]);
    expect(rows[0]).toMatchObject({ meanScore: 0.75, accuracy: 1 });
    const tie = rankJudges([judge("a", [1]), judge("b", [1]), judge("c", [0])], 1);
    expect(tie.map((r) => r.rank)).toEqual([1, 1, 3]);
  });
});
