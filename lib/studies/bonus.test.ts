import { describe, expect, it } from "vitest";
import {
  bonusAmount,
  bonusFile,
  formatMoney,
  meanScore,
  payConfigSchema,
  payNote,
  roundToCents,
  runningBonusNote,
} from "./bonus";

const rule = { perPoint: 2, floor: 0, cap: 1.5 };

describe("bonusAmount", () => {
  it("pays perPoint for every point of mean score above the floor", () => {
    // mean (0.5 + 0.1) / 2 = 0.3; 0.3 × £2 = £0.60
    expect(bonusAmount(rule, [0.5, 0.1])).toBe(0.6);
    // floor 0.2: (0.3 − 0.2) × 2 = 0.20
    expect(bonusAmount({ ...rule, floor: 0.2 }, [0.5, 0.1])).toBe(0.2);
    // a negative floor pays for scores below 50–50 too: (−0.5 + 1) × 2 = 1.00
    expect(bonusAmount({ ...rule, floor: -1 }, [-0.5])).toBe(1);
  });

  it("pays nothing at or below the floor", () => {
    expect(bonusAmount(rule, [0])).toBe(0);
    expect(bonusAmount(rule, [-5.64, 1])).toBe(0);
    expect(bonusAmount({ ...rule, floor: 0.5 }, [0.4, 0.5])).toBe(0);
  });

  it("never pays more than the cap", () => {
    expect(bonusAmount(rule, [1, 1])).toBe(1.5);
    expect(bonusAmount({ ...rule, cap: 0 }, [1])).toBe(0);
    expect(bonusAmount({ perPoint: 1.5, floor: 0, cap: 1.5 }, [1])).toBe(1.5);
  });

  it("rounds to the nearest cent, halves up", () => {
    // mean 0.3333…; × 2 = 0.6666… → 0.67
    expect(bonusAmount(rule, [1, 0, 0])).toBe(0.67);
    // 0.12345 × 1 → 0.12; 0.125 × 1 → 0.13
    expect(bonusAmount({ perPoint: 1, floor: 0, cap: 10 }, [0.12345])).toBe(0.12);
    expect(bonusAmount({ perPoint: 1, floor: 0, cap: 10 }, [0.125])).toBe(0.13);
    expect(roundToCents(1.005)).toBe(1.01);
    expect(roundToCents(2.675)).toBe(2.68);
    expect(roundToCents(0.004)).toBe(0);
    expect(roundToCents(-1.005)).toBe(-1.01);
  });

  it("pays nothing without a scored match or without a bonus rule", () => {
    expect(bonusAmount(rule, [])).toBe(0);
    expect(bonusAmount(null, [1, 1])).toBe(0);
    expect(meanScore([])).toBeNull();
    expect(meanScore([1, 0.5])).toBe(0.75);
  });
});

describe("pay config", () => {
  it("defaults to no pay stated and no bonus", () => {
    expect(payConfigSchema.parse({})).toEqual({ basePay: 0, currency: "GBP", bonus: null });
    expect(payNote(payConfigSchema.parse({}))).toBeNull();
  });

  it("takes amounts in whole cents, never negative", () => {
    expect(payConfigSchema.safeParse({ basePay: 6.5, bonus: { perPoint: 0.07, cap: 2.99 } }).success).toBe(true);
    expect(payConfigSchema.safeParse({ basePay: 6.555 }).success).toBe(false);
    expect(payConfigSchema.safeParse({ basePay: -1 }).success).toBe(false);
    expect(payConfigSchema.safeParse({ currency: "JPY" }).success).toBe(false);
    expect(payConfigSchema.safeParse({ bonus: { perPoint: 1 } }).success).toBe(false);
  });

  it("tells participants their pay in plain words", () => {
    expect(formatMoney(1.5, "GBP")).toBe("£1.50");
    expect(formatMoney(12, "USD")).toBe("US$12.00");
    expect(payNote(payConfigSchema.parse({ basePay: 6 }))).toBe("You earn £6.00 for completing the study.");
    const pay = payConfigSchema.parse({ basePay: 6, bonus: { perPoint: 2, floor: 0, cap: 1.5 } });
    expect(payNote(pay)).toBe(
      "You earn £6.00 for completing the study, plus a bonus of £2.00 for every point your average match score is " +
        "above 0, up to £1.50. A match scores 1 point when you give the correct answer 100% and 0 for 50–50; each " +
        "match page explains its scoring.",
    );
    expect(runningBonusNote(pay, [0.5, 0.1])).toBe(
      "Your bonus so far: £0.60 (average score 0.3 over 2 matches; up to £1.50).",
    );
    expect(runningBonusNote(pay, [])).toBeNull();
    expect(runningBonusNote(payConfigSchema.parse({ basePay: 6 }), [1])).toBeNull();
  });
});

describe("bonusFile", () => {
  it("has one Prolific line per participant with a bonus and an id, amounts with two decimals", () => {
    const rows = [
      { externalId: "5f2a", bonus: 1.5 },
      { externalId: "6b3c", bonus: 0 },
      { externalId: null, bonus: 2 },
      { externalId: "7d4e", bonus: 0.05 },
    ];
    expect(bonusFile(rows)).toBe("5f2a,1.50\n7d4e,0.05\n");
    expect(bonusFile([])).toBe("");
  });
});
