import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { promptText, scriptedDebate, sequence } from "../../../tests/support/fake-llm/scripted";
import { type FakeLlmServer, startFakeLlmServer } from "../../../tests/support/fake-llm/server";
import { createQuoteVerifier, verifyTurnQuotes } from "../../debate/quotes";
import type { JudgeQuestion, TurnRecord } from "../../debate/types";
import type { Protocol, Seat } from "../../debate/vocabulary";
import { providersFromEnv } from "../providers/config";
import { createLlmRuntime } from "../runtime";
import { TEST_OPTIONS, TEST_PASSAGE, TEST_QUESTION } from "../test-story";
import type { DebaterTurnInput, JudgeInput } from "../types";
import { createLlmDebater } from "./debater";
import { createLlmJudge } from "./judge";

/**
 * Language-model debaters, consultants and judges in every protocol, against the scripted fake provider (whose
 * judge asks a question when its prompt offers one, and whose speakers echo the latest judge question).
 */

const PASSAGE = TEST_PASSAGE;
const QUESTION = TEST_QUESTION;
const OPTIONS = TEST_OPTIONS;
const ASKED = "What does the story say about Why did the?";
const MODEL = "openai:gpt-4o-mini";

let fake: FakeLlmServer;
let debater: ReturnType<typeof createLlmDebater>;
let judge: ReturnType<typeof createLlmJudge>;
const verify = createQuoteVerifier(PASSAGE);

beforeAll(async () => {
  fake = await startFakeLlmServer();
  const llm = createLlmRuntime({
    providers: providersFromEnv({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${fake.url}/v1` }),
    policy: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 3_000 },
  });
  debater = createLlmDebater(MODEL, llm);
  judge = createLlmJudge(MODEL, llm);
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.setResponder(scriptedDebate);
});

/** The prompt text of the `index`-th recorded request (negative: from the end). */
function sent(index: number): string {
  const request = fake.requests.at(index);
  if (!request) throw new Error(`no request at ${index} (${fake.requests.length} recorded)`);
  return promptText(request);
}

async function argue(seat: Seat, round: number, transcript: TurnRecord[], extra: Partial<DebaterTurnInput> = {}) {
  const input: DebaterTurnInput = {
    question: QUESTION,
    options: OPTIONS,
    passage: PASSAGE,
    seat,
    option: seat === "A" ? 0 : 1,
    round,
    totalRounds: 3,
    transcript,
    wordLimit: 150,
    seed: 5,
    ...extra,
  };
  const reply = await debater.argue(input);
  const turn: TurnRecord = {
    round,
    speaker: seat,
    option: input.option,
    text: reply.text,
    quotes: verifyTurnQuotes(reply.text, verify),
    model: reply.meta.model,
  };
  return { turn, meta: reply.meta };
}

function judgeInput(protocol: Protocol, round: number, transcript: TurnRecord[], extra: Partial<JudgeInput> = {}) {
  return {
    question: QUESTION,
    options: OPTIONS,
    transcript,
    round,
    totalRounds: 3,
    seed: 5,
    protocol,
    ...extra,
  } satisfies JudgeInput;
}

describe("interactive debate with language models", () => {
  it("the judge asks a question, and both debaters' next turns answer it", async () => {
    const round1 = [(await argue("A", 1, [])).turn, (await argue("B", 1, [])).turn];
    const step = await judge.judge(judgeInput("interactive", 1, round1));
    expect(step.action).toBe("continue");
    expect(step.question).toBe(ASKED);
    expect(step.meta.promptVersion).toBe("judge-interactive.v1");

    const judgeQuestions: JudgeQuestion[] = [{ afterRound: 1, text: step.question ?? "" }];
    fake.requests.length = 0;
    for (const seat of ["A", "B"] as const) {
      const { turn, meta } = await argue(seat, 2, round1, { judgeQuestions });
      expect(turn.text.startsWith(`You asked: "${ASKED}". `)).toBe(true);
      expect(turn.quotes.every((q) => q.verified)).toBe(true);
      expect(meta.promptVersion).toBe("debater.v2");
    }
    for (const request of fake.requests) {
      const prompt = promptText(request);
      expect(prompt).toContain(`<judge_question>\n${ASKED}\n</judge_question>`);
      expect(prompt).toContain("answer it directly at the start of your turn");
    }

    const final = await judge.judge(judgeInput("interactive", 3, round1, { judgeQuestions }));
    expect(final.action).toBe("end");
    expect(final.question).toBeUndefined();
  });

  it("the plain debate judge is never offered, and never keeps, a question", async () => {
    const round1 = [(await argue("A", 1, [])).turn, (await argue("B", 1, [])).turn];
    const step = await judge.judge(judgeInput("debate", 1, round1));
    expect(step).toMatchObject({ action: "continue", meta: { promptVersion: "judge.v1" } });
    expect(step.question).toBeUndefined();
    const answer = { probabilities: [0.4, 0.6], action: "continue", reasoning: "r", question: "Why?" };
    fake.setResponder(() => ({ kind: "text", text: JSON.stringify(answer) }));
    expect((await judge.judge(judgeInput("debate", 1, round1))).question).toBeUndefined();
    expect((await judge.judge(judgeInput("interactive", 1, round1))).question).toBe("Why?");
    expect((await judge.judge(judgeInput("interactive", 3, round1))).question).toBeUndefined();
  });

  it("re-asks a malformed answer in the format with the optional question", async () => {
    const good = { probabilities: [0.4, 0.6], action: "continue", reasoning: "r", question: "Who confessed?" };
    fake.setResponder(sequence({ kind: "text", text: "no idea" }, { kind: "text", text: JSON.stringify(good) }));
    const reply = await judge.judge(judgeInput("consultancy", 1, []));
    expect(reply.question).toBe("Who confessed?");
    expect(sent(1)).toMatch(/"question": "optional/);
  });
});

describe("consultancy with language models", () => {
  it("the consultant gets the consultant prompt, the judge probes it, and its next turn answers", async () => {
    const first = await argue("A", 1, [], { role: "consultant", option: 1 });
    expect(first.meta.promptVersion).toBe("consultant.v2");
    expect(sent(0)).toContain("You are the consultant.");
    const step = await judge.judge(judgeInput("consultancy", 1, [first.turn]));
    expect(step).toMatchObject({
      action: "continue",
      question: ASKED,
      meta: { promptVersion: "judge-consultancy.v1" },
    });
    const judgeQuestions = [{ afterRound: 1, text: step.question ?? "" }];
    const second = await argue("A", 2, [first.turn], { role: "consultant", option: 1, judgeQuestions });
    expect(second.turn.text.startsWith(`You asked: "${ASKED}". `)).toBe(true);
    const judgePrompt = sent(-2);
    expect(judgePrompt).toContain('<turn speaker="Consultant" option="2">');
    expect(judgePrompt).not.toContain("<story>");
  });
});

describe("naive and expert judges with language models", () => {
  it.each(["naive", "expert"] as const)("the %s judge answers once and ends", async (protocol) => {
    const passage = protocol === "expert" ? { passage: PASSAGE } : {};
    const reply = await judge.judge(judgeInput(protocol, 1, [], { totalRounds: 1, ...passage }));
    expect(reply).toMatchObject({
      probabilities: [0.3, 0.7],
      action: "end",
      meta: { promptVersion: `judge-${protocol}.v1` },
    });
    const prompt = sent(0);
    expect(prompt.includes(`<story>\n${PASSAGE}\n</story>`)).toBe(protocol === "expert");
    expect(prompt).not.toContain("<transcript>");
  });

  it("ends even when the model asks to continue", async () => {
    const answer = { probabilities: [0.5, 0.5], action: "continue", reasoning: "r", question: "More?" };
    fake.setResponder(() => ({ kind: "text", text: JSON.stringify(answer) }));
    const reply = await judge.judge(judgeInput("naive", 1, [], { totalRounds: 2 }));
    expect(reply.action).toBe("end");
    expect(reply.question).toBeUndefined();
  });
});
