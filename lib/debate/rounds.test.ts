import { describe, expect, it } from "vitest";
import { defaultMatchConfig, type MatchConfig, storedMatchConfigSchema } from "./config";
import { nextStep, orderTurns, roundPlan, visibleTranscript } from "./rounds";
import type { JudgeStepRecord, TurnRecord, VerdictRecord } from "./types";
import type { JudgeAction, Seat } from "./vocabulary";

const config = defaultMatchConfig(7);

function turn(round: number, speaker: Seat): TurnRecord {
  return { round, speaker, option: speaker === "A" ? 0 : 1, text: `${speaker}${round}`, quotes: [], model: "m" };
}

function judge(round: number, action: JudgeAction): JudgeStepRecord {
  return { round, probabilities: [0.5, 0.5], action };
}

const verdict: VerdictRecord = { probabilities: [0.8, 0.2], chosen: 0, correct: true, score: -0.22, rounds: 3 };

describe("roundPlan", () => {
  it("opens simultaneously, then alternates in a fixed order", () => {
    expect(roundPlan(config, 1)).toEqual([["A", "B"]]);
    expect(roundPlan(config, 2)).toEqual([["A"], ["B"]]);
    expect(roundPlan(config, 3)).toEqual([["A"], ["B"]]);
    const bFirst = { ...config, firstSpeaker: "B" as const };
    expect(roundPlan(bFirst, 2)).toEqual([["B"], ["A"]]);
  });

  it("supports all-simultaneous debates", () => {
    const simultaneous: MatchConfig = { ...config, laterRounds: "simultaneous" };
    expect(roundPlan(simultaneous, 2)).toEqual([["A", "B"]]);
  });

  it("rejects rounds outside the match", () => {
    expect(() => roundPlan(config, 0)).toThrow(RangeError);
    expect(() => roundPlan(config, 4)).toThrow(RangeError);
    expect(() => roundPlan(config, 1.5)).toThrow(RangeError);
  });
});

describe("visibleTranscript", () => {
  const all = [turn(3, "B"), turn(1, "B"), turn(2, "B"), turn(1, "A"), turn(2, "A"), turn(3, "A")];

  it("hides a simultaneous peer's same-round turn", () => {
    expect(visibleTranscript(all, "A", 1, config)).toEqual([]);
    expect(visibleTranscript(all, "B", 1, config)).toEqual([]);
  });

  it("shows earlier rounds and earlier speakers of a sequential round, in order", () => {
    expect(visibleTranscript(all, "A", 2, config).map((t) => t.text)).toEqual(["A1", "B1"]);
    expect(visibleTranscript(all, "B", 2, config).map((t) => t.text)).toEqual(["A1", "B1", "A2"]);
    expect(visibleTranscript(all, "B", 3, config).map((t) => t.text)).toEqual(["A1", "B1", "A2", "B2", "A3"]);
  });

  it("hides same-round turns in simultaneous later rounds", () => {
    const simultaneous: MatchConfig = { ...config, laterRounds: "simultaneous" };
    expect(visibleTranscript(all, "B", 2, simultaneous).map((t) => t.text)).toEqual(["A1", "B1"]);
  });

  it("orders turns by round then speaking order", () => {
    const bFirst = { ...config, firstSpeaker: "B" as const };
    expect(orderTurns(all, bFirst).map((t) => t.text)).toEqual(["A1", "B1", "B2", "A2", "B3", "A3"]);
  });
});

describe("nextStep", () => {
  it("walks a whole 3-round match", () => {
    const turns: TurnRecord[] = [];
    const steps: JudgeStepRecord[] = [];
    const seen: string[] = [];
    for (let guard = 0; guard < 20; guard++) {
      const step = nextStep(config, turns, steps, null);
      seen.push(step.kind === "turns" ? `turns ${step.round} ${step.seats.join("")}` : `${step.kind}`);
      if (step.kind === "turns") for (const seat of step.seats) turns.push(turn(step.round, seat));
      else if (step.kind === "judge") steps.push(judge(step.round, "continue"));
      else {
        expect(step).toEqual({ kind: "verdict", rounds: 3 });
        break;
      }
    }
    expect(seen).toEqual([
      "turns 1 AB",
      "judge",
      "turns 2 A",
      "turns 2 B",
      "judge",
      "turns 3 A",
      "turns 3 B",
      "judge",
      "verdict",
    ]);
    expect(nextStep(config, turns, steps, verdict)).toEqual({ kind: "done" });
  });

  it("asks only for the missing seat of a half-finished simultaneous round (resume)", () => {
    expect(nextStep(config, [turn(1, "B")], [])).toEqual({ kind: "turns", round: 1, seats: ["A"] });
  });

  it("waits for the first speaker before the second in sequential rounds", () => {
    const turns = [turn(1, "A"), turn(1, "B"), turn(2, "B")];
    expect(nextStep(config, turns, [judge(1, "continue")])).toEqual({ kind: "turns", round: 2, seats: ["A"] });
  });

  it("ends early when the judge says end", () => {
    const turns = [turn(1, "A"), turn(1, "B"), turn(2, "A"), turn(2, "B")];
    const steps = [judge(1, "continue"), judge(2, "end")];
    expect(nextStep(config, turns, steps)).toEqual({ kind: "verdict", rounds: 2 });
    expect(nextStep(config, turns, steps, { ...verdict, rounds: 2 })).toEqual({ kind: "done" });
    expect(nextStep(config, turns, [judge(1, "end")])).toEqual({ kind: "verdict", rounds: 1 });
  });

  it("treats a judge timeout as continue, except after the last round", () => {
    const two = [turn(1, "A"), turn(1, "B")];
    expect(nextStep(config, two, [judge(1, "timeout")])).toEqual({ kind: "turns", round: 2, seats: ["A"] });
    const oneRound = { ...config, rounds: 1 };
    expect(nextStep(oneRound, two, [judge(1, "timeout")])).toEqual({ kind: "verdict", rounds: 1 });
  });

  it("ignores records after the debate stopped", () => {
    const turns = [turn(1, "A"), turn(1, "B"), turn(2, "A")];
    expect(nextStep(config, turns, [judge(1, "end")])).toEqual({ kind: "verdict", rounds: 1 });
  });
});

describe("recorded debates", () => {
  const recorded = (mode: "stepped" | "timed", sourceProtocol: "debate" | "consultancy"): MatchConfig =>
    storedMatchConfigSchema.parse({ seed: 1, protocol: "recorded", rounds: 3, recorded: { mode, sourceProtocol } });

  it("speak with their source's seats: two debaters, or one consultant", () => {
    expect(roundPlan(recorded("stepped", "debate"), 2)).toEqual([["A"], ["B"]]);
    expect(roundPlan(recorded("stepped", "consultancy"), 2)).toEqual([["A"]]);
  });

  it("stepped: the judge reports after every round, as in a live debate", () => {
    const config = recorded("stepped", "debate");
    expect(nextStep(config, [turn(1, "A"), turn(1, "B")], [])).toEqual({ kind: "judge", round: 1 });
  });

  it("timed: every round first, then one judgement after the last", () => {
    const config = recorded("timed", "debate");
    const two = [turn(1, "A"), turn(1, "B"), turn(2, "A"), turn(2, "B")];
    expect(nextStep(config, two.slice(0, 2), [])).toEqual({ kind: "turns", round: 2, seats: ["A"] });
    expect(nextStep(config, two, [])).toEqual({ kind: "turns", round: 3, seats: ["A"] });
    const all = [...two, turn(3, "A"), turn(3, "B")];
    expect(nextStep(config, all, [])).toEqual({ kind: "judge", round: 3 });
    expect(nextStep(config, all, [judge(3, "end")])).toEqual({ kind: "verdict", rounds: 3 });
  });

  it("need their settings, and only they may have them", () => {
    expect(() => storedMatchConfigSchema.parse({ seed: 1, protocol: "recorded" })).toThrow(/recorded settings/);
    expect(() =>
      storedMatchConfigSchema.parse({ seed: 1, recorded: { mode: "timed", sourceProtocol: "debate" } }),
    ).toThrow(/recorded settings/);
  });
});
