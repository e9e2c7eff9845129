import { describe, expect, it } from "vitest";
import type { Quote, Seat, TurnRecord } from "../../debate/types";
import type { JudgeInput } from "../types";
import { createHeuristicJudge, scoresToProbabilities, tallyEvidence } from "./heuristic-judge";

const QUESTION = "What are the layers of frozen material, from bottom to top?";
const OPTIONS = ["Water, nitrogen, carbon dioxide, oxygen, helium", "Water, carbon dioxide, nitrogen, oxygen, helium"];

let offset = 0;
/** A verified quote at a fresh passage position (the judge never sees the passage, only these records). */
function verified(text: string): Quote {
  const start = offset;
  offset += text.length + 10;
  return { text, verified: true, start, end: start + text.length };
}
const fake = (text: string): Quote => ({ text, verified: false });

function turn(speaker: Seat, round: number, quotes: Quote[]): TurnRecord {
  const option = speaker === "A" ? 0 : 1;
  const text = quotes.map((q) => `<quote>${q.text}</quote>`).join(" ");
  return { round, speaker, option, text, quotes, model: "test" };
}

function input(transcript: TurnRecord[]): JudgeInput {
  return { question: QUESTION, options: OPTIONS, transcript, round: 1, totalRounds: 3, seed: 1 };
}

const judge = createHeuristicJudge();

describe("heuristic judge", () => {
  it("is honest about what it is", () => {
    expect(judge.info).toEqual({
      spec: "offline:heuristic",
      label: "Offline judge (heuristic, no language model)",
      isLanguageModel: false,
    });
  });

  it("is undecided, and wants more, with no evidence", async () => {
    const reply = await judge.judge(input([]));
    expect(reply.probabilities).toEqual([0.5, 0.5]);
    expect(reply.action).toBe("continue");
    expect(reply.meta).toMatchObject({ model: "offline:heuristic", promptVersion: "offline-heuristic-v2" });
  });

  it("favours the side with more verified, on-topic evidence", async () => {
    const reply = await judge.judge(
      input([
        turn("A", 1, [verified("The nitrogen froze below the carbon dioxide layer"), verified("Then came oxygen")]),
        turn("B", 1, [verified("We went out to fetch a pail of air")]),
      ]),
    );
    const [pA, pB] = reply.probabilities;
    expect((pA ?? 0) + (pB ?? 0)).toBeCloseTo(1, 12);
    expect(pA).toBeGreaterThan(0.5);
    expect(reply.reasoning).toMatch(/Option 1: 2 verified quote\(s\)/);
    expect(reply.reasoning).toMatch(/no language model/);
  });

  it("penalises unverified quotes", () => {
    const honest = [verified("The frozen layers lay on the ground"), verified("Water froze first at the bottom")];
    const base = tallyEvidence(
      input([
        turn("A", 1, honest),
        turn(
          "B",
          1,
          honest.map((q) => ({ ...q })),
        ),
      ]),
    );
    const withFake = tallyEvidence(
      input([turn("A", 1, honest), turn("B", 1, [...honest, fake("Helium is the bottom layer")])]),
    );
    expect(withFake[1]?.unverified).toBe(1);
    expect(withFake[1]?.score).toBeLessThan(withFake[0]?.score ?? 0);
    expect(withFake[1]?.score).toBeLessThan(base[1]?.score ?? 0);
  });

  it("does not credit re-quoting the opponent's evidence", () => {
    const original = verified("The oxygen layer sat above the nitrogen layer");
    const echo: Quote = { ...original, text: "The oxygen layer sat", end: (original.start ?? 0) + 20 };
    const [a, b] = tallyEvidence(input([turn("A", 1, [original]), turn("B", 2, [echo])]));
    expect(a?.verified).toBe(1);
    expect(b?.verified).toBe(0);
  });

  it("clips probabilities to [0.05, 0.95] and ends when confident", async () => {
    const many = Array.from({ length: 8 }, (_, i) => verified(`Water nitrogen carbon dioxide oxygen helium ${i}`));
    const reply = await judge.judge(input([turn("A", 1, many), turn("B", 1, [fake("made up"), fake("also made up")])]));
    expect(reply.probabilities[0]).toBeCloseTo(0.95, 12);
    expect(reply.probabilities[1]).toBeCloseTo(0.05, 12);
    expect(reply.action).toBe("end");
    expect(scoresToProbabilities([0, 0, 0]).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });

  it("is deterministic and streams its reasoning", async () => {
    const transcript = [turn("A", 1, [verified("nitrogen froze")]), turn("B", 1, [verified("carbon dioxide froze")])];
    const deltas: string[] = [];
    const first = await judge.judge(input(transcript), { onDelta: (d) => deltas.push(d) });
    const second = await judge.judge(input(transcript));
    expect({ ...second, meta: null }).toEqual({ ...first, meta: null });
    expect(deltas.join("")).toBe(first.reasoning);
  });

  it("rejects with an AbortError when aborted", async () => {
    await expect(judge.judge(input([]), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
  });
});
