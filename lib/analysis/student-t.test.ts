import { describe, expect, it } from "vitest";
import { meanWithInterval, tForLevel } from "./student-t";

describe("tForLevel", () => {
  it("matches the table of Student's t at 95% (exact for 1 and 2 degrees of freedom)", () => {
    expect(tForLevel(0.95, 1)).toBeCloseTo(12.7062, 4);
    expect(tForLevel(0.95, 2)).toBeCloseTo(4.3027, 4);
    // Cornish–Fisher: within 1.1% at 3 degrees of freedom, then closer and closer.
    expect(Math.abs(tForLevel(0.95, 3) / 3.1824 - 1)).toBeLessThan(0.011);
    expect(Math.abs(tForLevel(0.95, 6) / 2.4469 - 1)).toBeLessThan(0.001);
    expect(tForLevel(0.95, 9)).toBeCloseTo(2.262, 2);
    expect(tForLevel(0.95, 30)).toBeCloseTo(2.0423, 3);
    expect(tForLevel(0.95, 1000)).toBeCloseTo(1.9623, 3);
    expect(tForLevel(0.9, 10)).toBeCloseTo(1.8125, 2);
    expect(() => tForLevel(0.95, 0)).toThrow(RangeError);
  });
});

describe("meanWithInterval", () => {
  it("is the mean ± t × s/√n", () => {
    // mean 2, s² = 1, n = 3: 2 ± 4.3027 / √3
    const { mean, ci, n } = meanWithInterval([1, 2, 3]);
    expect(n).toBe(3);
    expect(mean).toBe(2);
    expect(ci?.[0]).toBeCloseTo(2 - 4.30265 / Math.sqrt(3), 4);
    expect(ci?.[1]).toBeCloseTo(2 + 4.30265 / Math.sqrt(3), 4);
  });

  it("counts weighted values as repeated ones", () => {
    expect(meanWithInterval([1, 3], [2, 1])).toEqual(meanWithInterval([1, 1, 3]));
  });

  it("has no interval below two values, no mean without any", () => {
    expect(meanWithInterval([0.5])).toEqual({ n: 1, mean: 0.5, ci: null });
    expect(meanWithInterval([])).toEqual({ n: 0, mean: null, ci: null });
  });
});
