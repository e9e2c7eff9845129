/** Prisma's error for a unique constraint the write would break (P2002), from any query or transaction. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/** Driver codes of a write refused by a trigger. */
const TRIGGER_CODES = new Set(["SQLITE_CONSTRAINT_TRIGGER", "23001"]);

/**
 * The message of a write refused by one of the immutability triggers (migrations `immutable_records` and
 * `audit_log`: a Turn or Verdict row updated or deleted on its own, any AuditLog change), or null for any other error. Prisma
 * reports these as a constraint violation (P2003); the trigger's own message is in the driver's error (SQLite's
 * SQLITE_CONSTRAINT_TRIGGER, PostgreSQL's restrict_violation 23001 raised by the PL/pgSQL triggers).
 */
export function immutableRecordViolation(error: unknown): string | null {
  const cause = (
    error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } }
  )?.meta?.driverAdapterError?.cause;
  if (!TRIGGER_CODES.has(String(cause?.originalCode)) || typeof cause?.originalMessage !== "string") return null;
  return /rows are immutable/.test(cause.originalMessage) ? cause.originalMessage : null;
}

/** Driver codes of a write that lost a race for a lock and may succeed when tried again. */
const TRANSIENT_DRIVER_CODES = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_LOCKED", "40001", "40P01"]);
/**
 * Prisma's own codes for the same: operation timed out, transaction write conflict or deadlock, and a transaction
 * that could not start in time (P2028: every connection of the pool busy — it did nothing yet).
 */
const TRANSIENT_PRISMA_CODES = new Set(["P1008", "P2028", "P2034"]);

/**
 * Whether a database error is transient: another connection held the lock (SQLite `SQLITE_BUSY`, typically a CLI
 * import or `crux study run` in another process) or, on PostgreSQL, a serialization failure or deadlock. Such a
 * write did nothing and can be tried again as a whole.
 */
export function isTransientDbError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const record = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
    if (typeof record.code === "string" && TRANSIENT_PRISMA_CODES.has(record.code)) return true;
    const driverCode = record.meta?.driverAdapterError?.cause?.originalCode ?? record.code;
    if (typeof driverCode === "string" && TRANSIENT_DRIVER_CODES.has(driverCode)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** First pause; doubles on each retry up to `maxDelayMs`, with jitter so that competing writers spread out. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each pause (for logging). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
}

/**
 * Runs a write (a single statement or a whole transaction) and runs it again after a pause when it fails with a
 * transient error. The pause is asynchronous: better-sqlite3's own busy timeout sleeps on the event loop and would
 * stall every live stream, so the connection's busy timeout is kept short (`CRUX_SQLITE_BUSY_TIMEOUT_MS`) and
 * the waiting happens here. Defaults wait up to about 30 s in all before giving up with the last error.
 */
export async function retryTransient<T>(write: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 12, baseDelayMs = 25, maxDelayMs = 4000, onRetry, random = Math.random } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error)) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      onRetry?.(error, attempt, delayMs);
      // The global timer (not node:timers/promises), so fake timers in tests control it.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
