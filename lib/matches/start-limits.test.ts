import { describe, expect, it } from "vitest";
import { env } from "../env";
import { admitMatchStart, MATCH_START_WINDOW_MS, matchStartRefusal } from "./start-limits";

/** A user resolver that counts how often it was asked (a refused IP must not create a guest). */
function resolver(id: string) {
  const calls = { count: 0 };
  const resolve = async () => {
    calls.count++;
    return { id };
  };
  return { calls, resolve };
}

describe("match-start limits", () => {
  it("allows CRUX_MATCH_STARTS_PER_USER starts per user; a refused user does not use up the IP's allowance", async () => {
    const alice = resolver("alice");
    for (let i = 0; i < env.CRUX_MATCH_STARTS_PER_USER; i++)
      expect(await admitMatchStart("198.51.100.1", alice.resolve)).toMatchObject({ ok: true, user: { id: "alice" } });
    const refused = await admitMatchStart("198.51.100.1", alice.resolve);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBeLessThanOrEqual(MATCH_START_WINDOW_MS);
    for (let i = 0; i < 5; i++) expect((await admitMatchStart("198.51.100.1", alice.resolve)).ok).toBe(false);
    // The same address, another user: its count has the admitted starts only.
    const left = env.CRUX_MATCH_STARTS_PER_IP - env.CRUX_MATCH_STARTS_PER_USER;
    for (let i = 0; i < left; i++)
      expect((await admitMatchStart("198.51.100.1", resolver(`u${i}`).resolve)).ok).toBe(true);
    const next = resolver("bob");
    expect((await admitMatchStart("198.51.100.1", next.resolve)).ok).toBe(false);
    // Refused by the IP before the user is resolved: no guest is created for it.
    expect(next.calls.count).toBe(0);
  });

  it("counts an IPv6 /64 as one client", async () => {
    for (let i = 0; i < env.CRUX_MATCH_STARTS_PER_IP; i++)
      expect((await admitMatchStart(`2001:db8:5:5::${i + 1}`, resolver(`v6-${i}`).resolve)).ok).toBe(true);
    expect((await admitMatchStart("2001:db8:5:5:ffff::1", resolver("v6-x").resolve)).ok).toBe(false);
    expect((await admitMatchStart("2001:db8:5:6::1", resolver("v6-y").resolve)).ok).toBe(true);
  });

  it("tells people how long to wait", () => {
    expect(matchStartRefusal(45)).toMatch(/please wait 45 seconds, then try again/);
    expect(matchStartRefusal(540)).toMatch(/please wait 9 minutes/);
  });
});
