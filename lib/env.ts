import path from "node:path";
import { z } from "zod";
import { zodIssueMessages } from "./errors";
import { LOG_LEVELS } from "./log";

/**
 * Every environment variable Crux reads, parsed once. Bad values fail at start with a message naming the
 * variable; nothing else in the code reads `process.env` directly.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    /**
     * The database: a SQLite file URL (`file:./path.db`; relative paths are resolved against the project root), the
     * embedded default, or a PostgreSQL server (`postgresql://user:password@host:5432/db`, `postgres://` too).
     * docs/database.md.
     */
    DATABASE_URL: z
      .string()
      .regex(
        /^(file:|postgres(ql)?:\/\/)/,
        "must be a SQLite `file:` URL (e.g. file:./.data/crux.db) or a PostgreSQL `postgresql://` URL",
      )
      .default("file:./.data/crux.db"),
    /** PostgreSQL only: connections each process keeps in its pool. */
    CRUX_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(25),
    /**
     * How long one SQLite statement waits for another process's lock before failing with SQLITE_BUSY.
     * better-sqlite3 waits synchronously, stalling every live stream meanwhile, so the wait is short: the match
     * runner retries its writes asynchronously with backoff (lib/db/errors.ts `retryTransient`), and the importers
     * commit in short batches, so nothing holds the lock for long.
     */
    CRUX_SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(100),
    /**
     * Minutes without judge activity (start, joining, a turn, a judge step) after which a human-judged match outside
     * a study is abandoned and freed from memory (study matches follow the study's dropoutMinutes). Fractions are
     * allowed down to 0.05 (3 seconds), so that a soak test sees matches abandoned by rule within seconds.
     */
    CRUX_IDLE_MATCH_MINUTES: z.coerce
      .number()
      .min(0.05)
      .max(7 * 24 * 60)
      .default(30),
    /** Games a player needs (with verdicts) before the leaderboard ranks them. */
    CRUX_LEADERBOARD_MIN_GAMES: z.coerce.number().int().min(1).max(10_000).default(5),
    /** Unfinished play matches one person may have at once; starting one more abandons their oldest. */
    CRUX_OPEN_MATCHES_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
    /** Milliseconds between words when the offline debater streams (0 = as fast as possible). */
    CRUX_OFFLINE_WORD_DELAY_MS: z.coerce.number().int().min(0).max(5000).default(40),
    /**
     * Milliseconds between words when a recorded debate's turns are replayed to a new judge (the recorded protocol):
     * reading pace, about 300 words a minute, by default; tests set it low.
     */
    CRUX_RECORDED_WORD_DELAY_MS: z.coerce.number().int().min(0).max(5000).default(200),
    /** Seed the question bank on start when it is empty (default on). */
    CRUX_SEED_ON_START: z
      .enum(["0", "1", "true", "false"])
      .default("1")
      .transform((v) => v === "1" || v === "true"),
    /**
     * Seed the free-play subset of the shipped recorded debates (data/nyu-2023) on start when missing (default on;
     * a few seconds on the first start only). "Judge a real debate" replays them.
     */
    CRUX_SEED_DEBATES_ON_START: z
      .enum(["0", "1", "true", "false"])
      .default("1")
      .transform((v) => v === "1" || v === "true"),
    /** Reuse stored model responses for identical calls (model, prompt, settings, seed): reproducible and free. */
    CRUX_MODEL_CACHE: z
      .enum(["0", "1", "true", "false"])
      .default("1")
      .transform((v) => v === "1" || v === "true"),
    /** A JSON price table replacing data/model-prices.json. */
    CRUX_MODEL_PRICES: z.string().min(1).optional(),
    /** Per-attempt timeout of a model call, and how many attempts a call gets before it fails. */
    CRUX_MODEL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
    CRUX_MODEL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
    /**
     * Debater models a person may choose on the home page besides the offline default (comma-separated specs).
     * Only these are offered, so guests cannot run up costs on arbitrary models.
     */
    CRUX_PLAY_MODELS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    /**
     * Signs and encrypts account sessions (next-auth JWTs). When unset, one is generated at first start and kept in
     * `auth-secret` next to the SQLite file (lib/auth/secret.ts). At least 32 characters: `openssl rand -base64 32`.
     */
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try `openssl rand -base64 32`)").optional(),
    /** Public URL of the site when behind a proxy (read by next-auth itself; checked here so a typo fails early). */
    AUTH_URL: z.url().optional(),
    /** GitHub OAuth app credentials; "Sign in with GitHub" is offered only when both are set. */
    AUTH_GITHUB_ID: z.string().min(1).optional(),
    AUTH_GITHUB_SECRET: z.string().min(1).optional(),
    /** Sign-in (and sign-up) attempts allowed per email address, and per client IP, in any 15 minutes. */
    CRUX_SIGNIN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).max(100_000).default(10),
    CRUX_SIGNIN_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
    /** Study-link requests (`/join/<id>`) allowed per client IP in any 10 minutes. */
    CRUX_JOIN_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
    /**
     * Play matches (the home page's Play, `POST /api/matches`) one user, and one client IP (IPv6 by /64), may start
     * in any 10 minutes.
     */
    CRUX_MATCH_STARTS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(30),
    CRUX_MATCH_STARTS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(120),
    /**
     * Behind a reverse proxy: take the client's IP (for rate limits) from the last X-Forwarded-For entry, which the
     * proxy appends. Off by default, since a client could otherwise spoof it.
     */
    CRUX_TRUST_PROXY: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    /**
     * socket.io limits: live connections per user and per client address (IPv6 by /64), and intents per second per
     * user and per address across their connections, and per connection.
     */
    CRUX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(30),
    CRUX_SOCKETS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(300),
    CRUX_SOCKET_EVENTS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(60),
    CRUX_SOCKET_EVENTS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(300),
    CRUX_SOCKET_EVENTS_PER_CONNECTION: z.coerce.number().int().min(1).max(100_000).default(20),
    /**
     * Worker threads for the results' resampling (bootstrap, permutation test, rating intervals), which would
     * otherwise stall every live stream for seconds on a large study. 0 runs it on the event loop.
     */
    CRUX_RESAMPLE_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
    /**
     * Redis for several app instances (`redis://host:port/db`): socket.io's Redis adapter (events reach judges on
     * every instance), rate limits shared by all instances, and match leases with takeover (docs/deploy.md). Unset:
     * one process, everything in its memory.
     */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
    /**
     * With REDIS_URL: how long an instance's lease on a match lasts unless renewed, and how often leases are renewed
     * and orphaned matches looked for. A dead instance's matches are taken over within about TTL + renewal.
     */
    CRUX_LEASE_TTL_MS: z.coerce.number().int().min(500).max(600_000).default(5000),
    CRUX_LEASE_RENEW_MS: z.coerce.number().int().min(100).max(300_000).default(1500),
    /**
     * With REDIS_URL: automated runs are a job queue (lib/studies/run-queue.ts). How many of its matches this
     * instance runs at once, and how long a job stays locked to an instance that stopped renewing it (a killed
     * instance's jobs are retried by another after about this long; also how often stalled jobs are looked for).
     */
    CRUX_RUN_WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(4),
    CRUX_RUN_JOB_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    /** How long a shutdown (SIGINT/SIGTERM) may take before the process exits anyway. */
    CRUX_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Log level for the server's own messages. */
    CRUX_LOG: z.enum(LOG_LEVELS).default("info"),
    /**
     * Development and tests only: a PostgreSQL server (superuser or CREATEDB) that the PostgreSQL test pass and
     * `npm run db:diff`/`db:check` create throwaway databases on. `scripts/services.sh` starts one and sets it.
     */
    CRUX_TEST_POSTGRES_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a `postgresql://` URL")
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.CRUX_LEASE_RENEW_MS >= value.CRUX_LEASE_TTL_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["CRUX_LEASE_RENEW_MS"],
        message: "must be shorter than CRUX_LEASE_TTL_MS (leases would lapse between renewals)",
      });
    }
    // Half a GitHub configuration would silently leave the button out; say so instead.
    if (Boolean(value.AUTH_GITHUB_ID) !== Boolean(value.AUTH_GITHUB_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [value.AUTH_GITHUB_ID ? "AUTH_GITHUB_SECRET" : "AUTH_GITHUB_ID"],
        message: "set both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, or neither",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Parses an environment (default `process.env`), throwing one readable error that lists every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = zodIssueMessages(result.error).map((line) => `  ${line}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parseEnv();

/**
 * Project root: where package.json lives. Under tsx this file's own location tells (lib/env.ts); inside Next's
 * bundle `import.meta.dirname` is not defined, and the server always runs from the project root.
 */
export const projectRoot: string = import.meta.dirname ? path.resolve(import.meta.dirname, "..") : process.cwd();

/** Whether a database URL names a PostgreSQL server (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(url: string = env.DATABASE_URL): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Absolute path of the SQLite database file named by a `file:` URL; throws for a PostgreSQL URL (callers that work
 * on the file itself, e.g. backups, check `isPostgresUrl` first and say what to do instead).
 */
export function sqlitePath(url: string = env.DATABASE_URL): string {
  if (isPostgresUrl(url)) {
    throw new Error("this operation works on a SQLite database file, but DATABASE_URL names a PostgreSQL server");
  }
  const file = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path.isAbsolute(file) ? file : path.resolve(projectRoot, file);
}
