import { describe, expect, it } from "vitest";
import { clusterBootstrapAccuracy, type Judgment } from "./bootstrap";
import { exactPermutationTest } from "./permutation";
import { judgmentsFromCells } from "./resample-jobs";

// Ties (imported 50/50 verdicts) count half correct in accuracy and are left out of the permutation test.

describe("ties in the resampled statistics", () => {
  it("judgmentsFromCells rebuilds correct, tied and wrong judgments from a cell's credit and ties", () => {
    const rows = judgmentsFromCells([{ judge: "j", question: "q", condition: "A", n: 4, correct: 1.5, ties: 1 }]);
    expect(rows.map((r) => (r.tie ? "tie" : r.correct ? "right" : "wrong"))).toEqual([
      "right",
      "tie",
      "wrong",
      "wrong",
    ]);
  });

  it("the cluster bootstrap counts a tie half", () => {
    const rows: Judgment[] = [
      { judge: "j1", question: "q1", condition: "A", correct: true },
      { judge: "j2", question: "q2", condition: "A", correct: false, tie: true },
    ];
    const result = clusterBootstrapAccuracy(rows, "A", { replicates: 200, seed: 1 });
    expect(result).toMatchObject({ n: 2, correct: 1.5, estimate: 0.75 });
  });

  it("the permutation test leaves ties out", () => {
    const base: Judgment[] = [
      { judge: "j1", question: "q1", condition: "A", correct: true },
      { judge: "j1", question: "q2", condition: "B", correct: false },
      { judge: "j2", question: "q1", condition: "B", correct: true },
      { judge: "j2", question: "q2", condition: "A", correct: false },
    ];
    const withTie = [...base, { judge: "j1", question: "q3", condition: "A", correct: false, tie: true }];
    expect(exactPermutationTest(withTie, "A", "B")).toEqual(exactPermutationTest(base, "A", "B"));
  });
});
