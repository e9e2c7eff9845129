import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCrux } from "../support/cli";
import { tempDatabase } from "../support/temp-db";

/**
 * The NYU 2023 release, imported as a researcher would (`crux import nyu-2023 <release>`), gives the judge-accuracy
 * table of Michael et al. 2023, "Debate Helps Supervise Unreliable Experts", with `crux stats --tag in-paper`: per
 * condition the same judgments and the same accuracy (to 0.1 point). The published figures (abstract: debate 84%,
 * consultancy 74%) are the analysis's convention — a room's live judge's final judgement, a 50/50 one counted half
 * correct — over the rooms the release marks `includedInPaper` (docs/debate-import-format.md). That needs ties
 * stored as such, debates longer than a live match (up to 25 rounds) and tags that filter. One import, several reads.
 */

const release = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "nyu-debate-2023");
const temp = tempDatabase("nyu-paper-table");
let studyId = "";

/** Judgments and accuracy (percent, 0.1 point) per condition of the paper's table. */
const PAPER_TABLE = {
  "human-debate": { n: 154, accuracy: 84.4 },
  "human-consultancy": { n: 96, accuracy: 74.5 },
  "ai-debate": { n: 87, accuracy: 78.2 },
  "ai-consultancy": { n: 76, accuracy: 80.3 },
};

interface StatsJson {
  conditions: Array<{ condition: string; n: number; correct: number; accuracy: number | null }>;
}

async function stats(...tags: string[]): Promise<StatsJson> {
  const args = ["stats", "--study", studyId, "--json", "--replicates", "100", ...tags.flatMap((t) => ["--tag", t])];
  const result = await runCrux(args, temp.url);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatsJson;
}

beforeAll(async () => {
  const result = await runCrux(["import", "nyu-2023", release, "--json"], temp.url);
  expect(result.code, result.stderr).toBe(0);
  const body = JSON.parse(result.stdout) as { imported: number; studyId: string };
  expect(body.imported).toBe(517);
  studyId = body.studyId;
}, 600_000);

describe("the NYU 2023 release reproduces the paper's table", () => {
  it("crux stats --tag in-paper gives each condition's judgments and accuracy", async () => {
    const { conditions } = await stats("in-paper");
    const table = Object.fromEntries(
      conditions.map((c) => [c.condition, { n: c.n, accuracy: Math.round((c.accuracy ?? 0) * 1000) / 10 }]),
    );
    expect(table).toEqual(PAPER_TABLE);
    // The one 50/50 final judgement among them counts half.
    expect(conditions.find((c) => c.condition === "human-consultancy")?.correct).toBe(71.5);
  }, 120_000);

  it("keeps ties and long debates the live limits would refuse", async () => {
    const db = temp.db();
    const ties = await db.verdict.findMany({ where: { chosen: null }, select: { correct: true, probabilities: true } });
    expect(ties.length).toBeGreaterThan(0);
    for (const tie of ties) expect(tie).toEqual({ correct: false, probabilities: [0.5, 0.5] });
    expect(await db.verdict.count({ where: { rounds: { gt: 10 } } })).toBeGreaterThan(0);
  });

  it("repeated tags must all match, on the match or its question", async () => {
    const { conditions } = await stats("in-paper", "human-debate");
    expect(conditions.filter((c) => c.n > 0).map((c) => [c.condition, c.n])).toEqual([["human-debate", 154]]);
    const none = await stats("in-paper", "no-such-tag");
    expect(none.conditions.every((c) => c.n === 0)).toBe(true);
  }, 120_000);

  it("crux export --tag exports only the matches carrying every tag", async () => {
    const result = await runCrux(
      ["export", "--study", studyId, "--table", "verdicts", "--format", "jsonl", "--tag", "in-paper"],
      temp.url,
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { tags: string; condition: string });
    expect(rows).toHaveLength(413);
    expect(rows.every((r) => r.tags.split("|").includes("in-paper"))).toBe(true);
  }, 120_000);
});
