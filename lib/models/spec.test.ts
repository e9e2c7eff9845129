import { describe, expect, it } from "vitest";
import { checkModelSpec } from "./check-spec";
import { providersFromEnv } from "./providers/config";
import { createModelRegistry } from "./registry";
import { type ModelKind, OFFLINE_MODELS } from "./spec";

const none = providersFromEnv({});
const configured = providersFromEnv({
  OPENAI_API_KEY: "sk-test",
  ANTHROPIC_BASE_URL: "http://127.0.0.1:9/v1",
  CRUX_PROVIDER_LOCAL_BASE_URL: "http://127.0.0.1:9/v1",
  CRUX_PROVIDER_MY_VLLM_BASE_URL: "http://127.0.0.1:9/v1",
});

describe("checkModelSpec", () => {
  it.each<[string, ModelKind]>([
    ["offline:extractive", "debater"],
    ["offline:heuristic", "judge"],
    [" offline:extractive ", "debater"],
    ["openai:gpt-4o-mini", "debater"],
    ["openai:gpt-4o:2024-08-06", "judge"],
    ["anthropic:claude-3-5-haiku-latest", "judge"],
    // A model name the catalog does not know is fine: providers add models all the time.
    ["openai:gpt-9000-turbo", "debater"],
    ["openai-compatible:local/llama-3.1-8b", "debater"],
    ["openai-compatible:local/org/model:q4", "judge"],
    ["openai-compatible:my-vllm/x", "debater"],
    ["openai-compatible:MY_VLLM/x", "judge"],
  ])("accepts %s as a %s where its provider is configured", (spec, kind) => {
    expect(checkModelSpec(spec, kind, { providers: configured })).toBeNull();
    expect(checkModelSpec(spec, kind)).toBeNull();
  });

  it.each<[string, ModelKind, RegExp]>([
    ["gpt9000", "debater", /^`gpt9000` is not a model spec — write provider:model, e.g. openai:gpt-4o-mini$/],
    ["gpt-4o", "judge", /^`gpt-4o` is not a model spec/],
    ["openai:", "debater", /^`openai:` is not a model spec/],
    [":gpt-4o", "debater", /^`:gpt-4o` is not a model spec/],
    ["openai: gpt-4o", "debater", /is not a model spec/],
    ["OpenAI:gpt-4o", "debater", /is not a model spec \(providers are written in lower case\)/],
    ["", "judge", /^no model given — write provider:model/],
    ["   ", "debater", /^no model given/],
    [
      "foo:bar",
      "judge",
      /^`foo:bar` — unknown provider `foo` \(known: offline, openai, anthropic, openai-compatible\)$/,
    ],
    ["gemini:pro", "debater", /unknown provider `gemini`/],
    [
      "offline:heuristic",
      "debater",
      /^`offline:heuristic` is an offline judge, not a debater \(offline debaters: offline:extractive\)$/,
    ],
    ["offline:extractive", "judge", /is an offline debater, not a judge \(offline judges: offline:heuristic\)/],
    [
      "offline:nope",
      "debater",
      /^`offline:nope` — no offline debater `nope` \(offline debaters: offline:extractive\)$/,
    ],
    ["offline:constructor", "judge", /no offline judge `constructor`/],
    ["openai-compatible:llama", "debater", /write openai-compatible:<server>\/<model>/],
    ["openai-compatible:local/", "debater", /write openai-compatible:<server>\/<model>/],
    ["openai-compatible:/x", "judge", /write openai-compatible:<server>\/<model>/],
  ])("refuses %s as a %s, naming the spec and the reason", (spec, kind, reason) => {
    expect(checkModelSpec(spec, kind)).toMatch(reason);
    expect(checkModelSpec(spec, kind, { providers: configured })).toMatch(reason);
  });

  it.each<[string, ModelKind, RegExp]>([
    ["openai:gpt-4o", "debater", /^`openai:gpt-4o` — OPENAI_API_KEY is not set on this server$/],
    ["anthropic:claude-x", "judge", /^`anthropic:claude-x` — ANTHROPIC_API_KEY is not set on this server$/],
    [
      "openai-compatible:vllm/llama",
      "debater",
      /^`openai-compatible:vllm\/llama` — no OpenAI-compatible server `vllm` on this server \(set CRUX_PROVIDER_VLLM_BASE_URL; none is configured\)$/,
    ],
  ])("refuses %s where its provider is not configured", (spec, kind, reason) => {
    expect(checkModelSpec(spec, kind, { providers: none })).toMatch(reason);
    // Without the server's settings only what no server could call is refused.
    expect(checkModelSpec(spec, kind)).toBeNull();
  });

  it("lists the OpenAI-compatible servers that are configured", () => {
    expect(checkModelSpec("openai-compatible:nowhere/x", "judge", { providers: configured })).toMatch(
      /set CRUX_PROVIDER_NOWHERE_BASE_URL; configured: local, my-vllm\)$/,
    );
  });

  it("agrees with the registry on the offline models", () => {
    const registry = createModelRegistry();
    for (const kind of ["debater", "judge"] as const) {
      expect(registry.list(kind).map((m) => m.spec)).toEqual(OFFLINE_MODELS[kind].map((m) => `offline:${m}`));
    }
  });
});
