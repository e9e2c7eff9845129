import type { RunQueue } from "./run-queue";

/**
 * The process's run queue, for the study page's server action (server.ts registers it when REDIS_URL is set). On
 * globalThis because Next may load this module in more than one bundle of the same process.
 */
const globalForQueue = globalThis as unknown as { cruxRunQueue?: RunQueue };

export function registerRunQueue(queue: RunQueue): void {
  globalForQueue.cruxRunQueue = queue;
}

/** The registered queue, or null: runs then run in this process. */
export function getRunQueue(): RunQueue | null {
  return globalForQueue.cruxRunQueue ?? null;
}
