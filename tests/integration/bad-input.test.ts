import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../lib/realtime/protocol";
import { callAction, formData, listServerActions } from "../support/actions";
import { connectJudge, createGuestMatch, type RecordingSocket, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/** Malformed, unauthorized and out-of-turn intents get error acks; the match and the server carry on. */
describe("bad input over socket.io and HTTP", () => {
  let server: RunningServer;
  let judge: RecordingSocket;
  let matchId: string;

  beforeAll(async () => {
    server = await startServer();
    const created = await createGuestMatch(server.url);
    matchId = created.matchId;
    judge = await connectJudge(server.url, created.cookie);
    expect((await request(judge, "match:join", { matchId })).ok).toBe(true);
  });
  afterAll(async () => {
    judge?.socket.disconnect();
    await server?.stop();
  });

  it.each([
    ["no payload", "match:join", undefined],
    ["a string", "match:join", "hello"],
    ["a number id", "match:join", { matchId: 42 }],
    ["an oversized id", "match:join", { matchId: "x".repeat(10_000) }],
    ["missing probabilities", "judge:step", { matchId: "m", round: 1, action: "end" }],
    ["probabilities out of range", "judge:step", { matchId: "m", round: 1, probabilities: [2, -1], action: "end" }],
    ["an unknown action", "judge:step", { matchId: "m", round: 1, probabilities: [0.5, 0.5], action: "explode" }],
    ["a fractional round", "judge:step", { matchId: "m", round: 1.5, probabilities: [0.5, 0.5], action: "end" }],
  ] as const)("rejects %s with BAD_REQUEST", async (_name, event, payload) => {
    const ack = await request(judge, event, payload);
    expect(ack).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });

  it("survives events without an ack callback and unknown events", async () => {
    const emit = judge.socket.emit as unknown as (event: string, ...args: unknown[]) => void;
    emit.call(judge.socket, "judge:step", { nonsense: true });
    emit.call(judge.socket, "no:such:event", { x: 1 });
    const ack = await request(judge, "match:join", { matchId });
    expect(ack.ok).toBe(true);
  });

  it("refuses intents out of turn and with bad probabilities, and carries on", async () => {
    // Before round 1 is over the judge cannot act, and can never act on a later round.
    const early = await request(judge, "judge:step", {
      matchId,
      round: 2,
      probabilities: [0.5, 0.5],
      action: "continue",
    });
    expect(early).toMatchObject({ ok: false, error: { code: "OUT_OF_TURN" } });

    await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1);
    const notSumming = await request(judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.5, 0.6],
      action: "continue",
    });
    expect(notSumming).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const tie = await request(judge, "judge:step", { matchId, round: 1, probabilities: [0.5, 0.5], action: "end" });
    expect(tie).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const threeOptions = await request(judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.2, 0.3, 0.5],
      action: "continue",
    });
    expect(threeOptions).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });

    const good = await request(judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.3, 0.7],
      action: "continue",
    });
    expect(good.ok).toBe(true);
    // The same intent again (a double click, a resend) is answered as recorded; a different one for that round is
    // out of turn. Either way nothing is recorded twice.
    const again = await request(judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.3, 0.7],
      action: "continue",
    });
    expect(again.ok).toBe(true);
    const changed = await request(judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.6, 0.4],
      action: "continue",
    });
    expect(changed).toMatchObject({ ok: false, error: { code: "OUT_OF_TURN" } });
    await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 2);
  });

  it("keeps other judges out of a match", async () => {
    const other = await createGuestMatch(server.url);
    const intruder = await connectJudge(server.url, other.cookie);
    const join = await request(intruder, "match:join", { matchId });
    expect(join).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const step = await request(intruder, "judge:step", { matchId, round: 1, probabilities: [0.9, 0.1], action: "end" });
    expect(step).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(intruder.received.some((line) => line.startsWith("match:view"))).toBe(false);
    const unknown = await request(intruder, "match:join", { matchId: "no-such-match" });
    expect(unknown).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    intruder.socket.disconnect();
  });

  it("refuses sockets without a session or with an old protocol version", async () => {
    for (const options of [{ auth: { v: PROTOCOL_VERSION } }, { auth: { v: 0 }, extraHeaders: { cookie: "x=y" } }]) {
      const socket = io(server.url, { ...options, transports: ["websocket"], forceNew: true, reconnection: false });
      const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
      expect(error.message).toMatch(/^(NOT_AUTHENTICATED|UNSUPPORTED_VERSION):/);
      socket.disconnect();
    }
  });

  it("answers bad HTTP bodies with 400 and a readable message", async () => {
    for (const body of ["{not json", JSON.stringify({ source: "nope" }), JSON.stringify({ extra: 1 })]) {
      const response = await fetch(`${server.url}/api/matches`, { method: "POST", body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message.length).toBeGreaterThan(3);
    }
  });

  it("sends a play form with a choice it does not offer back to the form with a message", async () => {
    const play = listServerActions().find((action) => action.name === "app/actions.ts#startGameAction");
    if (!play) throw new Error("the build has no startGameAction");
    const choices: Array<Record<string, string>> = [
      { protocol: "chess" },
      { protocol: "debate", debaters: "openai:gpt-9-unlimited" },
    ];
    for (const fields of choices) {
      const result = await callAction(server.url, play, "/", [formData(fields)], "");
      expect(result).toMatchObject({ outcome: "ok", redirect: "/?error=choice" });
    }
    const page = await fetch(`${server.url}/?error=choice`);
    expect(await page.text()).toContain("is not on offer here");
    // Anything else in the URL is not shown.
    expect(await (await fetch(`${server.url}/?error=%3Cb%3Ehi`)).text()).not.toContain("hi</b>");
  });

  it("is still serving after all of that", async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Play");
    expect(server.child.exitCode).toBeNull();
  });
});
