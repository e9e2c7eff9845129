import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { defaultMigrationsDir, migrateDatabase } from "../../lib/db/migrate";
import { checkReadiness } from "../../lib/health/readiness";
import { type RunningServer, startServer } from "../support/server";

/** `/healthz` and `/readyz` on the real server, and the readiness checks on databases that are not ready. */

describe("health probes", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("/healthz says alive and /readyz ready, with each check", async () => {
    const alive = await fetch(`${server.url}/healthz`);
    expect(alive.status).toBe(200);
    expect(alive.headers.get("cache-control")).toBe("no-store");
    expect(await alive.json()).toEqual({ status: "alive" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: [
        { name: "database", ok: true },
        { name: "migrations", ok: true },
        { name: "accepting work", ok: true },
      ],
    });
  });
});

describe("checkReadiness", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-readiness-"));
  const clients: Db[] = [];
  afterAll(async () => {
    for (const db of clients) await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is not ready while a migration is not applied, and names it", async () => {
    const older = path.join(dir, "older");
    fs.mkdirSync(older);
    const names = fs.readdirSync(defaultMigrationsDir).filter((name) => /^\d+_/.test(name));
    fs.cpSync(path.join(defaultMigrationsDir, names[0] as string), path.join(older, names[0] as string), {
      recursive: true,
    });
    const url = `file:${path.join(dir, "older.db")}`;
    await migrateDatabase({ url, migrationsDir: older });
    const db = createDb(url);
    clients.push(db);
    const { ready, checks } = await checkReadiness(db);
    expect(ready).toBe(false);
    expect(checks[0]).toEqual({ name: "database", ok: true });
    expect(checks[1]?.ok).toBe(false);
    expect(checks[1]?.detail).toContain(names.at(-1));
  });

  it("fails a dependency that errors or does not answer in time", async () => {
    const url = `file:${path.join(dir, "current.db")}`;
    await migrateDatabase({ url });
    const db = createDb(url);
    clients.push(db);
    const { ready, checks } = await checkReadiness(db, {
      timeoutMs: 200,
      dependencies: [
        { name: "redis", check: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")) },
        { name: "hangs", check: () => new Promise(() => {}) },
        { name: "fine", check: async () => "PONG" },
      ],
    });
    expect(ready).toBe(false);
    expect(checks).toEqual([
      { name: "database", ok: true },
      { name: "migrations", ok: true },
      { name: "redis", ok: false, detail: "connect ECONNREFUSED 127.0.0.1:6379" },
      { name: "hangs", ok: false, detail: "no answer within 200 ms" },
      { name: "fine", ok: true },
    ]);
  });
});
