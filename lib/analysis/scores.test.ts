import { describe, expect, it } from "vitest";
import { tallyScores } from "./scores";

describe("tallyScores", () => {
  const design = [
    { name: "debate", scoring: { rule: "quadratic" as const, roundCost: 0.1 } },
    { name: "naive", scoring: { rule: "log" as const, roundCost: 0 } },
  ];

  it("scores every verdict under every rule with the condition's round cost, whichever rule it pays", () => {
    const [debate, naive] = tallyScores(
      [
        // Right with 0.8 after 2 rounds, twice; wrong with 0.6 (0.4 on the truth) after 1 round.
        { condition: "debate", chosen: 0, ok: 1, rounds: 2, probabilities: [0.8, 0.2], n: 2n },
        { condition: "debate", chosen: 0, ok: 0, rounds: 1, probabilities: "[0.6,0.4]", n: 1 },
        { condition: "debate", chosen: 0, ok: 1, rounds: 1, probabilities: "not json", n: 5 },
      ],
      design,
    );
    expect(debate).toMatchObject({ condition: "debate", paid: "quadratic", roundCost: 0.1 });
    // log: (2 × (1 + log₂ 0.8 − 0.1) + (1 + log₂ 0.4)) / 3
    expect(debate?.scores.log.mean).toBeCloseTo((2 * (1 + Math.log2(0.8) - 0.1) + 1 + Math.log2(0.4)) / 3, 10);
    // quadratic: (2 × (0.84 − 0.1) + (1 − 4 × 0.6²)) / 3 = (1.48 − 0.44) / 3
    expect(debate?.scores.quadratic.mean).toBeCloseTo(1.04 / 3, 10);
    expect(debate?.scores.quadratic.n).toBe(3);
    expect(debate?.scores.spherical.ci).not.toBeNull();
    expect(naive).toMatchObject({ condition: "naive", paid: "log" });
    expect(naive?.scores.log).toEqual({ n: 0, mean: null, ci: null });
  });

  it("keeps only the filtered designed conditions, then any other found in the rows", () => {
    const rows = [{ condition: "old", chosen: 1, ok: 1, rounds: 1, probabilities: [0, 1], n: 1 }];
    const tallied = tallyScores(rows, design, ["naive"]);
    expect(tallied.map((c) => c.condition)).toEqual(["naive", "old"]);
    expect(tallied[1]?.scores.spherical.mean).toBe(1);
  });
});
