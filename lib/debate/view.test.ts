import { describe, expect, it } from "vitest";
import { defaultMatchConfig, storedMatchConfigSchema } from "./config";
import type { MatchSnapshot } from "./view";
import { JUDGE_ERRORED_NOTICE, RECORDED_TURN_MODEL, viewFor } from "./view";

const PASSAGE = "The lighthouse keeper counted the ships every night. Nobody ever came to relieve him.";

function snapshot(overrides: Partial<MatchSnapshot> = {}): MatchSnapshot {
  return {
    id: "m1",
    status: "running",
    error: null,
    config: defaultMatchConfig(42),
    question: {
      id: "q1",
      text: "Why did the keeper stay?",
      options: ["Duty", "Money"],
      gold: 1,
      passage: { title: "The Keeper", text: PASSAGE, license: "CC BY 4.0" },
    },
    debaters: [
      { seat: "A", option: 1, model: "offline:extractive", label: "Offline", isLanguageModel: false },
      { seat: "B", option: 0, model: "offline:extractive", label: "Offline", isLanguageModel: false },
    ],
    turns: [
      {
        round: 1,
        speaker: "A",
        option: 1,
        text: "See <quote>counted the ships every night</quote>.",
        quotes: [{ text: "counted the ships every night", verified: true, start: 21, end: 50 }],
        model: "offline:extractive",
      },
    ],
    judgeSteps: [],
    verdict: null,
    live: [{ round: 1, speaker: "B", text: "I argue", seq: 1 }],
    phase: { kind: "turns", round: 1, seats: ["B"] },
    deadline: null,
    ...overrides,
  };
}

describe("viewFor", () => {
  it("gives the judge no passage, no quote positions, no seed and no answer before the verdict", () => {
    const view = viewFor(snapshot(), "judge");
    const wire = JSON.stringify(view);
    expect(view.reveal).toBeNull();
    expect(wire).not.toContain("Nobody ever came");
    expect(wire).not.toMatch(/"(gold|correct|start|end|seed|license)"/);
    expect(view.turns[0]?.quotes).toEqual([{ text: "counted the ships every night", verified: true }]);
    expect(view.question).toEqual({
      text: "Why did the keeper stay?",
      options: ["Duty", "Money"],
      passageTitle: "The Keeper",
      hasPassage: true,
    });
    expect(view.live).toEqual([{ round: 1, speaker: "B", text: "I argue", seq: 1 }]);
  });

  it("reveals the answer, the passage and quote positions to the judge once the verdict is in", () => {
    const verdict = { probabilities: [0.2, 0.8], chosen: 1, correct: true, score: Math.log(0.8), rounds: 1 };
    const view = viewFor(snapshot({ verdict, status: "complete", phase: { kind: "complete" } }), "judge");
    expect(view.reveal?.gold).toBe(1);
    expect(view.reveal?.verdict).toEqual(verdict);
    expect(view.reveal?.passage?.text).toBe(PASSAGE);
    expect(view.reveal?.quotes[0]?.[0]).toMatchObject({ start: 21, end: 50 });
  });

  it("lets the expert judge read the story, but not the answer, before the verdict", () => {
    const config = { ...defaultMatchConfig(42), protocol: "expert" as const, rounds: 1 };
    const view = viewFor(snapshot({ config, turns: [], live: [] }), "judge");
    expect(view.passage?.text).toBe(PASSAGE);
    expect(view.reveal).toBeNull();
    expect(JSON.stringify(view)).not.toMatch(/"(gold|correct)"/);
    for (const protocol of ["debate", "interactive", "consultancy", "naive"] as const) {
      const other = viewFor(snapshot({ config: { ...config, protocol } }), "judge");
      expect(other.passage, protocol).toBeNull();
      expect(JSON.stringify(other)).not.toContain("Nobody ever came");
    }
  });

  it("lists the judge's questions and whether questions are allowed", () => {
    const config = { ...defaultMatchConfig(42), protocol: "interactive" as const };
    const judgeSteps = [
      { round: 1, probabilities: [0.5, 0.5], action: "continue" as const, message: "Who relieved him?" },
    ];
    const view = viewFor(snapshot({ config, judgeSteps }), "judge");
    expect(view.judgeMayAsk).toBe(true);
    expect(view.judgeQuestions).toEqual([{ afterRound: 1, text: "Who relieved him?" }]);
    expect(viewFor(snapshot(), "judge").judgeMayAsk).toBe(false);
  });

  it("shows observers everything during the match", () => {
    const view = viewFor(snapshot(), "observer");
    expect(view.role).toBe("observer");
    expect(view.reveal?.gold).toBe(1);
    expect(view.reveal?.passage?.text).toBe(PASSAGE);
  });

  it("tells a judge an errored match stopped in plain words, and only observers the provider's error text", () => {
    const raw =
      "openai-compatible:local/gpt9000 failed after 1 attempt: model not found (404): The model `gpt9000` does not exist";
    const errored = snapshot({ status: "errored", error: raw, phase: { kind: "errored" } });
    const judge = viewFor(errored, "judge");
    expect(judge.error).toBe(JUDGE_ERRORED_NOTICE);
    expect(JSON.stringify(judge)).not.toContain("gpt9000");
    expect(viewFor(errored, "observer").error).toBe(raw);
    // Reasons Crux writes for people (an abandoned match) are shown to the judge as they are.
    const left = snapshot({ status: "abandoned", error: "Ended by a researcher.", phase: { kind: "errored" } });
    expect(viewFor(left, "judge").error).toBe("Ended by a researcher.");
    expect(viewFor(snapshot(), "judge").error).toBeNull();
  });
});

describe("viewFor, recorded debates", () => {
  const source = {
    matchId: "source-1",
    judge: { kind: "human" as const, label: "a person" },
    judgeSteps: [{ round: 1, probabilities: [0.1, 0.9], action: "end" as const }],
    verdict: { probabilities: [0.1, 0.9], chosen: 1, correct: true, score: 0.85, rounds: 1 },
  };
  const recorded = () =>
    snapshot({
      config: storedMatchConfigSchema.parse({
        seed: 3,
        protocol: "recorded",
        rounds: 2,
        recorded: { mode: "timed", sourceProtocol: "debate" },
      }),
      turns: [{ round: 1, speaker: "A", option: 1, text: "Money.", quotes: [], model: "recorded:source-1:A" }],
      source,
    });

  it("gives the judge nothing of the source (its id, its judge, their verdict) before the verdict", () => {
    const view = viewFor(recorded(), "judge");
    const wire = JSON.stringify(view);
    expect(view.reveal).toBeNull();
    expect(wire).not.toContain("source-1");
    expect(wire).not.toContain("0.85");
    expect(view.turns[0]?.model).toBe(RECORDED_TURN_MODEL);
    expect(view.recordedMode).toBe("timed");
    expect(view.judgeMayAsk).toBe(false);
  });

  it("reveals how the original judge did with the verdict", () => {
    const verdict = { probabilities: [0.3, 0.7], chosen: 1, correct: true, score: 0.4, rounds: 2 };
    const view = viewFor({ ...recorded(), verdict, status: "complete" }, "judge");
    expect(view.reveal?.original).toEqual(source);
    expect(view.turns[0]?.model).toBe("recorded:source-1:A");
  });
});
