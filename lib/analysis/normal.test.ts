import { describe, expect, it } from "vitest";
import { normalQuantile, Z_95, zForLevel } from "./normal";

describe("normalQuantile", () => {
  // Reference values: R 4.x qnorm(p) (the same AS 241 algorithm), printed with digits = 17.
  const reference: Array<[number, number]> = [
    [0.5, 0],
    [0.75, 0.6744897501960817],
    [0.9, 1.2815515655446004],
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.999, 3.090232306167813],
    [1e-10, -6.361340902404056],
  ];
  it.each(reference)("qnorm(%f) = %f", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 14);
  });

  it("is antisymmetric about 1/2 and infinite at the ends", () => {
    for (const p of [0.001, 0.01, 0.1, 0.3, 0.49]) expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});

describe("zForLevel", () => {
  it("gives the usual two-sided critical values", () => {
    expect(zForLevel(0.95)).toBe(Z_95);
    expect(zForLevel(0.95)).toBe(1.959963984540054);
    expect(zForLevel(0.9)).toBeCloseTo(1.6448536269514722, 14);
    expect(zForLevel(0.99)).toBeCloseTo(2.5758293035489004, 14);
    expect(() => zForLevel(1)).toThrow(RangeError);
    expect(() => zForLevel(0)).toThrow(RangeError);
  });
});
