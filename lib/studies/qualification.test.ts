import { describe, expect, it } from "vitest";
import { participantInstructions, qualificationCondition, studyConfigSchema } from "./config";
import { isQualificationKey, passesQualification, qualificationKey } from "./qualification";

const base = {
  name: "Screening",
  conditions: [
    { name: "ai", protocol: "debate", judge: "offline:heuristic" },
    { name: "humans", protocol: "consultancy" },
  ],
} as const;

describe("passesQualification", () => {
  const results = [
    { correct: true, score: -0.1 },
    { correct: false, score: -1.2 },
    { correct: true, score: -0.2 },
  ];
  it("accuracy: the share correct must reach the threshold (2 of 3 meets 0.6667 typed by hand)", () => {
    expect(passesQualification({ rule: "accuracy", threshold: 0.6667 }, results)).toBe(false);
    expect(passesQualification({ rule: "accuracy", threshold: 2 / 3 }, results)).toBe(true);
    expect(passesQualification({ rule: "accuracy", threshold: 0.5 }, results)).toBe(true);
    expect(passesQualification({ rule: "accuracy", threshold: 1 }, results)).toBe(false);
  });
  it("meanScore: the mean score (here −0.5) must reach the threshold", () => {
    expect(passesQualification({ rule: "meanScore", threshold: -0.5 }, results)).toBe(true);
    expect(passesQualification({ rule: "meanScore", threshold: -0.4 }, results)).toBe(false);
  });
  it("an empty block passes", () => {
    expect(passesQualification({ rule: "accuracy", threshold: 1 }, [])).toBe(true);
  });
});

describe("qualification keys", () => {
  it("mark qualification matches and nothing else", () => {
    expect(qualificationKey(2)).toBe("qualification:2");
    expect(isQualificationKey("qualification:0")).toBe(true);
    expect(isQualificationKey(null)).toBe(false);
    expect(isQualificationKey("q3:debate:1")).toBe(false);
  });
});

describe("the qualification block in a design", () => {
  it("is off by default and runs in the first human-judged condition, or the one named", () => {
    const off = studyConfigSchema.parse(base);
    expect(off.qualification).toEqual({ matches: 0, rule: "accuracy", threshold: 0.5 });
    expect(qualificationCondition(off)).toBeNull();
    const on = studyConfigSchema.parse({ ...base, qualification: { matches: 2 } });
    expect(qualificationCondition(on)?.name).toBe("humans");
    expect(on.completion.codes.screenedOut).toBe("CRUX-SCREENED-OUT");
  });
  it("is refused at its field when it cannot run", () => {
    const issues = (qualification: unknown, conditions: unknown = base.conditions) => {
      const parsed = studyConfigSchema.safeParse({ ...base, conditions, qualification });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ matches: 2, threshold: 1.5 })).toEqual([
      "qualification.threshold: an accuracy threshold is a share from 0 to 1",
    ]);
    expect(issues({ matches: 2, condition: "ai" })).toEqual([
      "qualification.condition: the qualification condition needs a human judge",
    ]);
    expect(issues({ matches: 2, condition: "nope" })).toEqual([
      "qualification.condition: name one of the study's conditions",
    ]);
    expect(issues({ matches: 1 }, [base.conditions[0]])).toEqual([
      "qualification.matches: qualification needs a condition with a human judge",
    ]);
    expect(issues({ matches: 2, rule: "meanScore", threshold: -1.5 })).toEqual([]);
    expect(issues({ matches: 11 })).toHaveLength(1);
  });
  it("is announced in the participants' instructions with its rule", () => {
    const config = studyConfigSchema.parse({
      ...base,
      instructions: "Read carefully.",
      qualification: { matches: 3, threshold: 0.6 },
    });
    expect(participantInstructions(config)).toBe(
      "Read carefully.\n\nYou judge 3 qualifying matches before the study's matches. To go on, get at least 2 of 3 " +
        "right. Otherwise the study ends there for you.",
    );
  });
});
