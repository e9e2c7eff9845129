import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUserBySessionToken } from "../../lib/auth/guest";
import { createDb, type Db } from "../../lib/db/client";
import type { MatchView } from "../../lib/debate/view";
import type { Protocol } from "../../lib/debate/vocabulary";
import { createDebateMatch } from "../../lib/matches/create";
import { connectJudge, createGuestMatch, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/** Every protocol played to a verdict over real sockets, plus time limits, observers and a server restart. */
describe("protocols, timers, observers and restarts", () => {
  let server: RunningServer;
  let db: Db;

  beforeAll(async () => {
    server = await startServer();
    db = createDb(server.databaseUrl);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  async function newMatch(protocol: Protocol) {
    const response = await fetch(`${server.url}/api/matches`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ protocol }),
    });
    expect(response.status).toBe(201);
    const { matchId } = (await response.json()) as { matchId: string };
    const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
    const judge = await connectJudge(server.url, cookie);
    const joined = await request(judge, "match:join", { matchId });
    if (!joined.ok) throw new Error(joined.error.message);
    return { matchId, cookie, judge, view: joined.data };
  }

  async function secrets(matchId: string) {
    const match = await db.match.findUniqueOrThrow({
      where: { id: matchId },
      include: { question: { include: { passage: true } } },
    });
    return { passage: match.question.passage?.text ?? "", gold: match.question.gold };
  }

  it.each<[Protocol, number]>([
    ["debate", 2],
    ["interactive", 2],
    ["consultancy", 1],
    ["naive", 0],
    ["expert", 0],
  ])("plays %s to a verdict without leaking the answer (%i speakers)", async (protocol, speakers) => {
    const { matchId, judge, view: first } = await newMatch(protocol);
    expect(first.protocol).toBe(protocol);
    expect(first.debaters).toHaveLength(speakers);
    const rounds = first.rounds;
    expect(rounds).toBe(speakers ? 3 : 1);

    let view: MatchView = first;
    let before = "";
    for (let round = 1; round <= rounds; round++) {
      view = await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === round);
      expect(view.turns).toHaveLength(round * speakers);
      const last = round === rounds;
      const asking = view.judgeMayAsk && !last;
      // Everything the judge received before the verdict.
      if (last) before = judge.received.join("\n");
      const ack = await request(judge, "judge:step", {
        matchId,
        round,
        probabilities: [0.35, 0.65],
        action: last ? "end" : "continue",
        ...(asking ? { question: `What happens in round ${round}?` } : {}),
      });
      if (!ack.ok) throw new Error(ack.error.message);
      view = ack.data;
    }
    expect(view.phase.kind).toBe("complete");
    expect(view.reveal?.verdict?.chosen).toBe(1);

    const { passage, gold } = await secrets(matchId);
    expect(before.length).toBeGreaterThan(100);
    expect(before).not.toMatch(/"(gold|correct)":/);
    if (protocol === "expert") {
      expect(first.passage?.text).toBe(passage);
    } else if (passage) {
      expect(before).not.toContain(passage.slice(0, 400));
      expect(first.passage).toBeNull();
    }
    expect(view.reveal?.gold).toBe(gold);
    if (view.judgeMayAsk) {
      expect(view.judgeQuestions.map((q) => q.text)).toEqual(["What happens in round 1?", "What happens in round 2?"]);
      // Every speaker's next turn addresses the question asked after the previous round.
      for (const turn of view.turns.filter((t) => t.round > 1)) {
        expect(turn.text).toContain(`You asked: "What happens in round ${turn.round - 1}?"`);
      }
    }
    if (protocol === "consultancy") {
      const stored = await db.match.findUniqueOrThrow({ where: { id: matchId } });
      const [consultant] = stored.debaters as { option: number; honest: boolean }[];
      expect(consultant?.honest).toBe(consultant?.option === gold);
      expect(JSON.stringify(first)).not.toContain("honest");
    }
    judge.socket.disconnect();
  });

  it("refuses a question where the protocol takes none, and with a verdict", async () => {
    const { matchId, judge } = await newMatch("debate");
    await waitForView(judge, (v) => v.phase.kind === "judge");
    const step = { matchId, round: 1, probabilities: [0.4, 0.6], question: "Why?" };
    const withContinue = await request(judge, "judge:step", { ...step, action: "continue" });
    expect(withContinue).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const withEnd = await request(judge, "judge:step", { ...step, action: "end" });
    expect(withEnd).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    judge.socket.disconnect();
  });

  // The timeout rules (carried probabilities, a verdict or an abandon after the last round, deadlines counted from
  // the last move) are unit-tested with fake timers in lib/matches/runner.test.ts. Here: the server enforces the
  // limit by itself and tells the judge, with the shortest limit a match may have, waiting for the event.
  it("ends a judge's step when the time runs out and tells the judge, without anyone acting", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const user = await getUserBySessionToken(db, decodeURIComponent(cookie.split("=")[1] ?? ""));
    if (!user) throw new Error("no guest user");
    const timed = await createDebateMatch(db, { judgeId: user.id, config: { rounds: 1, judgeTimeLimitMs: 1_000 } });
    const judge = await connectJudge(server.url, cookie);
    await request(judge, "match:join", { matchId: timed.id });
    const judging = await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1);
    expect(judging.deadline).toEqual(expect.any(Number));
    // No probabilities were given: the uniform judgement carried to the end has no answer, so the match is
    // abandoned — nothing hangs.
    const abandoned = await waitForView(judge, (v) => v.status === "abandoned");
    expect(abandoned.judgeSteps.map((s) => s.action)).toEqual(["timeout"]);
    expect(abandoned.judgeSteps[0]?.probabilities).toEqual([0.5, 0.5]);
    expect(abandoned.turns).toHaveLength(2);
    expect(abandoned.error).toMatch(/ran out of time/);
    judge.socket.disconnect();
  });

  it("submits the judge's slider (the last judge:draft) as the verdict when the time runs out", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const user = await getUserBySessionToken(db, decodeURIComponent(cookie.split("=")[1] ?? ""));
    if (!user) throw new Error("no guest user");
    // Long enough for two drafts to arrive on a loaded machine; the test waits for the timeout's view, not the clock.
    const timed = await createDebateMatch(db, { judgeId: user.id, config: { rounds: 1, judgeTimeLimitMs: 5_000 } });
    const judge = await connectJudge(server.url, cookie);
    await request(judge, "match:join", { matchId: timed.id });
    await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1);
    const bad = await request(judge, "judge:draft", { matchId: timed.id, round: 1, probabilities: [0.9, 0.9] });
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const first = await request(judge, "judge:draft", { matchId: timed.id, round: 1, probabilities: [0.4, 0.6] });
    expect(first).toEqual({ ok: true, data: { round: 1 } });
    const last = await request(judge, "judge:draft", { matchId: timed.id, round: 1, probabilities: [0.25, 0.75] });
    expect(last).toEqual({ ok: true, data: { round: 1 } });
    const done = await waitForView(judge, (v) => v.status !== "running");
    expect(done.status).toBe("complete");
    expect(done.judgeSteps).toEqual([
      expect.objectContaining({ round: 1, action: "timeout", probabilities: [0.25, 0.75] }),
    ]);
    expect(done.reveal?.verdict).toMatchObject({ probabilities: [0.25, 0.75], chosen: 1 });
    const stored = await db.judgeStep.findMany({ where: { matchId: timed.id } });
    expect(stored.map((s) => [s.action, s.probabilities, s.message])).toEqual([
      ["timeout", [0.25, 0.75], expect.stringMatching(/slider/)],
    ]);
    const verdict = await db.verdict.findUniqueOrThrow({ where: { matchId: timed.id } });
    expect(verdict.probabilities).toEqual([0.25, 0.75]);
    judge.socket.disconnect();
  });

  it("records one verdict when the same verdict is sent twice back to back, and acks both", async () => {
    const { matchId, judge } = await newMatch("debate");
    const judging = await waitForView(judge, (v) => v.phase.kind === "judge");
    const round = judging.phase.kind === "judge" ? judging.phase.round : 1;
    const step = { matchId, round, probabilities: [0.3, 0.7], action: "end" };
    const [first, second] = await Promise.all([request(judge, "judge:step", step), request(judge, "judge:step", step)]);
    expect(first).toMatchObject({ ok: true, data: { status: "complete" } });
    expect(second).toMatchObject({ ok: true, data: { status: "complete" } });
    expect(await db.verdict.count({ where: { matchId } })).toBe(1);
    expect(await db.judgeStep.count({ where: { matchId } })).toBe(1);
    judge.socket.disconnect();
  });

  it("lets a researcher watch a live match with the story and answer, read-only", async () => {
    const { matchId, judge } = await newMatch("debate");
    const researcher = await signInAs(db, "researcher");
    const observer = await connectJudge(server.url, researcher);
    const watched = await request(observer, "match:observe", { matchId });
    if (!watched.ok) throw new Error(watched.error.message);
    expect(watched.data.role).toBe("observer");
    const { passage, gold } = await secrets(matchId);
    expect(watched.data.reveal?.gold).toBe(gold);
    expect(watched.data.passage?.text).toBe(passage);
    // Observers see the live stream too, and cannot act.
    await waitForView(observer, (v) => v.turns.length >= 2);
    const act = await request(observer, "judge:step", { matchId, round: 1, probabilities: [0.5, 0.5], action: "end" });
    expect(act).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // The judge cannot observe (that would show the answer).
    const peek = await request(judge, "match:observe", { matchId });
    expect(peek).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(judge.received.join("\n")).not.toContain(passage.slice(0, 400));
    observer.socket.disconnect();
    judge.socket.disconnect();
  });

  it("refuses a researcher the observer's view of a match they judge until it is settled (socket and page)", async () => {
    const cookie = await signInAs(db, "researcher");
    const created = await fetch(`${server.url}/api/matches`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ protocol: "naive" }),
    });
    expect(created.status).toBe(201);
    const { matchId } = (await created.json()) as { matchId: string };
    const { passage, gold } = await secrets(matchId);
    const judge = await connectJudge(server.url, cookie);
    const joined = await request(judge, "match:join", { matchId });
    if (!joined.ok) throw new Error(joined.error.message);

    const peek = await request(judge, "match:observe", { matchId });
    expect(peek).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN", message: expect.stringMatching(/judging this match/) },
    });
    const page = await fetch(`${server.url}/observe/${matchId}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("You cannot watch this match");
    expect(html).not.toContain(passage.slice(0, 200));
    expect(judge.received.join("\n")).not.toContain(passage.slice(0, 200));

    // Once the verdict is in, the match is theirs to review like any other.
    const view =
      joined.data.phase.kind === "judge" ? joined.data : await waitForView(judge, (v) => v.phase.kind === "judge");
    if (view.phase.kind !== "judge") throw new Error("not the judge's turn");
    const verdict = await request(judge, "judge:step", {
      matchId,
      round: view.phase.round,
      probabilities: [0.5, 0.5].map((_, i) => (i === gold ? 0.8 : 0.2)),
      action: "end",
    });
    if (!verdict.ok) throw new Error(verdict.error.message);
    const watched = await request(judge, "match:observe", { matchId });
    if (!watched.ok) throw new Error(watched.error.message);
    expect(watched.data.reveal?.gold).toBe(gold);
    const after = await (await fetch(`${server.url}/observe/${matchId}`, { headers: { cookie } })).text();
    expect(after).not.toContain("You cannot watch this match");
    judge.socket.disconnect();
  });

  // Two servers start within this test: on a busy machine that alone can take most of a minute.
  it("resumes a match after the server is killed mid-turn, redoing the interrupted turn without duplicates", async () => {
    const slow = await startServer({ env: { CRUX_OFFLINE_WORD_DELAY_MS: "40" } });
    try {
      const { matchId, cookie } = await createGuestMatch(slow.url);
      const judge = await connectJudge(slow.url, cookie);
      await request(judge, "match:join", { matchId });
      // Wait until round 1's turns are stored and a round-2 turn is streaming, then kill the server hard.
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1);
      await request(judge, "judge:step", { matchId, round: 1, probabilities: [0.5, 0.5], action: "continue" });
      await waitUntil(() => judge.received.filter((line) => line.includes('"round":2,"speaker"')).length > 10);
      judge.socket.disconnect();
      await slow.stop("SIGKILL");

      const restarted = await startServer({ dir: slow.dir, env: { CRUX_OFFLINE_WORD_DELAY_MS: "1" } });
      try {
        const again = await connectJudge(restarted.url, cookie);
        const joined = await request(again, "match:join", { matchId });
        if (!joined.ok) throw new Error(joined.error.message);
        expect(joined.data.turns.filter((t) => t.round === 1)).toHaveLength(2);
        const judging = await waitForView(again, (v) => v.phase.kind === "judge" && v.phase.round === 2);
        expect(judging.turns).toHaveLength(4);
        const finish = await request(again, "judge:step", {
          matchId,
          round: 2,
          probabilities: [0.3, 0.7],
          action: "end",
        });
        expect(finish.ok).toBe(true);
        const check = createDb(restarted.databaseUrl);
        const turns = await check.turn.findMany({ where: { matchId } });
        expect(turns).toHaveLength(4);
        expect(new Set(turns.map((t) => `${t.round}${t.speaker}`)).size).toBe(4);
        await check.$disconnect();
        again.socket.disconnect();
      } finally {
        await restarted.stop();
      }
    } finally {
      await slow.stop();
    }
  }, 120_000);
});

/** Polls until `condition` holds (for streamed chunks, which arrive as events rather than views). */
async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A signed-in user of the given role, created directly in the database (a fixture, not a UI flow). */
async function signInAs(db: Db, role: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.user.create({
    data: {
      role,
      email: `${role}-${token.slice(0, 8)}@example.test`,
      sessions: {
        create: {
          sessionToken: createHash("sha256").update(token).digest("hex"),
          expires: new Date(Date.now() + 3_600_000),
        },
      },
    },
  });
  return `crux_session=${token}`;
}
