import { describe, expect, it } from "vitest";
import {
  creditLine,
  debaterReports,
  decisiveRound,
  probabilityPath,
  type RevealTurn,
  scoreReference,
  seatSegments,
} from "./reveal";

describe("probabilityPath", () => {
  it("starts at an even split and follows the probability on the correct option, the verdict last", () => {
    const steps = [
      { round: 1, probabilities: [0.4, 0.6], action: "continue" as const },
      { round: 2, probabilities: [0.2, 0.8], action: "continue" as const },
      { round: 3, probabilities: [0.5, 0.5], action: "end" as const },
    ];
    expect(probabilityPath(steps, { probabilities: [0.3, 0.7], rounds: 3 }, 1)).toEqual([
      { round: 0, pCorrect: 0.5 },
      { round: 1, pCorrect: 0.6 },
      { round: 2, pCorrect: 0.8 },
      { round: 3, pCorrect: 0.7 },
    ]);
  });

  it("has one point after the start for a judge without rounds of steps", () => {
    expect(probabilityPath([], { probabilities: [0.9, 0.1], rounds: 1 }, 0)).toEqual([
      { round: 0, pCorrect: 0.5 },
      { round: 1, pCorrect: 0.9 },
    ]);
  });
});

describe("decisiveRound", () => {
  it("is the round that moved the judge most, in either direction, earliest on a tie", () => {
    const path = [0.5, 0.6, 0.3, 0.4].map((pCorrect, round) => ({ round, pCorrect }));
    expect(decisiveRound(path)).toEqual({ round: 2, change: expect.closeTo(-0.3, 10) });
    const tie = [0.5, 0.7, 0.5].map((pCorrect, round) => ({ round, pCorrect }));
    expect(decisiveRound(tie)?.round).toBe(1);
  });

  it("is null when no round moved the judge by five points", () => {
    const path = [0.5, 0.52, 0.48].map((pCorrect, round) => ({ round, pCorrect }));
    expect(decisiveRound(path)).toBeNull();
  });
});

const TURNS: RevealTurn[] = [
  { round: 1, speaker: "A", quotes: [{ text: "alpha", verified: true, start: 0, end: 5 }] },
  { round: 1, speaker: "B", quotes: [{ text: "made up", verified: false }] },
  { round: 2, speaker: "A", quotes: [{ text: "ha be", verified: true, start: 3, end: 8 }] },
  { round: 2, speaker: "B", quotes: [{ text: "beta", verified: true, start: 6, end: 10 }] },
];

describe("debaterReports", () => {
  it("says which option each debater argued, and splits their quotes into verified, unverified and decisive", () => {
    const reports = debaterReports(
      [
        { seat: "A", option: 0 },
        { seat: "B", option: 1 },
      ],
      TURNS,
      1,
      { round: 2 },
    );
    expect(reports.map((r) => [r.seat, r.arguedCorrect, r.verified.length, r.unverified.length])).toEqual([
      ["A", false, 2, 0],
      ["B", true, 1, 1],
    ]);
    expect(reports[0]?.decisive.map((q) => q.text)).toEqual(["ha be"]);
    expect(reports[1]?.decisive.map((q) => q.text)).toEqual(["beta"]);
    expect(debaterReports([{ seat: "A", option: 0 }], TURNS, 0, null)[0]?.decisive).toEqual([]);
  });
});

describe("seatSegments", () => {
  it("covers the story once, marking each run with the seats that quoted it", () => {
    const story = "alpha beta gamma";
    const segments = seatSegments(story, TURNS);
    expect(segments.map((s) => s.text).join("")).toBe(story);
    expect(segments).toEqual([
      { text: "alpha ", seats: ["A"] },
      { text: "be", seats: ["A", "B"] },
      { text: "ta", seats: ["B"] },
      { text: " gamma", seats: [] },
    ]);
  });
});

describe("scoreReference", () => {
  it("places the log rule's score: 1 for certainty, 0 for 50/50, 1 + log₂ 0.01 at worst, less round costs", () => {
    const ref = scoreReference({ rule: "log", roundCost: 0.05 }, { probabilities: [0.25, 0.75], rounds: 3 }, 1);
    expect(ref.certain).toBe(1);
    expect(ref.even).toBeCloseTo(0, 12);
    expect(ref.worst).toBeCloseTo(1 + Math.log2(0.01), 10);
    expect(ref.beforeCosts).toBeCloseTo(1 + Math.log2(0.75), 10);
    expect(ref.roundCosts).toBeCloseTo(0.1, 12);
  });
});

describe("creditLine", () => {
  it("drops the pointer to the repository's data/README.md", () => {
    expect(creditLine("CC BY 4.0 — QuALITY (Pang et al. 2022); see data/README.md")).toBe(
      "CC BY 4.0 — QuALITY (Pang et al. 2022)",
    );
    expect(creditLine("CC BY 4.0 — Example Lab")).toBe("CC BY 4.0 — Example Lab");
  });
});
