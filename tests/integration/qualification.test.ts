import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStudyResults } from "../../lib/analysis/results";
import { NO_FILTERS } from "../../lib/analysis/results-schema";
import { createDb, type Db } from "../../lib/db/client";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import { advanceParticipant, type ParticipantIntent } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { CookieJar, getPage } from "../support/auth";
import { connectJudge, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * Judge screening against the real server: qualification matches after the practice, played over socket.io as the
 * participant; one who meets the rule goes on to the study's matches, one who does not leaves with the
 * screened-out code, assigned nothing; the matches are never analysed and the results report the pass rate.
 */

const design: StudyConfigInput = {
  name: "Screened study",
  questions: { source: "quality", count: 4, seed: 5 },
  conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
  questionsPerJudge: 2,
  instructions: "Judge the debates.",
  qualification: { matches: 2, rule: "accuracy", threshold: 1 },
  completion: { codes: { screenedOut: "SCREENED-42" } },
};

describe("qualification (judge screening)", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";

  beforeAll(async () => {
    server = await startServer({ env: { CRUX_TRUST_PROXY: "1" } });
    db = createDb(server.databaseUrl);
    const ownerId = (await db.user.create({ data: { role: "researcher", email: `q-${Date.now()}@example.test` } })).id;
    studyId = (await createStudy(db, { ownerId, config: design })).id;
    await launchStudy(db, studyId);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  let clients = 0;
  async function join(pid: string) {
    const jar = new CookieJar();
    const response = await fetch(`${server.url}/join/${studyId}?PROLIFIC_PID=${pid}`, {
      redirect: "manual",
      headers: { "x-forwarded-for": `203.0.113.${++clients}` },
    });
    jar.absorb(response);
    expect(response.status).toBe(303);
    const me = await db.participant.findUniqueOrThrow({ where: { studyId_externalId: { studyId, externalId: pid } } });
    return { jar, me };
  }
  const advance = (userId: string, intent: ParticipantIntent) =>
    advanceParticipant(db, userId, studyId, intent, { endMatch: endMatchInDatabase(db) });
  const page = async (jar: CookieJar) => (await getPage(server.url, `/participate/${studyId}`, jar)).html;
  const qualificationMatches = (userId: string) =>
    db.match.findMany({
      where: { judgeId: userId, planKey: { startsWith: "qualification:" } },
      orderBy: { createdAt: "asc" },
      include: { question: { select: { gold: true } } },
    });

  /** Plays a match to its verdict as the participant, putting 0.9 on the right answer or on the wrong one. */
  async function play(matchId: string, cookie: string, right: boolean) {
    const match = await db.match.findUniqueOrThrow({ where: { id: matchId }, include: { question: true } });
    const judge = await connectJudge(server.url, cookie);
    try {
      const joined = await request(judge, "match:join", { matchId });
      if (!joined.ok) throw new Error(`match:join refused: ${joined.error.message}`);
      const view =
        joined.data.phase.kind === "judge" ? joined.data : await waitForView(judge, (v) => v.phase.kind === "judge");
      if (view.phase.kind !== "judge") throw new Error("not the judge's turn");
      const onGold = right ? 0.9 : 0.1;
      const probabilities = match.question.gold === 0 ? [onGold, 1 - onGold] : [1 - onGold, onGold];
      const final = await request(judge, "judge:step", {
        matchId,
        round: view.phase.round,
        probabilities,
        action: "end",
      });
      if (!final.ok) throw new Error(`verdict refused: ${final.error.message}`);
      expect(final.data.phase.kind).toBe("complete");
    } finally {
      judge.socket.disconnect();
    }
  }

  async function throughInstructions(userId: string) {
    await advance(userId, { step: "consent", agree: true });
    await advance(userId, { step: "instructions" });
  }

  it("tells participants the rule, runs the matches one at a time, and lets those who pass on to the study", async () => {
    const { jar, me } = await join("qualpass");
    await advance(me.userId, { step: "consent", agree: true });
    expect(await page(jar)).toContain("You judge 2 qualifying matches before the study&#x27;s matches");
    await advance(me.userId, { step: "instructions" });

    // No check and no practice: straight to the first qualifying match, on a question outside the pool.
    let html = await page(jar);
    expect(html).toContain("Qualifying match 1 of 2");
    expect(html).toContain("get at least 2 of 2 right");
    const [first] = await qualificationMatches(me.userId);
    if (!first) throw new Error("no qualification match started");
    expect(first).toMatchObject({ practice: true, planKey: "qualification:0", condition: "debate" });
    const version = await db.studyVersion.findFirstOrThrow({ where: { studyId } });
    const frozen = version.config as { questionIds: string[]; qualificationQuestionIds: string[] };
    expect(frozen.qualificationQuestionIds).toHaveLength(2);
    expect(frozen.questionIds).not.toContain(first.questionId);
    expect(html).toContain(`data-match-id="${first.id}"`);
    await expect(advance(me.userId, { step: "qualification" })).rejects.toThrow(/Finish this match first/);

    // A match abandoned on the way (the judge left) is run again on the same question.
    await endMatchInDatabase(db)(first.id, "The judge left.");
    expect(await page(jar)).toContain("Start the match");
    await advance(me.userId, { step: "qualification" });
    const rerun = (await qualificationMatches(me.userId))[1];
    expect(rerun).toMatchObject({ planKey: "qualification:0", questionId: first.questionId });
    expect(rerun?.id).not.toBe(first.id);

    await play(rerun?.id ?? "", jar.header(), true);
    await advance(me.userId, { step: "qualification" });
    html = await page(jar);
    expect(html).toContain("Qualifying match 2 of 2");
    const second = (await qualificationMatches(me.userId))[2];
    expect(second?.planKey).toBe("qualification:1");
    await play(second?.id ?? "", jar.header(), true);
    await advance(me.userId, { step: "qualification" });

    expect(await db.participant.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({
      stage: "matches",
      status: "active",
    });
    expect(await page(jar)).toContain("Match 1 of 2");
    expect(await db.slot.count({ where: { participantId: me.id, status: "assigned" } })).toBe(1);
  });

  it("sends those who miss the rule off with the screened-out code, assigned nothing and not analysed", async () => {
    const { jar, me } = await join("qualfail");
    await throughInstructions(me.userId);
    const [first] = await qualificationMatches(me.userId);
    await play(first?.id ?? "", jar.header(), true);
    await advance(me.userId, { step: "qualification" });
    const second = (await qualificationMatches(me.userId))[1];
    await play(second?.id ?? "", jar.header(), false);
    await advance(me.userId, { step: "qualification" });

    expect(await db.participant.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({
      stage: "done",
      status: "screened_out",
      completionCode: "SCREENED-42",
    });
    const html = await page(jar);
    expect(html).toContain("The qualifying matches did not reach the level this study needs");
    expect(html).toContain('data-testid="completion-code">SCREENED-42');
    expect(await db.slot.count({ where: { participantId: me.id } })).toBe(0);
    await expect(advance(me.userId, { step: "qualification" })).rejects.toThrow(/finished this study/);

    const results = await getStudyResults(db, studyId, NO_FILTERS);
    // Four qualification matches were judged (one pass: 2, one fail: 2) plus one abandoned: none is analysed.
    expect(results.verdicts).toBe(0);
    expect(results.excluded.practice).toBeGreaterThanOrEqual(4);
    expect(results.screening).toMatchObject({ n: 2, correct: 1, failed: 1, accuracy: 0.5 });
    expect(results.screening?.ci?.[0]).toBeLessThan(0.5);
    expect(results.screening?.ci?.[1]).toBeGreaterThan(0.5);
  });
});
