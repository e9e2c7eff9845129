import { describe, expect, it } from "vitest";
import { describeIssues, frozenStudySchema, parseStudyDesign, studyConfigSchema } from "./config";
import { planStudy } from "./plan";

/** The design's messages as a researcher reads them. */
function problems(design: unknown): string[] {
  const parsed = parseStudyDesign(design);
  if (parsed.success) throw new Error("expected the design to be refused");
  return describeIssues(parsed.error);
}

const recorded = {
  name: "replay",
  protocol: "recorded",
  source: { study: "nyu-2023", protocol: "debate", tags: ["live-judge"], count: 2 },
  judge: "offline:heuristic",
};

describe("a recorded condition in a design", () => {
  it("takes a source and a mode (stepped by default), and no debaters, rounds or word limit", () => {
    const config = studyConfigSchema.parse({ name: "r", conditions: [recorded, { name: "live", protocol: "debate" }] });
    const [replay, live] = config.conditions;
    expect(replay).toMatchObject({
      protocol: "recorded",
      mode: "stepped",
      source: { study: "nyu-2023", protocol: "debate", tags: ["live-judge"], count: 2, seed: 1 },
    });
    expect(replay).not.toHaveProperty("debaters");
    expect(replay).not.toHaveProperty("rounds");
    expect(live).toMatchObject({ protocol: "debate", rounds: 3, wordLimit: 150, debaters: "offline:extractive" });
    // A stored design reads back the same (the form and launch parse it again).
    expect(studyConfigSchema.parse(config)).toEqual(config);
  });

  it("refuses live settings on a recorded condition, and recorded ones on a live condition, at their fields", () => {
    expect(
      problems({
        name: "r",
        conditions: [
          { ...recorded, debaters: "offline:extractive", rounds: 2, mode: "fast" },
          { name: "live", protocol: "debate", source: { study: "x" }, mode: "timed" },
          { name: "nosource", protocol: "recorded", source: { study: "x", protocol: "naive" } },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        "Condition 1 – mode: must be one of stepped, timed",
        "Condition 2 – source debates: only a recorded condition has this setting",
        "Condition 2 – mode: only a recorded condition has this setting",
        "Condition 3 – source debates – protocol: must be one of debate, interactive, consultancy",
      ]),
    );
    expect(problems({ name: "r", conditions: [{ ...recorded, debaters: "offline:extractive", rounds: 2 }] })).toEqual([
      "Condition 1 – rounds: a recorded condition replays its source debates as they were: remove this setting",
      "Condition 1 – debaters: a recorded condition replays its source debates as they were: remove this setting",
    ]);
    expect(problems({ name: "r", conditions: [{ name: "x", protocol: "recorded" }] })).toEqual([
      'Condition 1 – source debates: a recorded condition needs a source, e.g. { study: "nyu-2023" }',
    ]);
  });

  it("keeps practice and qualification on live conditions", () => {
    expect(problems({ name: "r", practice: true, conditions: [recorded] })).toEqual([
      "Practice match: the practice match uses the first condition: put a live (not recorded) condition first",
    ]);
    expect(
      problems({ name: "r", qualification: { matches: 1 }, conditions: [{ ...recorded, judge: "human" }] }),
    ).toEqual([
      "Qualification – number of matches: qualification needs a live (not recorded) condition with a human judge",
    ]);
  });
});

describe("the plan of a study with recorded conditions", () => {
  const config = studyConfigSchema.parse({
    name: "r",
    judgmentsPerQuestion: 2,
    conditions: [
      { name: "live", protocol: "debate" },
      { ...recorded, name: "replay" },
    ],
  });
  const frozen = frozenStudySchema.parse({
    config,
    questionIds: ["q1"],
    recordedSources: { replay: ["m1", "m2"] },
  });
  const sources = [
    { matchId: "m1", questionId: "nq1", storyKey: "story-1" },
    { matchId: "m2", questionId: "nq2", storyKey: "story-2" },
  ];

  it("gives each drawn source debate its replicates, its question and story, and a balanced screen order", () => {
    const items = planStudy(frozen, [{ id: "q1", storyKey: "p1" }], sources);
    const replays = items.filter((i) => i.condition === "replay");
    expect(replays.map((i) => [i.key, i.sourceMatchId, i.questionId, i.storyKey, i.replicate])).toEqual([
      ["s0:replay:0", "m1", "nq1", "story-1", 0],
      ["s0:replay:1", "m1", "nq1", "story-1", 1],
      ["s1:replay:0", "m2", "nq2", "story-2", 0],
      ["s1:replay:1", "m2", "nq2", "story-2", 1],
    ]);
    // The correct option is shown first on half of a condition's items, and differently for a debate's replicates.
    expect(replays.filter((i) => i.balance.goldFirst)).toHaveLength(2);
    expect(replays[0]?.balance.goldFirst).not.toBe(replays[1]?.balance.goldFirst);
    expect(items.filter((i) => i.condition === "live").every((i) => i.sourceMatchId === undefined)).toBe(true);
    expect(new Set(items.map((i) => i.rank)).size).toBe(items.length);
    // The same frozen study plans the same items.
    expect(planStudy(frozen, [{ id: "q1", storyKey: "p1" }], sources)).toEqual(items);
  });

  it("refuses a frozen source the database does not hold", () => {
    expect(() => planStudy(frozen, [{ id: "q1", storyKey: "p1" }], sources.slice(0, 1))).toThrow(/m2/);
  });
});
