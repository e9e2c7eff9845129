import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { createDebateMatch } from "../../lib/matches/create";
import { type FakeLlmServer, startFakeLlmServer } from "../support/fake-llm/server";
import { startServer } from "../support/server";
import { createSyntheticSet } from "../support/studies";

/**
 * The real server's way out: SIGTERM while a model streams an answer that never ends stops it within
 * CRUX_SHUTDOWN_TIMEOUT_MS, cleanly (exit 0), leaving the match resumable; an unhandled rejection or an uncaught
 * exception after start-up is logged and ends the process with a non-zero code instead of leaving it serving in an
 * unknown state, or hanging. Faults are injected by a preload (tests/support/fault-after-ready.mjs).
 */

const SHUTDOWN_TIMEOUT_MS = 4000;
/** What exiting may take beyond the bound: the process's own exit, on a loaded machine. */
const MARGIN_MS = 6000;
const SOURCE = "shutdown-set";
const dirs: string[] = [];

let fake: FakeLlmServer;
beforeAll(async () => {
  // Every model call streams a word every 20 ms for far longer than any test: an answer that never ends.
  fake = await startFakeLlmServer({
    respond: () => ({ kind: "text", text: "word ".repeat(100_000), chunkDelayMs: 20 }),
  });
});
afterAll(async () => {
  await fake?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data directory whose database holds one running AI-judged match with debaters on the loopback provider. */
async function dataWithRunningMatch(): Promise<{ dir: string; url: string; matchId: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-shutdown-"));
  dirs.push(dir);
  const url = `file:${path.join(dir, "crux.db")}`;
  await migrateDatabase({ url });
  const db = createDb(url);
  try {
    await createSyntheticSet(db, { source: SOURCE, stories: 1, perStory: 1 });
    const model = "openai-compatible:local/endless";
    const { id } = await createDebateMatch(db, {
      source: SOURCE,
      judgeId: null,
      judgeModel: "offline:heuristic",
      debaterModels: [model, model],
      config: { rounds: 1 },
    });
    // Running when the server starts: it resumes the match at once and asks the provider for the first turn.
    await db.match.update({ where: { id }, data: { status: "running", startedAt: new Date() } });
    return { dir, url, matchId: id };
  } finally {
    await db.$disconnect();
  }
}

/** How the process ended and when, or a failure (after killing it) if it has not within `deadlineMs`. */
function exitWithin(child: ChildProcess, deadlineMs: number): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server had not exited ${deadlineMs} ms later`));
    }, deadlineMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe("server shutdown", () => {
  it("stops within the bound on SIGTERM while a model streams an endless answer, exit 0, match resumable", async () => {
    const data = await dataWithRunningMatch();
    const server = await startServer({
      dir: data.dir,
      env: {
        CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1`,
        CRUX_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        CRUX_LOG: "info",
      },
    });
    try {
      // The resumed match is streaming its first turn from the provider.
      await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(0), { timeout: 30_000, interval: 50 });
      expect(server.output()).toMatch(/resumed 1 match\(es\) that were in flight/);
      const started = performance.now();
      server.child.kill("SIGTERM");
      const exit = await exitWithin(server.child, SHUTDOWN_TIMEOUT_MS + MARGIN_MS);
      const tookMs = performance.now() - started;
      expect(exit, server.output()).toEqual({ code: 0, signal: null });
      expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + MARGIN_MS);
      expect(server.output()).toContain(`SIGTERM: shutting down (at most ${SHUTDOWN_TIMEOUT_MS} ms)`);
      expect(server.output()).toContain("shut down after SIGTERM (exit code 0)");
      expect(server.output()).not.toContain("exiting anyway");
    } finally {
      await server.stop();
    }
    // The interrupted turn was not stored and the match was not failed: the next start redoes the turn.
    const db = createDb(data.url);
    try {
      const match = await db.match.findUniqueOrThrow({ where: { id: data.matchId }, include: { turns: true } });
      expect(match.status).toBe("running");
      expect(match.turns).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);

  it.each([
    ["rejection", "unhandled rejection: Error: boom: injected unhandled rejection"],
    ["exception", "uncaught exception: Error: boom: injected uncaught exception"],
  ])(
    "logs an injected %s after start-up and exits non-zero without hanging",
    async (fault, logged) => {
      const preload = path.resolve(import.meta.dirname, "..", "support", "fault-after-ready.mjs");
      const server = await startServer({
        env: {
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${preload}`.trim(),
          CRUX_TEST_FAULT: fault,
          CRUX_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        },
      });
      dirs.push(server.dir);
      try {
        const exit = await exitWithin(server.child, SHUTDOWN_TIMEOUT_MS + MARGIN_MS);
        expect(exit, server.output()).toEqual({ code: 1, signal: null });
        expect(server.output()).toContain(logged);
        const reason = fault === "rejection" ? "unhandled rejection" : "uncaught exception";
        expect(server.output()).toContain(`shut down after ${reason} (exit code 1)`);
        expect(server.output()).not.toContain("exiting anyway");
      } finally {
        await server.stop();
      }
    },
    120_000,
  );
});
