/**
 * The model registry: turns a spec such as "offline:extractive" into a model. Specs are `provider:model`; each
 * provider is one ModelProvider in the registry's map: the offline models always, and the language-model providers
 * (openai, anthropic, openai-compatible) when the registry is given an LLM runtime. Adding a provider means adding
 * an entry here — nothing else in the app changes.
 */

import { CruxError, zodErrorMessage } from "../errors";
import type { LlmRuntime } from "./llm/call";
import { createLlmDebater } from "./llm/debater";
import { createLlmJudge } from "./llm/judge";
import { createExtractiveDebater, createHeuristicJudge } from "./offline";
import { createRecordedDebater, RECORDED_PROVIDER, type RecordedTurnLookup, recordedDebaterInfo } from "./recorded";
import { LLM_PROVIDERS, type LlmProvider, type ModelKind, modelSpecSchema, OFFLINE_PROVIDER } from "./spec";
import type { DebaterModel, JudgeModel, ModelInfo } from "./types";

/** Options passed to every debater factory; a provider ignores what it does not use. */
export interface DebaterModelOptions {
  /** Pause between streamed words for models that simulate streaming (the offline debater). */
  wordDelayMs?: number;
}

export type { ModelKind, ModelSpec } from "./spec";
export { modelSpecSchema };

/** A source of models. `model` is the part of the spec after the first colon. */
export interface ModelProvider {
  /** Returns a debater, or undefined when this provider has no such model. */
  createDebater(model: string, options: DebaterModelOptions): DebaterModel | undefined;
  /** Returns a judge, or undefined when this provider has no such model. */
  createJudge(model: string): JudgeModel | undefined;
  /** What this provider offers, for listings and error messages. */
  list(kind: ModelKind): ModelInfo[];
}

/** Providers backed by a fixed table of model names (enough for offline models; real APIs may compute names). */
function tableProvider(
  debaters: Record<string, (options: DebaterModelOptions) => DebaterModel>,
  judges: Record<string, () => JudgeModel>,
): ModelProvider {
  return {
    createDebater: (model, options) => (Object.hasOwn(debaters, model) ? debaters[model]?.(options) : undefined),
    createJudge: (model) => (Object.hasOwn(judges, model) ? judges[model]?.() : undefined),
    list: (kind) =>
      kind === "debater" ? Object.values(debaters).map((f) => f({}).info) : Object.values(judges).map((f) => f().info),
  };
}

function offlineProvider(): ModelProvider {
  return tableProvider(
    { extractive: (options) => createExtractiveDebater(options) },
    { heuristic: createHeuristicJudge },
  );
}

/** Recorded debaters (`recorded:<source match>:<seat>`): a stored match's turns, replayed. No judges. */
function recordedProvider(options: RecordedDebaterOptions): ModelProvider {
  return {
    createDebater: (model) => createRecordedDebater(model, options),
    createJudge: () => undefined,
    list: () => [],
  };
}

/** A language-model provider: any model name is accepted; whether it is configured is checked when resolving. */
function llmProvider(name: LlmProvider, runtime: LlmRuntime): ModelProvider {
  const spec = (model: string) => `${name}:${model}`;
  return {
    createDebater: (model) => {
      runtime.resolve(spec(model));
      return createLlmDebater(spec(model), runtime);
    },
    createJudge: (model) => {
      runtime.resolve(spec(model));
      return createLlmJudge(spec(model), runtime);
    },
    list: () => [],
  };
}

/** Thrown for a malformed spec or one no provider offers. A BAD_REQUEST, since specs come from users/config. */
export class UnknownModelSpecError extends CruxError {
  constructor(
    readonly spec: string,
    readonly kind: ModelKind,
    readonly available: string[],
    detail?: string,
  ) {
    super(
      "BAD_REQUEST",
      `unknown model spec "${spec}" for a ${kind}${detail ? ` (${detail})` : ""}; available: ${available.join(", ")}`,
    );
    this.name = "UnknownModelSpecError";
  }
}

/** What recorded debaters need: where the source turns are read, and the reading pace. */
export interface RecordedDebaterOptions {
  lookup: RecordedTurnLookup;
  /** Pause between streamed words (CRUX_RECORDED_WORD_DELAY_MS on the server). */
  wordDelayMs: number;
}

export interface ModelRegistryOptions extends DebaterModelOptions {
  /** Language-model providers (OpenAI, Anthropic, OpenAI-compatible servers); offline models only when absent. */
  llm?: LlmRuntime | null;
  /** Recorded debaters (the recorded protocol); none when absent. */
  recorded?: RecordedDebaterOptions;
}

/** Resolves specs to models; instances are created once per spec and reused. */
export interface ModelRegistry {
  debater(spec: string): DebaterModel;
  judge(spec: string): JudgeModel;
  /** Label and kind of a spec for the UI (language models are labelled by their spec). */
  info(spec: string): ModelInfo;
  /** The models that can be listed without asking a provider (the offline ones). */
  list(kind?: ModelKind): ModelInfo[];
}

export function createModelRegistry(options: ModelRegistryOptions = {}): ModelRegistry {
  const providers = new Map<string, ModelProvider>([[OFFLINE_PROVIDER, offlineProvider()]]);
  if (options.llm) for (const name of LLM_PROVIDERS) providers.set(name, llmProvider(name, options.llm));
  if (options.recorded) providers.set(RECORDED_PROVIDER, recordedProvider(options.recorded));
  const debaters = new Map<string, DebaterModel>();
  const judges = new Map<string, JudgeModel>();

  const list = (kind?: ModelKind): ModelInfo[] => {
    const kinds: ModelKind[] = kind ? [kind] : ["debater", "judge"];
    return kinds.flatMap((k) => [...providers.values()].flatMap((p) => p.list(k)));
  };
  const resolve = <T>(spec: string, kind: ModelKind, create: (p: ModelProvider, model: string) => T | undefined) => {
    const available = [
      ...list(kind).map((m) => m.spec),
      ...(options.llm ? LLM_PROVIDERS.map((p) => `${p}:<model>`) : []),
    ];
    const parsed = modelSpecSchema.safeParse(spec);
    if (!parsed.success)
      throw new UnknownModelSpecError(
        spec,
        kind,
        available,
        zodErrorMessage(parsed.error, { first: true, path: false }),
      );
    const provider = providers.get(parsed.data.provider);
    const model = provider ? create(provider, parsed.data.model) : undefined;
    if (!model) throw new UnknownModelSpecError(spec, kind, available, provider ? undefined : "no such provider");
    return model;
  };
  const cached = <T>(cache: Map<string, T>, spec: string, make: () => T): T => {
    const key = spec.trim();
    let value = cache.get(key);
    if (!value) {
      value = make();
      cache.set(key, value);
    }
    return value;
  };

  return {
    debater: (spec) => cached(debaters, spec, () => resolve(spec, "debater", (p, m) => p.createDebater(m, options))),
    judge: (spec) => cached(judges, spec, () => resolve(spec, "judge", (p, m) => p.createJudge(m))),
    info: (spec) => {
      const key = spec.trim();
      if (key.startsWith(`${RECORDED_PROVIDER}:`)) return recordedDebaterInfo(key);
      return list().find((m) => m.spec === key) ?? { spec: key, label: key, isLanguageModel: true };
    },
    list,
  };
}
