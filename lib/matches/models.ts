import type { Db } from "../db/client";
import { env } from "../env";
import { createDbResponseCache } from "../models/db-response-cache";
import { createModelResolver, type ModelResolver } from "../models/resolver";
import { createLlmRuntime } from "../models/runtime";
import { readRecordedTurn } from "./recorded";

/**
 * The models a process uses, configured from the environment: offline models always; OpenAI, Anthropic and
 * OpenAI-compatible servers as configured (lib/models/providers/config.ts), with the response cache in the database
 * unless turned off; and the recorded debaters, which read their turns from the source matches in `db`.
 */
export function createModels(
  db: Db,
  options: { offlineWordDelayMs?: number; recordedWordDelayMs?: number; cache?: boolean } = {},
): ModelResolver {
  const llm = createLlmRuntime({
    cache: (options.cache ?? env.CRUX_MODEL_CACHE) ? createDbResponseCache(db) : null,
    pricesFile: env.CRUX_MODEL_PRICES,
    policy: { timeoutMs: env.CRUX_MODEL_TIMEOUT_MS, maxAttempts: env.CRUX_MODEL_MAX_ATTEMPTS },
  });
  return createModelResolver({
    offlineWordDelayMs: options.offlineWordDelayMs ?? env.CRUX_OFFLINE_WORD_DELAY_MS,
    llm,
    recorded: {
      lookup: (sourceMatchId, round, seat) => readRecordedTurn(db, sourceMatchId, round, seat),
      wordDelayMs: options.recordedWordDelayMs ?? env.CRUX_RECORDED_WORD_DELAY_MS,
    },
  });
}
