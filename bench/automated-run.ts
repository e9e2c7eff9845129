/**
 * Automated-run benchmark: `npx tsx bench/automated-run.ts [--matches 1000] [--concurrency 32] [--latency-ms 500]
 * [--rounds 2]`. Defaults: 1,000 matches, concurrency 32, 500 ms per call (a fast hosted model; real ones take longer).
 *
 * A study of `--matches` debates (one condition; questions from the shipped QuALITY bank, two judgments each)
 * runs through `runStudy` — the code behind `crux study run` — with language-model debaters and an AI judge that
 * are all the loopback OpenAI-compatible server (tests/support/fake-llm), which answers every call after a fixed
 * `--latency-ms`, in a child process of its own (as a provider is). Everything real: study plan, match creation, the runner, prompts, the AI SDK, SQLite writes of
 * every turn, judge step, verdict and model call. The response cache is off.
 *
 * Ideal wall time = critical path of one match × number of batches, where the critical path is the number of
 * model calls that must happen one after another (round 1: both openings at once, then the judge; each later,
 * sequential round: one debater, the other, the judge) × the latency, and batches = ⌈matches / concurrency⌉.
 * In the same process, a baseline makes exactly the same calls to the same server with plain `fetch` and no Crux
 * at all (same concurrency, same call pattern), so the figure separates Crux's overhead from the HTTP client's.
 *
 * Target: crux wall / ideal ≤ 1.15. It also prints what the run stored per match (the database's growth, after
 * VACUUM, divided by the matches; target ≤ 20 KB for two rounds, issue 16) and how much of it is model calls.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const TARGET = 1.15;
/** Issue 16: what a two-round AI match stores, at most (the story is kept once, not in every prompt). */
const STORAGE_TARGET_KB = 20;
const { values } = parseArgs({
  options: {
    matches: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "32" },
    "latency-ms": { type: "string", default: "500" },
    rounds: { type: "string", default: "2" },
    /** Keep the database afterwards (its path is printed), to look at what was stored. */
    keep: { type: "boolean", default: false },
  },
});
const int = (name: string, raw: string | undefined, min: number) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got ${raw}`);
  return value;
};
const matches = int("matches", values.matches, 2);
const concurrency = int("concurrency", values.concurrency, 1);
const latencyMs = int("latency-ms", values["latency-ms"], 1);
const rounds = int("rounds", values.rounds, 1);
if (matches % 2 !== 0) throw new Error("--matches must be even (two judgments per question)");

// The provider runs in its own process, as a real one would: its work (writing arguments from the story) must not
// take this process's CPU.
const llm = await startProvider(latencyMs);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-bench-run-"));
// Configuration is read from the environment when the app's modules load: set it first, import after.
Object.assign(process.env, {
  DATABASE_URL: `file:${path.join(dir, "crux.db")}`,
  CRUX_LOG: "error",
  CRUX_PROVIDER_BENCH_BASE_URL: `${llm.url}/v1`,
  // Room for every call of `concurrency` matches at once (two openings per match in round 1).
  CRUX_PROVIDER_BENCH_CONCURRENCY: String(Math.min(256, concurrency * 2)),
});
const { migrateDatabase } = await import("../lib/db/migrate");
const { createDb } = await import("../lib/db/client");
const { seedQuestionBank } = await import("../lib/questions/seed");
const { createModels } = await import("../lib/matches/models");
const { MatchRunner } = await import("../lib/matches/runner");
const { createStudy, launchStudy } = await import("../lib/studies/repository");
const { runStudy } = await import("../lib/studies/run");

await migrateDatabase({});
const db = createDb();
await seedQuestionBank(db);
const owner = await db.user.create({ data: { role: "researcher", email: "bench@crux.local" } });
const spec = "openai-compatible:bench/model";
const study = await createStudy(db, {
  ownerId: owner.id,
  config: {
    name: "bench",
    questions: { source: "quality", count: matches / 2, seed: 1 },
    conditions: [{ name: "debate", protocol: "debate", rounds, debaters: spec, judge: spec }],
    judgmentsPerQuestion: 2,
  },
});
await launchStudy(db, study.id);

// Critical path: round 1's openings are simultaneous; later rounds are sequential (A then B); a judge call ends
// every round (the scripted judge continues until the last round).
const stages = 2 + (rounds - 1) * 3;
const batches = Math.ceil(matches / concurrency);
const idealMs = stages * latencyMs * batches;

// Baseline: the same calls, the same concurrency, the same server — plain fetch, nothing stored.
async function call(): Promise<void> {
  const response = await fetch(`${llm.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "model", stream: true, messages: [{ role: "user", content: "Say something." }] }),
  });
  await response.text();
}
async function baselineMatch(): Promise<void> {
  await Promise.all([call(), call()]);
  await call();
  for (let r = 1; r < rounds; r++) {
    await call();
    await call();
    await call();
  }
}
async function pool(count: number, task: () => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next++ < count) await task();
    }),
  );
  return performance.now() - started;
}
const baselineMs = await pool(matches, baselineMatch);

/** The database file's size once compacted (VACUUM; WAL checkpointed), to measure what the run stores. */
async function storedBytes(): Promise<number> {
  await db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  await db.$executeRawUnsafe("VACUUM");
  return fs.statSync(path.join(dir, "crux.db")).size;
}
const bytesBefore = await storedBytes();

const runner = new MatchRunner({ db, models: createModels(db, { cache: false, offlineWordDelayMs: 0 }) });
let lastReport = 0;
const started = performance.now();
const summary = await runStudy(db, {
  studyId: study.id,
  concurrency,
  runner,
  onProgress: (p) => {
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      process.stderr.write(`  ${p.completed}/${p.total} matches…\n`);
    }
  },
});
const cruxMs = performance.now() - started;
const calls = await db.modelCall.count();
const callLatency = await db.modelCall.aggregate({ _avg: { latencyMs: true } });
const matchTimes = await db.match.findMany({ select: { startedAt: true, endedAt: true } });
const meanMatchMs =
  matchTimes.reduce((sum, m) => sum + ((m.endedAt?.getTime() ?? 0) - (m.startedAt?.getTime() ?? 0)), 0) /
  Math.max(1, matchTimes.length);
const steps = await db.judgeStep.count();
const bytesPerMatch = ((await storedBytes()) - bytesBefore) / matches;
// Where it went, by table and index (SQLite's dbstat, when compiled in; the seeded bank is counted too).
const byTable = await db
  .$queryRawUnsafe<Array<{ name: string; bytes: number }>>(
    `SELECT "name", sum("pgsize") AS "bytes" FROM "dbstat" GROUP BY "name" ORDER BY 2 DESC LIMIT 8`,
  )
  .catch(() => []);
// Of which model calls: their prompts (story and system prompts kept once in PromptPart), outputs and the parts.
const [callBytes] = await db.$queryRawUnsafe<Array<{ calls: number; parts: number }>>(
  `SELECT (SELECT coalesce(sum(length(CAST("prompt" AS BLOB)) + length(CAST("promptParts" AS BLOB)) + length(CAST("output" AS BLOB))), 0) FROM "ModelCall") AS "calls",
          (SELECT coalesce(sum(length(CAST("text" AS BLOB))), 0) FROM "PromptPart") AS "parts"`,
);
await runner.stop();
await db.$disconnect();
llm.close();
if (values.keep) console.log(`database kept: ${path.join(dir, "crux.db")}`);
else fs.rmSync(dir, { recursive: true, force: true });

const ratio = cruxMs / idealMs;
const row = (name: string, ms: number) =>
  `${name.padEnd(10)} ${(ms / 1000).toFixed(2).padStart(8)} s   ${(ms / idealMs).toFixed(3)}× ideal`;
console.log(
  [
    `automated run: ${matches} debates × ${rounds} rounds, concurrency ${concurrency}, ${latencyMs} ms per model call`,
    `critical path ${stages} calls × ${latencyMs} ms, ${batches} batches → ideal ${(idealMs / 1000).toFixed(2)} s`,
    row("ideal", idealMs),
    row("fetch", baselineMs),
    row("crux", cruxMs),
    `crux / fetch baseline: ${(cruxMs / baselineMs).toFixed(3)}×`,
    `matches: ${summary.completed} completed, ${summary.errored} errored; ${calls} model calls, ${steps} judge steps stored`,
    `mean model call ${callLatency._avg.latencyMs?.toFixed(0)} ms (server latency ${latencyMs} ms); mean match ${meanMatchMs.toFixed(0)} ms (critical path ${stages * latencyMs} ms)`,
    `storage: ${(bytesPerMatch / 1024).toFixed(1)} KB per match (database growth after VACUUM); model calls ` +
      `${(Number(callBytes?.calls ?? 0) / matches / 1024).toFixed(1)} KB per match + shared prompt parts ` +
      `${(Number(callBytes?.parts ?? 0) / 1024).toFixed(1)} KB in all — target ≤ ${STORAGE_TARGET_KB} KB per match: ` +
      `${bytesPerMatch <= STORAGE_TARGET_KB * 1024 ? "PASS" : "FAIL"}`,
    `largest tables and indexes: ${byTable.map((t) => `${t.name} ${(Number(t.bytes) / 1024).toFixed(0)} KB`).join(", ") || "(dbstat not available)"}`,
    `${ratio <= TARGET ? "PASS" : "FAIL"}: crux wall / ideal = ${ratio.toFixed(3)} (target ≤ ${TARGET})`,
  ].join("\n"),
);
if (summary.errored > 0 || summary.completed !== matches) process.exitCode = 1;

/** Starts tests/support/fake-llm/main.ts in a child process on a free port; resolves once it is ready. */
async function startProvider(latency: number): Promise<{ url: string; close: () => void }> {
  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(
    process.execPath,
    [
      createRequire(import.meta.url).resolve("tsx/cli"),
      path.join(root, "tests/support/fake-llm/main.ts"),
      "--port",
      "0",
      "--latency-ms",
      String(latency),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /Fake LLM ready on (\S+)/.exec(out);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once("exit", (code) => reject(new Error(`the loopback provider exited (${code}) before it was ready`)));
  });
  return { url, close: () => child.kill("SIGTERM") };
}
