import { describe, expect, it } from "vitest";
import { SocketGuard } from "./socket-limits";

describe("SocketGuard", () => {
  it("admits connections up to the per-user limit, and again once one closes", () => {
    const guard = new SocketGuard({ socketsPerUser: 2, socketsPerIp: 100 });
    expect(guard.admit({ socketId: "s1", userId: "u", ip: "10.0.0.1" }).ok).toBe(true);
    expect(guard.admit({ socketId: "s2", userId: "u", ip: "10.0.0.2" }).ok).toBe(true);
    const refused = guard.admit({ socketId: "s3", userId: "u", ip: "10.0.0.3" });
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^RATE_LIMITED: .*2 live connections/) });
    // Another user is not affected; a refused connection was not counted.
    expect(guard.admit({ socketId: "s4", userId: "v", ip: "10.0.0.3" }).ok).toBe(true);
    expect(guard.openFor("u")).toBe(2);
    guard.release("s1");
    guard.release("s1");
    expect(guard.openFor("u")).toBe(1);
    expect(guard.admit({ socketId: "s5", userId: "u", ip: "10.0.0.1" }).ok).toBe(true);
  });

  it("counts an IPv6 /64 as one address", () => {
    const guard = new SocketGuard({ socketsPerUser: 100, socketsPerIp: 2 });
    expect(guard.admit({ socketId: "a", userId: "u1", ip: "2001:db8:1:2::1" }).ok).toBe(true);
    expect(guard.admit({ socketId: "b", userId: "u2", ip: "2001:db8:1:2:ffff::9" }).ok).toBe(true);
    const refused = guard.admit({ socketId: "c", userId: "u3", ip: "2001:db8:1:2:abcd::1" });
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/^RATE_LIMITED: .*network/) });
    expect(guard.admit({ socketId: "d", userId: "u3", ip: "2001:db8:1:3::1" }).ok).toBe(true);
  });

  it("limits intents per connection, per user across connections and per address across users", async () => {
    let now = 0;
    const guard = new SocketGuard(
      { eventsPerSocket: 3, eventsPerUser: 5, eventsPerIp: 8 },
      { now: () => now, redis: null },
    );
    const hits = async (socketId: string, userId: string, ip: string, n: number) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if ((await guard.consume({ socketId, userId, ip })).ok) ok += 1;
      return ok;
    };
    expect(await hits("s1", "u", "10.0.0.1", 4)).toBe(3);
    expect(await hits("s2", "u", "10.0.0.1", 4)).toBe(2);
    const refused = await guard.consume({ socketId: "s3", userId: "u", ip: "10.0.0.1" });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("from your account") });
    expect(await hits("s4", "v", "10.0.0.1", 3)).toBe(3);
    expect(await guard.consume({ socketId: "s5", userId: "w", ip: "10.0.0.1" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("from your network"),
    });
    now = 1001;
    expect((await guard.consume({ socketId: "s1", userId: "u", ip: "10.0.0.1" })).ok).toBe(true);
  });
});
