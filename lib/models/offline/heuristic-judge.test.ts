import { describe, expect, it } from "vitest";
import type { Quote, TurnRecord } from "../../debate/types";
import type { Seat } from "../../debate/vocabulary";
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

function input(transcript: TurnRecord[], extra: Partial<JudgeInput> = {}): JudgeInput {
  return { question: QUESTION, options: OPTIONS, transcript, round: 1, totalRounds: 3, seed: 1, ...extra };
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

/** A consultant's turn (consultancy seats one speaker, in seat A) arguing `option`. */
function consultant(round: number, quotes: Quote[], option = 1): TurnRecord {
  return { ...turn("A", round, quotes), option };
}

const consultancy = (transcript: TurnRecord[], extra: Partial<JudgeInput> = {}) =>
  input(transcript, { protocol: "consultancy", ...extra });

describe("heuristic judge in consultancy", () => {
  it("leans towards the consultant's verified evidence, but never beyond 0.75", async () => {
    const some = await judge.judge(consultancy([consultant(1, [verified("Water froze first, then carbon dioxide")])]));
    expect(some.probabilities[1]).toBeGreaterThan(0.5);
    expect(some.probabilities[1]).toBeLessThanOrEqual(0.75);
    expect((some.probabilities[0] ?? 0) + (some.probabilities[1] ?? 0)).toBe(1);
    const many = Array.from({ length: 12 }, (_, i) => verified(`Water carbon dioxide nitrogen oxygen helium ${i}`));
    const lots = await judge.judge(consultancy([consultant(1, many)]));
    expect(lots.probabilities[1]).toBeGreaterThan(some.probabilities[1] ?? 1);
    expect(lots.probabilities[1]).toBeLessThanOrEqual(0.75);
    expect(lots.probabilities[1]).toBeGreaterThan(0.74);
    expect(lots.reasoning).toMatch(/half the time/);
    expect(lots.question).toBeUndefined();
  });

  it("is more sceptical when a quote is unverified", async () => {
    const real = [verified("The nitrogen froze below the oxygen"), verified("Carbon dioxide lay under the nitrogen")];
    const honest = await judge.judge(consultancy([consultant(1, real)]));
    const mixed = await judge.judge(consultancy([consultant(1, [...real, fake("Helium was at the very bottom")])]));
    expect(mixed.probabilities[1]).toBeLessThanOrEqual(0.5);
    expect(mixed.probabilities[1]).toBeLessThan(honest.probabilities[1] ?? 0);
    const invented = await judge.judge(consultancy([consultant(1, [fake("made up"), fake("also made up")])]));
    expect(invented.probabilities[1]).toBeLessThan(0.5);
    expect(invented.probabilities[1]).toBeGreaterThanOrEqual(0.25);
  });

  it("gives the other option the rest, and takes only questions with two options", async () => {
    const reply = await judge.judge(consultancy([consultant(1, [verified("Water froze at the bottom")], 0)]));
    const [p0 = 0, p1 = 0] = reply.probabilities;
    expect(p0).toBeGreaterThan(0.5);
    expect(p0 + p1).toBe(1);
    const options = [...OPTIONS, "Helium, oxygen, nitrogen, carbon dioxide, water"];
    await expect(
      judge.judge(consultancy([consultant(1, [verified("Water froze at the bottom")], 0)], { options })),
    ).rejects.toThrow(/exactly two options/);
  });

  it("continues while new verified evidence comes, and ends when a round brings none", async () => {
    const first = verified("The nitrogen froze below the oxygen");
    const round1 = consultant(1, [first]);
    expect((await judge.judge(consultancy([round1]))).action).toBe("continue");
    const fresh = consultant(2, [verified("Carbon dioxide lay under the nitrogen")]);
    expect((await judge.judge(consultancy([round1, fresh], { round: 2 }))).action).toBe("continue");
    const repeat = consultant(2, [{ ...first }, fake("invented")]);
    const stale = await judge.judge(consultancy([round1, repeat], { round: 2 }));
    expect(stale.action).toBe("end");
    expect(stale.reasoning).toMatch(/no new verified evidence/);
  });

  it("is undecided before the consultant has spoken", async () => {
    const reply = await judge.judge(consultancy([]));
    expect(reply.probabilities).toEqual([0.5, 0.5]);
    expect(reply.action).toBe("continue");
  });
});

describe("heuristic judge without a transcript", () => {
  it.each(["naive", "expert"] as const)("gives chance and ends at once in the %s protocol", async (protocol) => {
    const reply = await judge.judge(input([], { protocol, passage: "Water froze first, then carbon dioxide." }));
    expect(reply.probabilities).toEqual([0.5, 0.5]);
    expect(reply.action).toBe("end");
    expect(reply.question).toBeUndefined();
    expect(reply.reasoning).toMatch(/tie from its seed/);
    await expect(judge.judge(input([], { protocol, options: ["a", "b", "c"] }))).rejects.toThrow(/exactly two options/);
  });
});

describe("heuristic judge in interactive debate", () => {
  it("judges as in debate and never asks a question", async () => {
    const transcript = [turn("A", 1, [verified("nitrogen froze")]), turn("B", 1, [verified("carbon dioxide froze")])];
    const interactive = await judge.judge(
      input(transcript, { protocol: "interactive", judgeQuestions: [{ afterRound: 1, text: "Which froze first?" }] }),
    );
    const debate = await judge.judge(input(transcript));
    expect(interactive.probabilities).toEqual(debate.probabilities);
    expect(interactive.action).toBe(debate.action);
    expect(interactive.question).toBeUndefined();
  });
});
