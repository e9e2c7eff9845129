import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearResultsCache, getHeadlineComparison } from "../../lib/analysis/headline";
import { closeResamplePool, resamplePoolStats } from "../../lib/analysis/resample-pool";
import { NO_FILTERS } from "../../lib/analysis/results-schema";
import { createDb, type Db } from "../../lib/db/client";
import { Prisma } from "../../lib/db/generated/client";
import { studyVerdictInsert } from "../../lib/matches/study-verdicts";
import { authCallback, CookieJar } from "../support/auth";
import { connectJudge, createGuestMatch, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createSyntheticSet } from "../support/studies";

/**
 * The results' resampling runs in worker threads: a results request computing the headline does not stall a live
 * match's stream, aborting the request terminates the worker's job, and the numbers are those of the in-process
 * computation.
 */

const JUDGES = 40;
const VERDICTS = 6000;
const CONDITIONS = ["debate", "consultancy", "naive"] as const;

/** A launched study with VERDICTS analysed verdicts by JUDGES judges over three conditions, written in bulk. */
async function seedStudy(db: Db, ownerId: string): Promise<string> {
  await createSyntheticSet(db, { source: "off-loop", stories: 10, perStory: 5 });
  const { studyId, version } = await createLaunchedStudy(db, ownerId, {
    name: "Off the event loop",
    questions: { source: "off-loop", count: 50, seed: 1 },
    conditions: CONDITIONS.map((name) => ({ name, protocol: name })),
  });
  const questions = await db.question.findMany({ where: { source: "off-loop" }, orderBy: { externalId: "asc" } });
  await db.user.createMany({
    data: Array.from({ length: JUDGES }, (_, j) => ({ id: `off-loop-judge-${j}`, email: `judge-${j}@off-loop.test` })),
  });
  const matches = Array.from({ length: VERDICTS }, (_, i) => {
    const question = questions[i % questions.length];
    if (!question) throw new Error("no questions");
    const condition = CONDITIONS[i % 3] as (typeof CONDITIONS)[number];
    return {
      id: `off-loop-match-${i}`,
      questionId: question.id,
      gold: question.gold,
      protocol: condition,
      config: {},
      debaters: [],
      judgeId: `off-loop-judge-${(i * 7) % JUDGES}`,
      status: "complete",
      studyId,
      studyVersionId: version.id,
      condition,
      configHash: "fixture",
      endedAt: new Date("2026-03-10T12:00:00Z"),
    };
  });
  await db.match.createMany({ data: matches.map(({ gold: _, ...m }) => m) });
  await db.verdict.createMany({
    data: matches.map((m, i) => {
      // Accuracy 0.75 / 0.65 / 0.55 by condition, deterministic.
      const right = (i * 2654435761) % 100 < 75 - 10 * (i % 3);
      const chosen = right ? m.gold : 1 - m.gold;
      return {
        matchId: m.id,
        probabilities: chosen === 0 ? [0.8, 0.2] : [0.2, 0.8],
        chosen,
        correct: right,
        score: Math.log(right ? 0.8 : 0.2),
        rounds: 1,
        timeTakenMs: 1000,
      };
    }),
  });
  await db.$executeRaw(studyVerdictInsert(Prisma.sql`m."studyId" = ${studyId}`));
  return studyId;
}

describe("results resampling off the event loop", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";
  let cookie = "";
  let guestMatch = { matchId: "", cookie: "" };

  beforeAll(async () => {
    server = await startServer({ env: { CRUX_LOG: "debug", CRUX_OFFLINE_WORD_DELAY_MS: "15" } });
    db = createDb(server.databaseUrl);
    const jar = new CookieJar();
    const email = `researcher-${Date.now()}@off-loop.test`;
    const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
    if (!result.ok) throw new Error(`could not sign up: ${result.location}`);
    const owner = await db.user.update({ where: { email }, data: { role: "researcher" } });
    cookie = jar.header();
    // Created before the bulk seeding: a keep-alive connection left idle across it can be closed under the request.
    guestMatch = await createGuestMatch(server.url);
    studyId = await seedStudy(db, owner.id);
  }, 120_000);
  afterAll(async () => {
    await closeResamplePool();
    await db?.$disconnect();
    await server?.stop();
  });

  const headlineUrl = (replicates: number) =>
    `${server.url}/api/studies/${studyId}/results?part=headline&replicates=${replicates}`;

  it("streams a live match while the headline is computed, with the in-process numbers", async () => {
    const { matchId, cookie: guest } = guestMatch;
    const judge = await connectJudge(server.url, guest);
    const chunks: number[] = [];
    judge.socket.on("turn:delta", () => chunks.push(performance.now()));
    expect((await request(judge, "match:join", { matchId })).ok).toBe(true);
    await new Promise<void>((resolve) => judge.socket.once("turn:delta", () => resolve()));

    const started = performance.now();
    const response = await fetch(headlineUrl(20_000), { headers: { cookie } });
    const finished = performance.now();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Awaited<ReturnType<typeof getHeadlineComparison>>;
    judge.socket.disconnect();

    // Chunks kept arriving while the server computed: some arrived strictly between the request and its answer,
    // and no gap between them came near the computation's length.
    const during = chunks.filter((t) => t > started && t < finished);
    expect(body.differences.length).toBe(2);
    expect(body.seconds).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    const gaps = during.slice(1).map((t, i) => t - (during[i] as number));
    expect(Math.max(0, ...gaps)).toBeLessThan(Math.max(500, (finished - started) / 2));

    // The same numbers as the in-process computation on the same database.
    clearResultsCache();
    const local = await getHeadlineComparison(db, studyId, NO_FILTERS, { replicates: 20_000 });
    expect(body.differences).toEqual(local.differences);
    expect(resamplePoolStats().completed).toBeGreaterThan(0);
    // The server's route (Next's bundle, another module graph than the server's client) read its rows in the worker.
    expect(server.output()).toMatch(/resampling job \d+ started \(differences, its rows read in the worker\)/);
  }, 180_000);

  it("terminates the worker's job when the request is aborted", async () => {
    const count = (pattern: RegExp) => server.output().match(pattern)?.length ?? 0;
    const started = count(/resampling job \d+ started/g);
    const controller = new AbortController();
    const pending = fetch(headlineUrl(19_999), { headers: { cookie }, signal: controller.signal });
    // Abort once the server has started resampling for this request (its debug log says so).
    await waitFor(() => count(/resampling job \d+ started/g) > started);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => /resampling job \d+ cancelled \(worker terminated\)/.test(server.output()));
    // The server still answers the next request (a new worker starts) with a complete result.
    const response = await fetch(headlineUrl(100), { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { differences: unknown[] }).differences).toHaveLength(2);
  }, 180_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
