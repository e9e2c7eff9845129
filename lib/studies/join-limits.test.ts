import { describe, expect, it } from "vitest";
import { env } from "../env";
import { consumeJoinAttempt, JOIN_WINDOW_MS } from "./join-limits";

describe("study-link limit per client IP", () => {
  it("allows CRUX_JOIN_LIMIT_PER_IP requests per IP in the window, counting an IPv6 /64 as one client", async () => {
    for (let i = 0; i < env.CRUX_JOIN_LIMIT_PER_IP; i++)
      expect((await consumeJoinAttempt("203.0.113.9")).ok).toBe(true);
    const refused = await consumeJoinAttempt("::ffff:203.0.113.9");
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(JOIN_WINDOW_MS);
    expect((await consumeJoinAttempt("203.0.113.10")).ok).toBe(true);
    for (let i = 0; i < env.CRUX_JOIN_LIMIT_PER_IP; i++)
      expect((await consumeJoinAttempt(`2001:db8:7:7::${i + 1}`)).ok).toBe(true);
    expect((await consumeJoinAttempt("2001:db8:7:7:ffff::1")).ok).toBe(false);
    expect((await consumeJoinAttempt("2001:db8:7:8::1")).ok).toBe(true);
  });
});
