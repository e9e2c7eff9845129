import type { Db } from "./client";
import { retryTransient } from "./errors";

/**
 * Long writes (the CLI importers) commit in short transactions, so that a server on the same SQLite file never
 * waits long for the write lock: a live match's writes only retry until the current batch commits.
 */

export interface BatchOptions {
  /** Items per transaction at most. */
  maxItems?: number;
  /** A transaction takes no further item once it has run this long. */
  maxMs?: number;
  /**
   * Pause between batches. SQLite's lock is not fair: a writer waiting for it (its busy handler, or a retry) only
   * gets it if it asks while nobody holds it, so the importer leaves it free for a moment after each commit.
   */
  pauseMs?: number;
}

/**
 * Writes `items` in consecutive transactions of at most `maxItems` items and about `maxMs` each (default 200 items,
 * 100 ms, then a 50 ms pause), each retried as a whole on a transient error (another connection holding the lock). Returns what
 * `write` returned for each item, in order, counting only committed transactions. Each committed batch stays
 * committed if a later one fails: writers make items idempotent so that running the import again completes it.
 */
export async function writeInBatches<T, R>(
  db: Db,
  items: readonly T[],
  write: (tx: Db, item: T) => Promise<R>,
  options: BatchOptions = {},
): Promise<R[]> {
  const { maxItems = 200, maxMs = 100, pauseMs = 50 } = options;
  const results: R[] = [];
  let next = 0;
  while (next < items.length) {
    const start = next;
    const batch = await retryTransient(() =>
      db.$transaction(
        async (tx) => {
          const began = Date.now();
          const done: R[] = [];
          for (let i = start; i < items.length && done.length < maxItems; i++) {
            if (done.length > 0 && Date.now() - began >= maxMs) break;
            done.push(await write(tx as Db, items[i] as T));
          }
          return done;
        },
        // One item may be large (a debate with its turns); the limit is for a stuck transaction, not a long one.
        { timeout: 60_000, maxWait: 30_000 },
      ),
    );
    results.push(...batch);
    next = start + batch.length;
    if (next < items.length && pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return results;
}

/** Splits `items` into chunks of at most `size` (for one multi-row statement each). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
