import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../lib/auth/audit";
import { createDb, type Db } from "../../lib/db/client";
import { asJson } from "../../lib/db/json";
import { EXPORT_TABLES, type ExportTable } from "../../lib/export/columns";
import { type ExportFormat, exportStudy } from "../../lib/export/export-study";
import { addStudyMember } from "../../lib/studies/repository";
import { authCallback, CookieJar } from "../support/auth";
import { runCrux } from "../support/cli";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createSyntheticSet, takeStudy } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * Every export table against the codebook (CSV header and JSONL keys are exactly the codebook's columns, in order),
 * the participant tables (external ids pseudonymised stably, raw on request; survey answers one row per participant
 * and question; every comprehension-check submission), and `table=all` as a zip through the API and the CLI, with
 * raw ids for the study's owner only.
 */

const SURVEY = [
  { id: "strategy", prompt: "How did you decide?", kind: "text" as const },
  { id: "confidence", prompt: "How confident were you?", kind: "scale" as const, required: true },
  { id: "device", prompt: "What did you use?", kind: "choice" as const, options: ["laptop", "phone"] },
];

/**
 * A launched study with a check, a survey and one match per participant, taken by three Prolific participants:
 * p-one fails the check once then finishes, p-two finishes skipping an optional question, p-three fails the check
 * twice and leaves. Plus a model call, an audit entry and an annotation, so that no table is empty.
 */
async function seedStudy(db: Db, source: string, ownerId: string) {
  await createSyntheticSet(db, { source, stories: 4, perStory: 1 });
  const { studyId } = await createLaunchedStudy(db, ownerId, {
    name: `Export tables ${source}`,
    questions: { source, count: 4, seed: 1 },
    conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
    questionsPerJudge: 1,
    comprehensionCheck: { questions: [{ question: "Who reads the story?", options: ["Debaters", "You"], answer: 0 }] },
    survey: SURVEY,
  });
  const one = await takeStudy(db, studyId, {
    pid: `${source}-p-one`,
    checks: [[1], [0]],
    survey: { strategy: "=Read the quotes", confidence: 5, device: "laptop" },
  });
  const two = await takeStudy(db, studyId, {
    pid: `${source}-p-two`,
    checks: [[0]],
    survey: { confidence: 3, device: "phone" },
  });
  const three = await takeStudy(db, studyId, { pid: `${source}-p-three`, checks: [[1], [1]] });
  const match = await db.match.findFirstOrThrow({ where: { studyId, judgeId: one.userId } });
  await db.modelCall.create({
    data: {
      matchId: match.id,
      round: 1,
      role: "debater",
      seat: "A",
      model: "offline:extractive",
      promptVersion: "debater-v3",
      promptHash: "abc",
      prompt: asJson({ system: "s", messages: [] }),
      output: "An argument",
      latencyMs: 12,
    },
  });
  await recordAudit(db, { actor: { id: ownerId }, action: "study.status", target: `study:${studyId}` });
  await db.annotation.create({ data: { matchId: match.id, authorId: ownerId, kind: "tag", tag: "clear win" } });
  return { studyId, one, two, three };
}

const csvRecords = (text: string) => parseCsv(text) as string[][];
const csvRows = (text: string) => parseCsv(text, { columns: true }) as Array<Record<string, string>>;
const jsonlRows = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function text(db: Db, studyId: string, table: ExportTable, format: ExportFormat, raw = false) {
  let out = "";
  for await (const chunk of exportStudy(db, studyId, { table, format, raw })) out += chunk;
  return out;
}

/** The codebook's columns of each table, in order, as the exported codebook itself lists them. */
function codebookColumns(codebook: Array<Record<string, unknown>>): Map<string, string[]> {
  const columns = new Map<string, string[]>();
  for (const row of codebook) {
    const table = String(row.table);
    columns.set(table, [...(columns.get(table) ?? []), String(row.column)]);
  }
  return columns;
}

const temp = tempDatabase("export-tables");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-export-tables-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("export tables", () => {
  let seeded: Awaited<ReturnType<typeof seedStudy>>;
  beforeAll(async () => {
    const db = temp.db();
    const owner = await db.user.create({ data: { role: "researcher", email: "tables-owner@example.org" } });
    seeded = await seedStudy(db, "tables", owner.id);
  });

  it("write exactly the codebook's columns, in order, in CSV headers and JSONL keys, and no table is empty", async () => {
    const db = temp.db();
    for (const format of ["csv", "jsonl"] as const) {
      const codebookText = await text(db, seeded.studyId, "codebook", format);
      const codebook = format === "csv" ? csvRows(codebookText) : jsonlRows(codebookText);
      const expected = codebookColumns(codebook);
      expect([...expected.keys()]).toEqual([...EXPORT_TABLES]);
      for (const row of codebook)
        expect(String(row.description).length, `${row.table}.${row.column}`).toBeGreaterThan(5);
      for (const table of EXPORT_TABLES) {
        const body = await text(db, seeded.studyId, table, format);
        if (format === "csv") {
          const [header, ...records] = csvRecords(body);
          expect(header, table).toEqual(expected.get(table));
          expect(records.length, table).toBeGreaterThan(0);
          for (const record of records) expect(record, table).toHaveLength(header?.length ?? 0);
        } else {
          const rows = jsonlRows(body);
          expect(rows.length, table).toBeGreaterThan(0);
          for (const row of rows) expect(Object.keys(row), table).toEqual(expected.get(table));
        }
      }
    }
  });

  it("list participants with pseudonymous external ids, stable across exports, and raw ones on request", async () => {
    const db = temp.db();
    const first = jsonlRows(await text(db, seeded.studyId, "participants", "jsonl"));
    const second = jsonlRows(await text(db, seeded.studyId, "participants", "jsonl"));
    expect(second).toEqual(first);
    expect(first).toHaveLength(3);
    const body = JSON.stringify(first);
    expect(body).not.toContain("p-one");
    expect(body).not.toContain(seeded.one.userId);
    for (const row of first) {
      expect(row.external_id).toMatch(/^x-[0-9a-f]{12}$/);
      expect(row.external_session_id).toMatch(/^x-[0-9a-f]{12}$/);
      expect(row.judge_id).toMatch(/^j-[0-9a-f]{12}$/);
    }
    const byId = new Map(first.map((r) => [r.participant_id, r]));
    expect(byId.get(seeded.one.participantId)).toMatchObject({
      stage: "done",
      status: "completed",
      check_failures: 1,
      matches_judged: 1,
      completion_code: "CRUX-COMPLETE",
      finished_at: expect.any(String),
      duration_ms: expect.any(Number),
    });
    expect(byId.get(seeded.three.participantId)).toMatchObject({
      status: "failed_check",
      check_failures: 2,
      matches_judged: 0,
    });
    // The participant's judge id is the one their verdicts carry.
    const verdicts = jsonlRows(await text(db, seeded.studyId, "verdicts", "jsonl"));
    expect(verdicts.map((v) => v.judge_id).sort()).toEqual(
      [byId.get(seeded.one.participantId)?.judge_id, byId.get(seeded.two.participantId)?.judge_id].sort(),
    );

    const raw = jsonlRows(await text(db, seeded.studyId, "participants", "jsonl", true));
    expect(new Map(raw.map((r) => [r.participant_id, r])).get(seeded.one.participantId)).toMatchObject({
      external_id: "tables-p-one",
      external_study_id: `study-of-${seeded.studyId}`,
      external_session_id: "s-tables-p-one",
      judge_id: seeded.one.userId,
    });
  });

  it("give one survey row per participant who submitted it and question, skipped ones marked", async () => {
    const db = temp.db();
    const rows = csvRows(await text(db, seeded.studyId, "survey_answers", "csv"));
    expect(rows).toHaveLength(2 * SURVEY.length);
    const answer = (participantId: string, questionId: string) =>
      rows.find((r) => r.participant_id === participantId && r.question_id === questionId);
    expect(answer(seeded.one.participantId, "strategy")).toMatchObject({
      position: "1",
      kind: "text",
      prompt: "How did you decide?",
      answered: "true",
      // A formula-like answer is neutralised in CSV.
      answer: "'=Read the quotes",
    });
    expect(answer(seeded.one.participantId, "confidence")).toMatchObject({ answer: "5", answer_number: "5" });
    expect(answer(seeded.two.participantId, "device")).toMatchObject({ answer: "phone", answer_number: "" });
    expect(answer(seeded.two.participantId, "strategy")).toMatchObject({ answered: "false", answer: "" });
    expect(rows.some((r) => r.participant_id === seeded.three.participantId)).toBe(false);
    const jsonl = jsonlRows(await text(db, seeded.studyId, "survey_answers", "jsonl"));
    expect(jsonl.find((r) => r.question_id === "strategy" && r.answered)?.answer).toBe("=Read the quotes");
  });

  it("keep every comprehension-check submission, failed and passed", async () => {
    const db = temp.db();
    const rows = jsonlRows(await text(db, seeded.studyId, "check_attempts", "jsonl"));
    const of = (participantId: string) =>
      rows
        .filter((r) => r.participant_id === participantId)
        .map((r) => [r.attempt, r.answers, r.correct, r.questions, r.passed]);
    expect(of(seeded.one.participantId)).toEqual([
      [1, "1", 0, 1, false],
      [2, "0", 1, 1, true],
    ]);
    expect(of(seeded.two.participantId)).toEqual([[1, "0", 1, 1, true]]);
    expect(of(seeded.three.participantId)).toEqual([
      [1, "1", 0, 1, false],
      [2, "1", 0, 1, false],
    ]);
  });

  it("crux export --table all --out x.zip writes every table and the codebook into one zip", {
    timeout: 180_000,
  }, async () => {
    const out = path.join(dir, "all.zip");
    const result = await runCrux(
      ["export", "--study", seeded.studyId, "--table", "all", "--format", "jsonl", "--out", out],
      temp.url,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`${EXPORT_TABLES.length} tables, \\d+ rows → `));
    const entries = unzipSync(fs.readFileSync(out));
    expect(Object.keys(entries).sort()).toEqual(EXPORT_TABLES.map((t) => `${t}.jsonl`).sort());
    const survey = jsonlRows(strFromU8(entries["survey_answers.jsonl"] ?? new Uint8Array()));
    expect(survey).toHaveLength(2 * SURVEY.length);
  });
});

describe("GET /api/studies/<id>/export: every table as a zip, raw ids for the owner", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";
  const cookies: Record<"owner" | "member", string> = { owner: "", member: "" };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    db = createDb(server.databaseUrl);
    for (const who of ["owner", "member"] as const) {
      const jar = new CookieJar();
      const email = `${who}-${Date.now()}@example.test`;
      const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
      if (!result.ok) throw new Error(`could not sign up ${who}: ${result.location}`);
      ids[who] = (await db.user.update({ where: { email }, data: { role: "researcher" } })).id;
      ids[`${who}Email`] = email;
      cookies[who] = jar.header();
    }
    studyId = (await seedStudy(db, "http", ids.owner ?? "")).studyId;
    await addStudyMember(db, studyId, ids.memberEmail ?? "");
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const get = (query: string, cookie: string) =>
    fetch(`${server.url}/api/studies/${studyId}/export${query}`, { headers: { cookie } });
  const zipOf = async (response: Response) => {
    const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
    return Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, strFromU8(data)]));
  };

  it("answers table=all with a zip of every table and the codebook, whose columns match", async () => {
    const response = await get("?table=all&format=csv", cookies.owner);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="export-tables-http-csv.zip"');
    const files = await zipOf(response);
    expect(Object.keys(files).sort()).toEqual(EXPORT_TABLES.map((t) => `${t}.csv`).sort());
    const expected = codebookColumns(csvRows(files["codebook.csv"] ?? ""));
    for (const table of EXPORT_TABLES)
      expect(csvRecords(files[`${table}.csv`] ?? "")[0], table).toEqual(expected.get(table));
    const survey = csvRows(files["survey_answers.csv"] ?? "");
    expect(
      survey
        .filter((r) => r.question_id === "confidence")
        .map((r) => r.answer)
        .sort(),
    ).toEqual(["3", "5"]);
    const participants = csvRows(files["participants.csv"] ?? "");
    expect(participants).toHaveLength(3);
    for (const row of participants) expect(row.external_id).toMatch(/^x-[0-9a-f]{12}$/);
  });

  it("gives the same pseudonyms on every download, to the owner and an added researcher alike", async () => {
    const pseudonyms = async (cookie: string) =>
      jsonlRows(await (await get("?table=participants&format=jsonl", cookie)).text())
        .map((r) => `${r.participant_id} ${r.external_id} ${r.judge_id}`)
        .sort();
    const first = await pseudonyms(cookies.owner);
    expect(await pseudonyms(cookies.owner)).toEqual(first);
    expect(await pseudonyms(cookies.member)).toEqual(first);
  });

  it("gives raw external ids to the owner only, and audits the raw download", async () => {
    const refused = await get("?table=all&raw=1", cookies.member);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/owner/) });
    expect(
      await db.auditLog.count({
        where: { action: "export.download", actorId: ids.member, target: `study:${studyId}` },
      }),
    ).toBe(1);

    const files = await zipOf(await get("?table=all&format=jsonl&raw=1", cookies.owner));
    const participants = jsonlRows(files["participants.jsonl"] ?? "");
    expect(participants.map((r) => r.external_id).sort()).toEqual(["http-p-one", "http-p-three", "http-p-two"]);
    const audited = await db.auditLog.findFirstOrThrow({
      where: { action: "export.download", actorId: ids.owner },
      orderBy: { id: "desc" },
    });
    expect(audited.details).toEqual({ table: "all", format: "jsonl", raw: true });
  });
});
