import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDb, type Db } from "../../lib/db/client";
import { withFullPrompts } from "../../lib/matches/prompt-parts";
import { runCrux } from "../support/cli";
import { promptText, scriptedDebate } from "../support/fake-llm/scripted";
import { type FakeLlmServer, type RecordedRequest, startFakeLlmServer } from "../support/fake-llm/server";

/**
 * `npx crux` with language models: the CLI runs as a child process (bin/crux.mjs, as a researcher runs it) against
 * a loopback fake provider in this process, which speaks the OpenAI and Anthropic wire protocols. Checks what it
 * prints, its exit codes, what it stores and what reached the provider.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-cli-llm-"));
const databaseUrl = `file:${path.join(dir, "crux.db")}`;

const OPENAI_KEY = "sk-openai-fake-cli";
const ANTHROPIC_KEY = "sk-ant-fake-cli";
const DEBATER = "openai:gpt-4o-mini";
const JUDGE = "anthropic:claude-3-5-haiku-latest";
/** USD per million tokens, from data/model-prices.json ("-latest" resolves to the undated key). */
const PRICES: Record<string, { input: number; output: number }> = {
  [DEBATER]: { input: 0.15, output: 0.6 },
  [JUDGE]: { input: 0.8, output: 4 },
};

let fake: FakeLlmServer;
let db: Db;

/** The providers, all pointed at the fake server with fake keys. */
function providerEnv(): Record<string, string> {
  const base = `${fake.url}/v1`;
  return {
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: base,
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: base,
    CRUX_PROVIDER_LOCAL_BASE_URL: base,
  };
}

function crux(args: string[], env: Record<string, string> = providerEnv()) {
  return runCrux(args, databaseUrl, env);
}

/** The documented, stable output of `crux debate --json` (docs/cli.md). */
const debateJson = z.object({
  matchId: z.string(),
  status: z.literal("complete"),
  seed: z.number().int(),
  config: z.object({ rounds: z.number().int(), wordLimit: z.number().int() }),
  question: z.object({ id: z.string(), text: z.string().min(1), options: z.array(z.string()).length(2) }),
  gold: z.number().int().min(0).max(1),
  debaters: z.array(z.object({ seat: z.enum(["A", "B"]), option: z.number().int(), model: z.string() })).length(2),
  judge: z.string(),
  turns: z.array(
    z.object({
      round: z.number().int(),
      speaker: z.enum(["A", "B"]),
      option: z.number().int(),
      text: z.string().min(1),
      quotes: z.array(z.object({ text: z.string(), verified: z.boolean() })),
    }),
  ),
  judgeSteps: z.array(
    z.object({
      round: z.number().int(),
      probabilities: z.array(z.number()).length(2),
      action: z.enum(["continue", "end"]),
    }),
  ),
  verdict: z.object({
    probabilities: z.array(z.number()).length(2),
    chosen: z.number().int(),
    correct: z.boolean(),
    score: z.number(),
    rounds: z.number().int(),
  }),
  error: z.null(),
});
type DebateJson = z.infer<typeof debateJson>;

/** Parses stdout as exactly one JSON object (nothing else may be printed there with --json). */
function parseDebate(stdout: string): DebateJson {
  return debateJson.parse(JSON.parse(stdout));
}

/** The `model` field of a recorded request body. */
function modelOf(request: RecordedRequest): unknown {
  const body = request.body;
  return typeof body === "object" && body !== null && "model" in body ? body.model : undefined;
}

/** A port on 127.0.0.1 with nothing listening (just freed by the OS). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

beforeAll(async () => {
  fake = await startFakeLlmServer();
  db = createDb(databaseUrl);
});
afterAll(async () => {
  await db?.$disconnect();
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.setResponder(scriptedDebate);
});

describe("npx crux with language models", () => {
  let first: DebateJson;

  it("runs a debate with OpenAI debaters and an Anthropic judge, recording every call", async () => {
    const args = ["debate", "--debaters", DEBATER, "--judge", JUDGE, "--rounds", "2", "--seed", "3", "--json"];
    const { stdout, stderr, code } = await crux(args);
    expect(code, stderr).toBe(0);
    first = parseDebate(stdout);
    expect(first.seed).toBe(3);
    expect(first.config.rounds).toBe(2);
    expect(first.judge).toBe(JUDGE);
    expect(first.debaters.map((d) => d.model)).toEqual([DEBATER, DEBATER]);
    const rounds = first.verdict.rounds;
    expect(rounds).toBeGreaterThanOrEqual(1);
    expect(rounds).toBeLessThanOrEqual(2);
    expect(first.turns).toHaveLength(rounds * 2);
    expect(first.judgeSteps).toHaveLength(rounds);
    // The scripted judge ends at the final round with 0.3 / 0.7; the verdict is scored against the gold answer.
    expect(first.verdict.probabilities).toEqual([0.3, 0.7]);
    expect(first.verdict.chosen).toBe(1);
    expect(first.verdict.correct).toBe(first.gold === 1);
    expect(first.verdict.score).toBeCloseTo(1 + Math.log2(first.verdict.probabilities[first.gold] ?? 0));
    // The scripted debater quotes sentences of the story: every quote is found.
    const quotes = first.turns.flatMap((t) => t.quotes);
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.every((q) => q.verified)).toBe(true);

    // What reached the provider: one OpenAI request per turn (each with the story), one Anthropic request per
    // judge step (never with the story), each with its own key.
    const openai = fake.requests.filter((r) => r.protocol === "openai");
    const anthropic = fake.requests.filter((r) => r.protocol === "anthropic");
    expect(openai).toHaveLength(first.turns.length);
    expect(anthropic).toHaveLength(first.judgeSteps.length);
    for (const request of openai) {
      expect(modelOf(request)).toBe("gpt-4o-mini");
      expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(promptText(request)).toContain("<story>");
    }
    const match = await db.match.findUniqueOrThrow({
      where: { id: first.matchId },
      include: { question: { include: { passage: true } }, turns: true, modelCalls: true },
    });
    const story = match.question.passage?.text ?? "";
    expect(story.length).toBeGreaterThan(1000);
    for (const request of anthropic) {
      expect(modelOf(request)).toBe("claude-3-5-haiku-latest");
      expect(request.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
      const prompt = promptText(request);
      expect(prompt).not.toContain("<story>");
      expect(prompt).not.toContain(story.slice(0, 200));
      expect(prompt).toContain(first.question.text);
    }

    // The database: the match as printed, and a ModelCall row for every provider call, with everything needed
    // to audit or replay it.
    expect(match.status).toBe("complete");
    expect(match.judgeModel).toBe(JUDGE);
    expect(match.turns).toHaveLength(first.turns.length);
    expect(match.turns.every((t) => t.model === DEBATER)).toBe(true);
    const calls = await withFullPrompts(db, match.modelCalls);
    expect(calls).toHaveLength(fake.requests.length);
    expect(calls.filter((c) => c.role === "debater")).toHaveLength(first.turns.length);
    expect(calls.filter((c) => c.role === "judge")).toHaveLength(first.judgeSteps.length);
    for (const call of calls) {
      expect(call).toMatchObject({ model: call.role === "judge" ? JUDGE : DEBATER, cached: false, error: null });
      expect(call.attempts).toBe(1);
      expect(call.promptVersion).toMatch(call.role === "judge" ? /^judge\./ : /^debater\./);
      expect(call.promptHash.length).toBeGreaterThan(0);
      const prompt = z
        .object({ system: z.string().min(1), messages: z.array(z.object({ content: z.string() })).min(1) })
        .parse(call.prompt);
      expect(JSON.stringify(prompt).includes("<story>")).toBe(call.role === "debater");
      expect(call.output.length).toBeGreaterThan(0);
      expect(call.tokensIn).toBeGreaterThan(0);
      expect(call.tokensOut).toBeGreaterThan(0);
      expect(call.latencyMs).toBeGreaterThanOrEqual(0);
      // Priced models: the cost is known, and follows the price table and the provider's token counts.
      const price = PRICES[call.model];
      expect(price).toBeDefined();
      expect(call.costUsd).not.toBeNull();
      expect(call.costUsd).toBeCloseTo(
        ((call.tokensIn ?? 0) * (price?.input ?? 0) + (call.tokensOut ?? 0) * (price?.output ?? 0)) / 1e6,
        12,
      );
    }
    // Token counts are the provider's (the fake reports input ≈ prompt characters / 4), not estimates.
    const reported = fake.requests.map((r) => Math.max(1, Math.ceil(promptText(r).length / 4))).sort((a, b) => a - b);
    expect(calls.map((c) => c.tokensIn).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(reported);
    // Debater outputs are the stored turns, judge outputs the JSON the provider sent.
    const turnTexts = new Set(match.turns.map((t) => t.text));
    for (const call of calls.filter((c) => c.role === "debater")) expect(turnTexts.has(call.output)).toBe(true);
    for (const call of calls.filter((c) => c.role === "judge"))
      expect(JSON.parse(call.output)).toHaveProperty("action");
  });

  it("replays the same seed from the response cache without calling the provider, unless --no-cache", async () => {
    expect(first, "the first test stores the responses").toBeDefined();
    const args = ["debate", "--debaters", DEBATER, "--judge", JUDGE, "--rounds", "2", "--seed", "3", "--json"];
    const cached = await crux(args);
    expect(cached.code, cached.stderr).toBe(0);
    expect(fake.requests).toHaveLength(0);
    const replay = parseDebate(cached.stdout);
    expect(replay.matchId).not.toBe(first.matchId);
    expect(replay.question).toEqual(first.question);
    expect(replay.turns).toEqual(first.turns);
    expect(replay.judgeSteps).toEqual(first.judgeSteps);
    expect(replay.verdict).toEqual(first.verdict);
    const cachedCalls = await db.modelCall.findMany({ where: { matchId: replay.matchId } });
    expect(cachedCalls).toHaveLength(first.turns.length + first.judgeSteps.length);
    // Answered from the cache: marked so, no attempt, no cost.
    expect(cachedCalls.every((c) => c.cached && c.attempts === 0 && c.costUsd === 0)).toBe(true);

    const fresh = await crux([...args, "--no-cache"]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fake.requests).toHaveLength(first.turns.length + first.judgeSteps.length);
    const again = parseDebate(fresh.stdout);
    // The scripted provider is deterministic, so the debate is the same, but every call went to the provider.
    expect(again.turns).toEqual(first.turns);
    const freshCalls = await db.modelCall.findMany({ where: { matchId: again.matchId } });
    expect(freshCalls.every((c) => !c.cached && c.attempts === 1 && c.costUsd !== null)).toBe(true);
  });

  it("mixes an OpenAI-compatible server and Anthropic as the two debaters", async () => {
    const local = "openai-compatible:local/x";
    const args = ["debate", "--debater-a", local, "--debater-b", JUDGE, "--rounds", "1", "--seed", "5", "--json"];
    const { stdout, stderr, code } = await crux(args);
    expect(code, stderr).toBe(0);
    const result = parseDebate(stdout);
    expect(result.debaters).toEqual([
      expect.objectContaining({ seat: "A", model: local }),
      expect.objectContaining({ seat: "B", model: JUDGE }),
    ]);
    expect(result.judge).toBe("offline:heuristic");
    expect(result.turns).toHaveLength(2);
    // Each seat was answered over its own protocol, with its own model name and key.
    const openai = fake.requests.filter((r) => r.protocol === "openai");
    const anthropic = fake.requests.filter((r) => r.protocol === "anthropic");
    expect(openai.map(modelOf)).toEqual(["x"]);
    expect(anthropic.map(modelOf)).toEqual(["claude-3-5-haiku-latest"]);
    expect(anthropic[0]?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    // No key is configured for the local server, so the OpenAI key must not be sent to it.
    expect(openai[0]?.headers.authorization ?? "").not.toContain(OPENAI_KEY);
    const calls = await db.modelCall.findMany({ where: { matchId: result.matchId } });
    expect(calls.map((c) => [c.seat, c.model]).sort()).toEqual([
      ["A", local],
      ["B", JUDGE],
    ]);
    // OpenAI-compatible servers are assumed local and free; Anthropic is priced.
    expect(calls.find((c) => c.model === local)?.costUsd).toBe(0);
    expect(calls.find((c) => c.model === JUDGE)?.costUsd).toBeGreaterThan(0);
  });

  it("refuses a model whose provider is not configured before storing anything", async () => {
    const [matches, calls] = await Promise.all([db.match.count(), db.modelCall.count()]);
    const { ANTHROPIC_API_KEY: _key, ANTHROPIC_BASE_URL: _url, ...withoutAnthropic } = providerEnv();
    const judge = await crux(["debate", "--judge", "anthropic:claude-x", "--seed", "3", "--json"], withoutAnthropic);
    expect(judge.code).toBe(1);
    expect(judge.stdout).toBe("");
    expect(judge.stderr).toContain("--judge: `anthropic:claude-x` — ANTHROPIC_API_KEY is not set on this server");

    const { OPENAI_API_KEY: _k, OPENAI_BASE_URL: _u, ...withoutOpenai } = providerEnv();
    const debater = await crux(["debate", "--debater-b", "openai:gpt-4o-mini", "--seed", "3"], withoutOpenai);
    expect(debater.code).toBe(1);
    expect(debater.stderr).toContain("--debater-b: `openai:gpt-4o-mini` — OPENAI_API_KEY is not set on this server");

    const unnamed = await crux(["debate", "--debaters", "openai-compatible:nowhere/x", "--seed", "3"]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/--debaters: `openai-compatible:nowhere\/x` — .*set CRUX_PROVIDER_NOWHERE_BASE_URL/);
    // Every bad spec is named at once, with the option that holds it.
    const typos = await crux(["debate", "--debater-a", "gpt9000", "--judge", "foo:bar", "--seed", "3"]);
    expect(typos.code).toBe(1);
    expect(typos.stderr).toContain("--debater-a: `gpt9000` is not a model spec — write provider:model");
    expect(typos.stderr).toContain("--judge: `foo:bar` — unknown provider `foo`");

    expect(fake.requests).toHaveLength(0);
    expect(await db.match.count()).toBe(matches);
    expect(await db.modelCall.count()).toBe(calls);
  });

  it("lists offline and served models, and checks that a model answers", async () => {
    const env = { CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1` };
    const listed = await crux(["models"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const specs = listed.stdout.split("\n").map((line) => line.split(/\s+/)[0]);
    expect(specs).toEqual(
      expect.arrayContaining([
        "offline:extractive",
        "offline:heuristic",
        "openai-compatible:local/gpt-test",
        "openai-compatible:local/claude-test",
        "openai-compatible:local/llama",
      ]),
    );
    expect(listed.stdout).not.toMatch(/No language-model provider is configured/);
    expect(fake.requests).toHaveLength(0); // listing is not a model call

    const checked = await crux(["models", "--check", "openai-compatible:local/x"], env);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^check openai-compatible:local\/x: ok in \d+ ms: "This is a scripted reply/m);
    expect(fake.requests.map(modelOf)).toEqual(["x"]);

    const json = await crux(["models", "--check", "openai-compatible:local/x", "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    const parsed = z
      .object({
        models: z.array(z.object({ spec: z.string(), isLanguageModel: z.boolean() })),
        checks: z.array(z.object({ spec: z.string(), ok: z.boolean(), latencyMs: z.number() })),
      })
      .parse(JSON.parse(json.stdout));
    expect(parsed.checks).toEqual([expect.objectContaining({ spec: "openai-compatible:local/x", ok: true })]);
  });

  it("reports a model that fails its check, with exit code 1", async () => {
    // Two ways to fail: the provider answers 500 every time, and a second server name points at a closed port.
    fake.setResponder(() => ({ kind: "status", status: 500, message: "scripted outage" }));
    const env = {
      CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1`,
      CRUX_PROVIDER_DOWN_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`,
      // Keeps the retries short where the command honours it.
      CRUX_MODEL_MAX_ATTEMPTS: "1",
    };
    const [erroring, down] = await Promise.all([
      crux(["models", "--check", "openai-compatible:local/x"], env),
      crux(["models", "--check", "openai-compatible:down/x"], env),
    ]);
    expect(erroring.code).toBe(1);
    expect(erroring.stdout).toMatch(/^check openai-compatible:local\/x: FAILED: .*500/m);
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/^check openai-compatible:down\/x: FAILED: .*connect/im);
    // The unreachable server is still listed as configured, with the reason it could not be listed.
    expect(down.stdout).toMatch(/^openai-compatible:down\/<model>\s+configured; could not list its models \(.+\)$/m);
  });
});
