import { describe, expect, it } from "vitest";
import { defaultMatchConfig, matchConfigSchema } from "./config";

describe("matchConfigSchema", () => {
  it("fills defaults", () => {
    expect(defaultMatchConfig(42)).toEqual({
      protocol: "debate",
      rounds: 3,
      wordLimit: 150,
      firstRound: "simultaneous",
      laterRounds: "sequential",
      firstSpeaker: "A",
      seed: 42,
      scoring: { rule: "log", roundCost: 0 },
      sampling: { temperature: 0.7, maxOutputTokens: 1024, bestOf: 1 },
      optionOrder: [0, 1],
      judgeTimeLimitMs: null,
      submitDraftOnTimeout: true,
    });
    expect(matchConfigSchema.parse({ seed: 1, scoring: { roundCost: 0.1 } }).scoring).toEqual({
      rule: "log",
      roundCost: 0.1,
    });
  });

  it("rejects out-of-range values, unknown keys and a missing seed", () => {
    expect(matchConfigSchema.safeParse({ seed: 1, rounds: 0 }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1, rounds: 11 }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1, wordLimit: 19 }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1, wordLimit: 1001 }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1.5 }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1, firstRound: "sequential" }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1, round: 3 }).success).toBe(false);
    expect(matchConfigSchema.safeParse({}).success).toBe(false);
  });

  it("gives protocols without debaters a single round, and checks the option order", () => {
    expect(matchConfigSchema.parse({ seed: 1, protocol: "naive", rounds: 5 }).rounds).toBe(1);
    expect(matchConfigSchema.parse({ seed: 1, protocol: "expert" }).rounds).toBe(1);
    expect(matchConfigSchema.parse({ seed: 1, protocol: "consultancy", rounds: 4 }).rounds).toBe(4);
    expect(matchConfigSchema.safeParse({ seed: 1, optionOrder: [1, 1] }).success).toBe(false);
    // A question has exactly two options, so a third index is not an order of them.
    expect(matchConfigSchema.safeParse({ seed: 1, optionOrder: [0, 1, 2] }).success).toBe(false);
    expect(matchConfigSchema.safeParse({ seed: 1, optionOrder: [2, 0] }).success).toBe(false);
    expect(matchConfigSchema.parse({ seed: 1, optionOrder: [1, 0] }).optionOrder).toEqual([1, 0]);
    expect(matchConfigSchema.safeParse({ seed: 1, judgeTimeLimitMs: 10 }).success).toBe(false);
  });
});
