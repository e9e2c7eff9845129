import { describe, expect, expectTypeOf, it } from "vitest";
import {
  ACTIVE_MATCH_STATUSES,
  type ActiveMatchStatus,
  assertTwoOptions,
  isSettledMatchStatus,
  JUDGE_ACTIONS,
  JUDGE_CHOICES,
  MATCH_STATUSES,
  type MatchStatus,
  OPTION_COUNT,
  OPTION_INDEXES,
  otherOption,
  SETTLED_MATCH_STATUSES,
  type SettledMatchStatus,
  toOptionIndex,
} from "./vocabulary";

describe("match statuses", () => {
  it("splits every status into settled or active, never both", () => {
    expect([...SETTLED_MATCH_STATUSES, ...ACTIVE_MATCH_STATUSES].sort()).toEqual([...MATCH_STATUSES].sort());
    expect(SETTLED_MATCH_STATUSES.filter((s) => (ACTIVE_MATCH_STATUSES as readonly string[]).includes(s))).toEqual([]);
    // A new status must be put in one of the two sets, or this stops compiling.
    expectTypeOf<SettledMatchStatus | ActiveMatchStatus>().toEqualTypeOf<MatchStatus>();
  });

  it("knows which statuses are over for good", () => {
    expect(MATCH_STATUSES.filter(isSettledMatchStatus)).toEqual(["complete", "abandoned", "errored"]);
    // Stored rows are plain strings: an unknown value is not settled.
    expect(isSettledMatchStatus("awaiting_verdict")).toBe(false);
    expect(isSettledMatchStatus("")).toBe(false);
  });

  it("has no dead awaiting_verdict", () => {
    expect(MATCH_STATUSES).not.toContain("awaiting_verdict");
  });
});

describe("judge actions", () => {
  it("lets judges choose every recorded action but the server's timeout", () => {
    expect(JUDGE_ACTIONS.filter((a) => !(JUDGE_CHOICES as readonly string[]).includes(a))).toEqual(["timeout"]);
  });
});

describe("options", () => {
  it("are exactly two", () => {
    expect(OPTION_COUNT).toBe(2);
    expect(OPTION_INDEXES).toEqual([0, 1]);
  });

  it("have an other option", () => {
    expect(otherOption(0)).toBe(1);
    expect(otherOption(1)).toBe(0);
  });

  it("reject an index that is not one of the two", () => {
    expect(toOptionIndex(1)).toBe(1);
    expect(() => toOptionIndex(2)).toThrow(/exactly two options/);
    expect(() => otherOption(-1)).toThrow(RangeError);
    expect(() => otherOption(0.5)).toThrow(RangeError);
  });

  it("are checked on a question", () => {
    expect(() => assertTwoOptions(["Ada", "Ben"])).not.toThrow();
    expect(() => assertTwoOptions(["Ada", "Ben", "Cy"])).toThrow("a question needs exactly two options (got 3)");
    expect(() => assertTwoOptions([])).toThrow(RangeError);
  });
});
