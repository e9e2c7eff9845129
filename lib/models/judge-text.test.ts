import { describe, expect, it } from "vitest";
import { judgeAnswerJsonSchema, MAX_REASONING_CHARS, parseJudgeOutput } from "./judge-output";

/** Plain-text judge answers, read through parseJudgeOutput as the judge reads them. */

const OPTIONS = ["The butler", "The gardener"];

function read(text: string, optionCount = 2, options: readonly string[] = OPTIONS) {
  const result = parseJudgeOutput(text, optionCount, options);
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

function refused(text: string, optionCount = 2): string {
  const result = parseJudgeOutput(text, optionCount, OPTIONS);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("plain-text verdicts: probabilities", () => {
  it.each<[string, number[]]>([
    ["Probabilities: A 0.7, B 0.3 — Answer: A", [0.7, 0.3]],
    ["A: 70%, B: 30%", [0.7, 0.3]],
    ["A = 0.25\nB = 0.75", [0.25, 0.75]],
    ["**A:** 0.6\n**B:** 0.4\n\nI lean towards A.", [0.6, 0.4]],
    ["- Option A: 55%\n- Option B: 45%", [0.55, 0.45]],
    ["(A) 0.2 (B) 0.8", [0.2, 0.8]],
    ["P(A) = 0.35, P(B) = 0.65", [0.35, 0.65]],
    ["Option 1: 0.9, Option 2: 0.1", [0.9, 0.1]],
    ["Answer 1 – 40%; Answer 2 – 60%", [0.4, 0.6]],
    ["70% A, 30% B", [0.7, 0.3]],
    ["I put 0.8 on B and 0.2 on A.", [0.2, 0.8]],
    ["A: 70, B: 30", [0.7, 0.3]],
    ["A: 0.62, B: 0.4", [0.62 / 1.02, 0.4 / 1.02]],
    ["The butler: 0.3\nThe gardener: 0.7", [0.3, 0.7]],
    ['"The gardener" - 80%, "The butler" - 20%', [0.2, 0.8]],
    ["Probabilities: [0.3, 0.7]\nAction: end", [0.3, 0.7]],
    ["probabilities = 0.45, 0.55", [0.45, 0.55]],
    ["B: 65%", [0.35, 0.65]],
    ["Confidence — A: 0.1", [0.1, 0.9]],
    ["A ≈ 0.3, B ≈ 0.7", [0.3, 0.7]],
    ["My verdict\n\nA - 0.5\nB - 0.5\n\nTied, I need another round.", [0.5, 0.5]],
    [
      "After weighing the evidence, debater B's verified quotes are stronger.\n\nFinal probabilities:\n- Option 1: 25%\n- Option 2: 75%\n\nAction: end",
      [0.25, 0.75],
    ],
    ["| Option | Probability |\n|---|---|\n| A | 0.35 |\n| B | 0.65 |", [0.35, 0.65]],
    ["Verdict: B\nProbabilities — A: 15%, B: 85%", [0.15, 0.85]],
  ])("reads %j", (text, probabilities) => {
    const value = read(text);
    expect(value.probabilities).toHaveLength(2);
    value.probabilities.forEach((p, i) => {
      expect(p).toBeCloseTo(probabilities[i] ?? Number.NaN, 10);
    });
  });

  it("reads three options by letter and by number", () => {
    expect(read("A: 0.2, B: 0.3, C: 0.5", 3, []).probabilities).toEqual([0.2, 0.3, 0.5]);
    expect(read("Option 1 = 20%\nOption 2 = 30%\nOption 3 = 50%", 3, []).probabilities).toEqual([0.2, 0.3, 0.5]);
  });

  it("reads JSON inside prose, code fences and single-quoted dicts", () => {
    expect(read('Sure! ```json\n{"probabilities": [0.3, 0.7], "action": "end", "reasoning": "r"}\n```').action).toBe(
      "end",
    );
    expect(read("{'probabilities': [0.4, 0.6], 'action': 'continue', 'reasoning': 'more please'}")).toEqual({
      probabilities: [0.4, 0.6],
      action: "continue",
      reasoning: "more please",
    });
    expect(read('{probabilities: [0.4, 0.6], action: "end", reasoning: "unquoted keys"}').action).toBe("end");
  });
});

describe("plain-text verdicts: action, reasoning, question", () => {
  it("takes a stated action, and otherwise continues (the last round ends anyway)", () => {
    expect(read("A: 0.3, B: 0.7\nAction: end").action).toBe("end");
    expect(read("A: 0.3, B: 0.7\nDecision: CONTINUE").action).toBe("continue");
    expect(read("A: 0.3, B: 0.7. I am confident enough to end the debate.").action).toBe("end");
    expect(read("A: 0.3, B: 0.7").action).toBe("continue");
  });

  it("takes the Reasoning section, or else the whole answer", () => {
    expect(read("A: 0.3, B: 0.7\nReasoning: B's quotes were verified.").reasoning).toBe("B's quotes were verified.");
    expect(read("Probabilities: A 0.7, B 0.3 — Answer: A").reasoning).toBe("Probabilities: A 0.7, B 0.3 — Answer: A");
    const long = `A: 0.3, B: 0.7\n${"x".repeat(MAX_REASONING_CHARS * 2)}`;
    expect(read(long).reasoning).toHaveLength(MAX_REASONING_CHARS);
  });

  it("takes a question for the debaters when it continues", () => {
    const value = read("A: 0.4, B: 0.6\nAction: continue\nQuestion for the debaters: Who had the key?");
    expect(value.question).toBe("Who had the key?");
    expect(read("A: 0.4, B: 0.6\nAction: end\nFollow-up question: Who?").question).toBeUndefined();
  });
});

describe("plain-text verdicts: unusable answers still get a reason to re-ask with", () => {
  it.each([
    ["prose with no numbers", "I think the gardener did it.", "no probabilities found"],
    ["a confidence not tied to an option", "I think B is right, about 70%.", "no JSON object found"],
    ["an answer with no probabilities", "Answer: B", "no probabilities found"],
    ["a sum far from 1", "A: 0.6, B: 0.6", "must sum to 1 (got 1.2)"],
    ["an odd scale", "A: 3, B: 7", "must sum to 1 (got 10)"],
    ["a contradiction", "Probabilities: A 0.2, B 0.8 — Answer: A", "names option A but the probabilities favour"],
    ["only one of three", "A: 0.5", "no probabilities found"],
    ["a wrong count of unlabelled numbers", "Probabilities: 0.2, 0.3, 0.5", "no probabilities found"],
    ["an empty answer", "", "no JSON object found"],
  ])("refuses %s", (_, text, reason) => {
    const optionCount = text === "A: 0.5" ? 3 : 2;
    const error = refused(text, optionCount);
    expect(error).toContain(reason);
    expect(error.length).toBeLessThan(160);
  });

  it("never reads the article 'a' or counts of rounds as an option's probability", () => {
    expect(refused("This is a 2 round debate and a 50 word limit.")).toContain("no probabilities found");
    expect(read("A: 0.4 after 2 rounds, B: 0.6").probabilities).toEqual([0.4, 0.6]);
    expect(refused("Option A is 2 verified quotes ahead.")).toContain("no probabilities found");
    expect(refused("Option A is 2 ahead.")).toContain("no probabilities found");
  });

  it("does not take long on a huge answer", () => {
    const started = performance.now();
    refused("A ".repeat(50_000));
    refused("0.5 ".repeat(50_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("judgeAnswerJsonSchema", () => {
  it("is a strict-mode JSON schema: every property required, none extra", () => {
    const schema = judgeAnswerJsonSchema(3, false) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { minItems?: number; maxItems?: number }>;
    };
    expect(schema.required).toEqual(["probabilities", "action", "reasoning"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.probabilities).toMatchObject({ minItems: 3, maxItems: 3 });
    expect(schema).not.toHaveProperty("$schema");
  });

  it("has a nullable question for judges that may ask, which reads as no question", () => {
    const schema = judgeAnswerJsonSchema(2, true) as { required: string[] };
    expect(schema.required).toContain("question");
    const answer = JSON.stringify({ probabilities: [0.5, 0.5], action: "continue", reasoning: "r", question: null });
    expect(read(answer)).toEqual({ probabilities: [0.5, 0.5], action: "continue", reasoning: "r" });
  });
});
