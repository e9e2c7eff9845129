import { describe, expect, it } from "vitest";
import type { OutcomeRow } from "./results-rows";
import { mergeAggregates } from "./verdict-aggregates";

const group = (n: number, correct: number, chosen = 0): OutcomeRow => ({
  part: "outcome",
  condition: "debate",
  protocol: "debate",
  bucket: "included",
  rounds: 3n,
  debaters: null,
  chosen,
  ok: null,
  probabilities: null,
  n: BigInt(n),
  correct: BigInt(correct),
  score: 0.5 * n,
});

describe("mergeAggregates", () => {
  it("adds sums by their GROUP BY columns, reading bigints", () => {
    const first = mergeAggregates(undefined, {
      groups: [group(2, 1), group(1, 1, 1)],
      judges: [{ judge: "u1", kind: "human", n: 2, correct: 1, score: 1 }],
      questions: [{ questionId: "q1", condition: "debate", n: 2, correct: 1 }],
    });
    expect(first.groups.size).toBe(2);
    const next = mergeAggregates(first, {
      groups: [group(3, 2)],
      judges: [
        { judge: "u1", kind: "human", n: 1, correct: 1, score: 0.5 },
        { judge: "u1", kind: "ai", n: 1, correct: 0, score: 0 },
      ],
      questions: [{ questionId: "q1", condition: "debate", n: 1, correct: 0 }],
    });
    const sums = [...next.groups.values()].map((g) => [g.chosen, g.n, g.correct, g.score]);
    expect(sums).toEqual([
      [0, 5, 3, 2.5],
      [1, 1, 1, 0.5],
    ]);
    expect([...next.judges.values()].map((j) => [j.kind, j.n, j.correct, j.score])).toEqual([
      ["human", 3, 2, 1.5],
      ["ai", 1, 0, 0],
    ]);
    expect([...next.questions.values()]).toEqual([{ questionId: "q1", condition: "debate", n: 3, correct: 1 }]);
  });

  it("leaves the aggregates it started from as they were", () => {
    const base = mergeAggregates(undefined, {
      groups: [group(2, 1)],
      judges: [],
      questions: [{ questionId: "q1", condition: "debate", n: 2, correct: 1 }],
    });
    const before = structuredClone(base);
    mergeAggregates(base, {
      groups: [group(4, 4)],
      judges: [],
      questions: [{ questionId: "q1", condition: "debate", n: 5, correct: 0 }],
    });
    expect(base).toEqual(before);
  });
});
