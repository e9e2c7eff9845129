import { describe, expect, it } from "vitest";
import { compareWithOriginals } from "./recorded-comparison";

describe("recorded conditions against their original judges", () => {
  const rows = [
    { condition: "replay", source: "a", n: 2, correct: 2 },
    { condition: "replay", source: "b", n: 2, correct: 1 },
    { condition: "replay", source: "c", n: 1, correct: 0.5 },
    { condition: "replay", source: "lost", n: 3, correct: 3 },
    { condition: "other", source: "a", n: 1, correct: 0 },
  ];
  // a right, b wrong, c a 50/50 original verdict (half), "lost" has no original verdict.
  const originals = new Map([
    ["a", 1],
    ["b", 0],
    ["c", 0.5],
  ]);

  it("pairs each new verdict with its debate's original verdict, ties counting half", () => {
    const [replay, other] = compareWithOriginals(rows, originals, ["replay", "missing", "other"], { replicates: 500 });
    expect(replay).toMatchObject({ condition: "replay", debates: 3, n: 5, unpaired: 3 });
    expect(replay?.newJudges.correct).toBe(3.5);
    expect(replay?.newJudges.accuracy).toBeCloseTo(3.5 / 5, 12);
    // a twice (2), b twice (0), c once (0.5).
    expect(replay?.originalJudges.correct).toBe(2.5);
    expect(replay?.originalJudges.accuracy).toBeCloseTo(2.5 / 5, 12);
    expect(replay?.difference.estimate).toBeCloseTo(0.2, 12);
    for (const side of [replay?.newJudges, replay?.originalJudges]) {
      const [lower = Number.NaN, upper = Number.NaN] = side?.ci ?? [];
      expect(lower).toBeLessThanOrEqual(side?.accuracy ?? Number.NaN);
      expect(upper).toBeGreaterThanOrEqual(side?.accuracy ?? Number.NaN);
      expect(lower).toBeGreaterThanOrEqual(0);
      expect(upper).toBeLessThanOrEqual(1);
    }
    expect(other).toMatchObject({ condition: "other", debates: 1, n: 1, newJudges: { accuracy: 0 } });
    expect(other?.difference.estimate).toBe(-1);
  });

  it("is reproducible, and has no interval without pairs", () => {
    const once = compareWithOriginals(rows, originals, ["replay"], { replicates: 200 });
    expect(compareWithOriginals(rows, originals, ["replay"], { replicates: 200 })).toEqual(once);
    const [unpaired] = compareWithOriginals(rows, new Map(), ["replay"]);
    expect(unpaired).toMatchObject({ debates: 0, n: 0, unpaired: 8, newJudges: { accuracy: null, ci: null } });
    expect(unpaired?.difference).toEqual({ estimate: null, ci: null });
  });
});
