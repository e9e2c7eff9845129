import { z } from "zod";
import type { ProvidersConfig } from "./providers/config";

/**
 * Model specs (`provider:model`) and the one check every place that takes one from a person runs: the study design
 * form and its server actions, study files (`crux study create`), `crux debate`, `crux study run --judge`, the
 * study page's automated run, and launch. Plain module (zod only): the design form imports it in the browser.
 *
 * What is checked: the spec's shape, that the provider exists, that an offline model exists for the role, and —
 * when the server's provider settings are given — that the provider is configured here (its key or base URL is set).
 * A model name the provider may or may not serve (`openai:gpt-9`) is accepted: providers add models all the time,
 * the price table (catalog) is only used to put a cost on calls, and a name the provider refuses is reported when
 * the match runs (the researcher sees why on the monitor; participants get a plain notice and move on).
 */

/** Language-model providers (lib/models/providers/ai-sdk.ts builds their SDK models). */
export const LLM_PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export const OFFLINE_PROVIDER = "offline";
/** Every provider a spec may name, offline first. */
export const MODEL_PROVIDERS = [OFFLINE_PROVIDER, ...LLM_PROVIDERS] as const;

/** The role a model plays. */
export const MODEL_KINDS = ["debater", "judge"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The offline models by role (the registry builds them; registry.test.ts checks the two lists agree). */
export const OFFLINE_MODELS: Record<ModelKind, readonly string[]> = {
  debater: ["extractive"],
  judge: ["heuristic"],
};

const EXAMPLE = "openai:gpt-4o-mini";
const COMPATIBLE_EXAMPLE = "openai-compatible:vllm/llama-3.1-8b";

/** `provider:model`, provider lowercase; the model name may itself contain colons or slashes. */
export const modelSpecSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]*:\S+$/, 'expected "provider:model", e.g. "offline:extractive"')
  .transform((spec) => {
    const colon = spec.indexOf(":");
    return { provider: spec.slice(0, colon), model: spec.slice(colon + 1) };
  });

export type ModelSpec = z.output<typeof modelSpecSchema>;

/** The environment variable naming an OpenAI-compatible server's URL (`vllm` → CRUX_PROVIDER_VLLM_BASE_URL). */
export function compatibleServerVariable(name: string): string {
  return `CRUX_PROVIDER_${name.toUpperCase().replaceAll("-", "_")}_BASE_URL`;
}

const quoted = (text: string) => `\`${text}\``;

/**
 * Why `spec` cannot be used for a `kind` here, or null when it can. With `providers` (the server's provider
 * settings), a language model whose provider is not configured is refused too; without, only what no server could
 * call is. The reason starts with the spec, so it reads on its own after a field name ("judge: …").
 */
export function checkModelSpec(
  spec: string,
  kind: ModelKind,
  options: { providers?: ProvidersConfig | null } = {},
): string | null {
  const text = spec.trim();
  if (text === "") return `no model given — write provider:model, e.g. ${EXAMPLE}`;
  const parsed = modelSpecSchema.safeParse(text);
  if (!parsed.success) {
    const [provider] = text.split(":");
    const known = text.includes(":") && MODEL_PROVIDERS.some((p) => p === provider?.toLowerCase());
    const hint = known && provider !== provider?.toLowerCase() ? " (providers are written in lower case)" : "";
    return `${quoted(text)} is not a model spec${hint} — write provider:model, e.g. ${EXAMPLE}`;
  }
  const { provider, model } = parsed.data;
  if (provider === OFFLINE_PROVIDER) return checkOffline(text, model, kind);
  if (!isLlmProvider(provider)) {
    return `${quoted(text)} — unknown provider ${quoted(provider)} (known: ${MODEL_PROVIDERS.join(", ")})`;
  }
  if (provider === "openai-compatible") {
    const slash = model.indexOf("/");
    if (slash <= 0 || slash === model.length - 1)
      return `${quoted(text)} — write openai-compatible:<server>/<model>, e.g. ${COMPATIBLE_EXAMPLE}`;
  }
  return options.providers ? checkConfigured(text, provider, model, options.providers) : null;
}

function isLlmProvider(provider: string): provider is LlmProvider {
  return (LLM_PROVIDERS as readonly string[]).includes(provider);
}

function checkOffline(spec: string, model: string, kind: ModelKind): string | null {
  if (OFFLINE_MODELS[kind].includes(model)) return null;
  const offered = OFFLINE_MODELS[kind].map((m) => `${OFFLINE_PROVIDER}:${m}`).join(", ");
  const other = kind === "debater" ? "judge" : "debater";
  if (OFFLINE_MODELS[other].includes(model))
    return `${quoted(spec)} is an offline ${other}, not a ${kind} (offline ${kind}s: ${offered})`;
  return `${quoted(spec)} — no offline ${kind} ${quoted(model)} (offline ${kind}s: ${offered})`;
}

function checkConfigured(spec: string, provider: LlmProvider, model: string, providers: ProvidersConfig) {
  if (provider === "openai")
    return providers.openai ? null : `${quoted(spec)} — OPENAI_API_KEY is not set on this server`;
  if (provider === "anthropic")
    return providers.anthropic ? null : `${quoted(spec)} — ANTHROPIC_API_KEY is not set on this server`;
  const name = model.slice(0, model.indexOf("/")).toLowerCase().replaceAll("_", "-");
  if (providers.compatible[name]) return null;
  const configured = Object.keys(providers.compatible);
  const known = configured.length ? `configured: ${configured.join(", ")}` : "none is configured";
  return (
    `${quoted(spec)} — no OpenAI-compatible server ${quoted(name)} on this server ` +
    `(set ${compatibleServerVariable(name)}; ${known})`
  );
}
