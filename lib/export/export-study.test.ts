import { describe, expect, it } from "vitest";
import { codebookRows, EXPORT_COLUMNS, EXPORT_TABLE_DEFS, EXPORT_TABLES } from "./columns";
import { exportFileName, exportQuerySchema, neutraliseFormula } from "./export-study";
import { pseudonymiseExternal, pseudonymiseJudge, pseudonymiseText } from "./pseudonym";

describe("pseudonyms", () => {
  it("are short, stable under a study's key, and differ between keys, people and kinds of id", () => {
    const a = pseudonymiseJudge("key-1", "user-1");
    expect(a).toMatch(/^j-[0-9a-f]{12}$/);
    expect(pseudonymiseJudge("key-1", "user-1")).toBe(a);
    expect(pseudonymiseJudge("key-2", "user-1")).not.toBe(a);
    expect(pseudonymiseJudge("key-1", "user-2")).not.toBe(a);
    const x = pseudonymiseExternal("key-1", "user-1");
    expect(x).toMatch(/^x-[0-9a-f]{12}$/);
    expect(x.slice(2)).not.toBe(a.slice(2));
  });

  it("replace user ids inside free text", () => {
    const map = new Map([["cuid123", "j-abc"]]);
    expect(pseudonymiseText('{"judge":"cuid123","by":"cuid123"}', map)).toBe('{"judge":"j-abc","by":"j-abc"}');
  });
});

describe("export options", () => {
  it("default to verdicts as CSV, pseudonymised; take every table, all, and the older judge-steps", () => {
    expect(exportQuerySchema.parse({})).toEqual({ table: "verdicts", format: "csv", raw: false, tag: [] });
    expect(exportQuerySchema.parse({ table: "turns", format: "jsonl", raw: "1", tag: ["in-paper", "a,b"] })).toEqual({
      table: "turns",
      format: "jsonl",
      raw: true,
      tag: ["in-paper", "a", "b"],
    });
    for (const table of [...EXPORT_TABLES, "all"]) expect(exportQuerySchema.parse({ table }).table).toBe(table);
    expect(exportQuerySchema.parse({ table: "judge-steps" }).table).toBe("judge_steps");
    expect(exportQuerySchema.safeParse({ table: "users" }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ tabel: "turns" }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ pseudonymise: "false" }).success).toBe(false);
  });

  it("name files after the study and table", () => {
    expect(exportFileName("Debate vs. Consultancy (pilot)", "judge_steps", "csv")).toBe(
      "debate-vs-consultancy-pilot-judge_steps.csv",
    );
    expect(exportFileName("???", "turns", "jsonl")).toBe("study-turns.jsonl");
    expect(exportFileName("Pilot", "all", "jsonl")).toBe("pilot-jsonl.zip");
  });

  it("have described columns for every table, without repeats, and a codebook row for each", () => {
    for (const table of EXPORT_TABLES) {
      const columns = EXPORT_COLUMNS[table];
      expect(new Set(columns).size, table).toBe(columns.length);
      if (table !== "codebook") expect(columns[0]).toBe("study_id");
      for (const column of EXPORT_TABLE_DEFS[table].columns) expect(column.description, column.name).not.toBe("");
    }
    const codebook = codebookRows();
    expect(codebook).toHaveLength(EXPORT_TABLES.reduce((n, t) => n + EXPORT_COLUMNS[t].length, 0));
    expect(codebook).toContainEqual(expect.objectContaining({ table: "survey_answers", column: "answer" }));
    expect(Object.keys(codebook[0] ?? {})).toEqual([...EXPORT_COLUMNS.codebook]);
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
