import { describe, expect, it } from "vitest";
import { MIN_SCORED_PROBABILITY, PROBABILITY_SUM_TOLERANCE, TIE_TOLERANCE } from "../debate/scoring";
import {
  brierScore,
  CALIBRATION_TIE_TOLERANCE,
  calibrationBin,
  calibrationSummary,
  confidenceAndCorrectness,
  expectedCalibrationError,
  type Forecast,
  LOG_SCORE_FLOOR,
  meanLogScore,
  reliabilityDiagram,
  SUM_TOLERANCE,
} from "./calibration";

const f = (p0: number, gold: number): Forecast => ({ probabilities: [p0, 1 - p0], gold });

// Ten two-option forecasts. Chosen option's confidence → bin (of (i/10, (i+1)/10]) and correctness:
const forecasts: Forecast[] = [
  f(0.5, 0), //   0.50 → bin 4, tie with gold among the two: correct 1/2
  f(1, 0), //     1.00 → bin 9, right
  f(0, 0), //     1.00 → bin 9 (chose option 1), wrong
  f(0.7, 1), //   0.70 → bin 6, wrong
  f(0.3, 1), //   0.70 → bin 6, right
  f(0.75, 0), //  0.75 → bin 7, right
  f(0.6, 0), //   0.60 → bin 5, right
  f(0.55, 1), //  0.55 → bin 5, wrong
  f(0.9, 0), //   0.90 → bin 8, right
  f(0.95, 0), //  0.95 → bin 9, right
];

describe("calibrationBin", () => {
  it("uses right-closed bins (i/10, (i+1)/10], with 0 in the first", () => {
    expect(calibrationBin(0)).toBe(0);
    expect(calibrationBin(0.1)).toBe(0);
    expect(calibrationBin(0.10000001)).toBe(1);
    expect(calibrationBin(0.5)).toBe(4);
    expect(calibrationBin(0.5000001)).toBe(5);
    expect(calibrationBin(1)).toBe(9);
    // 0.3 × 10 = 3.0000000000000004 and 0.7 × 10 = 7.000000000000001 in floating point; still their own bins' tops.
    expect(calibrationBin(0.3)).toBe(2);
    expect(calibrationBin(0.7)).toBe(6);
    expect(calibrationBin(0.6)).toBe(5);
    expect(calibrationBin(0.9)).toBe(8);
    expect(calibrationBin(1 / 3, 3)).toBe(0);
    expect(calibrationBin(2 / 3, 3)).toBe(1);
    expect(calibrationBin(0.99, 1)).toBe(0);
    for (let i = 0; i <= 10; i++) expect(calibrationBin(i / 10)).toBe(Math.max(0, i - 1));
    expect(() => calibrationBin(1.01)).toThrow(RangeError);
    expect(() => calibrationBin(0.5, 0)).toThrow(RangeError);
  });
});

describe("expectedCalibrationError", () => {
  it("matches a hand computation", () => {
    // bin 4: n 1, confidence 0.5, accuracy 0.5 → gap 0
    // bin 5: n 2, confidence (0.6 + 0.55)/2 = 0.575, accuracy 1/2 → gap 0.075
    // bin 6: n 2, confidence 0.7, accuracy 1/2 → gap 0.2
    // bin 7: n 1, confidence 0.75, accuracy 1 → gap 0.25
    // bin 8: n 1, confidence 0.9, accuracy 1 → gap 0.1
    // bin 9: n 3, confidence (1 + 1 + 0.95)/3 = 0.98333…, accuracy 2/3 → gap 0.31667
    // ECE = (0 + 2·0.075 + 2·0.2 + 0.25 + 0.1 + 3·0.316667)/10 = (0.15 + 0.4 + 0.25 + 0.1 + 0.95)/10 = 0.185
    const result = expectedCalibrationError(forecasts);
    expect(result?.ece).toBeCloseTo(0.185, 14);
    expect(result?.mce).toBeCloseTo(0.95 / 3, 14);
    expect(result?.n).toBe(10);
    const bins = result?.bins ?? [];
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 1, 2, 2, 1, 1, 3]);
    expect(bins[0]).toEqual({ lower: 0, upper: 0.1, count: 0, meanConfidence: null, accuracy: null });
    expect(bins[4]).toEqual({ lower: 0.4, upper: 0.5, count: 1, meanConfidence: 0.5, accuracy: 0.5 });
    expect(bins[5]?.meanConfidence).toBeCloseTo(0.575, 14);
    expect(bins[5]?.accuracy).toBe(0.5);
    expect(bins[9]?.meanConfidence).toBeCloseTo(2.95 / 3, 14);
    expect(bins[9]?.accuracy).toBeCloseTo(2 / 3, 14);
    expect(bins[9]?.upper).toBe(1);
  });

  it("is 0 for a perfectly calibrated judge and the gap for a constant one", () => {
    // 80% confident, right 4 times in 5.
    const calibrated = [f(0.8, 0), f(0.8, 0), f(0.8, 0), f(0.8, 0), f(0.8, 1)];
    expect(expectedCalibrationError(calibrated)?.ece).toBeCloseTo(0, 14);
    // Always 100% sure, right half the time.
    expect(expectedCalibrationError([f(1, 0), f(1, 1)])?.ece).toBeCloseTo(0.5, 14);
  });

  it("supports other bin counts, and more than two options", () => {
    expect(reliabilityDiagram(forecasts, { bins: 2 }).map((b) => b.count)).toEqual([1, 9]);
    const three: Forecast[] = [
      { probabilities: [0.2, 0.5, 0.3], gold: 1 }, // 0.5, right
      { probabilities: [0.4, 0.4, 0.2], gold: 2 }, // 0.4 tie between 0 and 1, gold not among them: 0
      { probabilities: [0.4, 0.4, 0.2], gold: 0 }, // 0.4 tie, gold among the two: 1/2
    ];
    expect(three.map(confidenceAndCorrectness)).toEqual([
      { confidence: 0.5, correct: 1 },
      { confidence: 0.4, correct: 0 },
      { confidence: 0.4, correct: 0.5 },
    ]);
    // bin 3 (0.3, 0.4]: confidence 0.4, accuracy 0.25 → gap 0.15 × 2/3; bin 4: gap 0.5 × 1/3. ECE = 0.1 + 1/6.
    expect(expectedCalibrationError(three)?.ece).toBeCloseTo(0.1 + 1 / 6, 14);
  });

  it("returns null for no forecasts and rejects invalid ones", () => {
    expect(expectedCalibrationError([])).toBeNull();
    expect(reliabilityDiagram([]).every((b) => b.count === 0)).toBe(true);
    expect(() => expectedCalibrationError([{ probabilities: [0.5, 0.6], gold: 0 }])).toThrow(RangeError);
    expect(() => expectedCalibrationError([{ probabilities: [0.5, 0.5], gold: 2 }])).toThrow(RangeError);
    expect(() => expectedCalibrationError([{ probabilities: [1.5, -0.5], gold: 0 }])).toThrow(RangeError);
  });
});

describe("brierScore and meanLogScore", () => {
  it("match hand computations", () => {
    // p(correct): 0.5, 1, 0, 0.3, 0.7, 0.75, 0.6, 0.45, 0.9, 0.95
    // (1 − p)²: 0.25, 0, 1, 0.49, 0.09, 0.0625, 0.16, 0.3025, 0.01, 0.0025 → sum 2.3675
    expect(brierScore(forecasts)).toBeCloseTo(0.23675, 14);
    // ln p with p = 0 clipped to 0.01.
    const logs = [0.5, 1, 0.01, 0.3, 0.7, 0.75, 0.6, 0.45, 0.9, 0.95].map(Math.log);
    expect(meanLogScore(forecasts)).toBeCloseTo(logs.reduce((a, b) => a + b, 0) / 10, 14);
  });

  it("use the game's conventions: always-50/50 scores 0.25 and ln ½; the floor is ln 0.01", () => {
    expect(brierScore([f(0.5, 0), f(0.5, 1)])).toBe(0.25);
    expect(meanLogScore([f(0.5, 0)])).toBeCloseTo(Math.log(0.5), 15);
    expect(meanLogScore([f(0, 0)])).toBeCloseTo(Math.log(0.01), 15);
    expect(meanLogScore([f(0.005, 0)])).toBeCloseTo(Math.log(0.01), 15);
    expect(LOG_SCORE_FLOOR).toBe(MIN_SCORED_PROBABILITY);
    expect(CALIBRATION_TIE_TOLERANCE).toBe(TIE_TOLERANCE);
    expect(SUM_TOLERANCE).toBe(PROBABILITY_SUM_TOLERANCE);
    expect(brierScore([])).toBeNull();
    expect(meanLogScore([])).toBeNull();
  });
});

describe("calibrationSummary", () => {
  it("bundles the scores", () => {
    const summary = calibrationSummary(forecasts);
    expect(summary?.brier).toBeCloseTo(0.23675, 14);
    expect(summary?.ece).toBeCloseTo(0.185, 14);
    expect(summary?.accuracy).toBeCloseTo(6.5 / 10, 14); // 6 right + the 50/50 tie's ½
    expect(summary?.logScore).toBe(meanLogScore(forecasts));
    expect(calibrationSummary([])).toBeNull();
  });
});
