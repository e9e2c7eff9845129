import { callLlm, type LlmRuntime } from "./llm/call";
import type { ProvidersConfig } from "./providers/config";
import { createModelRegistry } from "./registry";
import type { ModelInfo } from "./types";

const LIST_TIMEOUT_MS = 5_000;

interface ListedModel extends ModelInfo {
  /** Set when the provider is configured but its model list could not be read. */
  note?: string;
}

/**
 * What this installation can use: the offline models, then the models each configured provider lists
 * (`GET <base>/models`, the endpoint OpenAI, Anthropic and OpenAI-compatible servers all offer).
 */
export async function listConfiguredModels(providers: ProvidersConfig): Promise<ListedModel[]> {
  const offline = createModelRegistry().list();
  const sources: { prefix: string; url: string; headers: Record<string, string> }[] = [];
  if (providers.openai) {
    sources.push({
      prefix: "openai:",
      url: `${providers.openai.baseURL ?? "https://api.openai.com/v1"}/models`,
      headers: providers.openai.apiKey ? { authorization: `Bearer ${providers.openai.apiKey}` } : {},
    });
  }
  if (providers.anthropic) {
    sources.push({
      prefix: "anthropic:",
      url: `${providers.anthropic.baseURL ?? "https://api.anthropic.com/v1"}/models`,
      headers: { "x-api-key": providers.anthropic.apiKey ?? "", "anthropic-version": "2023-06-01" },
    });
  }
  for (const [name, server] of Object.entries(providers.compatible)) {
    sources.push({
      prefix: `openai-compatible:${name}/`,
      url: `${server.baseURL}/models`,
      headers: server.apiKey ? { authorization: `Bearer ${server.apiKey}` } : {},
    });
  }
  const listed = await Promise.all(sources.map(listFrom));
  return [...offline, ...listed.flat()];
}

async function listFrom(source: { prefix: string; url: string; headers: Record<string, string> }) {
  try {
    const response = await fetch(source.url, { headers: source.headers, signal: AbortSignal.timeout(LIST_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as { data?: { id?: unknown }[] };
    const ids = (body.data ?? []).flatMap((m) => (typeof m.id === "string" ? [m.id] : []));
    return ids.map((id) => ({ spec: `${source.prefix}${id}`, label: "language model", isLanguageModel: true }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [
      {
        spec: `${source.prefix}<model>`,
        label: "configured; could not list its models",
        isLanguageModel: true,
        note: reason,
      },
    ];
  }
}

export interface ModelCheck {
  spec: string;
  ok: boolean;
  latencyMs: number;
  answer?: string;
  error?: string;
}

/** Asks a model for a one-word answer (no cache): does it answer, and how fast. */
export async function checkModel(runtime: LlmRuntime, spec: string): Promise<ModelCheck> {
  const started = performance.now();
  try {
    const { text } = await callLlm(
      { ...runtime, cache: null },
      {
        spec,
        role: "check",
        system: "You are answering a connectivity check.",
        messages: [{ role: "user", content: "Reply with the single word OK." }],
        maxOutputTokens: 16,
        temperature: 0,
        promptVersion: "check.v1",
        promptHash: "check.v1",
        stream: false,
      },
    );
    return { spec, ok: true, latencyMs: Math.round(performance.now() - started), answer: text.trim().slice(0, 80) };
  } catch (error) {
    return {
      spec,
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** A model the design form offers for a role. */
export interface ModelChoice {
  spec: string;
  label: string;
}

const CHOICES_TTL_MS = 5 * 60_000;
let choicesCache: { at: number; key: string; listed: ListedModel[] } | null = null;

/**
 * The models the design form offers, by role: the offline models, `extra` (e.g. the models offered for play), and
 * the models the configured providers list (read at most every five minutes: the form opens often, providers'
 * lists change rarely). A provider whose list cannot be read offers nothing here; its specs can still be typed.
 */
export async function listModelChoices(
  providers: ProvidersConfig,
  extra: { debater?: readonly string[]; judge?: readonly string[] } = {},
): Promise<Record<"debater" | "judge", ModelChoice[]>> {
  const key = JSON.stringify(providers);
  if (!choicesCache || choicesCache.key !== key || Date.now() - choicesCache.at > CHOICES_TTL_MS)
    choicesCache = { at: Date.now(), key, listed: await listConfiguredModels(providers) };
  const registry = createModelRegistry();
  const language = choicesCache.listed.filter((m) => m.isLanguageModel && !m.note);
  const choices = (offline: ModelInfo[], more: readonly string[] = []) => {
    const seen = new Set<string>();
    const all = [
      ...offline.map((m) => ({ spec: m.spec, label: m.label })),
      ...more.map((spec) => ({ spec, label: "offered for play" })),
      ...language.map((m) => ({ spec: m.spec, label: m.label })),
    ];
    return all.filter((m) => !seen.has(m.spec) && seen.add(m.spec));
  };
  return {
    debater: choices(registry.list("debater"), extra.debater),
    judge: choices(registry.list("judge"), extra.judge),
  };
}
