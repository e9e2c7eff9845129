import type { ProvidersConfig } from "./providers/config";
import { compatibleParts, type ModelKind, modelSpecProblem, modelSpecSchema } from "./spec";

/**
 * The one check of a model spec that every entry point runs: the design form's server actions and launch, study
 * files (`crux study create [--launch]`), `crux debate`, `crux study run --judge`, and the study page's automated
 * run. It is ./spec.ts's `modelSpecProblem` (what no server could call), then — given this server's provider
 * settings — whether the provider is configured here. Server-side: it names the configuration variables, which the
 * browser bundle must not hold.
 */

/** The environment variable naming an OpenAI-compatible server's URL (`vllm` → CRUX_PROVIDER_VLLM_BASE_URL). */
export function compatibleServerVariable(name: string): string {
  return `CRUX_PROVIDER_${name.toUpperCase().replaceAll("-", "_")}_BASE_URL`;
}

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
  const problem = modelSpecProblem(spec, kind);
  if (problem || !options.providers) return problem;
  const text = spec.trim();
  const { provider, model } = modelSpecSchema.parse(text);
  const providers = options.providers;
  const quoted = `\`${text}\``;
  if (provider === "openai") return providers.openai ? null : `${quoted} — OPENAI_API_KEY is not set on this server`;
  if (provider === "anthropic")
    return providers.anthropic ? null : `${quoted} — ANTHROPIC_API_KEY is not set on this server`;
  const server = provider === "openai-compatible" ? compatibleParts(model)?.server : undefined;
  if (server === undefined || providers.compatible[server]) return null;
  const configured = Object.keys(providers.compatible);
  const known = configured.length ? `configured: ${configured.join(", ")}` : "none is configured";
  return (
    `${quoted} — no OpenAI-compatible server \`${server}\` on this server ` +
    `(set ${compatibleServerVariable(server)}; ${known})`
  );
}
