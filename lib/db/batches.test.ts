import { describe, expect, it } from "vitest";
import { chunksOf, writeInBatches } from "./batches";
import type { Db } from "./client";

/** A database whose transactions run their callback at once, counting them, and fail as busy when told to. */
function fakeDb(failFirst: Set<number> = new Set()) {
  const state = { transactions: 0, attempts: 0 };
  const db = {
    $transaction: async (run: (tx: unknown) => Promise<unknown>) => {
      state.attempts += 1;
      if (failFirst.delete(state.transactions))
        throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      const result = await run({});
      state.transactions += 1;
      return result;
    },
  } as unknown as Db;
  return { db, state };
}

describe("writeInBatches", () => {
  it("commits at most maxItems items per transaction and returns each item's result in order", async () => {
    const { db, state } = fakeDb();
    const items = Array.from({ length: 450 }, (_, i) => i);
    const results = await writeInBatches(db, items, async (_tx, item) => item * 2, { maxItems: 200, pauseMs: 0 });
    expect(state.transactions).toBe(3);
    expect(results).toEqual(items.map((i) => i * 2));
  });

  it("closes a transaction once it has run maxMs, whatever its size", async () => {
    const { db, state } = fakeDb();
    const slow = async (_tx: Db, item: number) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return item;
    };
    const results = await writeInBatches(db, [1, 2, 3, 4], slow, { maxItems: 100, maxMs: 10, pauseMs: 0 });
    expect(results).toEqual([1, 2, 3, 4]);
    expect(state.transactions).toBe(4);
  });

  it("runs a batch that met a busy database again as a whole, counting its items once", async () => {
    const { db, state } = fakeDb(new Set([1]));
    const written: number[] = [];
    const results = await writeInBatches(
      db,
      [1, 2, 3, 4],
      async (_tx, item) => {
        written.push(item);
        return item;
      },
      { maxItems: 2, pauseMs: 0 },
    );
    expect(results).toEqual([1, 2, 3, 4]);
    expect(state).toEqual({ transactions: 2, attempts: 3 });
    // The failed attempt wrote nothing (it failed at BEGIN), and the retry wrote the batch once.
    expect(written).toEqual([1, 2, 3, 4]);
  });
});

describe("chunksOf", () => {
  it("splits into chunks of the given size, the last one shorter", () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 3)).toEqual([]);
  });
});
