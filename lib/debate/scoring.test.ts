import { describe, expect, it } from "vitest";
import {
  chosenOption,
  describeScoring,
  everyRuleScore,
  judgeScore,
  MIN_LOG_SCORE,
  normaliseProbabilities,
  ruleScore,
  scoreVerdict,
} from "./scoring";
import { SCORING_RULES } from "./vocabulary";

describe("scoring rules", () => {
  const once = { roundsUsed: 1, roundCost: 0 };

  it("score the log rule as 1 + log₂ of the probability on the correct option", () => {
    expect(judgeScore([0.8, 0.2], 0, { rule: "log", ...once })).toBeCloseTo(0.67807191, 8);
    expect(judgeScore([0.8, 0.2], 1, { rule: "log", ...once })).toBeCloseTo(-1.32192809, 8);
    expect(judgeScore([0.25, 0.75], 1, { rule: "log", ...once })).toBeCloseTo(0.5849625, 8);
  });

  it("score the quadratic rule as 1 − 4(1 − p)² for two options (twice 1 − Brier, less 1)", () => {
    expect(judgeScore([0.8, 0.2], 0, { rule: "quadratic", ...once })).toBeCloseTo(0.84, 10);
    expect(judgeScore([0.8, 0.2], 1, { rule: "quadratic", ...once })).toBeCloseTo(-1.56, 10);
    expect(judgeScore([0.25, 0.75], 1, { rule: "quadratic", ...once })).toBeCloseTo(0.75, 10);
  });

  it("score the spherical rule as p/‖p‖ rescaled from [1/√2, 1] to [0, 1]", () => {
    // 0.8 / √0.68 = 0.97014250; (0.97014250 − 0.70710678) / 0.29289322 = 0.89806012
    expect(judgeScore([0.8, 0.2], 0, { rule: "spherical", ...once })).toBeCloseTo(0.89806012, 7);
    expect(judgeScore([0.8, 0.2], 1, { rule: "spherical", ...once })).toBeCloseTo(-1.58614514, 7);
  });

  it("agree at certainty (1) and at an even split (0)", () => {
    for (const rule of SCORING_RULES) {
      expect(ruleScore(rule, [1, 0], 0)).toBeCloseTo(1, 12);
      expect(ruleScore(rule, [0, 1], 1)).toBeCloseTo(1, 12);
      expect(ruleScore(rule, [0.5, 0.5], 0)).toBeCloseTo(0, 12);
    }
  });

  it("bound a confident mistake: the log rule clamps p at 0.01", () => {
    expect(MIN_LOG_SCORE).toBeCloseTo(-5.64385619, 8);
    expect(ruleScore("log", [1, 0], 1)).toBe(MIN_LOG_SCORE);
    expect(ruleScore("log", [0.995, 0.005], 1)).toBe(MIN_LOG_SCORE);
    expect(ruleScore("quadratic", [1, 0], 1)).toBeCloseTo(-3, 12);
    expect(ruleScore("spherical", [1, 0], 1)).toBeCloseTo(-(1 + Math.SQRT2), 12);
  });

  it("subtract the round cost for every round after the first, under every rule", () => {
    expect(judgeScore([0.5, 0.5], 0, { rule: "log", roundsUsed: 3, roundCost: 0.1 })).toBeCloseTo(-0.2, 10);
    expect(judgeScore([0.5, 0.5], 0, { rule: "log", roundsUsed: 1, roundCost: 0.1 })).toBeCloseTo(0, 10);
    expect(judgeScore([1, 0], 1, { rule: "log", roundsUsed: 2, roundCost: 0.5 })).toBeCloseTo(MIN_LOG_SCORE - 0.5, 10);
    const all = everyRuleScore([0.8, 0.2], 0, { roundsUsed: 2, roundCost: 0.05 });
    expect(all.log).toBeCloseTo(0.62807191, 8);
    expect(all.quadratic).toBeCloseTo(0.79, 10);
    expect(all.spherical).toBeCloseTo(0.84806012, 7);
  });

  it("reject a bad gold index, round count or option count", () => {
    expect(() => judgeScore([0.5, 0.5], 2, { rule: "log", ...once })).toThrow(RangeError);
    expect(() => judgeScore([0.5, 0.5], -1, { rule: "quadratic", ...once })).toThrow(RangeError);
    expect(() => judgeScore([0.5, 0.5], 0, { rule: "log", roundsUsed: 0, roundCost: 0 })).toThrow(RangeError);
    expect(() => ruleScore("spherical", [1], 0)).toThrow(RangeError);
  });

  it("explain the rule in use in plain words, with its worst score and round cost", () => {
    expect(describeScoring({ rule: "log", roundCost: 0 })).toBe(
      "You score 1 point for giving the correct answer 100%, 0 for 50–50, and less the more you lean to a wrong " +
        "answer, down to −5.64 at 0% (the log rule; confident mistakes cost the most).",
    );
    expect(describeScoring({ rule: "quadratic", roundCost: 0.05 })).toMatch(
      /down to −3 at 0% \(the quadratic \(Brier\) rule\)\. Each round after the first costs 0\.05 points\.$/,
    );
    expect(describeScoring({ rule: "spherical", roundCost: 1 })).toMatch(/−2\.41 at 0%.*costs 1 point\.$/);
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
    expect(scoreVerdict([0.5, 0.5], 0, { rule: "log", roundsUsed: 1, roundCost: 0 })).toBeNull();
    const scored = scoreVerdict([0.25, 0.75], 0, { rule: "log", roundsUsed: 2, roundCost: 0 });
    expect(scored).toMatchObject({ chosen: 1, correct: false });
    expect(scored?.score).toBeCloseTo(-1, 10);
  });
});

describe("probabilities", () => {
  it("normalises weights", () => {
    expect(normaliseProbabilities([70, 30])).toEqual([0.7, 0.3]);
    expect(normaliseProbabilities([2, -1, Number.NaN, 2])).toEqual([0.5, 0, 0, 0.5]);
    expect(normaliseProbabilities([0, 0])).toEqual([0.5, 0.5]);
    expect(() => normaliseProbabilities([])).toThrow(RangeError);
  });
});
