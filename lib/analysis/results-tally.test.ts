import { describe, expect, it } from "vitest";
import type { OutcomeRow } from "./results-rows";
import { conditionResult, consultancySplits, roundsRows, tallyForecasts, tallyOutcomes } from "./results-tally";

const row = (over: Partial<OutcomeRow>): OutcomeRow => ({
  part: "outcome",
  condition: "debate",
  protocol: "debate",
  bucket: "included",
  rounds: 3,
  debaters: null,
  chosen: 0,
  ok: null,
  probabilities: null,
  n: 1,
  correct: 0,
  score: 0,
  ...over,
});

const designed = [
  { name: "debate", protocol: "debate" },
  { name: "consult", protocol: "consultancy" },
  { name: "naive", protocol: "naive" },
];

describe("tallyOutcomes", () => {
  it("lists designed conditions first (within the filter), counts exclusions and pending apart", () => {
    const tally = tallyOutcomes(
      [
        row({ condition: "extra", protocol: "naive", n: 2n, correct: 1n, score: 1 }),
        row({ n: 4, correct: 3, score: 2 }),
        row({ bucket: "practice", n: 2 }),
        row({ bucket: "pending", n: 5 }),
        row({ condition: null, bucket: "errored", n: 1 }),
      ],
      designed,
      ["debate", "extra"],
    );
    expect([...tally.conditions.keys()]).toEqual(["debate", "extra"]);
    const debate = tally.conditions.get("debate");
    expect(debate).toMatchObject({ n: 4, correct: 3, score: 2, pending: 5 });
    expect(debate?.excluded.practice).toBe(2);
    expect(tally.excluded).toMatchObject({ practice: 2, errored: 1 });
    expect(tally.pending).toBe(5);
    const extra = tally.conditions.get("extra");
    expect(extra && conditionResult(extra)).toMatchObject({ n: 2, correct: 1, accuracy: 0.5 });
  });

  it("splits consultancy by whether the consultant argued for the correct option", () => {
    const consultant = (option: number) => JSON.stringify([{ seat: "A", option, model: "m" }]);
    const tally = tallyOutcomes(
      [
        // Chose option 0 and was right: the consultant on option 0 was honest.
        row({ condition: "consult", protocol: "consultancy", debaters: consultant(0), chosen: 0, n: 3, correct: 2 }),
        // An explicit honest flag wins over the inference.
        row({
          condition: "consult",
          protocol: "consultancy",
          debaters: [{ seat: "A", option: 1, model: "m", honest: true }],
          chosen: 0,
          n: 1,
          correct: 1,
        }),
      ],
      designed,
      [],
    );
    const [split] = consultancySplits(tally.consultancy);
    // Right twice with option 0 (honest), wrong once with option 0 (dishonest), flagged honest once and right.
    expect(split?.honest).toMatchObject({ n: 3, correct: 3 });
    expect(split?.dishonest).toMatchObject({ n: 1, correct: 0 });
    expect(tally.debaters.get("m")).toEqual({
      model: "m",
      honest: { n: 3, wins: 2, rate: 2 / 3 },
      dishonest: { n: 1, wins: 1, rate: 1 },
    });
  });

  it("splits a recorded consultancy by the consultant's honesty, and rates no recorded debater", () => {
    const recorded = (option: number, honest: boolean) => [
      { seat: "A", option, model: `recorded:source-${option}:A`, honest },
    ];
    const debate = [
      { seat: "A", option: 0, model: "recorded:d:A" },
      { seat: "B", option: 1, model: "recorded:d:B" },
    ];
    const tally = tallyOutcomes(
      [
        row({ condition: "replay", protocol: "recorded", debaters: recorded(0, true), chosen: 0, n: 2, correct: 2 }),
        row({ condition: "replay", protocol: "recorded", debaters: recorded(1, false), chosen: 1, n: 1, correct: 0 }),
        row({ condition: "replay", protocol: "recorded", debaters: debate, chosen: 0, n: 1, correct: 1 }),
      ],
      [{ name: "replay", protocol: "recorded" }],
      [],
    );
    const [split] = consultancySplits(tally.consultancy);
    expect(split).toMatchObject({ condition: "replay", honest: { n: 2, correct: 2 }, dishonest: { n: 1, correct: 0 } });
    expect(tally.debaters.size).toBe(0);
  });

  it("tallies accuracy by rounds, conditions in design order", () => {
    const tally = tallyOutcomes(
      [row({ condition: "naive", rounds: 1, n: 2, correct: 2 }), row({ rounds: 2, n: 2, correct: 1 })],
      designed,
      [],
    );
    const order = new Map([...tally.conditions.keys()].map((c, i) => [c, i]));
    expect(roundsRows(tally.rounds.values(), order).map((r) => [r.condition, r.rounds, r.accuracy])).toEqual([
      ["debate", 2, 0.5],
      ["naive", 1, 1],
    ]);
  });
});

describe("tallyForecasts", () => {
  it("adds forecasts of tallied conditions, the gold option from whether the judge was right", () => {
    const { conditions } = tallyOutcomes([], designed, ["debate"]);
    tallyForecasts(
      [
        row({ part: "forecast", probabilities: "[0.8,0.2]", chosen: 0, ok: 1, n: 2 }),
        row({ part: "forecast", probabilities: [0.3, 0.7], chosen: 1, ok: 0, n: 1 }),
        row({ part: "forecast", probabilities: [2, -1], chosen: 0, ok: 1, n: 1 }), // malformed: left out
        row({ part: "forecast", condition: "naive", probabilities: [0.5, 0.5], n: 1 }), // not tallied
        row({ probabilities: [0.5, 0.5] }), // an outcome row
      ],
      conditions,
    );
    expect(conditions.get("debate")?.forecasts).toEqual([
      { probabilities: [0.8, 0.2], gold: 0 },
      { probabilities: [0.8, 0.2], gold: 0 },
      { probabilities: [0.3, 0.7], gold: 0 },
    ]);
  });
});
