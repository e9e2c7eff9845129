import { describe, expect, it } from "vitest";
import { Prisma } from "../db/generated/client";
import { studyVerdictInsert } from "../matches/study-verdicts";
import { defaultPairs } from "./resample-jobs";
import { judgeLabel } from "./results-rankings";
import { toNumber } from "./results-rows";
import {
  describeDifference,
  filterRange,
  formatP,
  NO_FILTERS,
  parseResultsFilters,
  resultsFiltersQuery,
  resultsFiltersSchema,
} from "./results-schema";
import {
  cellsQuery,
  conditionsQuery,
  excludedJudgesQuery,
  judgeMediansQuery,
  judgesQuery,
  questionCellsQuery,
  questionTextQuery,
  unjudgedQuery,
  verdictCountQuery,
  verdictGroupsQuery,
  verdictWatermarkQuery,
} from "./results-sql";
import { accuracyCell } from "./results-tally";

describe("results filters", () => {
  it("reads query parameters: repeated or comma-separated lists, blanks as unset", () => {
    const parsed = parseResultsFilters(
      new URLSearchParams("condition=debate&condition=naive,consultancy&tag=&tag=hard&judge=&from=&judgeKind=ai"),
    );
    expect(parsed.success && parsed.data).toEqual({
      condition: ["debate", "naive", "consultancy"],
      tag: ["hard"],
      judgeKind: "ai",
    });
    const fromRecord = parseResultsFilters({ condition: "debate", to: "2025-06-30", judge: " u1 " });
    expect(fromRecord.success && fromRecord.data).toEqual({
      condition: ["debate"],
      tag: [],
      to: "2025-06-30",
      judge: "u1",
      judgeKind: "all",
    });
    expect(parseResultsFilters(new URLSearchParams("judgeKind=robots")).success).toBe(false);
    expect(parseResultsFilters(new URLSearchParams("from=yesterday")).success).toBe(false);
    expect(resultsFiltersSchema.parse({})).toEqual(NO_FILTERS);
  });

  it("turns a day into the whole UTC day and refuses an end before the start", () => {
    expect(filterRange({ from: "2025-06-01", to: "2025-06-30" })).toEqual({
      from: new Date("2025-06-01T00:00:00Z"),
      to: new Date("2025-07-01T00:00:00Z"),
    });
    expect(filterRange({ to: "2025-06-30T12:00:00Z" }).to).toEqual(new Date("2025-06-30T12:00:00Z"));
    expect(resultsFiltersSchema.safeParse({ from: "2025-06-30", to: "2025-06-30" }).success).toBe(true);
    expect(resultsFiltersSchema.safeParse({ from: "2025-07-01", to: "2025-06-30" }).success).toBe(false);
  });

  it("writes filters back as query parameters", () => {
    const filters = resultsFiltersSchema.parse({
      from: "2025-01-01",
      condition: ["a", "b"],
      tag: ["x"],
      judgeKind: "human",
    });
    const query = resultsFiltersQuery(filters);
    expect(query.toString()).toBe("from=2025-01-01&condition=a&condition=b&tag=x&judgeKind=human");
    const back = parseResultsFilters(query);
    expect(back.success && back.data).toEqual(filters);
    expect(resultsFiltersQuery(NO_FILTERS).toString()).toBe("");
  });
});

describe("wording", () => {
  it("states a difference in plain language", () => {
    expect(
      describeDifference({
        a: "debate",
        b: "consultancy",
        accuracyA: 0.84,
        accuracyB: 0.74,
        estimate: 0.1,
        ci: [0.03, 0.17],
        p: 0.0123,
      }),
    ).toBe(
      "Debate judges were right 84% of the time vs 74% with consultancy; difference +10 points, 95% CI [+3, +17], permutation p = 0.01.",
    );
    expect(
      describeDifference({ a: "naive", b: "debate", accuracyA: 0.6, accuracyB: 0.7, estimate: -0.1, ci: null, p: 0.5 }),
    ).toMatch(/difference -10 points, no interval \(too little overlap\), permutation p = 0\.50\.$/);
  });

  it("formats p-values", () => {
    expect(formatP(0.0001)).toBe("p < 0.001");
    expect(formatP(0.0042)).toBe("p = 0.004");
    expect(formatP(0.049)).toBe("p = 0.05");
    expect(formatP(1)).toBe("p = 1.00");
  });

  it("pseudonymises judges stably", () => {
    expect(judgeLabel("user-1")).toMatch(/^J-[0-9a-f]{4}$/);
    expect(judgeLabel("user-1")).toBe(judgeLabel("user-1"));
    expect(judgeLabel("user-1")).not.toBe(judgeLabel("user-2"));
  });

  it("gives accuracy with a Wilson interval, and none without data", () => {
    expect(accuracyCell(0, 0)).toEqual({ n: 0, correct: 0, accuracy: null, ci: null });
    const cell = accuracyCell(81, 263);
    expect(cell.accuracy).toBeCloseTo(81 / 263, 12);
    expect(cell.ci?.[0]).toBeCloseTo(0.2553, 4); // Newcombe (1998)
    expect(cell.ci?.[1]).toBeCloseTo(0.3662, 4);
  });

  it("reads the numbers both databases return", () => {
    expect(toNumber(3n)).toBe(3);
    expect(toNumber("2.5")).toBe(2.5);
    expect(toNumber({ toString: () => "1.25" })).toBe(1.25);
    expect(toNumber(null)).toBe(0);
  });
});

describe("default comparisons", () => {
  const conditions = [
    { name: "naive", protocol: "naive" },
    { name: "debate", protocol: "debate" },
    { name: "consult", protocol: "consultancy" },
    { name: "debate-2", protocol: "debate" },
  ];
  it("puts the first debate condition against consultancy, then naive", () => {
    expect(defaultPairs(conditions, [])).toEqual([
      ["debate", "consult"],
      ["debate", "naive"],
    ]);
  });
  it("compares every pair of the conditions named in the filter, in order", () => {
    expect(defaultPairs(conditions, ["naive", "debate-2", "consult"])).toEqual([
      ["naive", "debate-2"],
      ["naive", "consult"],
      ["debate-2", "consult"],
    ]);
  });
  it("falls back to every pair without a debate-vs-baseline design", () => {
    expect(
      defaultPairs(
        [
          { name: "a", protocol: "interactive" },
          { name: "b", protocol: "expert" },
        ],
        [],
      ),
    ).toEqual([["a", "b"]]);
    expect(defaultPairs([{ name: "a", protocol: "debate" }], [])).toEqual([]);
  });
});

describe("results SQL", () => {
  const scope = {
    studyId: "s",
    filters: resultsFiltersSchema.parse({
      from: "2025-01-01",
      to: "2025-02-01",
      judge: "u",
      condition: ["a"],
      judgeKind: "human",
    }),
    tags: [{ tag: "t", questionIds: ["q1"] }],
  };
  const statements = [
    verdictGroupsQuery(scope),
    verdictGroupsQuery(scope, { after: 10, upTo: 20 }),
    unjudgedQuery(scope),
    judgesQuery(scope, { after: 10 }),
    judgeMediansQuery(scope, ["u"]),
    questionCellsQuery(scope, { upTo: 20 }),
    questionTextQuery(["q1"]),
    cellsQuery(scope),
    conditionsQuery(scope),
    verdictCountQuery("s"),
    verdictWatermarkQuery("s", 10),
    excludedJudgesQuery("s"),
    studyVerdictInsert(Prisma.sql`m."id" = ${"m1"}`),
  ];

  it("stays portable: no SQLite-only functions, camelCase identifiers quoted", () => {
    for (const statement of statements) {
      expect(statement.sql).not.toMatch(
        /\b(json_\w+|ifnull|strftime|datetime|julianday|group_concat|instr|iif|printf|total)\s*\(/i,
      );
      // An unquoted camelCase column after an alias would be lower-cased by PostgreSQL.
      expect(statement.sql).not.toMatch(/\b[mvpqsx]\.[a-z]+[A-Z]\w*/);
    }
  });

  it("binds every value as a parameter", () => {
    for (const statement of [verdictGroupsQuery(scope, { after: 7, upTo: 9 }), unjudgedQuery(scope)]) {
      expect(statement.values).toEqual(
        expect.arrayContaining([
          "s",
          "u",
          "a",
          "q1",
          new Date("2025-01-01T00:00:00Z"),
          new Date("2025-02-02T00:00:00Z"),
        ]),
      );
      expect(statement.sql).not.toContain("2025");
      expect(statement.sql.split("?").length - 1).toBe(statement.values.length);
    }
    expect(verdictGroupsQuery(scope, { after: 7, upTo: 9 }).values).toEqual(expect.arrayContaining([7, 9]));
  });
});
