/**
 * Results-page benchmark: `npm run bench:analysis`.
 *
 * Generates, in a temporary SQLite database migrated like the real one, a study with 100,000 verdicts and 1,000,000
 * debater turns: 1,000 human judges (plus an AI judge for a tenth of the matches), 2,000 questions, three
 * conditions (debate between two models, consultancy, naive), and the matches analysis leaves out (practice,
 * abandoned, errored, removed participants, in progress). Then it times the page's data request —
 * `getStudyResults` exactly as the route calls it — against the whole aggregate run directly through
 * better-sqlite3 on the same database (the same SQL over all verdicts), 20 times each after a warm-up, and reports
 * p50/p95 and the ratio, in three situations:
 * - live: the page watched during a study, NEW_PER_REQUEST new verdicts written (outside the timing) before each
 *   request, so each request folds them into the aggregates it keeps. This is what the target is checked on.
 * - unchanged: nothing new since the last request.
 * - cold: the kept aggregates forgotten before each request (a restarted server's first view, or new filters).
 * Target: ratio ≤ 2× and p50 < 300 ms. The headline resampling (bootstrap + permutation test) and the rating
 * intervals are timed once each, for information.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { clearResultsCache, getHeadlineComparison, getRatingIntervals } from "../lib/analysis/headline";
import { getStudyResults, resolveScope } from "../lib/analysis/results";
import { parseResultsFilters } from "../lib/analysis/results-schema";
import {
  judgeMediansQuery,
  judgesQuery,
  questionCellsQuery,
  questionTextQuery,
  unjudgedQuery,
  verdictGroupsQuery,
} from "../lib/analysis/results-sql";
import { createDb } from "../lib/db/client";
import { Prisma } from "../lib/db/generated/client";
import { migrateDatabase } from "../lib/db/migrate";
import { studyVerdictInsert } from "../lib/matches/study-verdicts";
import { mulberry32 } from "../lib/random";

const VERDICTS = 100_000;
const TURNS = 1_000_000;
const JUDGES = 1_000;
const QUESTIONS = 2_000;
const REPEATS = 20;
const WARM_UP = 3;
const TARGET_RATIO = 2;
const TARGET_P50_MS = 300;
/** Verdicts written between two requests in the "live" timing. */
const NEW_PER_REQUEST = 5;

const MODELS = ["openai:gpt-4o-mini", "anthropic:claude-3-5-haiku"];
const AI_JUDGE = "openai:gpt-4o";
const CONDITIONS = [
  { name: "debate", protocol: "debate", accuracy: 0.76 },
  { name: "consultancy", protocol: "consultancy", accuracy: 0.68 },
  { name: "naive", protocol: "naive", accuracy: 0.6 },
] as const;
const ROUNDS = 10;
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const idOf = (prefix: string, i: number) => `${prefix}${i.toString(36).padStart(8, "0")}bench${(i * 7919) % 100_000}`;

/**
 * Writes the study straight into the database (already migrated) with prepared statements in one transaction. Also
 * used by bench/results-under-load.ts.
 */
export function generate(file: string): { studyId: string } {
  const db = new Database(file);
  db.pragma("synchronous = OFF");
  const random = mulberry32(20261123);
  const studyId = "study-bench";
  const versionId = "version-bench";
  const ownerId = "user-owner";
  const config = {
    name: "Bench study",
    conditions: CONDITIONS.map((c) => ({ name: c.name, protocol: c.protocol, rounds: ROUNDS })),
  };
  const matchConfig = JSON.stringify({
    protocol: "debate",
    rounds: ROUNDS,
    wordLimit: 150,
    seed: 1,
    firstSpeaker: "A",
    optionOrder: [0, 1],
    scoring: { roundCost: 0.05 },
    sampling: { temperature: 0.7 },
    judgeTimeLimitMs: null,
  });

  db.transaction(() => {
    const now = iso(START);
    db.prepare(`INSERT INTO "User" (id, email, role, createdAt, updatedAt) VALUES (?, ?, 'researcher', ?, ?)`).run(
      ownerId,
      "owner@bench.test",
      now,
      now,
    );
    db.prepare(
      `INSERT INTO "Study" (id, name, ownerId, status, config, currentVersionId, createdAt, updatedAt) VALUES (?, ?, ?, 'live', ?, ?, ?, ?)`,
    ).run(studyId, config.name, ownerId, JSON.stringify(config), versionId, now, now);
    db.prepare(
      `INSERT INTO "StudyVersion" (id, studyId, version, config, configHash, arrivals, createdAt) VALUES (?, ?, 1, ?, 'hash', ?, ?)`,
    ).run(versionId, studyId, JSON.stringify(config), JUDGES, now);

    const user = db.prepare(
      `INSERT INTO "User" (id, email, role, createdAt, updatedAt) VALUES (?, ?, 'participant', ?, ?)`,
    );
    const participant = db.prepare(
      `INSERT INTO "Participant" (id, studyId, versionId, userId, ordinal, stage, status, createdAt, lastSeenAt) VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?)`,
    );
    for (let j = 0; j < JUDGES; j++) {
      user.run(idOf("u", j), `judge-${j}@bench.test`, now, now);
      // 2% of participants were removed or failed the check: their matches are counted as excluded.
      const status = j % 50 === 7 ? "removed" : j % 50 === 33 ? "failed_check" : "completed";
      participant.run(idOf("p", j), studyId, versionId, idOf("u", j), j, status, now, now);
    }
    const question = db.prepare(
      `INSERT INTO "Question" (id, source, externalId, text, options, gold, tags, license, createdAt) VALUES (?, 'bench', ?, ?, ?, ?, ?, 'bench', ?)`,
    );
    for (let q = 0; q < QUESTIONS; q++) {
      const tags = [q % 3 === 0 ? "hard" : "easy", `topic-${q % 10}`];
      question.run(
        idOf("q", q),
        `bench-${q}`,
        `Question ${q}: what did the keeper count before the storm?`,
        JSON.stringify([`${q} ships`, `${q + 1} ships`]),
        q % 2,
        JSON.stringify(tags),
        now,
      );
    }

    const match = db.prepare(
      `INSERT INTO "Match" (id, questionId, protocol, config, debaters, judgeId, judgeModel, status, createdAt, startedAt, endedAt, studyId, studyVersionId, condition, configHash, practice)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'hash', ?)`,
    );
    const verdict = db.prepare(
      `INSERT INTO "Verdict" (id, matchId, probabilities, chosen, correct, score, rounds, timeTakenMs, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const turn = db.prepare(
      `INSERT INTO "Turn" (id, matchId, round, speaker, option, text, quotes, model, latencyMs, meta, createdAt) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, '{}', ?)`,
    );
    const ability = Array.from({ length: JUDGES }, () => (random() - 0.5) * 0.2);
    const difficulty = Array.from({ length: QUESTIONS }, () => (random() - 0.5) * 0.3);
    let turns = 0;
    let matches = 0;
    // After the verdicts, matches without one: abandoned, errored, in progress.
    const [ABANDONED, ERRORED, RUNNING] = [2_000, 500, 200];
    for (let i = 0; i < VERDICTS + ABANDONED + ERRORED + RUNNING; i++) {
      const c = CONDITIONS[i % 3] as (typeof CONDITIONS)[number];
      const q = Math.floor(random() * QUESTIONS);
      const gold = q % 2;
      const aiJudge = random() < 0.1;
      const j = Math.floor(random() * JUDGES);
      const created = START + Math.floor(random() * 60 * DAY_MS);
      const id = idOf("m", matches++);
      let debaters: Array<{ seat: string; option: number; model: string; honest?: boolean }> = [];
      const aOption = random() < 0.5 ? 0 : 1;
      const swap = random() < 0.5;
      if (c.protocol === "debate") {
        debaters = [
          { seat: "A", option: aOption, model: MODELS[swap ? 1 : 0] as string },
          { seat: "B", option: 1 - aOption, model: MODELS[swap ? 0 : 1] as string },
        ];
      } else if (c.protocol === "consultancy") {
        const honest = random() < 0.5;
        debaters = [{ seat: "A", option: honest ? gold : 1 - gold, model: MODELS[0] as string, honest }];
      }
      const index = i - VERDICTS;
      const status =
        index < 0 ? "complete" : index < ABANDONED ? "abandoned" : index < ABANDONED + ERRORED ? "errored" : "running";
      const practice = index < 0 && i % 100 === 99;
      match.run(
        id,
        idOf("q", q),
        c.protocol,
        matchConfig.replace('"debate"', `"${c.protocol}"`),
        JSON.stringify(debaters),
        aiJudge ? null : idOf("u", j),
        aiJudge ? AI_JUDGE : null,
        status,
        iso(created),
        iso(created + 1000),
        status === "running" ? null : iso(created + 600_000),
        studyId,
        versionId,
        c.name,
        practice ? 1 : 0,
      );
      if (status !== "complete") continue;
      // The judge is right with a probability set by the condition, their ability and the question's difficulty;
      // the honest debate side argued by the second model persuades a little less.
      let p = c.accuracy + (aiJudge ? 0.05 : (ability[j] as number)) + (difficulty[q] as number);
      if (c.protocol === "debate") p += debaters.find((d) => d.option === gold)?.model === MODELS[0] ? 0.03 : -0.03;
      const right = random() < Math.min(0.98, Math.max(0.02, p));
      const chosen = right ? gold : 1 - gold;
      // Slider probabilities in steps of 0.01, never 50/50.
      const confidence = (51 + Math.floor(random() * 50)) / 100;
      const probabilities =
        chosen === 0
          ? [confidence, Math.round((1 - confidence) * 100) / 100]
          : [Math.round((1 - confidence) * 100) / 100, confidence];
      const rounds = 1 + Math.floor(random() * ROUNDS);
      const pGold = probabilities[gold] as number;
      const score = Math.log(Math.max(pGold, 0.01)) - 0.05 * (rounds - 1);
      const timeTaken = 10_000 + Math.floor(random() * 290_000);
      verdict.run(
        idOf("v", i),
        id,
        JSON.stringify(probabilities),
        chosen,
        right ? 1 : 0,
        score,
        rounds,
        timeTaken,
        iso(created + timeTaken),
      );
      // Every round of the design was argued (debate: 20 turns, consultancy: 10, naive: none).
      for (let r = 1; r <= ROUNDS; r++) {
        for (const d of debaters) {
          if (turns === TURNS) break;
          turn.run(
            `${id}-${r}-${d.seat}`,
            id,
            r,
            d.seat,
            d.option,
            `Round ${r}: the story says the keeper counted ${q + d.option} ships <quote>she wrote it in her log</quote>.`,
            d.model,
            800 + (turns % 400),
            iso(created + r * 30_000),
          );
          turns++;
        }
      }
    }
    if (turns !== TURNS) throw new Error(`generated ${turns} turns, expected ${TURNS}`);
  })();
  // The flat verdict rows the results read, as the app writes them with each verdict (in verdict order here).
  db.prepare(studyVerdictInsert(Prisma.sql`1 = 1`).sql).run();
  // No ANALYZE: Crux never runs it, so the query planner works without statistics here as it does in use.
  db.pragma("synchronous = NORMAL");
  db.close();
  return { studyId };
}

/** A Prisma.Sql's values as better-sqlite3 binds them the way the Prisma adapter does. */
function bindable(values: readonly unknown[]): unknown[] {
  return values.map((v) => (v instanceof Date ? iso(v.getTime()) : typeof v === "boolean" ? (v ? 1 : 0) : v));
}

function percentile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Writes `count` new complete naive matches with their verdicts, as the app does when judges decide. */
function liveWriter(file: string, studyId: string): (count: number) => void {
  const db = new Database(file);
  const match = db.prepare(
    `INSERT INTO "Match" (id, questionId, protocol, config, debaters, judgeId, status, createdAt, startedAt, endedAt, studyId, studyVersionId, condition, configHash, practice)
     VALUES (?, ?, 'naive', '{}', '[]', ?, 'complete', ?, ?, ?, ?, 'version-bench', 'naive', 'hash', 0)`,
  );
  const verdict = db.prepare(
    `INSERT INTO "Verdict" (id, matchId, probabilities, chosen, correct, score, rounds, timeTakenMs, createdAt) VALUES (?, ?, '[0.7,0.3]', 0, ?, ?, 1, 42000, ?)`,
  );
  const copy = db.prepare(studyVerdictInsert(Prisma.sql`m."id" = ${"?"}`).sql);
  let next = 0;
  return (count) => {
    db.transaction(() => {
      for (let i = 0; i < count; i++, next++) {
        const id = `live-${next}`;
        const now = iso(START + 61 * DAY_MS + next * 1000);
        const q = (next * 37) % QUESTIONS;
        match.run(id, idOf("q", q), idOf("u", (next * 13) % JUDGES), now, now, now, studyId);
        verdict.run(`v-${id}`, id, q % 2 === 0 ? 1 : 0, Math.log(q % 2 === 0 ? 0.7 : 0.3), now);
        copy.run(id);
      }
    })();
  };
}

async function time(
  label: string,
  run: () => Promise<unknown> | unknown,
  before: () => void = () => {},
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) {
    before();
    await run();
  }
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    before();
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const result = { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
  console.log(
    `${label.padEnd(44)} p50 ${result.p50.toFixed(1).padStart(7)} ms   p95 ${result.p95.toFixed(1).padStart(7)} ms`,
  );
  return result;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-bench-analysis-"));
  const file = path.join(dir, "crux.db");
  const url = `file:${file}`;
  try {
    await migrateDatabase({ url });
    let start = performance.now();
    const { studyId } = generate(file);
    const size = fs.statSync(file).size / 1024 / 1024;
    console.log(
      `Generated ${VERDICTS.toLocaleString("en")} verdicts, ${TURNS.toLocaleString("en")} turns, ${JUDGES} judges, ` +
        `${QUESTIONS} questions in ${((performance.now() - start) / 1000).toFixed(1)} s (${size.toFixed(0)} MB)`,
    );

    const db = createDb(url);
    // Exactly what GET /api/studies/<id>/results does with no query parameters.
    const parsed = parseResultsFilters(new URLSearchParams());
    if (!parsed.success) throw new Error("filters did not parse");
    const filters = parsed.data;
    const results = await getStudyResults(db, studyId, filters);
    console.log(
      `Results: ${results.verdicts.toLocaleString("en")} analysed verdicts; ` +
        results.conditions.map((c) => `${c.condition} ${((c.accuracy ?? 0) * 100).toFixed(1)}%`).join(", ") +
        `; ${results.excluded.total.toLocaleString("en")} excluded; ${results.judges.length} judges`,
    );

    // The same statements straight through better-sqlite3 (the study's config read included, as the lib does).
    const raw = new Database(file, { readonly: true });
    const scope = await resolveScope(db, studyId, filters);
    const run = (sql: Prisma.Sql) => raw.prepare(sql.sql).all(...bindable(sql.values));
    const config = raw.prepare(`SELECT "config" FROM "Study" WHERE "id" = ?`);
    // Per statement, so the report can say where the time goes.
    const spent = new Map<string, number[]>();
    const timed = <T>(name: string, work: () => T): T => {
      const start = performance.now();
      const value = work();
      spent.set(name, [...(spent.get(name) ?? []), performance.now() - start]);
      return value;
    };
    const direct = () => {
      timed("study config", () => config.get(studyId));
      timed("verdict groups (outcomes + forecasts)", () => run(verdictGroupsQuery(scope)));
      timed("matches without a verdict", () => run(unjudgedQuery(scope)));
      const judges = timed("judges", () => run(judgesQuery(scope))) as Array<{
        judge: string;
        n: number;
        score: number;
      }>;
      const leaders = judges
        .sort((a, b) => b.score / b.n - a.score / a.n)
        .slice(0, 100)
        .map((j) => j.judge);
      timed("judge medians (leaderboard)", () => run(judgeMediansQuery(scope, leaders)));
      const cells = timed("questions × conditions", () => run(questionCellsQuery(scope))) as Array<{
        questionId: string;
        n: number;
      }>;
      const ids = [...new Set(cells.slice(0, 20).map((c) => c.questionId))];
      timed("question texts", () => run(questionTextQuery(ids)));
    };

    console.log(`\nTiming (${WARM_UP} warm-up runs, then ${REPEATS}):`);
    const sqlTime = await time("raw SQL aggregates (better-sqlite3)", direct);
    for (const [name, samples] of spent) {
      const sorted = samples.slice(WARM_UP).sort((a, b) => a - b);
      console.log(`  ${name.padEnd(42)} p50 ${percentile(sorted, 0.5).toFixed(1).padStart(7)} ms`);
    }
    const request = () => getStudyResults(db, studyId, filters);
    const write = liveWriter(file, studyId);
    const live = await time(`getStudyResults, live (+${NEW_PER_REQUEST} verdicts each)`, request, () =>
      write(NEW_PER_REQUEST),
    );
    const unchanged = await time("getStudyResults, nothing new", request);
    const cold = await time("getStudyResults, cold (kept aggregates dropped)", request, clearResultsCache);
    const ratio = live.p50 / sqlTime.p50;
    const pass = ratio <= TARGET_RATIO && live.p50 < TARGET_P50_MS;
    console.log(
      `ratio (p50) live ${ratio.toFixed(2)}×, nothing new ${(unchanged.p50 / sqlTime.p50).toFixed(2)}×, ` +
        `cold ${(cold.p50 / sqlTime.p50).toFixed(2)}× — target ≤ ${TARGET_RATIO}× and p50 < ${TARGET_P50_MS} ms (live): ${pass ? "PASS" : "FAIL"}`,
    );
    const after = await getStudyResults(db, studyId, filters);
    clearResultsCache();
    const recomputed = await getStudyResults(db, studyId, filters);
    const same = JSON.stringify({ ...after, generatedAt: 0 }) === JSON.stringify({ ...recomputed, generatedAt: 0 });
    console.log(
      `After ${((WARM_UP + REPEATS) * NEW_PER_REQUEST).toLocaleString("en")} live verdicts: ${after.verdicts.toLocaleString("en")} analysed; ` +
        `kept aggregates ${same ? "equal" : "DIFFER FROM"} a full recomputation.`,
    );

    // A reference for the speed of this machine at this moment, to compare runs made elsewhere or under load.
    const reference = new Float64Array(1_000_000).map(() => Math.random());
    start = performance.now();
    reference.sort();
    console.log(`Machine reference: sorting 1,000,000 doubles took ${(performance.now() - start).toFixed(0)} ms.`);

    console.log("\nResampling (informational, one run each, cold cache):");
    clearResultsCache();
    start = performance.now();
    const headline = await getHeadlineComparison(db, studyId, filters);
    console.log(
      `headline comparison (2,000 bootstrap replicates, 10,000 permutations, ${headline.differences.length} pairs): ${((performance.now() - start) / 1000).toFixed(2)} s`,
    );
    for (const d of headline.differences) console.log(`  ${d.summary}`);
    start = performance.now();
    await getHeadlineComparison(db, studyId, filters);
    console.log(`headline again (cached): ${(performance.now() - start).toFixed(1)} ms`);
    start = performance.now();
    const ratings = await getRatingIntervals(db, studyId, filters);
    console.log(
      `Bradley–Terry intervals (2,000 replicates, ${ratings?.games.toLocaleString("en")} games): ${((performance.now() - start) / 1000).toFixed(2)} s`,
    );
    raw.close();
    await db.$disconnect();
    if (!pass || !same) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as a script, not when another benchmark imports the seeding.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
