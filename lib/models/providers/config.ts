import { z } from "zod";
import { zodErrorMessage } from "../../errors";

/**
 * Provider configuration from the environment, following each provider's own conventions:
 * `OPENAI_API_KEY` / `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY` / `ANTHROPIC_BASE_URL`, and for every named
 * OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio, OpenRouter…) `CRUX_PROVIDER_<NAME>_BASE_URL`,
 * `CRUX_PROVIDER_<NAME>_API_KEY` (optional), `CRUX_PROVIDER_<NAME>_CONCURRENCY` (optional) and
 * `CRUX_PROVIDER_<NAME>_STRUCTURED_OUTPUT` (optional, see {@link STRUCTURED_OUTPUT_MODES}; also for OPENAI and
 * ANTHROPIC). The spec
 * `openai-compatible:<name>/<model>` uses the server named `<name>` (case-insensitive; `-` in the name is `_` in
 * the variable). Keys stay on the server: nothing here is ever sent to a browser.
 */

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
// Up to thousands: a self-hosted server (vLLM) or a live study of hundreds of matches streams that many at once.
const concurrency = z.coerce.number().int().min(1).max(10_000);

/**
 * How judges ask a provider for their answer's format: `json_schema` (the provider constrains the answer to the
 * JSON schema: OpenAI, Anthropic, vLLM, Ollama, llama.cpp, LM Studio, OpenRouter), `json_object` (JSON mode
 * without a schema, for OpenAI-compatible servers that have only that) or `off` (the format is only described in
 * the prompt, and the answer read by the tolerant parser). Whatever the mode, a provider that rejects the request
 * for its format is asked again in plain text (see lib/models/llm/call.ts).
 */
export const STRUCTURED_OUTPUT_MODES = ["json_schema", "json_object", "off"] as const;
export type StructuredOutputMode = (typeof STRUCTURED_OUTPUT_MODES)[number];
/** Every provider Crux supports has JSON-schema output, and so do the usual local servers. */
export const DEFAULT_STRUCTURED_OUTPUT: StructuredOutputMode = "json_schema";
const structuredOutput = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v),
  z.enum(STRUCTURED_OUTPUT_MODES, { error: `must be one of ${STRUCTURED_OUTPUT_MODES.join(", ")}` }).optional(),
);

export interface ProviderEndpoint {
  apiKey?: string;
  baseURL?: string;
  /** Most calls in flight at once to this provider. */
  concurrency: number;
  /** How judges' answers are requested in JSON. */
  structuredOutput: StructuredOutputMode;
}

export interface ProvidersConfig {
  openai: ProviderEndpoint | null;
  anthropic: ProviderEndpoint | null;
  /** Named OpenAI-compatible servers, by lowercase name. */
  compatible: Record<string, ProviderEndpoint & { baseURL: string }>;
}

export const DEFAULT_CONCURRENCY = 4;

/** Reads provider settings; throws one error listing every bad variable (by name). */
export function providersFromEnv(source: Record<string, string | undefined>): ProvidersConfig {
  const problems: string[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    const parsed = schema.safeParse(source[name]);
    if (parsed.success) return parsed.data;
    problems.push(`${name}: ${zodErrorMessage(parsed.error, { first: true, path: false, fallback: "invalid" })}`);
    return undefined;
  };
  const endpoint = (prefix: string, keyName: string, urlName: string): ProviderEndpoint | null => {
    const apiKey = read(keyName, optional(z.string()));
    const baseURL = read(urlName, optional(url));
    if (!apiKey && !baseURL) return null;
    return {
      apiKey,
      baseURL,
      concurrency: read(`${prefix}_CONCURRENCY`, concurrency.optional()) ?? DEFAULT_CONCURRENCY,
      structuredOutput: read(`${prefix}_STRUCTURED_OUTPUT`, structuredOutput) ?? DEFAULT_STRUCTURED_OUTPUT,
    };
  };

  const compatible: ProvidersConfig["compatible"] = {};
  for (const key of Object.keys(source)) {
    const match = /^CRUX_PROVIDER_([A-Z0-9_]+)_BASE_URL$/.exec(key);
    if (!match?.[1]) continue;
    const prefix = `CRUX_PROVIDER_${match[1]}`;
    const baseURL = read(key, url);
    if (!baseURL) continue;
    compatible[match[1].toLowerCase().replaceAll("_", "-")] = {
      baseURL,
      apiKey: read(`${prefix}_API_KEY`, optional(z.string())),
      concurrency: read(`${prefix}_CONCURRENCY`, concurrency.optional()) ?? DEFAULT_CONCURRENCY,
      structuredOutput: read(`${prefix}_STRUCTURED_OUTPUT`, structuredOutput) ?? DEFAULT_STRUCTURED_OUTPUT,
    };
  }

  const config: ProvidersConfig = {
    openai: endpoint("CRUX_PROVIDER_OPENAI", "OPENAI_API_KEY", "OPENAI_BASE_URL"),
    anthropic: endpoint("CRUX_PROVIDER_ANTHROPIC", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
    compatible,
  };
  if (problems.length) throw new Error(`Invalid model provider configuration:\n  ${problems.join("\n  ")}`);
  return config;
}

/** Every API key the configuration holds: what model errors must never show (lib/models/redact.ts). */
export function configuredKeys(config: ProvidersConfig): string[] {
  const endpoints = [config.openai, config.anthropic, ...Object.values(config.compatible)];
  return endpoints.flatMap((endpoint) => (endpoint?.apiKey ? [endpoint.apiKey] : []));
}

/** The configured server for an OpenAI-compatible name, or undefined. */
export function compatibleServer(config: ProvidersConfig, name: string) {
  return config.compatible[name.toLowerCase().replaceAll("_", "-")];
}
