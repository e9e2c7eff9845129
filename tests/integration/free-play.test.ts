import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { callAction, formData, listServerActions, type ServerAction } from "../support/actions";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createResearcher } from "../support/studies";

/**
 * Free play against the real server (`POST /api/matches` and the home page's Play action): it never serves a
 * question — nor a story — that a launched study uses, whether drawn at random or asked for by id; and a start is
 * idempotent by its request key: the same key, even sent twice at once, gives the same match.
 */

/** How many of the shipped QuALITY stories the study below leaves to free play. */
const FREE_STORIES = 4;
const STARTS = 30;

let server: RunningServer;
let db: Db;
let play: ServerAction;
/** Questions on the stories the study uses (its own and their siblings), and those left for free play. */
let reserved: Set<string>;
let studyQuestionId: string;
let siblingQuestionId: string;
let freeQuestionId: string;

beforeAll(async () => {
  // Generous limits: this file starts many matches from one client; the limits have their own test.
  server = await startServer({ env: { CRUX_MATCH_STARTS_PER_USER: "1000", CRUX_MATCH_STARTS_PER_IP: "1000" } });
  db = createDb(server.databaseUrl);
  const found = listServerActions().find((action) => action.name === "app/actions.ts#startGameAction");
  if (!found) throw new Error("the build has no Play action");
  play = found;

  // A study over one question of every story but a few: free play keeps only those few stories.
  const passages = await db.passage.findMany({
    where: { source: "quality" },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const studied = passages.slice(FREE_STORIES);
  const firsts = await Promise.all(
    studied.map((p) =>
      db.question.findFirstOrThrow({
        where: { passageId: p.id },
        orderBy: { id: "asc" },
        select: { id: true, externalId: true },
      }),
    ),
  );
  const owner = await createResearcher(db);
  await createLaunchedStudy(db, owner.id, {
    name: "reserved questions",
    questions: { source: "quality", ids: firsts.map((q) => q.externalId) },
    conditions: [{ name: "naive", protocol: "naive" }],
    judgmentsPerQuestion: 1,
    questionsPerJudge: 1,
  });
  const onStudied = await db.question.findMany({
    where: { passageId: { in: studied.map((p) => p.id) } },
    select: { id: true },
  });
  reserved = new Set(onStudied.map((q) => q.id));
  studyQuestionId = firsts[0]?.id ?? "";
  siblingQuestionId = onStudied.find((q) => q.id !== studyQuestionId && !firsts.some((f) => f.id === q.id))?.id ?? "";
  const free = await db.question.findFirstOrThrow({
    where: { source: "quality", passageId: { in: passages.slice(0, FREE_STORIES).map((p) => p.id) } },
    select: { id: true },
  });
  freeQuestionId = free.id;
  expect(siblingQuestionId).not.toBe("");
}, 180_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

/** POST /api/matches with `body`, as `cookie` (none: a new guest). */
async function startByApi(body: Record<string, unknown>, cookie = "") {
  const response = await fetch(`${server.url}/api/matches`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { matchId?: string; code?: string; message?: string };
  const session = response.headers
    .getSetCookie()
    .find((line) => line.startsWith("crux_session="))
    ?.split(";")[0];
  return { status: response.status, body: json, cookie: session ?? cookie };
}

async function questionOf(matchId: string): Promise<string> {
  return (await db.match.findUniqueOrThrow({ where: { id: matchId }, select: { questionId: true } })).questionId;
}

describe("free play and launched studies", () => {
  it("never draws a question on a story that a launched study uses", async () => {
    let cookie = "";
    const served: string[] = [];
    for (let i = 0; i < STARTS; i++) {
      // Each format, in turn: a no-help match would reveal the answer at once.
      const protocol = (["debate", "consultancy", "naive"] as const)[i % 3];
      const started = await startByApi({ protocol }, cookie);
      expect(started.status, server.output().slice(-3000)).toBe(201);
      cookie = started.cookie;
      served.push(await questionOf(started.body.matchId ?? ""));
    }
    expect(served.filter((id) => reserved.has(id))).toEqual([]);
    // With only a few stories left, the draws still vary.
    expect(new Set(served).size).toBeGreaterThan(1);
  }, 120_000);

  it("refuses a study's question, or another on its story, asked for by id — as it would an unknown id", async () => {
    for (const questionId of [studyQuestionId, siblingQuestionId, "no-such-question"]) {
      const refused = await startByApi({ questionId });
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ code: "NOT_FOUND", message: `No question with id ${questionId}.` });
    }
    const allowed = await startByApi({ questionId: freeQuestionId });
    expect(allowed.status).toBe(201);
    expect(await questionOf(allowed.body.matchId ?? "")).toBe(freeQuestionId);
  });
});

describe("quick play", () => {
  it("serves questions the player has not judged, in formats drawn among debate, consultancy and no help", async () => {
    let cookie = "";
    const matches = [];
    for (let i = 0; i < STARTS; i++) {
      const started = await startByApi({ quick: true }, cookie);
      expect(started.status, started.body.message).toBe(201);
      cookie = started.cookie;
      matches.push(
        await db.match.findUniqueOrThrow({
          where: { id: started.body.matchId ?? "" },
          select: { questionId: true, protocol: true, config: true },
        }),
      );
    }
    const questions = matches.map((m) => m.questionId);
    expect(new Set(questions).size).toBe(STARTS);
    expect(questions.filter((id) => reserved.has(id))).toEqual([]);
    // Every format comes up (missing one in 30 fair draws: about 1 in 65,000), and only those.
    expect(new Set(matches.map((m) => m.protocol))).toEqual(new Set(["debate", "consultancy", "naive"]));
    // The match says it was quick play, so the reveal can tell the player which format was drawn.
    for (const match of matches) expect(match.config).toMatchObject({ quickPlay: true, protocol: match.protocol });
    // A chosen format is not quick play.
    const chosen = await startByApi({ protocol: "debate" }, cookie);
    const config = (await db.match.findUniqueOrThrow({ where: { id: chosen.body.matchId ?? "" } })).config;
    expect(config).not.toHaveProperty("quickPlay");
  }, 120_000);

  it("is the home page's Quick play button", async () => {
    const guest = await startByApi({});
    const quick = await callAction(
      server.url,
      play,
      "/",
      [formData({ protocol: "expert", mode: "quick", requestKey: randomUUID() })],
      guest.cookie,
    );
    const matchId = quick.redirect?.replace("/match/", "") ?? "";
    const match = await db.match.findUniqueOrThrow({
      where: { id: matchId },
      select: { protocol: true, config: true },
    });
    expect(["debate", "consultancy", "naive"]).toContain(match.protocol);
    expect(match.config).toMatchObject({ quickPlay: true });
  });
});

describe("one request, one match", () => {
  it("gives the same match to two concurrent requests with one key, and a new one for a new key", async () => {
    const guest = await startByApi({});
    const requestKey = randomUUID();
    const [first, second] = await Promise.all([
      startByApi({ requestKey }, guest.cookie),
      startByApi({ requestKey }, guest.cookie),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.matchId).toBe(first.body.matchId);
    expect(await db.match.count({ where: { requestKey } })).toBe(1);
    // Repeated later, still the same match; a new key is a new match.
    expect((await startByApi({ requestKey }, guest.cookie)).body.matchId).toBe(first.body.matchId);
    const next = await startByApi({ requestKey: randomUUID() }, guest.cookie);
    expect(next.status).toBe(201);
    expect(next.body.matchId).not.toBe(first.body.matchId);
  });

  it("refuses another player's key instead of handing over their match", async () => {
    const owner = await startByApi({});
    const requestKey = randomUUID();
    const mine = await startByApi({ requestKey }, owner.cookie);
    expect(mine.status).toBe(201);
    const other = await startByApi({ requestKey });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("CONFLICT");
    expect(await db.match.count({ where: { requestKey } })).toBe(1);
  });

  it("redirects a repeated Play (same form, same key) to the match the first one made", async () => {
    const guest = await startByApi({});
    const requestKey = randomUUID();
    const form = () => formData({ protocol: "consultancy", requestKey });
    const [first, second] = await Promise.all([
      callAction(server.url, play, "/", [form()], guest.cookie),
      callAction(server.url, play, "/", [form()], guest.cookie),
    ]);
    expect(first.redirect).toMatch(/^\/match\//);
    expect(second.redirect).toBe(first.redirect);
    expect(await db.match.count({ where: { requestKey } })).toBe(1);
  });

  it("refuses a malformed key", async () => {
    const refused = await startByApi({ requestKey: "short" });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/requestKey/);
  });
});
