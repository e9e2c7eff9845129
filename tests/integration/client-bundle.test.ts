import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const staticDir = path.join(root, ".next", "static");

/** Every file Next serves to browsers from the production build. */
function clientFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? clientFiles(full) : [full];
  });
}

/**
 * Secrets and server-only code never reach the browser: the client bundle of the production build (built by
 * `npm test` before this runs) holds no key variable, no secret value, and none of the modules that touch the
 * database, passwords or model providers.
 */
describe("the client bundle", () => {
  it("exists (the production build ran)", () => {
    expect(fs.existsSync(path.join(root, ".next", "BUILD_ID")), "run `npm run build` first").toBe(true);
    expect(clientFiles(staticDir).filter((f) => f.endsWith(".js")).length).toBeGreaterThan(5);
  });

  it("holds no secrets, key variables or server-only modules", () => {
    const forbidden = [
      "OPENAI_API_KEY",
      "ANTHROPIC_API_KEY",
      "AUTH_SECRET",
      "AUTH_GITHUB_SECRET",
      "CRUX_PROVIDER_",
      "DATABASE_URL",
      "passwordHash",
      "sessionToken",
      "better-sqlite3",
      "bcryptjs",
      "@prisma/client",
      "api.anthropic.com",
      "api.openai.com",
    ];
    const secretFile = path.join(root, ".data", "auth-secret");
    if (fs.existsSync(secretFile)) forbidden.push(fs.readFileSync(secretFile, "utf8").trim());
    for (const value of ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AUTH_SECRET"]) {
      const secret = process.env[value];
      if (secret && secret.length >= 8) forbidden.push(secret);
    }
    const offenders: string[] = [];
    for (const file of clientFiles(staticDir)) {
      const text = fs.readFileSync(file, "utf8");
      for (const needle of forbidden) {
        if (text.includes(needle)) offenders.push(`${path.relative(root, file)}: ${needle.slice(0, 20)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
