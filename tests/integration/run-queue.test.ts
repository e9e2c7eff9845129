import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client";
import { runCrux } from "../support/cli";
import { type RunningRedis, startRedis } from "../support/redis";
import { type RunningServer, startServer } from "../support/server";

/**
 * Automated runs over several instances (docs/deploy.md): two app instances on one database and one Redis, an
 * automated run started with `crux study run --queue-only` (it enqueues the run's matches and follows progress,
 * running none itself). Both instances' workers take matches from the queue; instance A is killed (SIGKILL) while
 * it runs some; its jobs stall and are retried by B, whose runner has meanwhile taken A's matches over. Every
 * planned match completes, each exactly once.
 */

const LOCK_MS = 2000;
const LEASE_TTL_MS = 2000;
const LEASE_RENEW_MS = 400;

const DESIGN = `
name: Queued run
questions: { source: quality, count: 8, seed: 5 }
conditions:
  - { name: debate, protocol: debate, rounds: 2 }
judgmentsPerQuestion: 2
questionsPerJudge: 2
`;

/** Polls until `condition` holds. */
async function waitUntil(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The plan items an instance reports done (its info log). */
function doneBy(server: RunningServer): string[] {
  return [...server.output().matchAll(/plan item (\S+) done here/g)].map((m) => m[1] ?? "");
}

describe("automated runs over two instances", () => {
  let redis: RunningRedis;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    redis = await startRedis();
    const shared = {
      REDIS_URL: redis.url,
      CRUX_LEASE_TTL_MS: String(LEASE_TTL_MS),
      CRUX_LEASE_RENEW_MS: String(LEASE_RENEW_MS),
      CRUX_RUN_JOB_LOCK_MS: String(LOCK_MS),
      CRUX_RUN_WORKER_CONCURRENCY: "2",
      // Matches long enough that A is in the middle of some when it is killed.
      CRUX_OFFLINE_WORD_DELAY_MS: "8",
      CRUX_LOG: "info",
    };
    a = await startServer({ env: shared });
    b = await startServer({ dir: a.dir, env: shared });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop("SIGKILL");
    await redis?.stop();
    if (a) fs.rmSync(a.dir, { recursive: true, force: true });
  });

  it("spreads a run's matches over both instances; a killed instance's jobs are finished by the other, once each", async () => {
    const file = path.join(a.dir, "study.yaml");
    fs.writeFileSync(file, DESIGN);
    const env = { REDIS_URL: redis.url, CRUX_RUN_JOB_LOCK_MS: String(LOCK_MS) };
    const created = await runCrux(["study", "create", file], a.databaseUrl, env);
    expect(created.stderr).toBe("");
    const studyId = created.stdout.trim();

    const run = runCrux(
      ["study", "run", studyId, "--judge", "offline:heuristic", "--queue-only", "--json"],
      a.databaseUrl,
      env,
    );
    // Both instances work on the queue; once A has finished a match, it is killed in the middle of others.
    await waitUntil(() => doneBy(a).length >= 1 && doneBy(b).length >= 1);
    a.child.kill("SIGKILL");
    const doneByA = doneBy(a);

    const result = await run;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/16\/16 done · 0 errored/);
    const summary = JSON.parse(result.stdout) as { status: string; total: number; completed: number; errored: number };
    expect(summary).toMatchObject({ status: "complete", errored: 0 });
    expect(summary.total).toBe(16);
    expect(summary.completed).toBe(summary.total);

    const db = createDb(a.databaseUrl);
    try {
      const matches = await db.match.findMany({ where: { studyId }, select: { planKey: true, status: true } });
      // Exactly one match per plan item, each complete: none redone after the kill, none left behind.
      expect(matches).toHaveLength(summary.total);
      expect(new Set(matches.map((m) => m.planKey)).size).toBe(summary.total);
      expect(matches.every((m) => m.status === "complete")).toBe(true);
      const run = await db.studyRun.findFirstOrThrow({ where: { studyId } });
      expect(run).toMatchObject({ status: "complete", completed: summary.total, errored: 0 });
    } finally {
      await db.$disconnect();
    }
    // Both instances ran matches; B ran the rest, including what A was running when it died.
    expect(doneByA.length).toBeGreaterThanOrEqual(1);
    const doneByB = doneBy(b);
    expect(doneByB.length).toBeGreaterThanOrEqual(1);
    expect(new Set([...doneByA, ...doneByB]).size).toBe(summary.total);
    // A died holding jobs and their matches: B retried the jobs, and each followed its match to its end. Once A's
    // lease lapsed, whichever came first took the match over — B's lease beat ("taken over") or the retried job
    // itself (its `runToEnd` claims the lapsed lease): either way no plan item got a second match (above).
    expect(b.output()).toMatch(/automated-run job \S+ stalled/);
  }, 240_000);
});
