import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client";
import type { TurnDelta } from "../../lib/realtime/protocol";
import { connectJudge, createGuestMatch, type RecordingSocket, request, waitForView } from "../support/client";
import { type RunningRedis, startRedis } from "../support/redis";
import { type RunningServer, startServer } from "../support/server";

/**
 * Several app instances on one database and one Redis (docs/deploy.md): a judge connected to instance B plays a
 * match that instance A drives — B relays the judge's intents to A, A's broadcasts reach the judge through the
 * socket.io Redis adapter — until A is killed (SIGKILL) in the middle of a turn; B takes the match over when A's
 * lease lapses, redoes the interrupted turn and the judge finishes the match on B without reconnecting. Every turn
 * is stored exactly once. The database is a shared SQLite file (WAL), or PostgreSQL when CRUX_TEST_POSTGRES_URL
 * names a fresh database.
 */

const LEASE_TTL_MS = 2000;
const LEASE_RENEW_MS = 400;

/** Polls until `condition` holds. */
async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The chunks a client received, with when it received them. */
function recordDeltas(client: RecordingSocket): Array<TurnDelta & { at: number }> {
  const deltas: Array<TurnDelta & { at: number }> = [];
  client.socket.on("turn:delta", (delta) => deltas.push({ ...delta, at: Date.now() }));
  return deltas;
}

describe("two app instances", () => {
  let redis: RunningRedis;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    redis = await startRedis();
    const shared = {
      REDIS_URL: redis.url,
      CRUX_LEASE_TTL_MS: String(LEASE_TTL_MS),
      CRUX_LEASE_RENEW_MS: String(LEASE_RENEW_MS),
      // Slow enough that a turn is still streaming when A is killed.
      CRUX_OFFLINE_WORD_DELAY_MS: "30",
      CRUX_LOG: "info",
      ...(process.env.CRUX_TEST_POSTGRES_URL ? { DATABASE_URL: process.env.CRUX_TEST_POSTGRES_URL } : {}),
    };
    a = await startServer({ env: shared });
    // The same database: B is started on A's data directory (or the same PostgreSQL database).
    b = await startServer({ dir: a.dir, env: shared });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop("SIGKILL");
    await redis?.stop();
  });

  it("a judge on B plays a match driven by A; A is killed mid-turn; B finishes it, no turn lost or doubled", async () => {
    const databaseUrl = process.env.CRUX_TEST_POSTGRES_URL ?? a.databaseUrl;
    const { matchId, cookie } = await createGuestMatch(a.url);
    // The match starts on A (its first join), so A holds its lease and drives it.
    const first = await connectJudge(a.url, cookie);
    expect((await request(first, "match:join", { matchId })).ok).toBe(true);
    first.socket.disconnect();

    const judge = await connectJudge(b.url, cookie);
    const deltas = recordDeltas(judge);
    let disconnected = false;
    judge.socket.on("disconnect", () => {
      disconnected = true;
    });
    try {
      // Joining on B is relayed to A: the view comes with A's live turns; A's chunks reach B's socket.
      const joined = await request(judge, "match:join", { matchId });
      expect(joined).toMatchObject({ ok: true, data: { id: matchId, status: "running" } });
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1, 120_000);
      expect(deltas.some((d) => d.round === 1)).toBe(true);

      // A step sent to B is relayed to A, which stores it and streams round 2.
      const step = await request(judge, "judge:step", {
        matchId,
        round: 1,
        probabilities: [0.4, 0.6],
        action: "continue",
      });
      expect(step).toMatchObject({ ok: true, data: { judgeSteps: [{ round: 1 }] } });

      // Mid-turn in round 2: some of its chunks are in, the turn is not stored yet. A dies.
      await waitUntil(() => deltas.filter((d) => d.round === 2).length >= 5);
      a.child.kill("SIGKILL");
      const killedAt = Date.now();
      const before = deltas.length;

      // B takes the match over once A's lease lapses and redoes the interrupted turn: the judge sees a pause.
      await waitUntil(() => deltas.length > before, 30_000);
      const pause = (deltas[before]?.at ?? 0) - killedAt;
      expect(pause).toBeLessThan(LEASE_TTL_MS + 4 * LEASE_RENEW_MS + 3000);
      expect(b.output()).toMatch(new RegExp(`match ${matchId}: taken over`));

      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 2, 120_000);
      const second = await request(judge, "judge:step", {
        matchId,
        round: 2,
        probabilities: [0.4, 0.6],
        action: "continue",
      });
      expect(second.ok).toBe(true);
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 3, 120_000);
      const final = await request(judge, "judge:step", { matchId, round: 3, probabilities: [0.7, 0.3], action: "end" });
      expect(final).toMatchObject({ ok: true, data: { phase: { kind: "complete" } } });
      expect(disconnected).toBe(false);
      // No intent was refused on the way.
      expect(judge.received.filter((line) => line.startsWith("ack:") && line.includes('"ok":false'))).toEqual([]);

      // What the judge read is what was stored: six turns, each once.
      const db = createDb(databaseUrl);
      try {
        const stored = await db.match.findUniqueOrThrow({
          where: { id: matchId },
          include: { turns: true, judgeSteps: true },
        });
        expect(stored.status).toBe("complete");
        expect(stored.turns.map((t) => `${t.round}${t.speaker}`).sort()).toEqual(["1A", "1B", "2A", "2B", "3A", "3B"]);
        expect(stored.judgeSteps.map((s) => s.round).sort()).toEqual([1, 2, 3]);
        if (!final.ok) throw new Error("unreachable");
        const shown = new Map(final.data.turns.map((t) => [`${t.round}${t.speaker}`, t.text]));
        for (const turn of stored.turns) expect(shown.get(`${turn.round}${turn.speaker}`)).toBe(turn.text);
        // Settled: nobody holds its lease any more.
        expect(await db.matchLease.count({ where: { matchId } })).toBe(0);
      } finally {
        await db.$disconnect();
      }
    } finally {
      judge.socket.disconnect();
    }
  }, 240_000);

  it("an instance stopped with SIGTERM hands its matches over at once, not after its lease's TTL", async () => {
    // C's leases would last a minute: only its release on SIGTERM lets B take the match within seconds.
    const c = await startServer({
      dir: b.dir,
      env: {
        REDIS_URL: redis.url,
        CRUX_LEASE_TTL_MS: "60000",
        CRUX_LEASE_RENEW_MS: String(LEASE_RENEW_MS),
        CRUX_OFFLINE_WORD_DELAY_MS: "30",
        CRUX_LOG: "info",
        ...(process.env.CRUX_TEST_POSTGRES_URL ? { DATABASE_URL: process.env.CRUX_TEST_POSTGRES_URL } : {}),
      },
    });
    const { matchId, cookie } = await createGuestMatch(c.url);
    const first = await connectJudge(c.url, cookie);
    expect((await request(first, "match:join", { matchId })).ok).toBe(true);
    first.socket.disconnect();
    const judge = await connectJudge(b.url, cookie);
    const deltas = recordDeltas(judge);
    try {
      expect((await request(judge, "match:join", { matchId })).ok).toBe(true);
      await waitUntil(() => deltas.length >= 5);
      const stoppedAt = Date.now();
      await c.stop("SIGTERM");
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1, 120_000);
      expect(b.output()).toMatch(new RegExp(`match ${matchId}: taken over`));
      // Far less than C's lease TTL.
      expect(Date.now() - stoppedAt).toBeLessThan(30_000);
      const step = await request(judge, "judge:step", {
        matchId,
        round: 1,
        probabilities: [0.4, 0.6],
        action: "continue",
      });
      expect(step.ok).toBe(true);
    } finally {
      judge.socket.disconnect();
      await c.stop("SIGKILL");
    }
  }, 180_000);
});
