import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authSecretPath, readOrCreateSecretFile } from "./secret";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-secret-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generated AUTH_SECRET", () => {
  it("lives next to the SQLite file", () => {
    expect(authSecretPath(`file:${path.join(dir, "db", "crux.db")}`)).toBe(path.join(dir, "db", "auth-secret"));
  });

  it("is created once, readable only by its owner, and reused afterwards", () => {
    const file = path.join(dir, "data", "auth-secret");
    const first = readOrCreateSecretFile(file);
    expect(first.created).toBe(true);
    expect(first.secret.length).toBeGreaterThanOrEqual(43);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = readOrCreateSecretFile(file);
    expect(second).toEqual({ secret: first.secret, created: false });
    // No temporary files are left behind.
    expect(fs.readdirSync(path.dirname(file))).toEqual(["auth-secret"]);
  });

  it("refuses a file that holds no usable secret rather than signing with it", () => {
    const file = path.join(dir, "short-secret");
    fs.writeFileSync(file, "too short\n");
    expect(() => readOrCreateSecretFile(file)).toThrow(/no usable secret/);
  });
});
