import { beforeAll, describe, expect, it } from "vitest";
import { createSyntheticSet } from "../../tests/support/studies";
import { tempDatabase } from "../../tests/support/temp-db";
import { immutableRecordViolation } from "../db/errors";
import type { TurnRecord } from "../debate/types";
import { createDebateMatch } from "./create";
import { getStoredMatch, saveJudgeStep, saveTurn, setMatchStatus } from "./repository";

/**
 * Verdicts and completed turns are immutable in the database itself (migration 20261204183000_immutable_records):
 * any UPDATE is refused, a DELETE too unless the whole match goes (cascade). The repository's own writes still work:
 * a turn saved twice is kept once, and the verdict's transaction commits.
 */

const temp = tempDatabase("immutable");
const SOURCE = "immutable-set";

beforeAll(async () => {
  await createSyntheticSet(temp.db(), { source: SOURCE, stories: 1, perStory: 1 });
});

const meta = { model: "offline:extractive", promptVersion: "test", latencyMs: 5 };
const turn = (speaker: "A" | "B", option: number, text = "An argument."): TurnRecord => ({
  round: 1,
  speaker,
  option,
  text,
  quotes: [],
  model: "offline:extractive",
});

/** A match with both opening turns and the verdict stored through the repository. */
async function playedMatch() {
  const db = temp.db();
  const { id } = await createDebateMatch(db, { source: SOURCE, judgeId: null, config: { rounds: 1 } });
  await setMatchStatus(db, id, "running");
  await saveTurn(db, id, turn("A", 0), meta);
  await saveTurn(db, id, turn("B", 1), meta);
  const step = { round: 1, probabilities: [0.3, 0.7], action: "end" as const, message: null };
  const verdict = {
    probabilities: [0.3, 0.7],
    chosen: 1,
    correct: true,
    score: -0.36,
    explanation: null,
    rounds: 1,
    timeTakenMs: 1000,
  };
  await saveJudgeStep(db, id, step, verdict);
  return id;
}

/** The immutability trigger's message a write was refused with (fails the test if it succeeded or failed otherwise). */
async function refusal(write: Promise<unknown>): Promise<string | null> {
  const error = await write.then(
    () => new Error("the write succeeded"),
    (e: unknown) => e,
  );
  return immutableRecordViolation(error);
}

describe("immutable records", () => {
  it("keeps a turn saved twice once, with its first text (the repository's INSERT-then-unique-violation)", async () => {
    const db = temp.db();
    const id = await playedMatch();
    await saveTurn(db, id, turn("A", 0, "A second version."), meta);
    const stored = await getStoredMatch(db, id);
    expect(stored?.turns.map((t) => t.text)).toEqual(["An argument.", "An argument."]);
    expect(stored?.verdict).toMatchObject({ chosen: 1 });
  });

  it("refuses to update or delete a turn or a verdict", async () => {
    const db = temp.db();
    const id = await playedMatch();
    expect(await refusal(db.turn.updateMany({ where: { matchId: id }, data: { text: "Rewritten." } }))).toMatch(
      /Turn rows are immutable/,
    );
    expect(await refusal(db.turn.deleteMany({ where: { matchId: id } }))).toMatch(/Turn rows are immutable/);
    expect(await refusal(db.verdict.update({ where: { matchId: id }, data: { chosen: 0 } }))).toMatch(
      /Verdict rows are immutable/,
    );
    expect(await refusal(db.verdict.delete({ where: { matchId: id } }))).toMatch(/Verdict rows are immutable/);
    const stored = await getStoredMatch(db, id);
    expect(stored?.turns).toHaveLength(2);
    expect(stored?.turns.every((t) => t.text === "An argument.")).toBe(true);
    expect(stored?.verdict).toMatchObject({ chosen: 1, probabilities: [0.3, 0.7] });
    expect(stored?.judgeSteps.map((s) => s.action)).toEqual(["end"]);
  });

  it("lets a whole match be deleted, its records with it (cascade)", async () => {
    const db = temp.db();
    const id = await playedMatch();
    await db.match.delete({ where: { id } });
    expect(await db.turn.count({ where: { matchId: id } })).toBe(0);
    expect(await db.verdict.count({ where: { matchId: id } })).toBe(0);
    expect(await db.judgeStep.count({ where: { matchId: id } })).toBe(0);
  });
});
