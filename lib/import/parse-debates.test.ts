import { describe, expect, it } from "vitest";
import { detokenize, spanText } from "./detokenize";
import { parseDebateFile } from "./parse-debates";

/** A valid two-round debate; tests change one thing at a time. */
function sampleDebate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "d1",
    question: { text: "Who keeps the light?", options: ["Ada", "Ben"], gold: 0 },
    passage: { title: "The Lighthouse", text: "Ada had kept the light for ten years. Ben only visited in summer." },
    protocol: "debate",
    debaters: [
      { seat: "A", option: 0, model: "openai:gpt-4o" },
      { seat: "B", option: 1 },
    ],
    turns: [
      { round: 1, speaker: "A", text: "The story says <quote>Ada had kept the light for ten years</quote>." },
      { round: 1, speaker: "B", text: "Ben is the keeper." },
      { round: 2, speaker: "A", text: "B has no quote." },
      { round: 2, speaker: "B", text: "<quote>Ben kept the light</quote>" },
    ],
    judge: { id: "judge-7", kind: "human" },
    judgeSteps: [
      { round: 1, probabilities: [0.6, 0.4], action: "continue", message: "B, show me a quote." },
      { round: 2, probabilities: [0.9, 0.1], action: "end" },
    ],
    verdict: { probabilities: [0.9, 0.1], explanation: "Only A quoted the story." },
    ...overrides,
  };
}

const line = (value: unknown) => JSON.stringify(value);

describe("parseDebateFile", () => {
  it("accepts a valid debate and fills in defaults", () => {
    const { debates, errors } = parseDebateFile(`${line(sampleDebate())}\n`);
    expect(errors).toEqual([]);
    expect(debates[0]).toMatchObject({
      id: "d1",
      line: 1,
      protocol: "debate",
      debaters: [{ seat: "A" }, { seat: "B" }],
    });
  });

  it("reports every bad line once, by physical line, with all its problems", () => {
    const content = [
      line(sampleDebate()),
      "",
      "{not json",
      line(sampleDebate({ id: "d2", protocol: "debat" })),
      line(sampleDebate({ id: "d3", verdict: { probabilities: [0.5, 0.6] } })),
      line(sampleDebate({ id: "d1" })),
      line(sampleDebate({ id: "d4", answer: 1 })),
      line(sampleDebate({ id: "d5", debaters: [{ seat: "A", option: 0 }] })),
      line(sampleDebate({ id: "d6", turns: [{ round: 51, speaker: "C", text: "x" }] })),
      line(sampleDebate({ id: "d7", verdict: { probabilities: [0.5, 0.5] } })),
      "[1, 2]",
    ].join("\r\n");
    const { debates, errors } = parseDebateFile(content);
    // d7, a 50/50 verdict with no option chosen, is a tie: valid.
    expect(debates.map((d) => d.id)).toEqual(["d1", "d7"]);
    expect(debates[1]?.verdict.chosen).toBeUndefined();
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 11]);
    const message = (n: number) => errors.find((e) => e.line === n)?.message ?? "";
    expect(message(3)).toMatch(/^invalid JSON/);
    expect(message(4)).toMatch(/^protocol must be "debate" or "interactive"/);
    expect(message(5)).toMatch(/verdict\.probabilities must sum to 1/);
    expect(message(6)).toBe('duplicate id "d1" (first used on line 1)');
    expect(message(7)).toMatch(/unknown field "answer" \(allowed: id, question, passage/);
    expect(message(8)).toMatch(
      /^debaters must be exactly seats A and B for protocol debate; turns\[1\]\.speaker must be the seat of a debater \(A\)/,
    );
    expect(message(9)).toMatch(/turns\[0\]\.round must be at most 50/);
    expect(message(9)).toMatch(/turns\[0\]\.speaker must be "A" or "B"/);
    expect(message(11)).toBe("each line must be a JSON object (one debate)");
  });

  it("takes questions with exactly two options, saying so otherwise", () => {
    const options = (list: string[]) =>
      line(sampleDebate({ question: { text: "Who keeps the light?", options: list, gold: 0 } }));
    const { errors } = parseDebateFile([options(["Ada", "Ben", "Cy"]), options(["Ada"])].join("\n"));
    expect(errors.map((e) => e.message)).toEqual([
      "question.options must be exactly 2 answers: a question has exactly two options (found 3)",
      "question.options must be exactly 2 answers: a question has exactly two options (found 1)",
    ]);
    const gold = line(sampleDebate({ question: { text: "Who keeps the light?", options: ["Ada", "Ben"], gold: 2 } }));
    expect(parseDebateFile(gold).errors[0]?.message).toMatch(/^question\.gold /);
  });

  it("checks rules across fields: seats per protocol, no turns without debaters, an AI judge's model", () => {
    const consultancy = sampleDebate({
      protocol: "consultancy",
      debaters: [{ seat: "B", option: 1 }],
      turns: [{ round: 1, speaker: "B", text: "x" }],
      judgeSteps: [],
    });
    const naive = sampleDebate({ id: "n", protocol: "naive", debaters: [], judgeSteps: [] });
    const ai = sampleDebate({ id: "ai", judge: { kind: "ai" } });
    const { errors } = parseDebateFile([line(consultancy), line(naive), line(ai)].join("\n"));
    expect(errors[0]?.message).toMatch(/debaters must be exactly seat A for protocol consultancy/);
    expect(errors[1]?.message).toMatch(/turns must be empty for protocol naive/);
    expect(errors[2]?.message).toBe("judge.model is missing (AI judges need a model)");
  });

  it("refuses a chosen option the probabilities contradict, and quotes given alongside a passage", () => {
    const chosen = sampleDebate({ verdict: { probabilities: [0.9, 0.1], chosen: 1 } });
    const quotes = sampleDebate({
      id: "q",
      turns: [{ round: 1, speaker: "A", text: "x", quotes: [{ text: "x", verified: true }] }],
      judgeSteps: [],
    });
    const { errors } = parseDebateFile([line(chosen), line(quotes)].join("\n"));
    expect(errors[0]?.message).toMatch(/verdict\.chosen contradicts the probabilities/);
    expect(errors[1]?.message).toMatch(/turns\[0\]\.quotes must be left out when a passage is given/);
  });
});

describe("detokenize", () => {
  it("attaches punctuation and clitics, turns brackets back, and keeps token offsets", () => {
    const tokens = ["-LSB-", "Note", "-RSB-", "He", "said", ",", "``", "I", "do", "n't", "''", ".", "\n", "\n", "Next"];
    const doc = detokenize(tokens);
    expect(doc.text).toBe('[Note] He said, "I don\'t".\n\nNext');
    expect(spanText(doc, 7, 10)).toBe("I don't");
    expect(spanText(doc, 5, 5)).toBeNull();
    expect(spanText(doc, 14, 99)).toBeNull();
  });
});
