import { describe, expect, it } from "vitest";
import {
  findJsonObjects,
  judgeOutputSchema,
  MAX_QUESTION_CHARS,
  MAX_REASONING_CHARS,
  parseJudgeOutput,
  parsePickerOutput,
  reaskMessage,
} from "./judge-output";

const GOOD = '{"probabilities": [0.3, 0.7], "action": "continue", "reasoning": "B quoted the story."}';

function ok(text: string, optionCount = 2) {
  const result = parseJudgeOutput(text, optionCount);
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

function error(text: string, optionCount = 2): string {
  const result = parseJudgeOutput(text, optionCount);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("parseJudgeOutput: accepted forms", () => {
  it("reads a bare JSON object", () => {
    expect(ok(GOOD)).toEqual({ probabilities: [0.3, 0.7], action: "continue", reasoning: "B quoted the story." });
  });

  it.each([
    ["```json fences", `\`\`\`json\n${GOOD}\n\`\`\``],
    ["plain fences", `\`\`\`\n${GOOD}\n\`\`\``],
    ["prose before and after", `Here is my verdict:\n${GOOD}\nI hope this helps {really}.`],
    ["prose with braces before", `I considered {both sides} carefully. ${GOOD}`],
    ["an unclosed brace before", `Note: { this never closes. ${GOOD}`],
    ["surrounding whitespace and a BOM", `\uFEFF  \n${GOOD}\n\n`],
    ["an object nested in a wrapper", `{"answer": ${GOOD}}`],
  ])("finds the object in %s", (_, text) => {
    expect(ok(text).probabilities).toEqual([0.3, 0.7]);
  });

  it("accepts keys and action in any case", () => {
    const value = ok('{"Probabilities": [0.5, 0.5], "ACTION": "End", " reasoning ": "tied"}');
    expect(value).toEqual({ probabilities: [0.5, 0.5], action: "end", reasoning: "tied" });
  });

  it("normalises probabilities summing to within 5% of 1", () => {
    const value = ok('{"probabilities": [0.62, 0.4], "action": "end", "reasoning": ""}');
    expect(value.probabilities[0]).toBeCloseTo(0.62 / 1.02, 12);
    expect((value.probabilities[0] ?? 0) + (value.probabilities[1] ?? 0)).toBeCloseTo(1, 12);
    expect(ok('{"probabilities": [0.3, 0.66], "action": "end", "reasoning": ""}').probabilities[1]).toBeCloseTo(
      0.66 / 0.96,
      12,
    );
  });

  it("reads percentages summing to about 100", () => {
    expect(ok('{"probabilities": [30, 70], "action": "end", "reasoning": "x"}').probabilities).toEqual([0.3, 0.7]);
    expect(ok('{"probabilities": [100, 0], "action": "end", "reasoning": "x"}').probabilities).toEqual([1, 0]);
    expect(ok('{"probabilities": ["30%", "70%"], "action": "end", "reasoning": "x"}').probabilities).toEqual([
      0.3, 0.7,
    ]);
    expect(ok('{"probabilities": [33, 66], "action": "end", "reasoning": "x"}').probabilities[0]).toBeCloseTo(
      33 / 99,
      12,
    );
  });

  it("reads numeric strings", () => {
    expect(ok('{"probabilities": ["0.25", "0.75"], "action": "end", "reasoning": "x"}').probabilities).toEqual([
      0.25, 0.75,
    ]);
  });

  it("keeps braces and quotes inside the reasoning string", () => {
    const text = '{"probabilities": [0.2, 0.8], "action": "end", "reasoning": "A said \\"{not}\\" verified }"}';
    expect(ok(text).reasoning).toBe('A said "{not}" verified }');
  });

  it("accepts raw line breaks inside the reasoning string", () => {
    const text = '{"probabilities": [0.2, 0.8], "action": "end", "reasoning": "First,\nB quoted.\n\tThen A failed."}';
    expect(ok(text).reasoning).toBe("First,\nB quoted.\n\tThen A failed.");
  });

  it("ignores extra fields", () => {
    expect(ok('{"probabilities": [0.2, 0.8], "action": "end", "reasoning": "x", "confidence": "high"}')).toEqual({
      probabilities: [0.2, 0.8],
      action: "end",
      reasoning: "x",
    });
  });

  it("takes the first object that has probabilities", () => {
    const text = `{"note": "thinking"} then {"probabilities": [0.9, 0.1], "action": "end", "reasoning": "a"} ${GOOD}`;
    expect(ok(text).probabilities).toEqual([0.9, 0.1]);
  });

  it("reads a broken object or single quotes as plain text (the JSON reader refuses them)", () => {
    expect(ok('{"probabilities": [0.3, 0.7], "action": "end",}')).toMatchObject({
      probabilities: [0.3, 0.7],
      action: "end",
    });
    expect(ok("{'probabilities': [0.3, 0.7], 'action': 'end', 'reasoning': 'x'}")).toEqual({
      probabilities: [0.3, 0.7],
      action: "end",
      reasoning: "x",
    });
  });

  it("handles any number of options", () => {
    expect(ok('{"probabilities": [0.2, 0.3, 0.5], "action": "end", "reasoning": ""}', 3).probabilities).toEqual([
      0.2, 0.3, 0.5,
    ]);
  });
});

describe("parseJudgeOutput: rejected forms, with a reason", () => {
  it.each([
    ["empty text", "", "no JSON object found"],
    ["prose only", "I think B is right, about 70%.", "no JSON object found"],
    ["a broken object without probabilities", '{"action": "end", "reasoning": "x",}', "no valid JSON object found"],
    ["a JSON array", "[0.3, 0.7]", "no JSON object found"],
    ["no probabilities", '{"action": "end", "reasoning": "x"}', 'the JSON object has no "probabilities" field'],
    ["probabilities not an array", '{"probabilities": 0.7, "action": "end", "reasoning": "x"}', "must be an array"],
    [
      "an object of probabilities",
      '{"probabilities": {"A": 0.3}, "action": "end", "reasoning": "x"}',
      "must be an array",
    ],
    [
      "too few",
      '{"probabilities": [1], "action": "end", "reasoning": "x"}',
      "exactly 2 numbers, one per option (got 1)",
    ],
    ["too many", '{"probabilities": [0.2, 0.3, 0.5], "action": "end", "reasoning": "x"}', "(got 3)"],
    ["a word", '{"probabilities": ["high", "low"], "action": "end", "reasoning": "x"}', "only numbers"],
    ["null", '{"probabilities": [null, 1], "action": "end", "reasoning": "x"}', "only numbers"],
    ["negative", '{"probabilities": [-0.2, 1.2], "action": "end", "reasoning": "x"}', "must not be negative"],
    ["a sum far from 1", '{"probabilities": [0.6, 0.6], "action": "end", "reasoning": "x"}', "must sum to 1 (got 1.2)"],
    ["a small sum", '{"probabilities": [0.3, 0.3], "action": "end", "reasoning": "x"}', "must sum to 1 (got 0.6)"],
    ["zeros", '{"probabilities": [0, 0], "action": "end", "reasoning": "x"}', "must sum to 1 (got 0)"],
    ["percent far from 100", '{"probabilities": [60, 60], "action": "end", "reasoning": "x"}', "(got 120)"],
    ["odd scale", '{"probabilities": [3, 7], "action": "end", "reasoning": "x"}', "must sum to 1 (got 10)"],
    ["no action", '{"probabilities": [0.3, 0.7], "reasoning": "x"}', 'missing "action"'],
    ["a bad action", '{"probabilities": [0.3, 0.7], "action": "stop", "reasoning": "x"}', '"continue" or "end"'],
    ["no reasoning", '{"probabilities": [0.3, 0.7], "action": "end"}', 'missing "reasoning"'],
    ["reasoning not text", '{"probabilities": [0.3, 0.7], "action": "end", "reasoning": 5}', "must be a string"],
  ])("rejects %s", (_, text, reason) => {
    expect(error(text)).toContain(reason);
  });

  it("rejects reasoning over 4000 characters, saying how long it was", () => {
    const long = "x".repeat(MAX_REASONING_CHARS + 1);
    expect(error(`{"probabilities": [0.3, 0.7], "action": "end", "reasoning": "${long}"}`)).toBe(
      '"reasoning" is too long (4001 characters; at most 4000)',
    );
    expect(
      ok(`{"probabilities": [0.3, 0.7], "action": "end", "reasoning": "${long.slice(1)}"}`).reasoning,
    ).toHaveLength(4000);
  });

  it("keeps reasons short enough to feed back", () => {
    expect(error("nothing here").length).toBeLessThan(120);
  });

  it("does not take long on a huge answer full of braces", () => {
    const started = performance.now();
    expect(error("{".repeat(50_000))).toContain("no valid JSON object");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("parseJudgeOutput: the optional question", () => {
  const answer = (extra: Record<string, unknown>, action = "continue") =>
    JSON.stringify({ probabilities: [0.4, 0.6], action, reasoning: "r", ...extra });

  it("keeps a question with continue, trimmed, under any key case", () => {
    expect(ok(answer({ question: "  Who confessed?  " }))).toEqual({
      probabilities: [0.4, 0.6],
      action: "continue",
      reasoning: "r",
      question: "Who confessed?",
    });
    expect(ok(answer({ Question: "Why?" })).question).toBe("Why?");
  });

  it("leaves it out when absent, null or blank", () => {
    for (const extra of [{}, { question: null }, { question: "" }, { question: "   " }]) {
      expect(Object.hasOwn(ok(answer(extra)), "question")).toBe(false);
    }
  });

  it("drops it when the judge ends (there is no next round to answer it in)", () => {
    const value = ok(answer({ question: "Who confessed?" }, "end"));
    expect(value.action).toBe("end");
    expect(Object.hasOwn(value, "question")).toBe(false);
  });

  it("rejects a question that is not a string or is too long, with a reason", () => {
    expect(error(answer({ question: 42 }))).toBe('"question" must be a string');
    expect(error(answer({ question: "x".repeat(MAX_QUESTION_CHARS + 1) }))).toBe(
      `"question" is too long (${MAX_QUESTION_CHARS + 1} characters; at most ${MAX_QUESTION_CHARS})`,
    );
    expect(ok(answer({ question: "x".repeat(MAX_QUESTION_CHARS) })).question).toHaveLength(MAX_QUESTION_CHARS);
  });
});

describe("judgeOutputSchema", () => {
  it("validates an object directly, with the option count", () => {
    const schema = judgeOutputSchema(2);
    expect(schema.parse({ PROBABILITIES: [25, 75], action: "END", reasoning: "" })).toEqual({
      probabilities: [0.25, 0.75],
      action: "end",
      reasoning: "",
    });
    expect(schema.safeParse({ probabilities: [1], action: "end", reasoning: "" }).success).toBe(false);
    expect(schema.safeParse("not an object").success).toBe(false);
  });
});

describe("findJsonObjects", () => {
  it("lists objects in order of their start, nested ones after their parent", () => {
    expect(findJsonObjects('a {"x": {"y": 1}} b {"z": 2} {bad}')).toEqual([{ x: { y: 1 } }, { y: 1 }, { z: 2 }]);
  });
});

describe("parsePickerOutput", () => {
  it.each([
    ['{"best": 2}', 2],
    ['```json\n{"best": 0}\n```', 0],
    ['I prefer the second draft. {"Best": "1"}', 1],
    ['{"BEST": 3, "why": "quotes"}', 3],
  ])("reads %s", (text, index) => {
    expect(parsePickerOutput(text, 4)).toEqual({ ok: true, value: index });
  });

  it.each([
    ["2", "no JSON object found"],
    ['{"choice": 1}', 'no "best" field'],
    ['{"best": 4}', '"best" must be a whole number from 0 to 3 (got 4)'],
    ['{"best": -1}', "(got -1)"],
    ['{"best": 1.5}', "(got 1.5)"],
    ['{"best": "second"}', '(got "second")'],
    ['{"best": null}', "(got null)"],
  ])("rejects %s", (text, reason) => {
    const result = parsePickerOutput(text, 4);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });
});

describe("reaskMessage", () => {
  it("gives the reason and restates the judge format", () => {
    const message = reaskMessage('"action" must be "continue" or "end"');
    expect(message).toContain('Your answer could not be used: "action" must be "continue" or "end".');
    expect(message).toContain("ONLY a JSON object");
    expect(message).toContain('"probabilities"');
    expect(message).toContain('"reasoning"');
  });

  it("restates the judge format with the optional question for judges that may ask", () => {
    const message = reaskMessage("no JSON object found", "judge-ask");
    expect(message).toContain('"probabilities"');
    expect(message).toContain('"question": "optional, only with continue');
    expect(reaskMessage("no JSON object found")).not.toContain('"question"');
  });

  it("restates the picker format when asked", () => {
    const message = reaskMessage("no JSON object found", "picker");
    expect(message).toContain('{"best":');
    expect(message).not.toContain("probabilities");
  });
});
