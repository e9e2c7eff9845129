import { describe, expect, it } from "vitest";
import { rateLimitKeyForIp } from "./client-ip";

describe("rateLimitKeyForIp", () => {
  it("keeps IPv4 addresses whole, also IPv4-mapped ones", () => {
    expect(rateLimitKeyForIp("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKeyForIp("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts IPv6 by its /64, however the address is written", () => {
    const key = "2001:db8:85a3:8d3::/64";
    expect(rateLimitKeyForIp("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe(key);
    expect(rateLimitKeyForIp("2001:0DB8:85a3:08d3::1")).toBe(key);
    expect(rateLimitKeyForIp("[2001:db8:85a3:8d3:ffff::2]")).toBe(key);
    expect(rateLimitKeyForIp("2001:db8:85a3:8d3::7%eth0")).toBe(key);
    expect(rateLimitKeyForIp("2001:db8:85a3:8d4::1")).not.toBe(key);
    expect(rateLimitKeyForIp("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitKeyForIp("2001:db8::")).toBe("2001:db8:0:0::/64");
  });

  it("passes anything else through as its own key", () => {
    expect(rateLimitKeyForIp("unknown")).toBe("unknown");
    expect(rateLimitKeyForIp("zz::1")).toBe("zz::1");
  });
});
