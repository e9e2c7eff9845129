import type { LlmRuntime } from "./llm/call";
import { createModelRegistry, type ModelRegistry, type RecordedDebaterOptions } from "./registry";

export const DEFAULT_DEBATER = "offline:extractive";
export const DEFAULT_JUDGE = "offline:heuristic";

/** How the match runner reaches models: by spec, with instances reused across matches. */
export type ModelResolver = ModelRegistry;

/**
 * The resolver the server and the CLI use. `offlineWordDelayMs` paces the offline debater's simulated streaming;
 * `llm` enables the language-model providers (see lib/models/runtime.ts); `recorded` the recorded debaters.
 */
export function createModelResolver(options: {
  offlineWordDelayMs: number;
  llm?: LlmRuntime | null;
  recorded?: RecordedDebaterOptions;
}): ModelResolver {
  return createModelRegistry({ wordDelayMs: options.offlineWordDelayMs, llm: options.llm, recorded: options.recorded });
}
