import { describe, expect, it } from "vitest";
import { judgeLabel, questionRows, rankJudges, ratingOutcomes, topQuestions } from "./results-rankings";
import type { OutcomeRow } from "./results-rows";

describe("rankings", () => {
  it("lists the most judged questions, ties by id, the hardest first among equals", () => {
    const questions = topQuestions(
      [
        { questionId: "q2", condition: "debate", n: 2, correct: 2 },
        { questionId: "q1", condition: "naive", n: 1, correct: 0 },
        { questionId: "q1", condition: "debate", n: 1, correct: 1 },
        { questionId: "q3", condition: "debate", n: 1, correct: 1 },
        { questionId: "q4", condition: "debate", n: 0, correct: 0 },
      ],
      2,
    );
    expect(questions.top).toEqual([
      { questionId: "q1", n: 2 },
      { questionId: "q2", n: 2 },
    ]);
    expect(questions.count).toBe(3);
    const order = new Map([
      ["debate", 0],
      ["naive", 1],
    ]);
    const rows = questionRows(questions, new Map([["q1", "Is it?"]]), order);
    expect(rows.map((r) => [r.questionId, r.text, r.accuracy])).toEqual([
      ["q1", "Is it?", 0.5],
      ["q2", "", 1],
    ]);
    expect(rows[0]?.byCondition.map((c) => c.condition)).toEqual(["debate", "naive"]);
  });

  it("ranks judges by mean score, then verdicts, pseudonymising humans", () => {
    const ranked = rankJudges([
      { judge: "u1", kind: "human", n: 2, correct: 1, score: 1 },
      { judge: "openai:gpt", kind: "ai", n: 4, correct: 4, score: 2 },
      { judge: "u2", kind: "human", n: 1, correct: 1, score: 0.9 },
    ]);
    expect(ranked.map((j) => [j.label, j.meanScore, j.accuracy])).toEqual([
      [judgeLabel("u2"), 0.9, 1],
      ["openai:gpt", 0.5, 1],
      [judgeLabel("u1"), 0.5, 0.5],
    ]);
    expect(ranked.every((j) => j.medianTimeMs === null)).toBe(true);
  });

  it("turns included debates between two models into rating games", () => {
    const seats = (a: string, b: string) => [
      { seat: "A", option: 0, model: a },
      { seat: "B", option: 1, model: b },
    ];
    const row = (over: Partial<OutcomeRow>): OutcomeRow => ({
      part: "outcome",
      condition: "debate",
      protocol: "debate",
      bucket: "included",
      rounds: 3,
      debaters: seats("x", "y"),
      chosen: 1,
      ok: null,
      probabilities: null,
      n: 2,
      correct: 0,
      score: 0,
      ...over,
    });
    const games = ratingOutcomes([
      row({}),
      row({ debaters: seats("x", "x") }),
      row({ bucket: "practice" }),
      row({ part: "forecast" }),
      row({ chosen: 0, n: 1 }),
    ]);
    expect(games).toEqual([
      { a: "x", b: "y", scoreA: 0 },
      { a: "x", b: "y", scoreA: 0 },
      { a: "x", b: "y", scoreA: 1 },
    ]);
  });
});
