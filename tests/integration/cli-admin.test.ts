import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../lib/auth/password";
import { createDb } from "../../lib/db/client";
import { runCrux } from "../support/cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-cli-admin-"));
const databaseUrl = `file:${path.join(dir, "crux.db")}`;
const db = createDb(databaseUrl);

afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `crux admin create`, as an operator runs it. */
describe("npx crux admin create", () => {
  it("creates an admin with --password (email normalised, password hashed)", async () => {
    const result = await runCrux(
      ["admin", "create", "--email", " Root@Example.TEST ", "--password", "a long enough password", "--name", "Root"],
      databaseUrl,
    );
    expect(result).toMatchObject({ code: 0, stdout: "Created admin root@example.test.\n" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    expect(user).toMatchObject({ role: "admin", name: "Root" });
    expect(await verifyPassword("a long enough password", user.passwordHash)).toBe(true);
  });

  it("asks for the password on standard input when --password is left out", async () => {
    const result = await runCrux(
      ["admin", "create", "--email", "prompted@example.test"],
      databaseUrl,
      {},
      "typed on stdin 123\n",
    );
    expect(result).toMatchObject({ code: 0, stdout: "Created admin prompted@example.test.\n" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "prompted@example.test" } });
    expect(await verifyPassword("typed on stdin 123", user.passwordHash)).toBe(true);
  });

  it("promotes an existing user only with a password, which replaces theirs, and signs them out everywhere", async () => {
    // Someone registered the address first: promoting must not hand them admin rights.
    const squatter = await db.user.create({
      data: { email: "player@example.test", role: "player", passwordHash: "kept" },
    });
    await db.session.create({
      data: { userId: squatter.id, sessionToken: "squatter", expires: new Date(Date.now() + 3_600_000) },
    });
    // No password (nothing on stdin): refused, nothing changed.
    const refused = await runCrux(["admin", "create", "--email", "player@example.test"], databaseUrl);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("no password given");
    expect(await db.user.findUniqueOrThrow({ where: { id: squatter.id } })).toMatchObject({
      role: "player",
      passwordHash: "kept",
      sessionsRevokedAt: null,
    });

    const promoted = await runCrux(
      ["admin", "create", "--email", "player@example.test"],
      databaseUrl,
      {},
      "the operator's own\n",
    );
    expect(promoted).toMatchObject({
      code: 0,
      stdout: "player@example.test is now an admin; its password was replaced and its sessions were signed out.\n",
    });
    const user = await db.user.findUniqueOrThrow({ where: { id: squatter.id } });
    expect(user.role).toBe("admin");
    expect(await verifyPassword("the operator's own", user.passwordHash)).toBe(true);
    expect(user.sessionsRevokedAt).not.toBeNull();
    expect(await db.session.count({ where: { userId: squatter.id } })).toBe(0);

    const reset = await runCrux(
      ["admin", "create", "--email", "player@example.test", "--password", "a brand new password"],
      databaseUrl,
    );
    expect(reset.code).toBe(0);
    const after = await db.user.findUniqueOrThrow({ where: { id: squatter.id } });
    expect(await verifyPassword("a brand new password", after.passwordHash)).toBe(true);
  });

  it("refuses bad input with a clear message and exit code 1, creating nothing", async () => {
    const before = await db.user.count();
    const badEmail = await runCrux(["admin", "create", "--email", "nope", "--password", "long enough pw"], databaseUrl);
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toContain("--email: Enter a valid email address.");
    const short = await runCrux(["admin", "create", "--email", "a@example.test", "--password", "short"], databaseUrl);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("--password: Use at least 10 characters.");
    const none = await runCrux(["admin", "create", "--email", "b@example.test"], databaseUrl);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no password given");
    const shortPrompt = await runCrux(["admin", "create", "--email", "c@example.test"], databaseUrl, {}, "short\n");
    expect(shortPrompt.code).toBe(1);
    expect(shortPrompt.stderr).toContain("password: Use at least 10 characters.");
    const missing = await runCrux(["admin", "create"], databaseUrl);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--email");
    expect(await db.user.count()).toBe(before);
  });
});
