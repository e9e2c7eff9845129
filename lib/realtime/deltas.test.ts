import { describe, expect, it } from "vitest";
import type { MatchView } from "../debate/view";
import { applyDelta } from "./deltas";

const base: MatchView = {
  id: "m1",
  role: "judge",
  protocol: "debate",
  status: "running",
  error: null,
  phase: { kind: "turns", round: 1, seats: ["A", "B"] },
  rounds: 3,
  wordLimit: 150,
  question: { text: "Q?", options: ["x", "y"], passageTitle: null, hasPassage: false },
  optionOrder: [0, 1],
  judgeMayAsk: false,
  judgeQuestions: [],
  deadline: null,
  passage: null,
  debaters: [],
  turns: [],
  live: [{ round: 1, speaker: "A", text: "Hello ", seq: 0 }],
  judgeSteps: [],
  reveal: null,
};
const delta = (speaker: "A" | "B", seq: number, text: string) => ({ matchId: "m1", round: 1, speaker, seq, text });

describe("applyDelta", () => {
  it("appends the next chunk of a live turn", () => {
    expect(applyDelta(base, delta("A", 1, "world"))?.live[0]).toEqual({
      round: 1,
      speaker: "A",
      text: "Hello world",
      seq: 1,
    });
  });

  it("starts a live turn on its first chunk", () => {
    expect(applyDelta(base, delta("B", 0, "Hi"))?.live[1]).toMatchObject({ speaker: "B", text: "Hi", seq: 0 });
  });

  it("ignores chunks already included, so a fresh view never doubles text", () => {
    expect(applyDelta(base, delta("A", 0, "Hello "))).toBe(base);
  });

  it("asks for a resync when a chunk is missing", () => {
    expect(applyDelta(base, delta("A", 2, "lost"))).toBeNull();
    expect(applyDelta(base, delta("B", 3, "late"))).toBeNull();
  });

  it("ignores chunks of a turn that has already finished", () => {
    const finished = {
      ...base,
      live: [],
      turns: [{ round: 1, speaker: "A" as const, option: 0, text: "Hello world", quotes: [], model: "m" }],
    };
    expect(applyDelta(finished, delta("A", 5, "x"))).toBe(finished);
  });
});
