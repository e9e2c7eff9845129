import type { Redis } from "ioredis";
import { rateLimitKeyForIp } from "../client-ip";
import { createRateLimiter, type RateLimiter } from "../rate-limiter";

/**
 * How much one user and one client address may use the socket server: open connections at once, and intents per
 * second across all their connections (on top of the per-connection limit). Addresses count as `rateLimitKeyForIp`
 * does (IPv6 by /64). The defaults leave room for many tabs, and for a class of participants behind one NAT.
 */
export interface SocketLimits {
  socketsPerUser: number;
  socketsPerIp: number;
  /** Intents per second of one connection. */
  eventsPerSocket: number;
  eventsPerUser: number;
  eventsPerIp: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  socketsPerUser: 30,
  socketsPerIp: 300,
  eventsPerSocket: 20,
  eventsPerUser: 60,
  eventsPerIp: 300,
};

/** Who a connection counts against. */
export interface SocketOwner {
  socketId: string;
  userId: string;
  ip: string;
}

export type Admission = { ok: true } | { ok: false; message: string };
export type EventAdmission = { ok: true } | { ok: false; retryAfterMs: number; message: string };

/**
 * Counts open connections per user and per address, and intents per connection, user and address. Open
 * connections are counted per process (an instance knows its own sockets, and a crashed one leaves no count behind);
 * intents per user and per address are counted in Redis when it is configured, so they hold across instances (a
 * connection lives on one instance: its own count stays in memory).
 */
export class SocketGuard {
  readonly limits: SocketLimits;
  private readonly open = new Map<string, Set<string>>();
  private readonly owners = new Map<string, string[]>();
  private readonly perSocket: RateLimiter;
  private readonly perUser: RateLimiter;
  private readonly perIp: RateLimiter;

  /** `redis`: where the per-user and per-address counts live (null: this process; default: REDIS_URL's). */
  constructor(limits: Partial<SocketLimits> = {}, options: { now?: () => number; redis?: Redis | null } = {}) {
    this.limits = { ...DEFAULT_SOCKET_LIMITS, ...limits };
    const { now } = options;
    this.perSocket = createRateLimiter(
      { name: "socket", limit: this.limits.eventsPerSocket, windowMs: 1000, now },
      null,
    );
    const shared = (name: string, limit: number) =>
      createRateLimiter({ name, limit, windowMs: 1000, now }, options.redis);
    this.perUser = shared("socket-user", this.limits.eventsPerUser);
    this.perIp = shared("socket-ip", this.limits.eventsPerIp);
  }

  /** Counts a new connection, unless its user or address already has as many open as allowed. */
  admit(owner: SocketOwner): Admission {
    const user = `user:${owner.userId}`;
    const ip = `ip:${rateLimitKeyForIp(owner.ip)}`;
    if ((this.open.get(user)?.size ?? 0) >= this.limits.socketsPerUser) {
      return {
        ok: false,
        message: `RATE_LIMITED: your account already has ${this.limits.socketsPerUser} live connections; close some tabs and reload.`,
      };
    }
    if ((this.open.get(ip)?.size ?? 0) >= this.limits.socketsPerIp) {
      return {
        ok: false,
        message: `RATE_LIMITED: too many live connections from your network (${this.limits.socketsPerIp}); try again later.`,
      };
    }
    for (const key of [user, ip]) {
      const set = this.open.get(key) ?? new Set<string>();
      set.add(owner.socketId);
      this.open.set(key, set);
    }
    this.owners.set(owner.socketId, [user, ip]);
    return { ok: true };
  }

  /** Forgets a closed connection (safe to call more than once, or for one never admitted). */
  release(socketId: string): void {
    for (const key of this.owners.get(socketId) ?? []) {
      const set = this.open.get(key);
      set?.delete(socketId);
      if (set?.size === 0) this.open.delete(key);
    }
    this.owners.delete(socketId);
    void this.perSocket.reset(socketId);
  }

  /** Counts an intent against its connection, its user and its address; refused past any of the three limits. */
  async consume(owner: SocketOwner): Promise<EventAdmission> {
    const checks: [RateLimiter, string, string][] = [
      [this.perSocket, owner.socketId, "on this connection"],
      [this.perUser, owner.userId, "from your account"],
      [this.perIp, rateLimitKeyForIp(owner.ip), "from your network"],
    ];
    for (const [limiter, key, where] of checks) {
      const result = await limiter.consume(key);
      if (!result.ok) {
        return {
          ok: false,
          retryAfterMs: result.retryAfterMs,
          message: `Too many requests ${where}: wait ${result.retryAfterMs} ms and retry.`,
        };
      }
    }
    return { ok: true };
  }

  /** Open connections counted for a user (for tests and monitoring). */
  openFor(userId: string): number {
    return this.open.get(`user:${userId}`)?.size ?? 0;
  }
}
