import { Redis } from "ioredis";
import { env } from "./env";

/**
 * The process's Redis connection when `REDIS_URL` is set (several app instances: docs/deploy.md), else null.
 * One command connection per process, on globalThis because Next may load this module in more than one bundle;
 * subscribers need their own (`duplicate()`), since a subscribed connection runs no other command.
 */
const globalForRedis = globalThis as unknown as { cruxRedis?: Redis | null };

export function getRedis(): Redis | null {
  if (globalForRedis.cruxRedis === undefined) {
    globalForRedis.cruxRedis = env.REDIS_URL ? connectRedis(env.REDIS_URL) : null;
  }
  return globalForRedis.cruxRedis;
}

/** A new connection to `url` (commands are queued while it connects, and it reconnects on its own). */
export function connectRedis(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
}

/** Closes the process's connection (shutdown); a later `getRedis` opens a new one. */
export async function closeRedis(): Promise<void> {
  const redis = globalForRedis.cruxRedis;
  globalForRedis.cruxRedis = undefined;
  if (redis) await redis.quit().catch(() => redis.disconnect());
}
