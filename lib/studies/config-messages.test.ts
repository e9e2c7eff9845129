import { describe, expect, it } from "vitest";
import { describeIssues, parseStudyDesign } from "./config";
import { studyFieldLabel } from "./config-messages";
import { parseStudyFile } from "./file";

/** The design's messages as a researcher reads them: every issue of a bad design, labelled. */
function problems(design: unknown): string[] {
  const parsed = parseStudyDesign(design);
  if (parsed.success) throw new Error("expected the design to be refused");
  return describeIssues(parsed.error);
}

const condition = { name: "debate", protocol: "debate" };

describe("a refused study design in plain words", () => {
  it("names each field as the form does", () => {
    expect(studyFieldLabel(["conditions", 0, "wordLimit"])).toBe("Condition 1 – word limit");
    expect(studyFieldLabel(["conditions", 1, "debaters", 1])).toBe("Condition 2 – debater B");
    expect(studyFieldLabel(["conditions", 0, "scoring", "roundCost"])).toBe("Condition 1 – scoring – round cost");
    expect(studyFieldLabel(["comprehensionCheck", "questions", 2, "answer"])).toBe("Check question 3 – correct answer");
    expect(studyFieldLabel(["survey", 0, "options", 1])).toBe("Survey question 1 – option 2");
    expect(studyFieldLabel(["questions", "count"])).toBe("Number of questions");
    expect(studyFieldLabel(["questions", "tags", 0])).toBe("Question tags – tag 1");
    expect(studyFieldLabel(["name"])).toBe("Name");
    expect(studyFieldLabel([])).toBe("The design");
  });

  it("words sizes with their unit, types, choices and unknown keys, never zod's own words", () => {
    const lines = problems({
      name: "x".repeat(201),
      extra: true,
      questions: { count: "ten" },
      conditions: [
        { name: "a", protocol: "debat", wordLimit: 5000, rounds: 2.5 },
        { name: "b", protocol: "debate", wordLimit: 10, scoring: { roundCost: 2 } },
      ],
      survey: [{ id: "confidence", prompt: "" }],
      completion: { redirectUrl: "ftp://example.org" },
      comprehensionCheck: { questions: [{ question: "q", options: ["only"], answer: 0 }] },
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        "Name: must be at most 200 characters",
        "Number of questions: must be a number",
        "Condition 1 – protocol: must be one of debate, interactive, consultancy, naive, expert, recorded",
        "Condition 1 – word limit: must be at most 1000 words",
        "Condition 1 – rounds: must be a whole number",
        "Condition 2 – word limit: must be at least 20 words",
        "Condition 2 – scoring – round cost: must be at most 1",
        "Survey question 1 – prompt: must not be empty",
        "Completion – redirect URL: must be a web address starting with https:// (or http://)",
        "Check question 1 – options: needs at least 2 options",
        'The design: unknown setting "extra" (check the spelling)',
      ]),
    );
    for (const line of lines) expect(line).not.toMatch(/Too big|Too small|Invalid input|expected|conditions\.\d/);
  });

  it("keeps the schema's own words, and says what is missing", () => {
    expect(problems({ name: "", conditions: [condition] })).toEqual(["Name: give the study a name"]);
    expect(problems({ conditions: [condition] })).toEqual(["Name: is required"]);
    expect(problems({ name: "x", conditions: [] })).toEqual(["Conditions: add at least one condition"]);
    expect(problems({ name: "x", conditions: [{ ...condition, judge: 5 }] })).toEqual([
      'Condition 1 – judge: "human" or an AI judge\'s model spec, e.g. offline:heuristic',
    ]);
  });

  it("gives the same words, with their line, for a study file", () => {
    const result = parseStudyFile("name: x\nconditions:\n  - name: a\n    protocol: debate\n    wordLimit: 5000\n");
    expect(result).toEqual({ ok: false, errors: ["line 5: Condition 1 – word limit: must be at most 1000 words"] });
  });
});
