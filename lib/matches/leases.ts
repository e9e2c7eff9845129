import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { env } from "../env";
import { CruxError } from "../errors";

/**
 * Match leases: with several app instances, exactly one drives each running match. The driving instance holds a
 * `MatchLease` row (match id, holder, expiry), renews it while it runs the match, and deletes it when it lets go
 * (the match settled, or the process stops). A lease whose expiry has passed belongs to an instance that died: any
 * other may take it over and resume the match from the database, as a restart does. Only portable statements (one
 * conditional UPDATE, one INSERT on the primary key), so it works alike on SQLite and PostgreSQL; expiries are
 * written by each instance's clock, so instances need synchronised clocks (NTP) — a skew eats into the TTL.
 */
export interface MatchLeases {
  /** This instance's id. */
  readonly holder: string;
  readonly ttlMs: number;
  /** Takes (or keeps) the lease of a match: refused while another instance holds an unexpired one. */
  acquire(matchId: string): Promise<LeaseClaim>;
  /** Extends this instance's leases; returns the matches whose lease another instance has taken meanwhile. */
  renew(matchIds: readonly string[]): Promise<string[]>;
  /** Lets go of this instance's leases on these matches (another instance may take them at once). */
  release(matchIds: readonly string[]): Promise<void>;
  /** Running matches that nobody holds: no lease, or an expired one (their instance died). */
  listOrphaned(): Promise<string[]>;
  /** Who holds the match now, if anybody (an unexpired lease). */
  holderOf(matchId: string): Promise<string | null>;
}

export type LeaseClaim = { ok: true } | { ok: false; holder: string };

/** Thrown by the runner for a match another instance drives: the caller forwards the request to `holder`. */
export class MatchHeldElsewhere extends CruxError {
  constructor(
    readonly matchId: string,
    readonly holder: string,
  ) {
    super("UNAVAILABLE", "This match is run by another server that cannot be reached right now; try again shortly.");
    this.name = "MatchHeldElsewhere";
  }
}

/** A new instance id: random per process, so a restarted instance never mistakes a dead one's leases for its own. */
export function newInstanceId(): string {
  return randomUUID();
}

/**
 * The leases of a process when several instances share the database (`REDIS_URL` set), else none (one process:
 * it drives every match itself). The CLI takes them too, so that no instance mistakes its matches for orphans.
 */
export function leasesFromEnv(db: Db, holder: string = newInstanceId()): MatchLeases | undefined {
  return env.REDIS_URL ? createMatchLeases(db, { holder, ttlMs: env.CRUX_LEASE_TTL_MS }) : undefined;
}

export function createMatchLeases(db: Db, options: { holder: string; ttlMs: number; now?: () => number }): MatchLeases {
  const { holder, ttlMs } = options;
  const now = options.now ?? Date.now;
  const expiry = () => new Date(now() + ttlMs);
  return {
    holder,
    ttlMs,
    async acquire(matchId) {
      // Ours already, or expired: one conditional UPDATE, so two instances cannot both take an expired lease.
      const taken = await db.matchLease.updateMany({
        where: { matchId, OR: [{ holder }, { expiresAt: { lt: new Date(now()) } }] },
        data: { holder, expiresAt: expiry() },
      });
      if (taken.count === 1) return { ok: true };
      try {
        await db.matchLease.create({ data: { matchId, holder, expiresAt: expiry() } });
        return { ok: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const current = await db.matchLease.findUnique({ where: { matchId } });
      // Released between our two statements: try once more.
      if (!current) return this.acquire(matchId);
      return current.holder === holder ? { ok: true } : { ok: false, holder: current.holder };
    },
    async renew(matchIds) {
      if (matchIds.length === 0) return [];
      const ids = [...matchIds];
      await db.matchLease.updateMany({ where: { holder, matchId: { in: ids } }, data: { expiresAt: expiry() } });
      const kept = await db.matchLease.findMany({
        where: { holder, matchId: { in: ids } },
        select: { matchId: true },
      });
      const held = new Set(kept.map((row) => row.matchId));
      return ids.filter((id) => !held.has(id));
    },
    async release(matchIds) {
      if (matchIds.length === 0) return;
      await db.matchLease.deleteMany({ where: { holder, matchId: { in: [...matchIds] } } });
    },
    async listOrphaned() {
      const running = await db.match.findMany({ where: { status: "running" }, select: { id: true } });
      if (running.length === 0) return [];
      const live = await db.matchLease.findMany({
        where: { matchId: { in: running.map((m) => m.id) }, expiresAt: { gte: new Date(now()) } },
        select: { matchId: true },
      });
      const held = new Set(live.map((row) => row.matchId));
      return running.map((m) => m.id).filter((id) => !held.has(id));
    },
    async holderOf(matchId) {
      const lease = await db.matchLease.findUnique({ where: { matchId } });
      return lease && lease.expiresAt.getTime() >= now() ? lease.holder : null;
    },
  };
}
