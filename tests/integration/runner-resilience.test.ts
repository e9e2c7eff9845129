import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client";
import { sqlitePath } from "../../lib/env";
import { runCrux } from "../support/cli";
import { connectJudge, createGuestMatch, type RecordingSocket, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * Nothing lost, nothing stalls: a match meets a busy database (a long import by the CLI, another connection
 * holding the write lock) and still completes with every turn; a restart skips a match whose row no longer parses
 * and resumes the others; a person's oldest unfinished play match gives way to a new one.
 */

const root = path.resolve(import.meta.dirname, "..", "..");
// The full NYU 2023 release when the shared data is there (../shared/data); the small fixture in a fresh clone.
const fullRelease = path.resolve(root, "..", "shared", "data", "nyu-debate-2023");
const nyu = fs.existsSync(fullRelease) ? fullRelease : path.resolve(root, "tests", "fixtures", "nyu-2023");

/** Plays a default (three-round) match to its verdict as its judge; resolves with the final view. */
async function playToEnd(judge: RecordingSocket, matchId: string) {
  const joined = await request(judge, "match:join", { matchId });
  if (!joined.ok) throw new Error(joined.error.message);
  for (const round of [1, 2]) {
    await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === round, 120_000);
    const step = await request(judge, "judge:step", { matchId, round, probabilities: [0.4, 0.6], action: "continue" });
    if (!step.ok) throw new Error(step.error.message);
  }
  await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 3, 120_000);
  const final = await request(judge, "judge:step", { matchId, round: 3, probabilities: [0.7, 0.3], action: "end" });
  if (!final.ok) throw new Error(final.error.message);
  return final.data;
}

/** Polls until `condition` resolves true. */
async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a busy database", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ env: { CRUX_LOG: "info", CRUX_OPEN_MATCHES_PER_USER: "2" } });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("a match completes, every turn stored, while another connection holds the write lock for a second, twice", async () => {
    const { matchId, cookie } = await createGuestMatch(server.url);
    const judge = await connectJudge(server.url, cookie);
    const joined = await request(judge, "match:join", { matchId });
    expect(joined.ok).toBe(true);
    const lock = new Database(sqlitePath(server.databaseUrl), { timeout: 10_000 });
    const holdLock = async () => {
      lock.exec("BEGIN IMMEDIATE");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      lock.exec("COMMIT");
    };
    try {
      // The judge's step meets the lock: its write waits (asynchronously) and succeeds once the lock is let go.
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1, 60_000);
      const held = holdLock();
      const began = Date.now();
      const step = await request(judge, "judge:step", {
        matchId,
        round: 1,
        probabilities: [0.4, 0.6],
        action: "continue",
      });
      await held;
      expect(step.ok).toBe(true);
      expect(Date.now() - began).toBeGreaterThanOrEqual(900);
      expect(server.output()).toMatch(/database busy \(attempt 1\), retrying/);

      // Round 2's turns stream while the lock is held.
      await waitUntil(() => judge.received.some((line) => line.includes('"round":2,"speaker"')));
      await holdLock();
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 2, 60_000);
      const step2 = await request(judge, "judge:step", {
        matchId,
        round: 2,
        probabilities: [0.4, 0.6],
        action: "continue",
      });
      expect(step2.ok).toBe(true);
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 3, 60_000);
      const final = await request(judge, "judge:step", { matchId, round: 3, probabilities: [0.7, 0.3], action: "end" });
      expect(final).toMatchObject({ ok: true, data: { phase: { kind: "complete" } } });
    } finally {
      lock.close();
      judge.socket.disconnect();
    }
    const db = createDb(server.databaseUrl);
    try {
      const stored = await db.match.findUniqueOrThrow({ where: { id: matchId }, include: { turns: true } });
      expect(stored.status).toBe("complete");
      expect(stored.turns.map((t) => `${t.round}${t.speaker}`).sort()).toEqual(["1A", "1B", "2A", "2B", "3A", "3B"]);
    } finally {
      await db.$disconnect();
    }
  }, 180_000);

  it("a match completes with every turn while the CLI imports the NYU 2023 release into the same database", async () => {
    const db = createDb(server.databaseUrl);
    try {
      const importing = runCrux(["import", "nyu-2023", nyu, "--dataset", "nyu-live", "--json"], server.databaseUrl);
      // The import is writing before the match starts.
      await waitUntil(async () => (await db.question.count({ where: { source: "nyu-live" } })) > 0, 120_000);
      const { matchId, cookie } = await createGuestMatch(server.url);
      const judge = await connectJudge(server.url, cookie);
      try {
        const final = await playToEnd(judge, matchId);
        expect(final.phase.kind).toBe("complete");
      } finally {
        judge.socket.disconnect();
      }
      const imported = await importing;
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, invalid: 0 });

      const stored = await db.match.findUniqueOrThrow({ where: { id: matchId }, include: { turns: true } });
      expect(stored.status).toBe("complete");
      expect(stored.turns).toHaveLength(6);
      expect(await db.match.count({ where: { status: "errored" } })).toBe(0);
    } finally {
      await db.$disconnect();
    }
  }, 600_000);

  it("starting a match beyond the per-person limit abandons that person's oldest unfinished one", async () => {
    const first = await createGuestMatch(server.url);
    const second = await createGuestMatch(server.url, first.cookie);
    const third = await createGuestMatch(server.url, first.cookie);
    const db = createDb(server.databaseUrl);
    try {
      const rows = await db.match.findMany({
        where: { id: { in: [first.matchId, second.matchId, third.matchId] } },
        select: { id: true, status: true, error: true, events: { select: { type: true } } },
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(first.matchId)).toMatchObject({
        status: "abandoned",
        error: expect.stringMatching(/newer match/),
      });
      expect(byId.get(first.matchId)?.events.map((e) => e.type)).toContain("match.abandoned");
      expect(byId.get(second.matchId)?.status).toBe("waiting");
      expect(byId.get(third.matchId)?.status).toBe("waiting");
    } finally {
      await db.$disconnect();
    }
    // The judge who comes back to it sees it ended, with the reason.
    const judge = await connectJudge(server.url, first.cookie);
    try {
      const back = await request(judge, "match:join", { matchId: first.matchId });
      expect(back).toMatchObject({ ok: true, data: { phase: { kind: "errored" } } });
    } finally {
      judge.socket.disconnect();
    }
  }, 60_000);
});

describe("a restart with a match whose row no longer parses", () => {
  it("comes up, marks that match errored with the reason, and resumes the others", async () => {
    const first = await startServer({ env: { CRUX_OFFLINE_WORD_DELAY_MS: "1" } });
    let restarted: RunningServer | null = null;
    try {
      const good = await createGuestMatch(first.url);
      const bad = await createGuestMatch(first.url);
      for (const match of [good, bad]) {
        const judge = await connectJudge(first.url, match.cookie);
        await request(judge, "match:join", { matchId: match.matchId });
        await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 1, 60_000);
        judge.socket.disconnect();
      }
      await first.stop();
      const file = new Database(sqlitePath(first.databaseUrl));
      file.prepare(`UPDATE "Match" SET config = ? WHERE id = ?`).run('{"protocol":"no such protocol"}', bad.matchId);
      file.close();

      restarted = await startServer({ dir: first.dir });
      const server = restarted;
      const db = createDb(server.databaseUrl);
      try {
        await waitUntil(
          async () => (await db.match.findUniqueOrThrow({ where: { id: bad.matchId } })).status === "errored",
        );
        const errored = await db.match.findUniqueOrThrow({ where: { id: bad.matchId }, include: { events: true } });
        expect(errored.error).toMatch(/^Could not be resumed after a restart: /);
        expect(errored.events.map((e) => e.type)).toContain("match.errored");
        // Logged too (the server's output reaches the test a little after the row changes).
        await waitUntil(() =>
          server.output().includes(`match ${bad.matchId} errored: Could not be resumed after a restart`),
        );

        const judge = await connectJudge(server.url, good.cookie);
        try {
          const final = await playToEnd(judge, good.matchId);
          expect(final.phase.kind).toBe("complete");
        } finally {
          judge.socket.disconnect();
        }
        const turns = await db.turn.count({ where: { matchId: good.matchId } });
        expect(turns).toBe(6);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await restarted?.stop();
      await first.stop();
    }
  }, 240_000);
});
