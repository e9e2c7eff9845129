import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import type { Judgment } from "./bootstrap";
import { exactPermutationTest, hypergeometricPmf, permutationTest } from "./permutation";

/** Every k-subset of 0..n−1. */
function combinations(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  const withLast = combinations(n - 1, k - 1).map((c) => [...c, n - 1]);
  return [...combinations(n - 1, k), ...withLast];
}

function difference(rows: readonly Judgment[], isA: readonly boolean[]): number {
  let correctA = 0;
  let nA = 0;
  let correctB = 0;
  let nB = 0;
  rows.forEach((row, i) => {
    if (isA[i]) {
      nA++;
      if (row.correct) correctA++;
    } else {
      nB++;
      if (row.correct) correctB++;
    }
  });
  return correctA / nA - correctB / nB;
}

/**
 * The exact p-value by brute force: enumerate every relabelling that keeps each stratum's number of A labels
 * (within each judge when stratified, over all rows otherwise) and count those at least as extreme.
 */
function bruteForce(rows: readonly Judgment[], stratified: boolean, alternative: "two-sided" | "greater" | "less") {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = stratified ? row.judge : "all";
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const choices = [...groups.values()].map((members) => {
    const a = members.filter((i) => rows[i]?.condition === "A").length;
    return combinations(members.length, a).map((subset) => subset.map((k) => members[k] ?? -1));
  });
  const observed = difference(
    rows,
    rows.map((r) => r.condition === "A"),
  );
  let extreme = 0;
  let total = 0;
  const visit = (g: number, chosen: number[]) => {
    if (g === choices.length) {
      const isA = rows.map(() => false);
      for (const i of chosen) isA[i] = true;
      const d = difference(rows, isA);
      total++;
      const tolerance = 1e-12;
      if (
        alternative === "two-sided"
          ? Math.abs(d) >= Math.abs(observed) - tolerance
          : alternative === "greater"
            ? d >= observed - tolerance
            : d <= observed + tolerance
      ) {
        extreme++;
      }
      return;
    }
    for (const subset of choices[g] ?? []) visit(g + 1, [...chosen, ...subset]);
  };
  visit(0, []);
  return { p: extreme / total, total };
}

function judgments(judge: string, condition: string, outcomes: number[]): Judgment[] {
  return outcomes.map((o, i) => ({ judge, question: `${judge}-${condition}-${i}`, condition, correct: o === 1 }));
}

// Four judges; the first three saw both conditions, the fourth only A (a constant in the stratified test).
const small: Judgment[] = [
  ...judgments("j1", "A", [1, 1]),
  ...judgments("j1", "B", [0, 1]),
  ...judgments("j2", "A", [1, 0, 1]),
  ...judgments("j2", "B", [0, 0]),
  ...judgments("j3", "A", [1]),
  ...judgments("j3", "B", [0, 1]),
  ...judgments("j4", "A", [1, 0]),
];

describe("exactPermutationTest and permutationTest", () => {
  it.each(["two-sided", "greater", "less"] as const)("match brute-force enumeration (%s)", (alternative) => {
    for (const stratified of [true, false]) {
      const { p, total } = bruteForce(small, stratified, alternative);
      expect(total).toBe(stratified ? 6 * 10 * 3 : 3003); // C(4,2)·C(5,3)·C(3,1)·1, or C(14,8)
      const stratify = stratified ? "judge" : "none";
      const exact = exactPermutationTest(small, "A", "B", { stratify, alternative });
      expect(exact?.pValue).toBeCloseTo(p, 12);
      expect(exact?.stratified).toBe(stratified);
      const permutations = 20_000;
      const monteCarlo = permutationTest(small, "A", "B", { stratify, alternative, permutations, seed: 3 });
      // Monte Carlo error: sd ≤ 0.0036 at 20,000 permutations; allow 4 sd.
      expect(Math.abs((monteCarlo?.pValue ?? 0) - p)).toBeLessThan(0.015);
      expect(monteCarlo?.pValue).toBe(((monteCarlo?.extreme ?? 0) + 1) / (permutations + 1));
    }
  });

  it("reports the observed difference and the design", () => {
    const result = permutationTest(small, "A", "B", { permutations: 100 });
    // A: 6 of 8 right; B: 2 of 6.
    expect(result).toMatchObject({
      nA: 8,
      nB: 6,
      accuracyA: 0.75,
      accuracyB: 2 / 6,
      mixedJudges: 3,
      permutations: 100,
    });
    expect(result?.observed).toBeCloseTo(0.75 - 2 / 6, 14);
    expect(result?.mixedShare).toBeCloseTo(12 / 14, 14);
    expect(result?.stratified).toBe(true); // "auto": 86% of rows are from judges who saw both
  });

  it("finds a big, clear difference (p < 0.01)", () => {
    const rng = mulberry32(8);
    const rows: Judgment[] = [];
    for (let j = 0; j < 20; j++) {
      for (let q = 0; q < 10; q++) {
        const condition = q % 2 === 0 ? "A" : "B";
        rows.push({ judge: `j${j}`, question: `q${q}`, condition, correct: rng() < (condition === "A" ? 0.9 : 0.5) });
      }
    }
    const result = permutationTest(rows, "A", "B", { permutations: 2000 });
    expect(result?.stratified).toBe(true);
    expect(result?.pValue).toBeLessThan(0.01);
    expect(permutationTest(rows, "A", "B", { permutations: 2000, alternative: "greater" })?.pValue).toBeLessThan(0.01);
    expect(permutationTest(rows, "A", "B", { permutations: 2000, alternative: "less" })?.pValue).toBeGreaterThan(0.99);
    expect(exactPermutationTest(rows, "A", "B")?.pValue).toBeLessThan(1e-6);
  });

  it("gives roughly uniform p-values when the conditions do not differ", () => {
    // 200 null studies: 12 judges of differing ability × 10 questions each, condition irrelevant.
    const pValues: number[] = [];
    for (let s = 0; s < 200; s++) {
      const rng = mulberry32(400 + s);
      const rows: Judgment[] = [];
      for (let j = 0; j < 12; j++) {
        const ability = 0.4 + 0.5 * rng();
        for (let q = 0; q < 10; q++) {
          rows.push({
            judge: `j${j}`,
            question: `q${q}`,
            condition: rng() < 0.5 ? "A" : "B",
            correct: rng() < ability,
          });
        }
      }
      const result = permutationTest(rows, "A", "B", { permutations: 199, seed: s });
      if (result) pValues.push(result.pValue);
    }
    const share = (cut: number) => pValues.filter((p) => p <= cut).length / pValues.length;
    const mean = pValues.reduce((a, b) => a + b, 0) / pValues.length;
    expect(pValues.length).toBeGreaterThan(195);
    expect(share(0.05)).toBeLessThanOrEqual(0.1);
    expect(share(0.5)).toBeGreaterThan(0.35);
    expect(share(0.5)).toBeLessThan(0.65);
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.62);
  });

  it("gives p = 1 for identical accuracies (two-sided)", () => {
    const rows = [...judgments("j", "A", [1, 0, 1, 0]), ...judgments("j", "B", [0, 1, 1, 0])];
    expect(permutationTest(rows, "A", "B")?.pValue).toBe(1);
    expect(exactPermutationTest(rows, "A", "B")?.pValue).toBeCloseTo(1, 12);
  });

  it("falls back to unstratified when judges saw one condition each, and stratifying then has no information", () => {
    const rows = [...judgments("x", "A", [1, 1, 1, 1, 1, 1]), ...judgments("y", "B", [0, 0, 0, 0, 0, 0])];
    const auto = permutationTest(rows, "A", "B", { permutations: 999 });
    expect(auto).toMatchObject({ stratified: false, mixedJudges: 0, mixedShare: 0 });
    // C(12, 6) = 924 relabellings, two (this one and its mirror) as extreme: p = 2/924.
    expect(exactPermutationTest(rows, "A", "B")?.pValue).toBeCloseTo(2 / 924, 12);
    expect(auto?.pValue).toBeLessThan(0.01);
    const withinJudge = permutationTest(rows, "A", "B", { stratify: "judge", permutations: 999 });
    expect(withinJudge).toMatchObject({ stratified: true, pValue: 1 });
  });

  it("is reproducible with a seed", () => {
    const a = permutationTest(small, "A", "B", { permutations: 500, seed: 11 });
    expect(permutationTest(small, "A", "B", { permutations: 500, seed: 11 })).toEqual(a);
    expect(permutationTest(small, "A", "B", { permutations: 500, seed: "run-2" })).toEqual(
      permutationTest(small, "A", "B", { permutations: 500, seed: "run-2" }),
    );
  });

  it("returns null without both conditions, or when the exact test would be too big; rejects bad options", () => {
    expect(permutationTest(judgments("j", "A", [1]), "A", "B")).toBeNull();
    expect(exactPermutationTest(judgments("j", "A", [1]), "A", "B")).toBeNull();
    expect(exactPermutationTest(small, "A", "B", { maxSteps: 5 })).toBeNull();
    expect(() => permutationTest(small, "A", "A")).toThrow(RangeError);
    expect(() => permutationTest(small, "A", "B", { permutations: 0 })).toThrow(RangeError);
    expect(() => permutationTest(small, "A", "B", { stratify: "question" as "judge" })).toThrow(RangeError);
    expect(() => permutationTest(small, "A", "B", { alternative: "both" as "less" })).toThrow(RangeError);
  });
});

describe("hypergeometricPmf", () => {
  const choose = (n: number, k: number) => {
    let r = 1;
    for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
    return r;
  };

  it("matches C(K, x)·C(N − K, n − x) / C(N, n)", () => {
    for (const [N, K, n] of [
      [20, 7, 9],
      [12, 9, 10],
      [5, 0, 3],
      [5, 5, 3],
      [30, 15, 15],
    ] as const) {
      const { lo, pmf } = hypergeometricPmf(N, K, n);
      expect(lo).toBe(Math.max(0, n + K - N));
      expect(pmf.length).toBe(Math.min(n, K) - lo + 1);
      pmf.forEach((p, i) => {
        const x = lo + i;
        expect(p).toBeCloseTo((choose(K, x) * choose(N - K, n - x)) / choose(N, n), 13);
      });
    }
  });

  it("stays accurate for large populations (sums to 1, mean nK/N, variance as in closed form)", () => {
    const [N, K, n] = [100_000, 70_000, 50_000];
    const { lo, pmf } = hypergeometricPmf(N, K, n);
    let sum = 0;
    let mean = 0;
    let second = 0;
    pmf.forEach((p, i) => {
      sum += p;
      mean += p * (lo + i);
      second += p * (lo + i) ** 2;
    });
    const variance = (n * (K / N) * (1 - K / N) * (N - n)) / (N - 1);
    expect(sum).toBeCloseTo(1, 12);
    expect(mean).toBeCloseTo((n * K) / N, 6);
    expect(second - mean * mean).toBeCloseTo(variance, 4);
  });
});
