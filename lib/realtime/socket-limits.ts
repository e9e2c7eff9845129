import { rateLimitKeyForIp } from "../client-ip";
import { SlidingWindowLimiter } from "../rate-limit";

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
 * Counts open connections per user and per address, and intents per connection, user and address. Pure
 * bookkeeping in memory, per process (like lib/rate-limit.ts): several server processes would each count their own.
 */
export class SocketGuard {
  readonly limits: SocketLimits;
  private readonly open = new Map<string, Set<string>>();
  private readonly owners = new Map<string, string[]>();
  private readonly perSocket: SlidingWindowLimiter;
  private readonly perUser: SlidingWindowLimiter;
  private readonly perIp: SlidingWindowLimiter;

  constructor(limits: Partial<SocketLimits> = {}, now?: () => number) {
    this.limits = { ...DEFAULT_SOCKET_LIMITS, ...limits };
    this.perSocket = new SlidingWindowLimiter({ limit: this.limits.eventsPerSocket, windowMs: 1000, now });
    this.perUser = new SlidingWindowLimiter({ limit: this.limits.eventsPerUser, windowMs: 1000, now });
    this.perIp = new SlidingWindowLimiter({ limit: this.limits.eventsPerIp, windowMs: 1000, now });
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
    this.perSocket.reset(socketId);
  }

  /** Counts an intent against its connection, its user and its address; refused past any of the three limits. */
  consume(owner: SocketOwner): EventAdmission {
    const checks: [SlidingWindowLimiter, string, string][] = [
      [this.perSocket, owner.socketId, "on this connection"],
      [this.perUser, owner.userId, "from your account"],
      [this.perIp, rateLimitKeyForIp(owner.ip), "from your network"],
    ];
    for (const [limiter, key, where] of checks) {
      const result = limiter.consume(key);
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
