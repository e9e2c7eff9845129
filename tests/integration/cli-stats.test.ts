import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wilsonInterval } from "../../lib/analysis";
import { createDb, type Db } from "../../lib/db/client";
import { runCrux } from "../support/cli";

/**
 * `crux stats` on a study made and run the way a researcher would — `crux study create`, then
 * `crux study run --judge offline:heuristic` — checked against counts taken straight from the database.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-cli-stats-"));
const databaseUrl = `file:${path.join(dir, "crux.db")}`;
const crux = (...args: string[]) => runCrux(args, databaseUrl);
let db: Db;
let studyId = "";

const DESIGN = `
name: Stats study
questions: { source: quality, count: 8, seed: 11 }
conditions:
  - { name: debate, protocol: debate, rounds: 2 }
  - { name: consultancy, protocol: consultancy, rounds: 2 }
  - { name: naive, protocol: naive, rounds: 1 }
judgmentsPerQuestion: 1
`;

interface StatsJson {
  study: string;
  conditions: Array<{
    condition: string;
    protocol: string;
    n: number;
    correct: number;
    accuracy: number | null;
    ci: [number, number] | null;
  }>;
  differences: Array<{ a: string; b: string; estimate: number; ci: [number, number] | null; p: number }>;
}

beforeAll(async () => {
  const file = path.join(dir, "study.yaml");
  fs.writeFileSync(file, DESIGN);
  const created = await crux("study", "create", file);
  expect(created.stderr).toBe("");
  studyId = created.stdout.trim();
  const run = await crux("study", "run", studyId, "--judge", "offline:heuristic", "--concurrency", "4", "--json");
  expect(run.code, run.stderr).toBe(0);
  db = createDb(databaseUrl);
}, 300_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Per condition: complete, non-practice matches with a verdict, and how many verdicts were right. */
async function countsFromDatabase(): Promise<Map<string, { n: number; correct: number }>> {
  const matches = await db.match.findMany({
    where: { studyId, status: "complete", practice: false, verdict: { isNot: null } },
    select: { condition: true, verdict: { select: { correct: true } } },
  });
  const counts = new Map<string, { n: number; correct: number }>();
  for (const m of matches) {
    const c = counts.get(m.condition ?? "") ?? { n: 0, correct: 0 };
    c.n++;
    if (m.verdict?.correct) c.correct++;
    counts.set(m.condition ?? "", c);
  }
  return counts;
}

describe("crux stats", () => {
  it("prints per-condition accuracy and the default differences as JSON, matching the database", async () => {
    const result = await crux("stats", "--study", studyId, "--json", "--replicates", "300");
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout) as StatsJson;
    expect(stats.study).toBe(studyId);
    const counts = await countsFromDatabase();
    expect(stats.conditions.map((c) => [c.condition, c.protocol])).toEqual([
      ["debate", "debate"],
      ["consultancy", "consultancy"],
      ["naive", "naive"],
    ]);
    for (const c of stats.conditions) {
      const expected = counts.get(c.condition) ?? { n: 0, correct: 0 };
      expect(expected.n).toBe(8);
      expect(c.n).toBe(expected.n);
      expect(c.correct).toBe(expected.correct);
      expect(c.accuracy).toBeCloseTo(expected.correct / expected.n, 12);
      const w = wilsonInterval(expected.correct, expected.n);
      expect(c.ci?.[0]).toBeCloseTo(w?.lower ?? Number.NaN, 12);
      expect(c.ci?.[1]).toBeCloseTo(w?.upper ?? Number.NaN, 12);
    }
    const accuracy = (name: string) => {
      const c = counts.get(name) ?? { n: 1, correct: 0 };
      return c.correct / c.n;
    };
    expect(stats.differences.map((d) => [d.a, d.b])).toEqual([
      ["debate", "consultancy"],
      ["debate", "naive"],
    ]);
    for (const d of stats.differences) {
      expect(d.estimate).toBeCloseTo(accuracy(d.a) - accuracy(d.b), 12);
      expect(d.p).toBeGreaterThan(0);
      expect(d.p).toBeLessThanOrEqual(1);
      expect(d.ci).not.toBeNull();
      expect(d.ci?.[0]).toBeLessThanOrEqual(d.ci?.[1] ?? Number.NaN);
    }
  });

  it("compares only the conditions asked for, and prints a table without --json", async () => {
    const json = await crux(
      "stats",
      "--study",
      studyId,
      "--condition",
      "naive",
      "--condition",
      "consultancy",
      "--json",
    );
    const stats = JSON.parse(json.stdout) as StatsJson;
    expect(stats.conditions.map((c) => c.condition)).toEqual(["consultancy", "naive"]);
    expect(stats.differences.map((d) => [d.a, d.b])).toEqual([["naive", "consultancy"]]);

    const text = await crux("stats", "--study", studyId, "--replicates", "200");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^24 verdicts analysed; 0 matches left out/);
    expect(text.stdout).toMatch(/condition\s+protocol\s+n\s+correct\s+accuracy\s+95% CI/);
    expect(text.stdout).toMatch(/debate\s+debate\s+8\s+\d+\s+\d+\.\d%\s+\[\d+\.\d%, \d+\.\d%\]/);
    expect(text.stdout).toMatch(
      /debate − consultancy\s+[+-]\d+\.\d points\s+\[[+-]\d+\.\d, [+-]\d+\.\d\]\s+p [=<] 0?\.?\d/,
    );
    expect(text.stdout).toMatch(/Debate judges were right \d+% of the time vs \d+% with consultancy/);
  });

  it("fails with a message for an unknown study or bad options", async () => {
    const missing = await crux("stats", "--study", "no-such-study");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No such study/);
    const bad = await crux("stats", "--study", studyId, "--replicates", "5");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--replicates/);
  });
});
