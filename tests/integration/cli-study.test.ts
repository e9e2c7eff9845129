import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client";
import { runCrux } from "../support/cli";
import { type FakeLlmServer, startFakeLlmServer } from "../support/fake-llm/server";
import { markTestProcess } from "../support/processes";

/**
 * `crux study create` and `crux study run` as a researcher uses them: a design file, an automated run with an AI
 * judge (the loopback OpenAI-compatible server) that is killed part-way (as a crash would), then resumed, ending
 * with exactly the planned matches.
 */

const root = path.resolve(import.meta.dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-cli-study-"));
const databaseUrl = `file:${path.join(dir, "crux.db")}`;
let llm: FakeLlmServer;
/** The AI judge: the loopback OpenAI-compatible server, answering each call after a fixed 40 ms. */
const JUDGE = "openai-compatible:local/judge";
const llmEnv = () => ({ CRUX_PROVIDER_LOCAL_BASE_URL: `${llm.url}/v1` });
const crux = (...args: string[]) => runCrux(args, databaseUrl, llmEnv());

beforeAll(async () => {
  llm = await startFakeLlmServer({ latencyMs: 40 });
});
afterAll(async () => {
  await llm.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DESIGN = `
name: Resumable run
questions: { source: quality, count: 10, seed: 3 }
conditions:
  - { name: debate, protocol: debate, rounds: 2 }
  - { name: consultancy, protocol: consultancy, rounds: 2 }
judgmentsPerQuestion: 2
questionsPerJudge: 3
`;

/** Starts `crux study run` and kills it (SIGKILL: no clean-up at all) once `after` matches are reported done. */
function runAndKill(studyId: string, after: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...llmEnv(),
      DATABASE_URL: databaseUrl,
      CRUX_LOG: "error",
      ...markTestProcess("crux study run (killed)"),
    };
    const child = spawn(
      process.execPath,
      [path.join(root, "bin", "crux.mjs"), "study", "run", studyId, "--judge", JUDGE, "--concurrency", "3"],
      // Its own process group, so the kill takes the wrapper and the tsx process it starts, as a crash would.
      { env, cwd: os.tmpdir(), detached: true },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const done = [...stderr.matchAll(/\] (\d+)\/\d+ done/g)].map((m) => Number(m[1]));
      if (Math.max(0, ...done) >= after && child.pid) process.kill(-child.pid, "SIGKILL");
    });
    child.on("error", reject);
    child.on("close", () => resolve(stderr));
  });
}

describe("crux study", () => {
  it("reports every problem of a bad design file with its line", async () => {
    const file = path.join(dir, "bad.yaml");
    fs.writeFileSync(
      file,
      "name: Bad\nconditions:\n  - name: one\n    protocol: debat\n  - name: one\n    protocol: naive\nquestionsPerJudge: 0\n",
    );
    const result = await crux("study", "create", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 4: Condition 1 – protocol: must be one of debate, interactive/);
    expect(result.stderr).toMatch(/line 7: Questions per participant: must be at least 1 question\n/);
    // Rules across fields are checked once the fields themselves are valid.
    fs.writeFileSync(
      file,
      "name: Dup\nconditions:\n  - name: one\n    protocol: debate\n  - name: one\n    protocol: naive\n",
    );
    const duplicate = await crux("study", "create", file);
    expect(duplicate.stderr).toMatch(/line 5: Condition 2 – name: condition names must differ/);
    fs.writeFileSync(file, "name: [unclosed\n");
    const syntax = await crux("study", "create", file);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/line \d+/);
  });

  it("runs a study with an AI judge, survives being killed mid-run, and resumes to exactly the planned matches", async () => {
    const file = path.join(dir, "study.yaml");
    fs.writeFileSync(file, DESIGN);
    const created = await crux("study", "create", file);
    expect(created.stderr).toBe("");
    const studyId = created.stdout.trim();
    expect(studyId).toMatch(/^[a-z0-9]{20,}$/);

    const planned = 10 * 2 * 2;
    const firstLog = await runAndKill(studyId, 10);
    expect(firstLog).toMatch(/done/);

    const db = createDb(databaseUrl);
    try {
      const afterKill = await db.match.findMany({ where: { studyId }, select: { status: true } });
      const completeAfterKill = afterKill.filter((m) => m.status === "complete").length;
      expect(completeAfterKill).toBeGreaterThanOrEqual(10);
      expect(completeAfterKill).toBeLessThan(planned);

      const resumed = await crux("study", "run", studyId, "--judge", JUDGE, "--concurrency", "3", "--json");
      expect(resumed.code).toBe(0);
      const summary = JSON.parse(resumed.stdout) as Record<string, number | string>;
      expect(summary).toMatchObject({ status: "complete", total: planned, errored: 0 });
      expect(summary.skipped).toBe(completeAfterKill);
      expect(Number(summary.completed) + Number(summary.skipped)).toBe(planned);

      // Exactly one complete match per planned judgment: none missing, none run twice.
      const matches = await db.match.findMany({
        where: { studyId, status: "complete" },
        select: { planKey: true, configHash: true, condition: true, judgeModel: true },
      });
      expect(matches).toHaveLength(planned);
      expect(new Set(matches.map((m) => m.planKey)).size).toBe(planned);
      const version = await db.studyVersion.findFirstOrThrow({ where: { studyId } });
      expect(new Set(matches.map((m) => m.configHash))).toEqual(new Set([version.configHash]));
      expect(new Set(matches.map((m) => m.judgeModel))).toEqual(new Set([JUDGE]));
      // Nothing is left dangling: matches the kill interrupted were continued, not left running.
      expect(await db.match.count({ where: { studyId, status: { in: ["running", "waiting"] } } })).toBe(0);

      const again = await crux("study", "run", studyId, "--judge", JUDGE);
      expect(again.stdout).toContain(`0 completed, 0 errored, ${planned} skipped as already done`);
    } finally {
      await db.$disconnect();
    }
  }, 180_000);

  it("refuses models it cannot call: in the file with their lines, and at --launch before storing anything", async () => {
    const file = path.join(dir, "models.yaml");
    fs.writeFileSync(
      file,
      "name: Models\nquestions: { count: 2 }\nconditions:\n  - name: one\n    protocol: debate\n" +
        "    debaters: gpt9000\n    judge: foo:bar\n",
    );
    const typos = await crux("study", "create", file, "--launch");
    expect(typos.code).toBe(1);
    expect(typos.stderr).toContain(
      "line 6: Condition 1 – debaters: `gpt9000` is not a model spec — write provider:model, e.g. openai:gpt-4o-mini",
    );
    expect(typos.stderr).toContain(
      "line 7: Condition 1 – judge: `foo:bar` — unknown provider `foo` (known: offline, openai, anthropic, openai-compatible)",
    );

    fs.writeFileSync(
      file,
      "name: Models\nquestions: { count: 2 }\nconditions:\n  - name: one\n    protocol: debate\n" +
        "    debaters: openai:gpt-4o\n    judge: openai-compatible:local/judge\n",
    );
    const unconfigured = await crux("study", "create", file, "--launch");
    expect(unconfigured.code).toBe(1);
    expect(unconfigured.stderr).toContain(
      "cannot be launched here:\n  Condition 1 – debaters: `openai:gpt-4o` — OPENAI_API_KEY is not set on this server",
    );
    // The loopback server is configured (CRUX_PROVIDER_LOCAL_BASE_URL): its judge is not named.
    expect(unconfigured.stderr).not.toContain("openai-compatible:local/judge");
    // Nothing was stored: no study of that name.
    const listed = await crux("study", "list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toMatch(/\tModels$/m);
  });

  it("refuses to run conditions judged by people without an AI judge", async () => {
    const file = path.join(dir, "human.yaml");
    fs.writeFileSync(file, "name: Human\nquestions: { count: 2 }\nconditions:\n  - { name: naive, protocol: naive }\n");
    const studyId = (await crux("study", "create", file)).stdout.trim();
    const result = await crux("study", "run", studyId);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/naive is judged by people: pass an AI judge/);
  });
});
