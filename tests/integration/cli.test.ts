import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDb } from "../../lib/db/client";
import { runCrux } from "../support/cli";

const root = path.resolve(import.meta.dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-cli-"));
const databaseUrl = `file:${path.join(dir, "crux.db")}`;

/** `crux …` as a researcher runs it, on this test's own database, with no provider configured. */
function crux(...args: string[]) {
  return runCrux(args, databaseUrl);
}

/** The documented, stable output of `crux debate --json` (docs/cli.md). */
const debateJson = z.object({
  matchId: z.string(),
  question: z.object({ text: z.string().min(1), options: z.array(z.string()).length(2) }),
  gold: z.number().int().min(0).max(1),
  turns: z.array(
    z.object({
      round: z.number().int(),
      speaker: z.enum(["A", "B"]),
      text: z.string().min(1),
      quotes: z.array(z.object({ text: z.string(), verified: z.boolean() })),
    }),
  ),
  judgeSteps: z.array(z.object({ round: z.number().int(), probabilities: z.array(z.number()).length(2) })),
  verdict: z.object({
    probabilities: z.array(z.number()).length(2),
    chosen: z.number().int(),
    correct: z.boolean(),
    score: z.number(),
  }),
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npx crux", () => {
  it("runs a whole debate headlessly, stores it and prints the documented JSON", async () => {
    const { stdout, code, stderr } = await crux(
      "debate",
      "--question",
      "random",
      "--rounds",
      "3",
      "--seed",
      "11",
      "--json",
    );
    expect(code, stderr).toBe(0);
    const result = debateJson.parse(JSON.parse(stdout));
    const rounds = result.verdict ? new Set(result.turns.map((t) => t.round)).size : 0;
    expect(rounds).toBeGreaterThanOrEqual(1);
    expect(result.turns).toHaveLength(rounds * 2);
    expect(result.judgeSteps).toHaveLength(rounds);
    expect(result.turns.flatMap((t) => t.quotes).every((q) => q.verified)).toBe(true);
    expect(result.verdict.correct).toBe(result.verdict.chosen === result.gold);
    // The log rule (the default): 1 + log₂ of the probability on the correct answer, floored at 0.01.
    expect(result.verdict.score).toBeCloseTo(
      1 + Math.log2(Math.max(0.01, result.verdict.probabilities[result.gold] ?? 0)),
    );

    const db = createDb(databaseUrl);
    const stored = await db.match.findUniqueOrThrow({
      where: { id: result.matchId },
      include: { turns: true, verdict: true },
    });
    expect(stored.status).toBe("complete");
    expect(stored.judgeModel).toBe("offline:heuristic");
    expect(stored.turns).toHaveLength(result.turns.length);
    expect(stored.turns.every((t) => t.model === "offline:extractive" && t.promptVersion)).toBe(true);
    expect(stored.verdict?.score).toBe(result.verdict.score);
    await db.$disconnect();

    // The same seed replays the same debate (question, sides and every word).
    const again = debateJson.parse(JSON.parse((await crux("debate", "--seed", "11", "--json")).stdout));
    expect(again.matchId).not.toBe(result.matchId);
    expect(again.question).toEqual(result.question);
    expect(again.turns).toEqual(result.turns);
  });

  it("rejects bad options with a clear message", async () => {
    const badRounds = await crux("debate", "--rounds", "zero");
    expect(badRounds.code).toBe(1);
    expect(badRounds.stderr).toMatch(/--rounds/);
    const badModel = await crux("debate", "--debaters", "nobody:model");
    expect(badModel.code).toBe(1);
    expect(badModel.stderr).toMatch(/--debaters: `nobody:model` — unknown provider `nobody` \(known: offline, openai/);
    const badQuestion = await crux("debate", "--question", "no-such-id");
    expect(badQuestion.code).toBe(1);
    expect(badQuestion.stderr).toMatch(/No question with id no-such-id/);
  });

  it("imports questions, reporting bad rows by line, and debates them", async () => {
    const bad = await crux("import", "questions", path.join(root, "lib/questions/fixtures/bad.jsonl"), "--set", "mine");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^line 2: invalid JSON/m);
    expect(bad.stderr).toMatch(/nothing was imported/);

    const good = await crux(
      "import",
      "questions",
      path.join(root, "lib/questions/fixtures/good.jsonl"),
      "--set",
      "mine",
    );
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/Imported 3 questions into set "mine"/);

    const debate = await crux("debate", "--source", "mine", "--rounds", "1", "--json");
    expect(debate.code, debate.stderr).toBe(0);
    expect(debateJson.parse(JSON.parse(debate.stdout)).question.text).toMatch(/\?$/);
  });
});
