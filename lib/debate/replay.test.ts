import { describe, expect, it } from "vitest";
import { defaultMatchConfig } from "./config";
import { replayRounds, snapshotAtRound } from "./replay";
import { type MatchSnapshot, viewFor } from "./view";

const PASSAGE = "Ada had kept the light for ten years. Ben only visited in summer.";

const turn = (round: number, speaker: "A" | "B") => ({
  round,
  speaker,
  option: speaker === "A" ? 0 : 1,
  text: `Round ${round}: <quote>Ada had kept the light</quote>.`,
  quotes: [{ text: "Ada had kept the light", verified: true, start: 0, end: 22 }],
  model: "offline:extractive",
});

const finished: MatchSnapshot = {
  id: "m1",
  status: "complete",
  error: null,
  config: { ...defaultMatchConfig(1), rounds: 2 },
  question: {
    id: "q1",
    text: "Who keeps the light?",
    options: ["Ada", "Ben"],
    gold: 0,
    passage: { title: "The Light", text: PASSAGE, license: "CC0" },
  },
  debaters: [
    { seat: "A", option: 0, model: "offline:extractive", label: "Offline", isLanguageModel: false },
    { seat: "B", option: 1, model: "offline:extractive", label: "Offline", isLanguageModel: false },
  ],
  turns: [turn(1, "A"), turn(1, "B"), turn(2, "A"), turn(2, "B")],
  judgeSteps: [
    { round: 1, probabilities: [0.6, 0.4], action: "continue", message: "Why?" },
    { round: 2, probabilities: [0.8, 0.2], action: "end" },
  ],
  verdict: { probabilities: [0.8, 0.2], chosen: 0, correct: true, score: 0.3, rounds: 2 },
  live: [],
  phase: { kind: "complete" },
  deadline: null,
};

describe("snapshotAtRound", () => {
  it("gives the judge's view when deciding after a round: no story, answer or quote positions", () => {
    const view = viewFor(snapshotAtRound(finished, 1), "judge");
    expect(view.turns.map((t) => t.round)).toEqual([1, 1]);
    expect(view.judgeSteps).toEqual([]);
    expect(view.passage).toBeNull();
    expect(view.reveal).toBeNull();
    expect(JSON.stringify(view)).not.toContain("ten years");
    expect(JSON.stringify(view)).not.toMatch(/"start"|"gold"/);
    const second = viewFor(snapshotAtRound(finished, 2), "judge");
    expect(second.turns).toHaveLength(4);
    expect(second.judgeSteps.map((s) => s.round)).toEqual([1]);
  });

  it("shows the story before the verdict in the expert protocol, as live", () => {
    const expert = { ...finished, config: { ...finished.config, protocol: "expert" as const } };
    expect(viewFor(snapshotAtRound(expert, 1), "judge").passage?.text).toBe(PASSAGE);
  });

  it("steps through the rounds that have turns or steps, skipping a prior at round 0", () => {
    expect(replayRounds(finished)).toEqual([1, 2]);
    expect(
      replayRounds({ turns: [], judgeSteps: [{ round: 0, probabilities: [0.5, 0.5], action: "continue" }] }),
    ).toEqual([1]);
  });
});
