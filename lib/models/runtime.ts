import type { LlmRuntime, ResponseCache } from "./llm/call";
import { createLimiter } from "./llm/limiter";
import { type RetryPolicy, retryPolicySchema } from "./llm/retry-policy";
import { loadPriceTable } from "./pricing";
import { LLM_PROVIDERS, type LlmProvider, type ResolvedModel, resolveLanguageModel } from "./providers/ai-sdk";
import { type ProvidersConfig, providersFromEnv } from "./providers/config";
import { modelSpecSchema } from "./registry";

export interface LlmRuntimeOptions {
  providers?: ProvidersConfig;
  cache?: ResponseCache | null;
  /** Path of a price table (JSON) replacing the shipped one. */
  pricesFile?: string;
  policy?: Partial<RetryPolicy>;
}

/**
 * Everything language-model calls share in a process: provider settings (from the environment by default), one
 * concurrency limit per provider or named server, the retry policy, the price table and the response cache.
 */
export function createLlmRuntime(options: LlmRuntimeOptions = {}): LlmRuntime {
  const providers = options.providers ?? providersFromEnv(process.env);
  const resolved = new Map<string, ResolvedModel>();
  const concurrency = new Map<string, number>();
  const resolve = (spec: string): ResolvedModel => {
    let model = resolved.get(spec);
    if (!model) {
      const { provider, model: name } = modelSpecSchema.parse(spec);
      if (!(LLM_PROVIDERS as readonly string[]).includes(provider)) throw new Error(`${spec} is not a language model`);
      model = resolveLanguageModel(provider as LlmProvider, name, providers);
      resolved.set(spec, model);
      concurrency.set(model.limiterKey, model.concurrency);
    }
    return model;
  };
  return {
    providers,
    resolve,
    limiter: createLimiter((key) => concurrency.get(key) ?? 4),
    policy: retryPolicySchema.parse(options.policy ?? {}),
    prices: loadPriceTable(options.pricesFile),
    cache: options.cache ?? null,
    plainTextOnly: new Set(),
  };
}

/**
 * This process's provider settings, read from the environment as the runtime reads them: what entry points pass to
 * `checkModelSpec` (lib/models/spec.ts) to refuse a spec whose provider is not configured on this server.
 */
export function serverProviders(): ProvidersConfig {
  return providersFromEnv(process.env);
}
