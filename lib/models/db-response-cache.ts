import type { Db } from "../db/client";
import type { CachedResponse, ResponseCache } from "./llm/call";

/** The model response cache in the database (ModelResponse table), shared by every process on the database. */
export function createDbResponseCache(db: Db): ResponseCache {
  return {
    async get(key) {
      const row = await db.modelResponse.findUnique({ where: { key } });
      return row
        ? { output: row.output, tokensIn: row.tokensIn ?? undefined, tokensOut: row.tokensOut ?? undefined }
        : null;
    },
    async set(key: string, model: string, value: CachedResponse) {
      const data = {
        model,
        output: value.output,
        tokensIn: value.tokensIn ?? null,
        tokensOut: value.tokensOut ?? null,
      };
      await db.modelResponse.upsert({ where: { key }, create: { key, ...data }, update: data });
    },
  };
}
