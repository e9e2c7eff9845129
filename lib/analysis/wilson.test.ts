import { describe, expect, it } from "vitest";
import { zForLevel } from "./normal";
import { wilsonInterval } from "./wilson";

/**
 * An independent, slow computation: the Wilson interval is the set of p where the score statistic
 * |p̂ − p| / √(p(1 − p)/n) is at most z; find its two ends by bisection on each side of p̂.
 */
function wilsonByBisection(k: number, n: number, z: number): [number, number] {
  const phat = k / n;
  const inside = (p: number) => Math.abs(phat - p) <= z * Math.sqrt((p * (1 - p)) / n);
  const boundary = (outside: number, within: number) => {
    let [a, b] = [outside, within];
    for (let i = 0; i < 200; i++) {
      const mid = (a + b) / 2;
      if (inside(mid)) b = mid;
      else a = mid;
    }
    return b;
  };
  const lower = k === 0 ? 0 : boundary(0, phat);
  const upper = k === n ? 1 : boundary(1, phat);
  return [lower, upper];
}

describe("wilsonInterval", () => {
  // Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
  // Statistics in Medicine 17:857–872: the worked examples, method 3 (score interval without continuity correction).
  const newcombe: Array<[number, number, number, number]> = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  it.each(newcombe)("%i/%i matches Newcombe (1998): [%f, %f]", (k, n, lower, upper) => {
    const interval = wilsonInterval(k, n);
    expect(interval?.lower).toBeCloseTo(lower, 4);
    expect(interval?.upper).toBeCloseTo(upper, 4);
    expect(interval?.estimate).toBe(k / n);
    expect(interval?.level).toBe(0.95);
  });

  // More digits and other levels: SciPy 1.17 binomtest(k, n).proportion_ci(confidence_level, method="wilson").
  const scipy: Array<[number, number, number, number, number]> = [
    [81, 263, 0.95, 0.2552885198782742, 0.36620957698280004],
    [81, 263, 0.99, 0.24013690268760768, 0.3852825023182298],
    [15, 148, 0.9, 0.06744326224687144, 0.14957293174640027],
    [0, 1, 0.95, 0, 0.7934506856227626],
    [1, 1, 0.95, 0.20654931437723745, 1],
    [5, 10, 0.95, 0.236593090512564, 0.7634069094874361],
    [29, 30, 0.99, 0.7682242835618254, 0.9960743114346047],
  ];
  it.each(scipy)("%i/%i at %f matches SciPy", (k, n, level, lower, upper) => {
    const interval = wilsonInterval(k, n, { level });
    expect(interval?.lower).toBeCloseTo(lower, 12);
    expect(interval?.upper).toBeCloseTo(upper, 12);
  });

  it("agrees with inverting the score test by bisection", () => {
    for (const level of [0.8, 0.95, 0.999]) {
      for (const n of [1, 2, 7, 40, 1000]) {
        for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 9))) {
          const [lower, upper] = wilsonByBisection(k, n, zForLevel(level));
          const interval = wilsonInterval(k, n, { level });
          expect(interval?.lower).toBeCloseTo(lower, 10);
          expect(interval?.upper).toBeCloseTo(upper, 10);
        }
      }
    }
  });

  it("is symmetric under swapping successes and failures, and stays inside [0, 1]", () => {
    for (const [k, n] of [
      [0, 5],
      [3, 11],
      [50, 100],
    ] as const) {
      const a = wilsonInterval(k, n);
      const b = wilsonInterval(n - k, n);
      expect(a?.lower).toBeCloseTo(1 - (b?.upper ?? Number.NaN), 14);
      expect(a?.upper).toBeCloseTo(1 - (b?.lower ?? Number.NaN), 14);
    }
    expect(wilsonInterval(0, 3)?.lower).toBe(0);
    expect(wilsonInterval(3, 3)?.upper).toBe(1);
  });

  it("returns null for n = 0 and rejects impossible counts", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.25, 2)).toThrow(RangeError);
    // A tie counts half a success.
    expect(wilsonInterval(1.5, 2)?.estimate).toBe(0.75);
    expect(() => wilsonInterval(1, 2, { level: 1 })).toThrow(RangeError);
  });
});
