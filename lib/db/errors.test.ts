import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "./client";
import { isTransientDbError, isUniqueViolation, retryTransient } from "./errors";

// A real lock: a second connection (as a CLI import in another process would) holds the write lock.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-db-errors-"));
const file = path.join(dir, "locks.db");
let raw: Database.Database;
let db: Db;

beforeAll(() => {
  raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
  db = createDb(`file:${file}`, { busyTimeoutMs: 5 });
});

afterAll(async () => {
  await db.$disconnect();
  raw.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the write to fail");
}

describe("isTransientDbError", () => {
  it("recognises a write blocked by another connection's lock, alone or in a transaction", async () => {
    raw.exec("BEGIN IMMEDIATE");
    try {
      const single = await errorOf(db.$executeRawUnsafe("INSERT INTO t (v) VALUES ('a')"));
      const inTransaction = await errorOf(
        db.$transaction(async (tx) => tx.$executeRawUnsafe("INSERT INTO t (v) VALUES ('b')")),
      );
      expect(isTransientDbError(single)).toBe(true);
      expect(isTransientDbError(inTransaction)).toBe(true);
    } finally {
      raw.exec("ROLLBACK");
    }
  });

  it("does not retry errors that would fail again: constraint violations, bad SQL, plain errors", async () => {
    await db.$executeRawUnsafe("INSERT INTO t (v) VALUES ('dup')");
    const duplicate = await errorOf(db.$executeRawUnsafe("INSERT INTO t (v) VALUES ('dup')"));
    const badSql = await errorOf(db.$executeRawUnsafe("INSERT INTO nowhere (v) VALUES (1)"));
    expect(isTransientDbError(duplicate)).toBe(false);
    expect(isTransientDbError(badSql)).toBe(false);
    expect(isTransientDbError(new Error("database is locked"))).toBe(false);
    expect(isTransientDbError(undefined)).toBe(false);
  });

  it("knows PostgreSQL's serialization failure and Prisma's write-conflict code", () => {
    expect(isTransientDbError({ code: "P2034" })).toBe(true);
    // A transaction that could not get a connection of the pool in time never ran.
    expect(isTransientDbError({ code: "P2028" })).toBe(true);
    expect(isTransientDbError(new Error("wrapped", { cause: { code: "40001" } }))).toBe(true);
    expect(isUniqueViolation({ code: "P2002" })).toBe(true);
  });
});

describe("retryTransient", () => {
  it("waits for the lock to be released and then writes once", async () => {
    raw.exec("BEGIN IMMEDIATE");
    const retries: number[] = [];
    const write = retryTransient(() => db.$executeRawUnsafe("INSERT INTO t (v) VALUES ('after-lock')"), {
      baseDelayMs: 1,
      onRetry: (_error, attempt) => {
        retries.push(attempt);
        // The other process commits while this writer waits.
        if (attempt === 2) raw.exec("COMMIT");
      },
    });
    await expect(write).resolves.toBe(1);
    expect(retries).toEqual([1, 2]);
    expect(raw.prepare("SELECT count(*) AS n FROM t WHERE v = 'after-lock'").get()).toEqual({ n: 1 });
  });

  it("gives up after the attempts with the last error, and never retries a permanent one", async () => {
    const transient = Object.assign(new Error("busy"), { code: "P1008" });
    const always = vi.fn(async () => {
      throw transient;
    });
    await expect(retryTransient(always, { attempts: 3, baseDelayMs: 1 })).rejects.toBe(transient);
    expect(always).toHaveBeenCalledTimes(3);

    const permanent = vi.fn(async () => {
      throw new Error("no such table");
    });
    await expect(retryTransient(permanent, { baseDelayMs: 1 })).rejects.toThrow("no such table");
    expect(permanent).toHaveBeenCalledTimes(1);
  });

  it("backs off exponentially with jitter, capped", async () => {
    vi.useFakeTimers();
    try {
      const delays: number[] = [];
      const failing = async () => {
        throw Object.assign(new Error("busy"), { code: "P1008" });
      };
      const done = retryTransient(failing, {
        attempts: 6,
        baseDelayMs: 100,
        maxDelayMs: 400,
        random: () => 1,
        onRetry: (_e, _a, delay) => delays.push(delay),
      }).catch((error: unknown) => error);
      await vi.runAllTimersAsync();
      await done;
      expect(delays).toEqual([100, 200, 400, 400, 400]);
    } finally {
      vi.useRealTimers();
    }
  });
});
