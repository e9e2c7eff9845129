import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudyResults } from "../../lib/analysis/results-schema";
import { createDb, type Db } from "../../lib/db/client";
import { accuracyCredit } from "../../lib/debate/scoring";
import { RECORDED_PLAY_DATASET } from "../../lib/matches/recorded";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { type RunningServer, startServer } from "../support/server";
import { completeStudy, createLaunchedStudy, joinByLink } from "../support/studies";

/**
 * People judging a study's recorded condition on the real server: participants arrive by the study link, are given
 * the recorded NYU debates of their slots and judge them over socket.io (stepped: they decide after the first round),
 * and the researcher's results API and page compare their accuracy with the original judges' on the same debates.
 */

describe("a recorded condition judged by participants", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";
  const researcher = new CookieJar();

  beforeAll(async () => {
    server = await startServer({
      env: { CRUX_TRUST_PROXY: "1", CRUX_SEED_DEBATES_ON_START: "1", CRUX_RECORDED_WORD_DELAY_MS: "1" },
    });
    db = createDb(server.databaseUrl);
    const email = `researcher-${Date.now()}@recorded.test`;
    const signed = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, researcher);
    if (!signed.ok) throw new Error(`could not sign up: ${signed.location}`);
    const owner = await db.user.update({ where: { email }, data: { role: "researcher" } });
    const launched = await createLaunchedStudy(db, owner.id, {
      name: "People judge NYU debates again",
      conditions: [
        {
          name: "replay",
          protocol: "recorded",
          source: { study: RECORDED_PLAY_DATASET, protocol: "interactive", tags: ["human-debate"], count: 4 },
        },
      ],
      judgmentsPerQuestion: 1,
      questionsPerJudge: 2,
    });
    studyId = launched.studyId;
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it("gives each participant recorded debates to judge, and compares them with the originals", async () => {
    // Participants arrive until every slot is judged (two of the debates may share a story, which no judge may meet
    // twice); the first is always right, the others always wrong.
    for (let index = 0; (await db.slot.count({ where: { status: "open", version: { studyId } } })) > 0; index++) {
      expect(index).toBeLessThan(4);
      const joined = await joinByLink(db, server.url, studyId, `?PROLIFIC_PID=recorded-${index}`, `10.9.0.${index}`);
      const right = index === 0;
      await completeStudy(db, server.url, joined, (gold) => (gold === (right ? 0 : 1) ? [0.8, 0.2] : [0.2, 0.8]));
    }

    const matches = await db.match.findMany({
      where: { studyId },
      select: { status: true, sourceMatchId: true, protocol: true, judgeId: true, verdict: true },
    });
    expect(matches).toHaveLength(4);
    expect(matches.every((m) => m.status === "complete" && m.protocol === "recorded" && m.sourceMatchId)).toBe(true);
    expect(new Set(matches.map((m) => m.sourceMatchId)).size).toBe(4);
    const originals = await db.verdict.findMany({
      where: { matchId: { in: matches.map((m) => m.sourceMatchId ?? "") } },
      select: { chosen: true, correct: true },
    });
    const original = originals.reduce((sum, v) => sum + accuracyCredit(v), 0) / 4;
    const fresh = matches.reduce((sum, m) => sum + (m.verdict ? accuracyCredit(m.verdict) : Number.NaN), 0) / 4;
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThan(1);

    const response = await fetch(`${server.url}/api/studies/${studyId}/results`, {
      headers: { cookie: researcher.header() },
    });
    expect(response.status).toBe(200);
    const results = (await response.json()) as StudyResults;
    // A recorded debate's seats are named per source debate: no debater table or ratings come of them.
    expect(results.debaters).toEqual([]);
    expect(results.ratings).toBeNull();
    expect(results.recorded).toHaveLength(1);
    const [comparison] = results.recorded;
    expect(comparison).toMatchObject({ condition: "replay", debates: 4, n: 4, unpaired: 0 });
    expect(comparison?.newJudges.accuracy).toBeCloseTo(fresh, 9);
    expect(comparison?.originalJudges.accuracy).toBeCloseTo(original, 9);
    expect(comparison?.difference.estimate).toBeCloseTo(fresh - original, 9);

    const page = await getPage(server.url, `/studies/${studyId}/results`, researcher);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Recorded debates judged again");
    expect(page.html).toMatch(/<th scope="row">replay<\/th>/);
  }, 120_000);
});
