import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/client";
import type { Protocol } from "../../lib/debate/vocabulary";
import { createDebateMatch } from "../../lib/matches/create";
import {
  getLeaderboard,
  getLeaderboardEntry,
  joinLeaderboard,
  leaveLeaderboard,
  NICKNAME_TAKEN,
} from "../../lib/players/leaderboard";
import { getPlayerRecord } from "../../lib/players/record";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * The record and leaderboard queries on a real database: only free-play games judged to a verdict count (not study
 * matches, not unfinished ones), the leaderboard holds only players who opted in with enough games, by mean score,
 * and nicknames are unique whatever their case.
 */

const temp = tempDatabase("players");
const users: Record<"ada" | "bo" | "cy" | "guest", string> = { ada: "", bo: "", cy: "", guest: "" };
let questionId = "";
let gold = 0;
let day = 0;

/** A finished free-play game of `judgeId`: a verdict with `pCorrect` on the correct option. */
async function playGame(
  db: Db,
  judgeId: string,
  pCorrect: number,
  protocol: Protocol = "debate",
  study?: { studyId: string },
) {
  const match = await createDebateMatch(db, { questionId, judgeId, config: { protocol } });
  if (study) await db.match.update({ where: { id: match.id }, data: study });
  const probabilities = gold === 0 ? [pCorrect, 1 - pCorrect] : [1 - pCorrect, pCorrect];
  day += 1;
  await db.verdict.create({
    data: {
      matchId: match.id,
      probabilities,
      chosen: pCorrect > 0.5 ? gold : 1 - gold,
      correct: pCorrect > 0.5,
      score: 1 + Math.log2(pCorrect),
      rounds: 1,
      timeTakenMs: 1000,
      createdAt: new Date(Date.UTC(2026, 0, day)),
    },
  });
  await db.match.update({ where: { id: match.id }, data: { status: "complete" } });
  return match.id;
}

beforeAll(async () => {
  const db = temp.db();
  await createSyntheticSet(db, { source: "synthetic", stories: 1, perStory: 1 });
  const question = await db.question.findFirstOrThrow({ where: { source: "synthetic" } });
  questionId = question.id;
  gold = question.gold;
  for (const name of ["ada", "bo", "cy"] as const)
    users[name] = (await createResearcher(db, `${name}@example.test`)).id;
  users.guest = (await db.user.create({ data: { role: "guest" } })).id;
});

describe("the player's record", () => {
  it("counts free-play games with a verdict, overall and per format, newest first", async () => {
    const db = temp.db();
    const first = await playGame(db, users.ada, 0.8);
    await playGame(db, users.ada, 0.25, "consultancy");
    const last = await playGame(db, users.ada, 0.9);
    // Not games: an unfinished match, and a study match judged by the same person.
    await createDebateMatch(db, { questionId, judgeId: users.ada });
    const researcher = await createResearcher(db);
    const study = await createLaunchedStudy(db, researcher.id, {
      name: "Players",
      questions: { source: "synthetic", count: 1 },
      conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
    });
    await playGame(db, users.ada, 0.99, "debate", { studyId: study.studyId });

    const record = await getPlayerRecord(db, { userId: users.ada });
    expect(record.games.map((g) => g.matchId)).toEqual([last, expect.any(String), first]);
    expect(record.overall).toMatchObject({ games: 3, correct: 2, currentStreak: 1, bestStreak: 1 });
    expect(record.overall.meanScore).toBeCloseTo((3 + Math.log2(0.8 * 0.25 * 0.9)) / 3, 10);
    expect(record.byFormat.map((f) => [f.protocol, f.stats.games])).toEqual([
      ["debate", 2],
      ["consultancy", 1],
    ]);
    expect(record.overall.calibration.reduce((n, b) => n + b.count, 0)).toBe(3);
  });

  it("is empty for a player without games", async () => {
    const record = await getPlayerRecord(temp.db(), { userId: users.guest });
    expect(record.games).toEqual([]);
    expect(record.overall).toMatchObject({ games: 0, accuracy: null, meanScore: null });
  });
});

describe("the leaderboard", () => {
  it("ranks only opted-in players with enough games, by mean score, by nickname only", async () => {
    const db = temp.db();
    for (const p of [0.6, 0.6]) await playGame(db, users.bo, p);
    for (const p of [0.95, 0.95]) await playGame(db, users.cy, p);
    for (const p of [0.99, 0.99]) await playGame(db, users.guest, p);
    await joinLeaderboard(db, { userId: users.ada, nickname: "Ada L" });
    await joinLeaderboard(db, { userId: users.bo, nickname: "bo_judge" });
    await joinLeaderboard(db, { userId: users.guest, nickname: "Guest Star" });
    // Mean scores: guest 0.99, cy 0.93 (never opted in), bo 0.26, ada 0.18.
    const rows = await getLeaderboard(db, { minGames: 2 });
    expect(rows.map((r) => [r.rank, r.nickname, r.games])).toEqual([
      [1, "Guest Star", 2],
      [2, "bo_judge", 2],
      [3, "Ada L", 3],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/@example\.test/);
    expect((await getLeaderboard(db, { minGames: 3 })).map((r) => r.nickname)).toEqual(["Ada L"]);
  });

  it("keeps nicknames unique whatever their case, lets a player rename and leave", async () => {
    const db = temp.db();
    await expect(joinLeaderboard(db, { userId: users.cy, nickname: "ADA l" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: NICKNAME_TAKEN,
    });
    await joinLeaderboard(db, { userId: users.ada, nickname: "Ada Lovelace" });
    expect(await getLeaderboardEntry(db, { userId: users.ada })).toEqual({ nickname: "Ada Lovelace" });
    await joinLeaderboard(db, { userId: users.cy, nickname: "Ada L" });
    await leaveLeaderboard(db, { userId: users.ada });
    await leaveLeaderboard(db, { userId: users.ada });
    expect(await getLeaderboardEntry(db, { userId: users.ada })).toBeNull();
    expect((await getLeaderboard(db, { minGames: 2 })).map((r) => r.nickname)).toEqual([
      "Guest Star",
      "Ada L",
      "bo_judge",
    ]);
  });
});
