import { describe, expect, it } from "vitest";
import { studyConfigSchema } from "./config";
import { fieldIssues, messagesAt, type StudyConfigPath } from "./config-paths";

describe("study config paths", () => {
  it("names the schema's fields and no others (checked by the typechecker)", () => {
    const paths: StudyConfigPath[] = [
      ["name"],
      ["questions", "source"],
      ["conditions"],
      ["conditions", 1, "wordLimit"],
      ["conditions", 0, "scoring"],
      ["comprehensionCheck", "questions", 2, "answer"],
      ["completion", "codes", "failedCheck"],
      ["survey", 0, "options"],
    ];
    // @ts-expect-error a field the condition schema does not have
    const renamed: StudyConfigPath = ["conditions", 0, "wordLimits"];
    // @ts-expect-error questions is an object, not a list
    const indexed: StudyConfigPath = ["questions", 0];
    expect(paths).toHaveLength(8);
    expect([renamed, indexed]).toHaveLength(2);
  });

  it("finds a refused design's messages at their fields, and below a field's path", () => {
    const parsed = studyConfigSchema.safeParse({
      name: "",
      conditions: [
        { name: "a", protocol: "debate", wordLimit: 5 },
        { name: "A", protocol: "debate", scoring: { roundCost: "x" } },
      ],
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.success ? [] : fieldIssues(parsed.error);
    expect(messagesAt(issues, ["name"])).toEqual(["give the study a name"]);
    expect(messagesAt(issues, ["conditions", 0, "wordLimit"])).toHaveLength(1);
    expect(messagesAt(issues, ["conditions", 0, "name"])).toEqual([]);
    expect(messagesAt(issues, ["conditions", 1, "scoring"])).toHaveLength(1);
    expect(messagesAt(issues, ["conditions"]).length).toBe(2);
    // "conditions.1" must not match "conditions.10".
    expect(messagesAt([{ path: "conditions.10.name", message: "m" }], ["conditions", 1, "name"])).toEqual([]);
  });
});
