import { describe, expect, it } from "vitest";
import { EXPORT_COLUMNS, EXPORT_TABLES } from "./columns";
import { exportFileName, exportQuerySchema, neutraliseFormula } from "./export-study";
import { pseudonymiseJudge, pseudonymiseText } from "./pseudonym";

describe("judge pseudonyms", () => {
  it("are short, stable for a study, and differ between studies and people", () => {
    const a = pseudonymiseJudge("study-1", "user-1");
    expect(a).toMatch(/^j-[0-9a-f]{12}$/);
    expect(pseudonymiseJudge("study-1", "user-1")).toBe(a);
    expect(pseudonymiseJudge("study-2", "user-1")).not.toBe(a);
    expect(pseudonymiseJudge("study-1", "user-2")).not.toBe(a);
  });

  it("replace user ids inside free text", () => {
    const map = new Map([["cuid123", "j-abc"]]);
    expect(pseudonymiseText('{"judge":"cuid123","by":"cuid123"}', map)).toBe('{"judge":"j-abc","by":"j-abc"}');
  });
});

describe("export options", () => {
  it("default to verdicts as CSV, pseudonymised", () => {
    expect(exportQuerySchema.parse({})).toEqual({ table: "verdicts", format: "csv", pseudonymise: true });
    expect(exportQuerySchema.parse({ table: "turns", format: "jsonl", pseudonymise: "false" })).toEqual({
      table: "turns",
      format: "jsonl",
      pseudonymise: false,
    });
    expect(exportQuerySchema.safeParse({ table: "users" }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ tabel: "turns" }).success).toBe(false);
  });

  it("name files after the study and table", () => {
    expect(exportFileName("Debate vs. Consultancy (pilot)", "judge-steps", "csv")).toBe(
      "debate-vs-consultancy-pilot-judge-steps.csv",
    );
    expect(exportFileName("???", "turns", "jsonl")).toBe("study-turns.jsonl");
  });

  it("have columns for every table, without repeats", () => {
    for (const table of EXPORT_TABLES) {
      const columns = EXPORT_COLUMNS[table];
      expect(new Set(columns).size, table).toBe(columns.length);
      expect(columns[0]).toBe("study_id");
    }
  });
});

describe("neutraliseFormula", () => {
  it.each(["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])("prefixes %j so a spreadsheet shows it as text", (v) => {
    expect(neutraliseFormula(v)).toBe(`'${v}`);
  });
  it("leaves other text alone", () => {
    expect(neutraliseFormula("Because A is right = obvious")).toBe("Because A is right = obvious");
    expect(neutraliseFormula("")).toBe("");
  });
});
