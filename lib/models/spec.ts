import { z } from "zod";

/**
 * Model specs (`provider:model`) and the half of their check that holds on any server (`modelSpecProblem`): the
 * spec's shape, that the provider exists, that an offline model exists for the role. Plain module (zod only): the
 * design form imports it in the browser, so it names no configuration variable; `checkModelSpec` (./check-spec.ts)
 * adds whether the provider is configured on this server, and is what every entry point calls.
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

const quoted = (text: string) => `\`${text}\``;

/**
 * Why `spec` cannot be used for a `kind` on any server, or null when some server could call it: its shape, its
 * provider, and for offline models the model and its role. Whether this server can call it (its provider is
 * configured here) is the other half of the check, `checkModelSpec` in ./check-spec.ts, which runs this first. The
 * reason starts with the spec, so it reads on its own after a field name ("judge: …").
 */
export function modelSpecProblem(spec: string, kind: ModelKind): string | null {
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
  if (provider === "openai-compatible" && compatibleParts(model) === null)
    return `${quoted(text)} — write openai-compatible:<server>/<model>, e.g. ${COMPATIBLE_EXAMPLE}`;
  return null;
}

/** `<server>/<model>` of an openai-compatible spec's model part, the server name normalised; null when malformed. */
export function compatibleParts(model: string): { server: string; model: string } | null {
  const slash = model.indexOf("/");
  if (slash <= 0 || slash === model.length - 1) return null;
  return { server: model.slice(0, slash).toLowerCase().replaceAll("_", "-"), model: model.slice(slash + 1) };
}

export function isLlmProvider(provider: string): provider is LlmProvider {
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
