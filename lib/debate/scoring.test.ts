import { describe, expect, it } from "vitest";
import {
  chosenOption,
  logScore,
  MIN_LOG_SCORE,
  normaliseProbabilities,
  probabilitiesSchema,
  probabilitiesSchemaFor,
  scoreVerdict,
} from "./scoring";

describe("logScore", () => {
  it("is ln of the probability on the correct option", () => {
    expect(logScore([0.8, 0.2], 0, { roundsUsed: 1, roundCost: 0 })).toBeCloseTo(-0.22314355, 8);
    expect(logScore([0.8, 0.2], 1, { roundsUsed: 1, roundCost: 0 })).toBeCloseTo(-1.60943791, 8);
    expect(logScore([1, 0], 0, { roundsUsed: 3, roundCost: 0 })).toBe(0);
  });

  it("subtracts the round cost for every round after the first", () => {
    expect(logScore([0.5, 0.5], 0, { roundsUsed: 3, roundCost: 0.1 })).toBeCloseTo(-Math.LN2 - 0.2, 8);
    expect(logScore([0.5, 0.5], 0, { roundsUsed: 1, roundCost: 0.1 })).toBeCloseTo(-Math.LN2, 8);
  });

  it("clips the probability on the truth at 0.01", () => {
    expect(MIN_LOG_SCORE).toBeCloseTo(-4.60517019, 8);
    expect(logScore([1, 0], 1, { roundsUsed: 1, roundCost: 0 })).toBe(MIN_LOG_SCORE);
    expect(logScore([0.995, 0.005], 1, { roundsUsed: 1, roundCost: 0 })).toBe(MIN_LOG_SCORE);
    expect(logScore([1, 0], 1, { roundsUsed: 2, roundCost: 0.5 })).toBeCloseTo(MIN_LOG_SCORE - 0.5, 10);
  });

  it("rejects a bad gold index or round count", () => {
    expect(() => logScore([0.5, 0.5], 2, { roundsUsed: 1, roundCost: 0 })).toThrow(RangeError);
    expect(() => logScore([0.5, 0.5], -1, { roundsUsed: 1, roundCost: 0 })).toThrow(RangeError);
    expect(() => logScore([0.5, 0.5], 0, { roundsUsed: 0, roundCost: 0 })).toThrow(RangeError);
  });
});

describe("chosenOption", () => {
  it("picks the most probable option", () => {
    expect(chosenOption([0.3, 0.7])).toBe(1);
    expect(chosenOption([0.6, 0.4])).toBe(0);
    expect(chosenOption([0.2, 0.5, 0.3])).toBe(1);
  });

  it("returns null on a tie", () => {
    expect(chosenOption([0.5, 0.5])).toBeNull();
    expect(chosenOption([0.5000001, 0.4999999])).toBeNull();
    expect(chosenOption([0.4, 0.4, 0.2])).toBeNull();
    expect(chosenOption([])).toBeNull();
  });

  it("feeds scoreVerdict, which refuses ties", () => {
    expect(scoreVerdict([0.5, 0.5], 0, { roundsUsed: 1, roundCost: 0 })).toBeNull();
    const scored = scoreVerdict([0.25, 0.75], 0, { roundsUsed: 2, roundCost: 0 });
    expect(scored).toMatchObject({ chosen: 1, correct: false });
    expect(scored?.score).toBeCloseTo(Math.log(0.25), 10);
  });
});

describe("probability validation", () => {
  it("accepts probabilities summing to 1 within 1e-6", () => {
    expect(probabilitiesSchema.safeParse([0.7, 0.3]).success).toBe(true);
    expect(probabilitiesSchema.safeParse([0.1 + 0.2, 0.7]).success).toBe(true);
    expect(probabilitiesSchema.safeParse([0.5000004, 0.5]).success).toBe(true);
  });

  it("rejects bad sums, out-of-range values and non-numbers", () => {
    expect(probabilitiesSchema.safeParse([0.5, 0.6]).success).toBe(false);
    expect(probabilitiesSchema.safeParse([0.50001, 0.5]).success).toBe(false);
    expect(probabilitiesSchema.safeParse([1.2, -0.2]).success).toBe(false);
    expect(probabilitiesSchema.safeParse([Number.NaN, 1]).success).toBe(false);
    expect(probabilitiesSchema.safeParse([]).success).toBe(false);
    expect(probabilitiesSchema.safeParse(["0.5", 0.5]).success).toBe(false);
  });

  it("checks the option count", () => {
    expect(probabilitiesSchemaFor(2).safeParse([0.5, 0.5]).success).toBe(true);
    expect(probabilitiesSchemaFor(3).safeParse([0.5, 0.5]).success).toBe(false);
  });

  it("normalises weights", () => {
    expect(normaliseProbabilities([70, 30])).toEqual([0.7, 0.3]);
    expect(normaliseProbabilities([2, -1, Number.NaN, 2])).toEqual([0.5, 0, 0, 0.5]);
    expect(normaliseProbabilities([0, 0])).toEqual([0.5, 0.5]);
    expect(() => normaliseProbabilities([])).toThrow(RangeError);
  });
});
