import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { countWords } from "../../lib/debate/limits";
import { createDebateMatch } from "../../lib/matches/create";
import { withFullPrompts } from "../../lib/matches/prompt-parts";
import { type MatchListener, MatchRunner } from "../../lib/matches/runner";
import { createDbResponseCache } from "../../lib/models/db-response-cache";
import type { RetryPolicy } from "../../lib/models/llm/retry-policy";
import { providersFromEnv } from "../../lib/models/providers/config";
import { createModelResolver } from "../../lib/models/resolver";
import { createLlmRuntime } from "../../lib/models/runtime";
import { seedQuestionBank } from "../../lib/questions/seed";
import { faultsThen, promptText, scriptedDebate } from "../support/fake-llm/scripted";
import {
  type FakeLlmServer,
  type RecordedRequest,
  type Reply,
  rejectStructuredOutput,
  startFakeLlmServer,
} from "../support/fake-llm/server";

/**
 * A loopback provider and a seeded database for one describe block; each test starts with no recorded requests and
 * the scripted debate as the provider's answers.
 */
function loopbackSetup(prefix: string): { fake: () => FakeLlmServer; db: () => Db } {
  let fake: FakeLlmServer | undefined;
  let db: Db | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `crux-${prefix}-`));
  beforeAll(async () => {
    fake = await startFakeLlmServer();
    const url = `file:${path.join(dir, "crux.db")}`;
    await migrateDatabase({ url });
    db = createDb(url);
    await seedQuestionBank(db);
  });
  afterAll(async () => {
    await fake?.close();
    await db?.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake?.requests.splice(0);
    fake?.setResponder(scriptedDebate);
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the loopback setup is not ready: use it inside tests or hooks");
    return value;
  };
  return { fake: () => ready(fake), db: () => ready(db) };
}

/**
 * Whole matches through the real model adapter (AI SDK providers, retries, cache, accounting) against a loopback
 * server that speaks the OpenAI and Anthropic wire protocols and injects faults.
 */
describe("matches with language-model debaters and judges", () => {
  const setup = loopbackSetup("llm");
  let fake: FakeLlmServer;
  let db: Db;
  beforeAll(() => {
    fake = setup.fake();
    db = setup.db();
  });

  function runtime(options: { cache?: boolean; policy?: Partial<RetryPolicy>; env?: Record<string, string> } = {}) {
    const base = `${fake.url}/v1`;
    return createLlmRuntime({
      providers: providersFromEnv({
        OPENAI_API_KEY: "sk-openai-test",
        OPENAI_BASE_URL: base,
        ANTHROPIC_API_KEY: "sk-ant-test",
        ANTHROPIC_BASE_URL: base,
        CRUX_PROVIDER_LOCAL_BASE_URL: base,
        CRUX_PROVIDER_LOCAL_CONCURRENCY: "1",
        ...options.env,
      }),
      cache: options.cache ? createDbResponseCache(db) : null,
      policy: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 3_000, ...options.policy },
    });
  }

  async function play(options: {
    debaters: [string, string];
    judge: string;
    seed: number;
    rounds?: number;
    bestOf?: number;
    protocol?: "debate" | "interactive" | "consultancy" | "naive" | "expert";
    llm?: ReturnType<typeof runtime>;
    wordLimit?: number;
    listener?: MatchListener;
  }) {
    const runner = new MatchRunner({
      db,
      models: createModelResolver({ offlineWordDelayMs: 0, llm: options.llm ?? runtime() }),
      listener: options.listener,
    });
    const { id } = await createDebateMatch(db, {
      judgeModel: options.judge,
      debaterModels: options.debaters,
      seed: options.seed,
      config: {
        protocol: options.protocol ?? "debate",
        rounds: options.rounds ?? 2,
        sampling: { bestOf: options.bestOf ?? 1 },
        ...(options.wordLimit ? { wordLimit: options.wordLimit } : {}),
      },
    });
    const snapshot = await runner.runToEnd(id);
    const stored = await db.modelCall.findMany({ where: { matchId: id }, orderBy: { createdAt: "asc" } });
    return { snapshot, calls: await withFullPrompts(db, stored) };
  }

  it("plays a whole debate with OpenAI-compatible debaters and an Anthropic judge, recording every call", async () => {
    const { snapshot, calls } = await play({
      debaters: ["openai-compatible:local/llama-test", "openai:gpt-4o-mini"],
      judge: "anthropic:claude-3-5-haiku-latest",
      seed: 1,
    });
    expect(snapshot.status).toBe("complete");
    expect(snapshot.turns).toHaveLength(4);
    expect(snapshot.verdict?.rounds).toBe(2);
    // The scripted debaters quote the story they were given, so quotes verify.
    expect(snapshot.turns.flatMap((t) => t.quotes).some((q) => q.verified)).toBe(true);

    const debaterCalls = calls.filter((c) => c.role === "debater");
    const judgeCalls = calls.filter((c) => c.role === "judge");
    expect(debaterCalls).toHaveLength(4);
    expect(judgeCalls).toHaveLength(2);
    for (const call of calls) {
      expect(call.error).toBeNull();
      expect(call.output.length).toBeGreaterThan(0);
      expect(call.tokensIn).toBeGreaterThan(0);
      expect(call.tokensOut).toBeGreaterThan(0);
      expect(call.promptVersion).toMatch(/^(debater|judge)\.v\d+$/);
      expect(call.promptHash).toMatch(/^[0-9a-f]{64}$/);
    }
    // Prices: gpt-4o-mini and Claude are in the price table; a local server's model costs nothing.
    expect(debaterCalls.find((c) => c.model === "openai:gpt-4o-mini")?.costUsd).toBeGreaterThan(0);
    expect(judgeCalls[0]?.costUsd).toBeGreaterThan(0);

    // The judge never received the story; the debaters did, with the right keys in the provider's own headers.
    const anthropic = fake.requests.filter((r) => r.protocol === "anthropic");
    expect(anthropic.every((r) => !promptText(r).includes("<story>"))).toBe(true);
    expect(anthropic[0]?.headers["x-api-key"]).toBe("sk-ant-test");
    const openai = fake.requests.filter((r) => r.protocol === "openai");
    expect(openai.every((r) => promptText(r).includes("<story>"))).toBe(true);
    expect(openai.some((r) => r.headers.authorization === "Bearer sk-openai-test")).toBe(true);
    expect(openai.every((r) => (r.body as { stream?: boolean }).stream === true)).toBe(true);
  });

  it.each<[string, Reply[]]>([
    ["429 with Retry-After", [{ kind: "status", status: 429, retryAfterSeconds: 1 }]],
    ["429 without Retry-After", [{ kind: "status", status: 429 }]],
    [
      "503 and 500",
      [
        { kind: "status", status: 503 },
        { kind: "status", status: 500 },
      ],
    ],
    ["a connection reset mid-stream", [{ kind: "reset", afterChunks: 3, text: "Half of an answer that breaks off" }]],
    ["a malformed stream", [{ kind: "malformed", afterChunks: 2, text: "Good start then garbage" }]],
    ["a truncated stream", [{ kind: "truncated", afterChunks: 2, text: "An answer that never finishes" }]],
    ["an empty answer", [{ kind: "empty" }]],
    ["a hung request (per-attempt timeout)", [{ kind: "hang" }]],
  ])("recovers from %s and finishes the match", async (_name, faults) => {
    const debaterFaults = faultsThen(faults, scriptedDebate);
    fake.setResponder((request, index) =>
      isDebater(request) ? debaterFaultOnce(request, index) : scriptedDebate(request),
    );
    let seen = 0;
    function debaterFaultOnce(request: RecordedRequest, _index: number) {
      return debaterFaults(request, seen++);
    }
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "offline:heuristic",
      seed: 2,
      rounds: 1,
      llm: runtime({ policy: { timeoutMs: 1_000 } }),
    });
    expect(snapshot.status, snapshot.error ?? "").toBe("complete");
    expect(snapshot.turns).toHaveLength(2);
    expect(snapshot.turns.every((t) => !t.text.includes("garbage") && !t.text.includes("breaks off"))).toBe(true);
    // Every injected fault cost exactly one extra attempt somewhere (both seats speak at once in round 1).
    const retries = calls.filter((c) => c.role === "debater").reduce((sum, c) => sum + c.attempts - 1, 0);
    expect(retries).toBe(faults.length);
  });

  it("ends the match as errored with a readable reason when a provider keeps failing, keeping earlier turns", async () => {
    let debaterCalls = 0;
    fake.setResponder((request) => {
      if (isDebater(request) && ++debaterCalls > 2) return { kind: "status", status: 500, message: "boom" };
      return scriptedDebate(request);
    });
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "offline:heuristic",
      seed: 3,
      rounds: 3,
      llm: runtime({ policy: { maxAttempts: 3 } }),
    });
    if (snapshot.status === "complete") throw new Error("expected the match to fail");
    expect(snapshot.status).toBe("errored");
    expect(snapshot.error).toMatch(/openai:gpt-4o-mini failed after 3 attempts: server error \(500\)/);
    expect(snapshot.turns).toHaveLength(2);
    expect(await db.turn.count({ where: { matchId: snapshot.id } })).toBe(2);
    expect(calls.some((c) => c.error?.includes("failed after 3 attempts"))).toBe(true);
  });

  it("does not retry a bad API key, and says which variable to check", async () => {
    fake.setResponder((request) => (isDebater(request) ? { kind: "status", status: 401 } : scriptedDebate(request)));
    const { snapshot } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "offline:heuristic",
      seed: 4,
      rounds: 1,
    });
    expect(snapshot.status).toBe("errored");
    expect(snapshot.error).toMatch(/failed after 1 attempt: authentication failed \(401\): check OPENAI_API_KEY/);
  });

  it("re-asks a judge that answers in a malformed way, then fails cleanly", async () => {
    fake.setResponder((request) =>
      isDebater(request) ? scriptedDebate(request) : { kind: "text", text: "I think the second one, probably." },
    );
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "anthropic:claude-3-5-haiku-latest",
      seed: 5,
      rounds: 2,
    });
    expect(snapshot.status).toBe("errored");
    expect(snapshot.error).toMatch(/not in the required format/);
    expect(snapshot.turns).toHaveLength(2);
    const judgeCalls = calls.filter((c) => c.role === "judge");
    expect(judgeCalls).toHaveLength(3);
    // Each re-ask carries the bad answer and the reason back to the model.
    const lastPrompt = judgeCalls[2]?.prompt as { messages: { role: string; content: string }[] };
    expect(lastPrompt.messages).toHaveLength(5);
  });

  it("accepts a judge that recovers after one malformed answer", async () => {
    let judgeCalls = 0;
    fake.setResponder((request) => {
      if (isDebater(request)) return scriptedDebate(request);
      return ++judgeCalls === 1 ? { kind: "text", text: "```json\n{oops}\n```" } : scriptedDebate(request);
    });
    const { snapshot } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "openai:gpt-4o-mini",
      seed: 6,
      rounds: 1,
    });
    expect(snapshot.status).toBe("complete");
    expect(snapshot.verdict?.probabilities).toEqual([0.3, 0.7]);
  });

  it("replays a match from the response cache without calling the provider", async () => {
    const llm = runtime({ cache: true });
    const options = {
      debaters: ["openai:gpt-4o-mini", "anthropic:claude-3-5-haiku-latest"] as [string, string],
      judge: "openai:gpt-4o-mini",
      seed: 7,
      llm,
    };
    const first = await play(options);
    const requestsAfterFirst = fake.requests.length;
    expect(requestsAfterFirst).toBeGreaterThan(0);
    const second = await play(options);
    expect(fake.requests.length).toBe(requestsAfterFirst);
    expect(second.snapshot.turns.map((t) => t.text)).toEqual(first.snapshot.turns.map((t) => t.text));
    expect(second.calls.every((c) => c.cached && c.costUsd === 0)).toBe(true);
  });

  /** Every chunk the runner sends live, by turn ("1A"), joined: what a judge's socket receives. */
  function liveChunks() {
    const byTurn = new Map<string, string[]>();
    const listener: MatchListener = {
      onChange: () => undefined,
      onDelta: ({ round, speaker, text }) => {
        const key = `${round}${speaker}`;
        byTurn.set(key, [...(byTurn.get(key) ?? []), text]);
      },
    };
    return { listener, joined: (key: string) => (byTurn.get(key) ?? []).join(""), turns: () => [...byTurn.keys()] };
  }

  it("streams no word past the limit: a 400-word answer for a 50-word limit is stopped, and the judge gets the stored turn", async () => {
    const long = `${"word ".repeat(400)}end.`;
    fake.setResponder((request) => (isDebater(request) ? { kind: "text", text: long } : scriptedDebate(request)));
    const live = liveChunks();
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "offline:heuristic",
      seed: 8,
      rounds: 1,
      wordLimit: 50,
      listener: live.listener,
    });
    expect(snapshot.status).toBe("complete");
    expect(live.turns().sort()).toEqual(["1A", "1B"]);
    for (const turn of snapshot.turns) {
      const received = live.joined(`${turn.round}${turn.speaker}`);
      expect(countWords(received)).toBeLessThanOrEqual(50);
      expect(received).toBe(turn.text);
    }
    // One call per turn, stopped once over the limit: not asked again (the judge saw the first), not run to the end.
    const debaterCalls = calls.filter((c) => c.role === "debater");
    expect(debaterCalls).toHaveLength(2);
    for (const call of debaterCalls) {
      expect(call.error).toBeNull();
      expect(countWords(call.output)).toBeLessThan(60);
    }
  });

  it("best-of-N: a chosen draft over the limit is rewritten unseen, and the stream still stops at the limit", async () => {
    const long = `${"word ".repeat(400)}end.`;
    fake.setResponder((request) => (isDebater(request) ? { kind: "text", text: long } : scriptedDebate(request)));
    const live = liveChunks();
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "offline:heuristic",
      seed: 10,
      rounds: 1,
      bestOf: 2,
      wordLimit: 50,
      listener: live.listener,
    });
    expect(snapshot.status).toBe("complete");
    for (const turn of snapshot.turns) {
      const received = live.joined(`${turn.round}${turn.speaker}`);
      expect(countWords(received)).toBeLessThanOrEqual(50);
      expect(received).toBe(turn.text);
    }
    // Two drafts and one rewrite per seat.
    expect(calls.filter((c) => c.role === "debater")).toHaveLength(6);
  });

  it("samples best-of-N drafts and has a model pick one", async () => {
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "offline:heuristic",
      seed: 9,
      rounds: 1,
      bestOf: 3,
    });
    expect(snapshot.status).toBe("complete");
    expect(calls.filter((c) => c.role === "debater")).toHaveLength(6);
    expect(calls.filter((c) => c.role === "picker")).toHaveLength(2);
  });

  it("passes the judge's questions to both debaters' next turns in an interactive debate", async () => {
    const { snapshot } = await play({
      debaters: ["openai:gpt-4o-mini", "openai-compatible:local/llama-test"],
      judge: "anthropic:claude-3-5-haiku-latest",
      seed: 11,
      rounds: 2,
      protocol: "interactive",
    });
    expect(snapshot.status).toBe("complete");
    const question = snapshot.judgeSteps[0]?.message ?? "";
    expect(question).toMatch(/^What does the story say about/);
    // Both debaters' round-2 prompts, as the provider received them, carry the question (and round 1's did not).
    const debaterPrompts = fake.requests.filter(isDebater).map(promptText);
    expect(debaterPrompts).toHaveLength(4);
    expect(debaterPrompts.filter((p) => p.includes(question))).toHaveLength(2);
    for (const turn of snapshot.turns.filter((t) => t.round === 2)) expect(turn.text).toContain("You asked:");
  });

  it("runs a consultancy with one consultant and a judge prompt without the story", async () => {
    const { snapshot, calls } = await play({
      debaters: ["openai:gpt-4o-mini", "openai:gpt-4o-mini"],
      judge: "openai:gpt-4o-mini",
      seed: 12,
      rounds: 2,
      protocol: "consultancy",
    });
    expect(snapshot.status).toBe("complete");
    expect(snapshot.debaters).toHaveLength(1);
    expect(snapshot.turns.every((t) => t.speaker === "A")).toBe(true);
    expect(calls.filter((c) => c.role === "debater").every((c) => c.promptVersion.startsWith("consultant."))).toBe(
      true,
    );
    const judgePrompts = calls.filter((c) => c.role === "judge").map((c) => JSON.stringify(c.prompt));
    expect(judgePrompts.every((p) => !p.includes("<story>"))).toBe(true);
  });

  it("keeps to the concurrency limit of a provider", async () => {
    let active = 0;
    let peak = 0;
    fake.setResponder(async (request) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active--;
      return scriptedDebate(request);
    });
    const { snapshot } = await play({
      debaters: ["openai-compatible:local/llama-test", "openai-compatible:local/llama-test"],
      judge: "offline:heuristic",
      seed: 10,
      rounds: 1,
    });
    expect(snapshot.status).toBe("complete");
    expect(peak).toBe(1);
  });
});

describe("AI judges' answer format", () => {
  const setup = loopbackSetup("llm-judge");
  let fake: FakeLlmServer;
  let db: Db;
  beforeAll(() => {
    fake = setup.fake();
    db = setup.db();
  });

  async function play(judge: string, seed: number, env: Record<string, string> = {}) {
    const base = `${fake.url}/v1`;
    const llm = createLlmRuntime({
      providers: providersFromEnv({
        OPENAI_API_KEY: "sk-openai-test",
        OPENAI_BASE_URL: base,
        ANTHROPIC_API_KEY: "sk-ant-test",
        ANTHROPIC_BASE_URL: base,
        CRUX_PROVIDER_LOCAL_BASE_URL: base,
        ...env,
      }),
      cache: null,
      policy: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 3_000 },
    });
    const runner = new MatchRunner({ db, models: createModelResolver({ offlineWordDelayMs: 0, llm }) });
    const { id } = await createDebateMatch(db, {
      judgeModel: judge,
      debaterModels: ["offline:extractive", "offline:extractive"],
      seed,
      config: { protocol: "debate", rounds: 2, sampling: { bestOf: 1 } },
    });
    const snapshot = await runner.runToEnd(id);
    const calls = await db.modelCall.findMany({ where: { matchId: id }, orderBy: { createdAt: "asc" } });
    return { snapshot, calls, requests: [...fake.requests], llm };
  }

  const settingsOf = (call: { settings: unknown }) =>
    (typeof call.settings === "string" ? JSON.parse(call.settings) : call.settings) as { responseFormat?: string };

  it.each([
    ["openai:gpt-4o-mini", "json_schema"],
    ["openai-compatible:local/llama-test", "json_schema"],
    // @ai-sdk/anthropic uses the native output format where the model has it, else a forced "json" tool.
    ["anthropic:claude-haiku-4-5", "anthropic_format"],
    ["anthropic:claude-3-5-haiku-latest", "anthropic_tool"],
  ])("%s answers through structured output (%s) and the match completes", async (judge, kind) => {
    const { snapshot, calls, requests } = await play(judge, 21);
    expect(snapshot.status, snapshot.error ?? "").toBe("complete");
    expect(snapshot.verdict?.probabilities).toEqual([0.3, 0.7]);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.structuredOutput?.kind).toBe(kind);
      const schema = request.structuredOutput?.schema as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["probabilities", "action", "reasoning"]));
      expect(schema.required).toContain("probabilities");
    }
    expect(calls.map((c) => settingsOf(c).responseFormat)).toEqual(["json_schema", "json_schema"]);
  });

  it("completes when the model only answers in plain text (a server that ignores the schema)", async () => {
    fake.setResponder(() => ({ kind: "text", text: "Probabilities: A 0.7, B 0.3 — Answer: A" }));
    const { snapshot, calls, requests } = await play("openai-compatible:local/llama-test", 22);
    expect(snapshot.status, snapshot.error ?? "").toBe("complete");
    expect(snapshot.verdict?.probabilities).toEqual([0.7, 0.3]);
    expect(requests.every((r) => r.structuredOutput?.kind === "json_schema")).toBe(true);
    // One call per round: no re-ask was needed.
    expect(calls).toHaveLength(2);
  });

  it("asks in plain text only when the server's structured output is off, or JSON mode without a schema", async () => {
    fake.setResponder(() => ({ kind: "text", text: "A: 70%, B: 30%\nAction: continue" }));
    const off = await play("openai-compatible:local/llama-test", 23, { CRUX_PROVIDER_LOCAL_STRUCTURED_OUTPUT: "off" });
    expect(off.snapshot.status, off.snapshot.error ?? "").toBe("complete");
    expect(off.requests.every((r) => r.structuredOutput === null)).toBe(true);
    expect(off.requests.every((r) => !("response_format" in (r.body as object)))).toBe(true);
    expect(off.calls.every((c) => settingsOf(c).responseFormat === undefined)).toBe(true);

    fake.requests.length = 0;
    fake.setResponder(scriptedDebate);
    const mode = { CRUX_PROVIDER_LOCAL_STRUCTURED_OUTPUT: "json_object" };
    const jsonMode = await play("openai-compatible:local/llama-test", 24, mode);
    expect(jsonMode.snapshot.status, jsonMode.snapshot.error ?? "").toBe("complete");
    expect(jsonMode.requests.every((r) => r.structuredOutput?.kind === "json_object")).toBe(true);
  });

  it.each([
    ["openai:gpt-4o-mini", "openai"],
    ["anthropic:claude-haiku-4-5", "anthropic"],
  ])("%s: a 400 for the response format falls back to plain text, remembered for the model", async (judge) => {
    fake.setResponder(rejectStructuredOutput(scriptedDebate));
    const { snapshot, calls, requests, llm } = await play(judge, 25);
    expect(snapshot.status, snapshot.error ?? "").toBe("complete");
    expect(snapshot.verdict?.probabilities).toEqual([0.3, 0.7]);
    // Round 1: refused with the schema, answered without; round 2: asked without at once.
    expect(requests.map((r) => r.structuredOutput !== null)).toEqual([true, false, false]);
    expect(calls).toHaveLength(3);
    expect(calls[0]?.error).toMatch(/400/);
    expect(calls.slice(1).every((c) => c.error === null && settingsOf(c).responseFormat === undefined)).toBe(true);
    expect(llm.plainTextOnly.has(judge)).toBe(true);
  });
});

/** Debater prompts carry the story; judge and picker prompts never do. */
function isDebater(request: RecordedRequest): boolean {
  return promptText(request).includes("<story>");
}
