import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { asJson } from "../../lib/db/json";
import { defaultMatchConfig } from "../../lib/debate/config";
import { EXPORT_COLUMNS, EXPORT_TABLES } from "../../lib/export/columns";
import { type ExportOptions, exportStudy } from "../../lib/export/export-study";
import { ensureExportKey, pseudonymiseJudge } from "../../lib/export/pseudonym";
import { authCallback, CookieJar } from "../support/auth";
import { runCrux } from "../support/cli";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * Study exports: every table streams in batches and round-trips (CSV through csv-parse, JSONL through JSON.parse)
 * to exactly what the database holds; judge ids are pseudonymised by default, stably; the CLI writes stdout or
 * files; the download route streams to researchers with access and refuses everyone else.
 */

const temp = tempDatabase("export");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-export-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Awkward text for CSV: commas, quotes, line breaks, a leading "=", non-ASCII. */
const tricky = (i: number) => `Turn ${i}, "quoted"\nsecond line — café =SUM(A1) <quote>the keeper counted</quote>`;

interface Seeded {
  studyId: string;
  judgeIds: string[];
}

/**
 * A launched study with `matches` matches: debates (2 seats × 5 rounds) and consultancies (1 × 5), judge steps every
 * round, verdicts, events; two abandoned, one errored, one practice. Written with createMany (fast, like a real run).
 */
async function seedStudy(db: Db, options: { source: string; matches: number; ownerId?: string; judges?: string[] }) {
  await createSyntheticSet(db, { source: options.source, stories: 4, perStory: 2 });
  const ownerId = options.ownerId ?? (await createResearcher(db)).id;
  const { studyId, version } = await createLaunchedStudy(db, ownerId, {
    name: `Export study ${options.source}`,
    questions: { source: options.source, count: 4, seed: 1 },
    conditions: [
      { name: "debate", protocol: "debate", rounds: 5 },
      { name: "consultancy", protocol: "consultancy", rounds: 5 },
    ],
  });
  const questions = await db.question.findMany({ where: { source: options.source }, orderBy: { externalId: "asc" } });
  const judgeIds =
    options.judges ??
    (
      await db.user.createManyAndReturn({
        data: Array.from({ length: 12 }, (_, i) => ({ role: "participant", name: `${options.source}-judge-${i}` })),
        select: { id: true },
      })
    ).map((u) => u.id);
  const matches = [];
  const turns = [];
  const steps = [];
  const verdicts = [];
  const events = [];
  for (let i = 0; i < options.matches; i++) {
    const id = `${options.source}-m${String(i).padStart(5, "0")}`;
    const question = questions[i % questions.length];
    if (!question) throw new Error("no questions");
    const consultancy = i % 3 === 2;
    const status = i === 1 || i === 2 ? "abandoned" : i === 3 ? "errored" : "complete";
    const seats = consultancy ? ["A"] : ["A", "B"];
    const started = new Date(Date.UTC(2025, 0, 1, 0, 0, i));
    matches.push({
      id,
      questionId: question.id,
      protocol: consultancy ? "consultancy" : "debate",
      config: asJson({
        ...defaultMatchConfig(i),
        protocol: consultancy ? "consultancy" : "debate",
        rounds: 5,
        optionOrder: i % 2 ? [1, 0] : [0, 1],
      }),
      debaters: asJson(
        consultancy
          ? [{ seat: "A", option: i % 2, model: "offline:extractive", honest: i % 2 === question.gold }]
          : [
              { seat: "A", option: 0, model: "offline:extractive" },
              { seat: "B", option: 1, model: "openai:gpt-4o-mini" },
            ],
      ),
      judgeId: judgeIds[i % judgeIds.length] ?? null,
      status,
      error: status === "complete" ? null : status === "abandoned" ? "participant left" : "model failed",
      startedAt: started,
      endedAt: new Date(started.getTime() + 60_000),
      studyId,
      studyVersionId: version.id,
      condition: consultancy ? "consultancy" : "debate",
      configHash: version.configHash,
      practice: i === 4,
    });
    for (let round = 1; round <= 5; round++) {
      for (const seat of seats) {
        turns.push({
          matchId: id,
          round,
          speaker: seat,
          option: seat === "A" ? (consultancy ? i % 2 : 0) : 1,
          text: tricky(i * 10 + round),
          quotes: asJson([
            { text: "the keeper counted", verified: round % 2 === 1, start: 0, end: 18 },
            { text: "nothing", verified: false },
          ]),
          model: seat === "A" ? "offline:extractive" : "openai:gpt-4o-mini",
          promptVersion: seat === "B" ? "debater-v3" : null,
          tokensIn: seat === "B" ? 1000 + round : null,
          tokensOut: seat === "B" ? 100 + round : null,
          latencyMs: 10 * round + i,
          createdAt: new Date(started.getTime() + round * 1000),
        });
      }
      steps.push({
        matchId: id,
        round,
        probabilities: asJson([0.1 * round, 1 - 0.1 * round]),
        action: round === 5 ? "end" : "continue",
        message: round === 2 ? `Why, "A"?\nExplain, ${i}.` : null,
        createdAt: new Date(started.getTime() + round * 1000 + 500),
      });
    }
    if (status === "complete") {
      const p0 = (i % 10) / 10 + 0.05;
      verdicts.push({
        matchId: id,
        probabilities: asJson([p0, 1 - p0]),
        chosen: p0 > 0.5 ? 0 : 1,
        correct: (p0 > 0.5 ? 0 : 1) === question.gold,
        score: Math.log(Math.max(question.gold === 0 ? p0 : 1 - p0, 0.01)),
        explanation: i % 5 === 0 ? 'Because, "reasons".' : null,
        rounds: 5,
        timeTakenMs: 1000 * i,
        createdAt: new Date(started.getTime() + 59_000),
      });
    }
    events.push(
      { matchId: id, type: "match.created", payload: asJson({ judge: judgeIds[i % judgeIds.length], note: "x,y" }) },
      { matchId: id, type: `match.${status}`, payload: asJson({}) },
    );
  }
  await db.match.createMany({ data: matches });
  await db.turn.createMany({ data: turns });
  await db.judgeStep.createMany({ data: steps });
  await db.verdict.createMany({ data: verdicts });
  await db.event.createMany({ data: events });
  return { studyId, judgeIds } satisfies Seeded;
}

async function collect(db: Db, studyId: string, options: ExportOptions): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of exportStudy(db, studyId, options)) chunks.push(chunk);
  return chunks;
}

const csvRows = (text: string) => parseCsv(text, { columns: true }) as Array<Record<string, string>>;
const jsonlRows = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const iso = (date: Date | null) => (date ? date.toISOString() : null);

describe("exportStudy", () => {
  let seeded: Seeded;
  let other: Seeded;
  beforeAll(async () => {
    const db = temp.db();
    seeded = await seedStudy(db, { source: "export-main", matches: 500 });
    // A second study judged by the same people, and a match outside any study: neither may leak in.
    other = await seedStudy(db, { source: "export-other", matches: 6, judges: seeded.judgeIds });
    const question = await db.question.findFirstOrThrow({ where: { source: "export-main" } });
    await db.match.create({
      data: {
        questionId: question.id,
        protocol: "debate",
        config: asJson(defaultMatchConfig(1)),
        debaters: [],
        judgeId: seeded.judgeIds[0],
      },
    });
  });

  it("streams thousands of turns in several chunks, and they round-trip through CSV", async () => {
    const db = temp.db();
    const chunks = await collect(db, seeded.studyId, { table: "turns", format: "csv" });
    const stored = await db.turn.findMany({
      where: { match: { studyId: seeded.studyId } },
      include: { match: { select: { condition: true, question: { select: { gold: true } } } } },
    });
    expect(stored.length).toBeGreaterThan(4000);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks[0]?.startsWith(`${EXPORT_COLUMNS.turns.join(",")}\n`)).toBe(true);
    expect(chunks[1]?.startsWith("study_id")).toBe(false);

    const rows = csvRows(chunks.join(""));
    expect(rows).toHaveLength(stored.length);
    const byKey = new Map(rows.map((r) => [`${r.match_id}/${r.round}/${r.speaker}`, r]));
    for (const turn of stored) {
      const row = byKey.get(`${turn.matchId}/${turn.round}/${turn.speaker}`);
      const quotes = turn.quotes as Array<{ verified: boolean }>;
      expect(row).toEqual({
        study_id: seeded.studyId,
        condition: turn.match.condition ?? "",
        protocol: turn.match.condition === "consultancy" ? "consultancy" : "debate",
        match_id: turn.matchId,
        round: String(turn.round),
        speaker: turn.speaker,
        option: String(turn.option),
        argues_correct: String(turn.option === turn.match.question.gold),
        model: turn.model,
        text: turn.text,
        quotes_verified: String(quotes.filter((q) => q.verified).length),
        quotes_total: String(quotes.length),
        prompt_version: turn.promptVersion ?? "",
        prompt_hash: "",
        tokens_in: turn.tokensIn === null ? "" : String(turn.tokensIn),
        tokens_out: turn.tokensOut === null ? "" : String(turn.tokensOut),
        latency_ms: String(turn.latencyMs),
        created_at: turn.createdAt.toISOString(),
      });
    }
    // Keyed order: grouped by match, rounds ascending.
    const order = rows.map((r) => `${r.match_id}/${(r.round ?? "").padStart(2, "0")}/${r.speaker}`);
    expect(order).toEqual([...order].sort());
  });

  it("exports verdicts that round-trip through CSV and JSONL, with pseudonymous judges by default", async () => {
    const db = temp.db();
    const key = await ensureExportKey(db, seeded.studyId);
    const stored = await db.match.findMany({
      where: { studyId: seeded.studyId, verdict: { isNot: null } },
      include: { verdict: true, question: true, studyVersion: true },
    });
    const csv = csvRows((await collect(db, seeded.studyId, { table: "verdicts", format: "csv" })).join(""));
    const jsonl = jsonlRows((await collect(db, seeded.studyId, { table: "verdicts", format: "jsonl" })).join(""));
    expect(csv).toHaveLength(stored.length);
    expect(jsonl).toHaveLength(stored.length);
    const csvById = new Map(csv.map((r) => [r.match_id, r]));
    const jsonById = new Map(jsonl.map((r) => [r.match_id, r]));
    for (const m of stored) {
      const v = m.verdict;
      if (!v || !m.judgeId) throw new Error("seeded verdicts have judges");
      const [p0, p1] = v.probabilities as [number, number];
      const expected = {
        study_id: seeded.studyId,
        version: m.studyVersion?.version,
        config_hash: m.configHash,
        condition: m.condition,
        match_id: m.id,
        question_id: m.questionId,
        question_external_id: m.question.externalId,
        judge_id: pseudonymiseJudge(key, m.judgeId),
        judge_kind: "human",
        gold: m.question.gold,
        chosen: v.chosen,
        correct: v.correct,
        p0,
        p1,
        score: v.score,
        rounds: v.rounds,
        time_taken_ms: v.timeTakenMs,
        started_at: iso(m.startedAt),
        verdict_at: iso(v.createdAt),
        match_status: "complete",
        practice: m.practice,
      };
      expect(jsonById.get(m.id)).toMatchObject(expected);
      expect(csvById.get(m.id)).toMatchObject(
        Object.fromEntries(Object.entries(expected).map(([k, value]) => [k, String(value)])),
      );
      expect(csvById.get(m.id)?.judge_id).not.toBe(m.judgeId);
      expect(jsonById.get(m.id)?.explanation).toBe(v.explanation);
    }
    const consultancy = jsonl.find((r) => r.condition === "consultancy");
    expect(consultancy?.consultant_honest).toEqual(expect.any(Boolean));
    expect(jsonl.find((r) => r.condition === "debate")).toMatchObject({
      debater_a_model: "offline:extractive",
      debater_b_model: "openai:gpt-4o-mini",
      consultant_honest: null,
    });
  });

  it("pseudonymises judges stably across exports, per study, and only when asked not to keeps user ids", async () => {
    const db = temp.db();
    const judgeIds = async (studyId: string, raw?: boolean) =>
      jsonlRows((await collect(db, studyId, { table: "verdicts", format: "jsonl", raw })).join("")).map(
        (r) => [r.match_id, r.judge_id] as const,
      );
    const first = await judgeIds(seeded.studyId);
    const second = await judgeIds(seeded.studyId);
    expect(second).toEqual(first);
    const pseudonyms = new Set(first.map(([, id]) => id));
    expect(pseudonyms.size).toBe(seeded.judgeIds.length);
    for (const id of pseudonyms) expect(id).toMatch(/^j-[0-9a-f]{12}$/);
    for (const raw of seeded.judgeIds) expect(pseudonyms.has(raw)).toBe(false);
    // The same people in another study get other pseudonyms.
    const elsewhere = new Set((await judgeIds(other.studyId)).map(([, id]) => id));
    expect([...elsewhere].some((id) => pseudonyms.has(id))).toBe(false);
    const raw = new Set((await judgeIds(seeded.studyId, true)).map(([, id]) => id));
    expect(raw).toEqual(new Set(seeded.judgeIds));
  });

  it("exports every match, abandoned and errored ones with their error, and the practice flag", async () => {
    const db = temp.db();
    const rows = csvRows((await collect(db, seeded.studyId, { table: "matches", format: "csv" })).join(""));
    expect(rows).toHaveLength(500);
    expect(rows.filter((r) => r.status === "abandoned").map((r) => r.error)).toEqual([
      "participant left",
      "participant left",
    ]);
    expect(rows.filter((r) => r.status === "errored").map((r) => r.error)).toEqual(["model failed"]);
    expect(rows.filter((r) => r.practice === "true")).toHaveLength(1);
    expect(rows.find((r) => r.status === "abandoned")).toMatchObject({
      has_verdict: "false",
      turns: expect.any(String),
    });
    expect(rows.find((r) => r.condition === "debate")).toMatchObject({
      turns: "10",
      judge_steps: "5",
      max_rounds: "5",
    });
  });

  it("exports judge steps and the event log, payloads with judges pseudonymised", async () => {
    const db = temp.db();
    const steps = jsonlRows((await collect(db, seeded.studyId, { table: "judge_steps", format: "jsonl" })).join(""));
    expect(steps).toHaveLength(await db.judgeStep.count({ where: { match: { studyId: seeded.studyId } } }));
    const step = await db.judgeStep.findFirstOrThrow({ where: { match: { studyId: seeded.studyId }, round: 2 } });
    expect(steps.find((s) => s.match_id === step.matchId && s.round === 2)).toMatchObject({
      message: step.message,
      p0: 0.2,
      action: "continue",
    });

    const events = jsonlRows((await collect(db, seeded.studyId, { table: "events", format: "jsonl" })).join(""));
    expect(events).toHaveLength(500 * 2);
    const created = events.find((e) => e.type === "match.created");
    const payload = JSON.parse(String(created?.payload));
    expect(payload.note).toBe("x,y");
    expect(payload.judge).toMatch(/^j-[0-9a-f]{12}$/);
    const ids = events.map((e) => Number(e.event_id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("neutralises spreadsheet formulas in CSV text cells and keeps them exact in JSONL", async () => {
    const db = temp.db();
    const formula = '=HYPERLINK("http://evil.example","click")';
    const step = await db.judgeStep.findFirstOrThrow({ where: { match: { studyId: seeded.studyId }, round: 3 } });
    await db.judgeStep.update({ where: { id: step.id }, data: { message: formula } });
    const csv = csvRows((await collect(db, seeded.studyId, { table: "judge_steps", format: "csv" })).join(""));
    const jsonl = jsonlRows((await collect(db, seeded.studyId, { table: "judge_steps", format: "jsonl" })).join(""));
    const find = <T extends Record<string, unknown>>(rows: T[]) =>
      rows.find((r) => r.match_id === step.matchId && Number(r.round) === 3);
    expect(find(csv)?.message).toBe(`'${formula}`);
    expect(find(jsonl)?.message).toBe(formula);
    // Numbers, negative scores included, are not text and stay numbers.
    const verdicts = csvRows((await collect(db, seeded.studyId, { table: "verdicts", format: "csv" })).join(""));
    expect(verdicts.some((v) => v.score?.startsWith("-"))).toBe(true);
  });

  it("writes a header for an empty table and refuses an unknown study", async () => {
    const db = temp.db();
    const study = await createLaunchedStudy(db, (await createResearcher(db)).id, {
      name: "Empty",
      questions: { source: "export-main", count: 2 },
      conditions: [{ name: "debate", protocol: "debate" }],
    });
    expect(await collect(db, study.studyId, { table: "verdicts", format: "csv" })).toEqual([
      `${EXPORT_COLUMNS.verdicts.join(",")}\n`,
    ]);
    expect(await collect(db, study.studyId, { table: "turns", format: "jsonl" })).toEqual([]);
    await expect(collect(db, "no-such-study", { table: "verdicts", format: "csv" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("crux export writes one table to stdout, or every table into a directory", { timeout: 180_000 }, async () => {
    const db = temp.db();
    const one = await runCrux(["export", "--study", other.studyId, "--format", "csv"], temp.url);
    expect(one.code, one.stderr).toBe(0);
    expect(csvRows(one.stdout)).toHaveLength(await db.verdict.count({ where: { match: { studyId: other.studyId } } }));
    expect(one.stderr).toMatch(/verdicts: \d+ rows/);

    const out = path.join(dir, "all");
    const all = await runCrux(
      ["export", "--study", other.studyId, "--format", "jsonl", "--table", "all", "--out", out, "--raw"],
      temp.url,
    );
    expect(all.code, all.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(EXPORT_TABLES.map((t) => `${t}.jsonl`).sort());
    const turns = jsonlRows(fs.readFileSync(path.join(out, "turns.jsonl"), "utf8"));
    expect(turns).toHaveLength(await db.turn.count({ where: { match: { studyId: other.studyId } } }));
    const judges = jsonlRows(fs.readFileSync(path.join(out, "verdicts.jsonl"), "utf8")).map((r) => r.judge_id);
    for (const id of judges) expect(seeded.judgeIds).toContain(id);

    const missing = await runCrux(["export", "--study", "nope"], temp.url);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no study with the id nope/);
  });
});

describe("GET /api/studies/<id>/export", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";
  let ownerId = "";
  const cookies: Record<"owner" | "other", string> = { owner: "", other: "" };

  beforeAll(async () => {
    server = await startServer();
    db = createDb(server.databaseUrl);
    const ids: Record<string, string> = {};
    for (const who of ["owner", "other"] as const) {
      const jar = new CookieJar();
      const email = `${who}-${Date.now()}@example.test`;
      const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
      if (!result.ok) throw new Error(`could not sign up ${who}: ${result.location}`);
      ids[who] = (await db.user.update({ where: { email }, data: { role: "researcher" } })).id;
      cookies[who] = jar.header();
    }
    ownerId = ids.owner ?? "";
    studyId = (await seedStudy(db, { source: "export-http", matches: 30, ownerId: ids.owner })).studyId;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const get = (query: string, cookie?: string) =>
    fetch(`${server.url}/api/studies/${studyId}/export${query}`, { headers: cookie ? { cookie } : {} });

  it("streams the table to the study's researcher as an attachment", async () => {
    const response = await get("?table=turns&format=jsonl", cookies.owner);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="export-study-export-http-turns.jsonl"',
    );
    const rows = jsonlRows(await response.text());
    expect(rows).toHaveLength(await db.turn.count({ where: { match: { studyId } } }));
    expect(rows[0]).toMatchObject({ study_id: studyId, round: 1 });

    const csv = await get("", cookies.owner);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const verdicts = csvRows(await csv.text());
    expect(verdicts).toHaveLength(await db.verdict.count({ where: { match: { studyId } } }));
    for (const row of verdicts) expect(row.judge_id).toMatch(/^j-[0-9a-f]{12}$/);

    // Each download is in the audit log, with who asked for which table.
    const audited = await db.auditLog.findMany({
      where: { action: "export.download", target: `study:${studyId}` },
      orderBy: { id: "asc" },
    });
    expect(audited.map((e) => [e.actorId, e.details])).toEqual([
      [ownerId, { table: "turns", format: "jsonl", raw: false }],
      [ownerId, { table: "verdicts", format: "csv", raw: false }],
    ]);
  });

  it("refuses anonymous visitors (401), other researchers (403) and bad queries (400), in JSON", async () => {
    const anonymous = await get("");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "NOT_AUTHENTICATED" });
    const other = await get("", cookies.other);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: "FORBIDDEN" });
    const bad = await get("?table=users", cookies.owner);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^table:/) });
    // Refused downloads are not audited as downloads.
    expect(await db.auditLog.count({ where: { action: "export.download", actorId: { not: ownerId } } })).toBe(0);
  });
});
