import { describe, expect, it } from "vitest";
import { z } from "zod";
import "../instrumentation-client";

/**
 * The browser's start-up script (instrumentation-client.ts) turns zod's eval-based parsers off without importing
 * zod, through the global configuration object zod keeps on globalThis: zod must see the flag.
 */
describe("instrumentation-client", () => {
  it("makes zod jitless", () => {
    expect(z.config().jitless).toBe(true);
  });
});
