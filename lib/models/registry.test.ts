import { describe, expect, it } from "vitest";
import { CruxError } from "../errors";
import { createModelRegistry, modelSpecSchema, UnknownModelSpecError } from "./registry";

// Offline-only registries (no language-model runtime): what a process without provider settings has.
const registry = createModelRegistry();
const getDebaterModel = (spec: string, options: { wordDelayMs?: number } = {}) =>
  createModelRegistry(options).debater(spec);
const getJudgeModel = (spec: string) => registry.judge(spec);
const listModels = registry.list;

describe("model registry", () => {
  it("returns the offline models for their specs", () => {
    expect(getDebaterModel("offline:extractive").info).toMatchObject({
      spec: "offline:extractive",
      isLanguageModel: false,
    });
    expect(getJudgeModel("offline:heuristic").info).toMatchObject({
      spec: "offline:heuristic",
      isLanguageModel: false,
    });
    expect(getDebaterModel(" offline:extractive ", { wordDelayMs: 5 }).info.spec).toBe("offline:extractive");
  });

  it("lists every model, or one kind", () => {
    expect(listModels().map((m) => m.spec)).toEqual(["offline:extractive", "offline:heuristic"]);
    expect(listModels("debater").map((m) => m.spec)).toEqual(["offline:extractive"]);
    expect(listModels("judge").map((m) => m.spec)).toEqual(["offline:heuristic"]);
  });

  it("parses provider:model specs", () => {
    expect(modelSpecSchema.parse("openai:gpt-4o:2024")).toEqual({ provider: "openai", model: "gpt-4o:2024" });
    expect(modelSpecSchema.safeParse("extractive").success).toBe(false);
    expect(modelSpecSchema.safeParse("Offline:extractive").success).toBe(false);
    expect(modelSpecSchema.safeParse("offline:").success).toBe(false);
  });

  it.each([
    ["anthropic:claude", "debater", "available: offline:extractive"],
    ["offline:nope", "debater", "available: offline:extractive"],
    ["offline:heuristic", "debater", "available: offline:extractive"],
    ["extractive", "debater", 'expected "provider:model"'],
    ["offline:extractive", "judge", "available: offline:heuristic"],
  ] as const)("rejects %s as a %s with a clear, typed error", (spec, kind, hint) => {
    const get = () => (kind === "debater" ? getDebaterModel(spec) : getJudgeModel(spec));
    expect(get).toThrow(UnknownModelSpecError);
    try {
      get();
    } catch (error) {
      expect(error).toBeInstanceOf(CruxError);
      expect(error).toMatchObject({ code: "BAD_REQUEST", spec, kind });
      expect((error as Error).message).toContain(`unknown model spec "${spec}"`);
      expect((error as Error).message).toContain(hint);
    }
  });

  it("reuses one instance per spec", () => {
    expect(registry.debater("offline:extractive")).toBe(registry.debater("offline:extractive"));
    expect(registry.info("openai:gpt-4o")).toEqual({
      spec: "openai:gpt-4o",
      label: "openai:gpt-4o",
      isLanguageModel: true,
    });
  });

  it("does not resolve inherited object keys as models", () => {
    expect(() => getDebaterModel("offline:constructor")).toThrow(UnknownModelSpecError);
    expect(() => getJudgeModel("offline:toString")).toThrow(UnknownModelSpecError);
  });
});
