import { describe, expect, it } from "vitest";
import { percentileInterval, quantileSorted } from "./quantile";

describe("quantileSorted", () => {
  it("interpolates like R's quantile(type = 7)", () => {
    // R: quantile(c(1, 2, 3, 4), c(0, 0.25, 0.5, 0.9, 1)) → 1.00 1.75 2.50 3.70 4.00
    const x = [1, 2, 3, 4];
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 0.25)).toBeCloseTo(1.75, 14);
    expect(quantileSorted(x, 0.5)).toBeCloseTo(2.5, 14);
    expect(quantileSorted(x, 0.9)).toBeCloseTo(3.7, 14);
    expect(quantileSorted(x, 1)).toBe(4);
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe("percentileInterval", () => {
  it("takes the 2.5% and 97.5% quantiles of unsorted values", () => {
    const values = Array.from({ length: 101 }, (_, i) => (i * 37) % 101); // 0..100 shuffled
    const { lower, upper } = percentileInterval(values);
    expect(lower).toBeCloseTo(2.5, 12);
    expect(upper).toBeCloseTo(97.5, 12);
    expect(percentileInterval([0.2, 0.2, 0.2])).toEqual({ lower: 0.2, upper: 0.2 });
  });
});
