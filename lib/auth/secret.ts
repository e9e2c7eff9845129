import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env, isPostgresUrl, projectRoot, sqlitePath } from "../env";

/**
 * The secret that signs and encrypts account sessions. AUTH_SECRET when set; otherwise one generated at first start
 * and kept in `auth-secret` beside the SQLite file (mode 600; with PostgreSQL in `.data/` of the project), so a
 * fresh clone needs no configuration and sessions survive restarts. Deleting the file signs every account out.
 * Several instances on one PostgreSQL must share AUTH_SECRET.
 */

/** Where the generated secret lives for a database URL (default DATABASE_URL). */
export function authSecretPath(databaseUrl: string = env.DATABASE_URL): string {
  const dir = isPostgresUrl(databaseUrl) ? path.join(projectRoot, ".data") : path.dirname(sqlitePath(databaseUrl));
  return path.join(dir, "auth-secret");
}

/**
 * Reads the secret file, creating it when missing. The new secret is written to a private temporary file and then
 * hard-linked into place, which fails if the file exists: processes starting together agree on one secret, and
 * nobody ever reads a half-written file.
 */
export function readOrCreateSecretFile(file: string): { secret: string; created: boolean } {
  const existing = readSecretFile(file);
  if (existing) return { secret: existing, created: false };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, `${secret}\n`, { flag: "wx", mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    return { secret, created: true };
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === "EEXIST" ? readSecretFile(file) : null;
    if (raced) return { secret: raced, created: false };
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function readSecretFile(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret: delete it to have a new one generated`);
  return secret;
}

let cached: string | undefined;

/** The session secret for this process (env first, then the file); read once. */
export function getAuthSecret(): string {
  cached ??= env.AUTH_SECRET ?? readOrCreateSecretFile(authSecretPath()).secret;
  return cached;
}

/** Called by server.ts at start: makes sure the secret exists and says where it came from. */
export function ensureAuthSecret(): { source: "env" } | { source: "file"; file: string; created: boolean } {
  if (env.AUTH_SECRET) {
    cached = env.AUTH_SECRET;
    return { source: "env" };
  }
  const file = authSecretPath();
  const { secret, created } = readOrCreateSecretFile(file);
  cached = secret;
  return { source: "file", file, created };
}
