import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectJudge, createGuestMatch, type RecordingSocket, request } from "../support/client";
import { eachPayload, type FuzzTarget, hostile, startFuzzTarget } from "../support/hostile";

/**
 * Hostile input at the socket events and route handlers (tests/support/hostile.ts says what and why; the server
 * actions are in hostile-actions-*.test.ts).
 */

describe("hostile input: socket events and routes", () => {
  let target: FuzzTarget;
  let server: FuzzTarget["server"];
  let adminCookie: string;
  let liveStudyId: string;
  const expectAlive = () => target.expectAlive();

  beforeAll(async () => {
    target = await startFuzzTarget();
    ({ server, adminCookie, liveStudyId } = target);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it("answers every socket event's malformed payloads with an error ack", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const client: RecordingSocket = await connectJudge(server.url, cookie);
    try {
      const events = ["match:join", "match:observe", "judge:step", "judge:draft"] as const;
      // A frame over the server's 64 KiB limit (maxHttpBufferSize) closes the connection by socket.io's design; the
      // payloads here stay under it, so each one is answered.
      const framed = hostile.filter((payload) => (JSON.stringify(payload) ?? "").length < 48_000);
      for (const [index, event] of events.entries()) {
        const codes = new Set<string>();
        await eachPayload(framed, index, async (payload) => {
          const ack = await Promise.race([
            request(client, event as "match:join", payload),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`no ack for ${event} ${JSON.stringify(payload)}`)), 15_000),
            ),
          ]);
          if (!ack.ok) codes.add(ack.error.code);
          if (!ack.ok) expect(["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN", "CONFLICT"]).toContain(ack.error.code);
        });
        expect(codes.has("BAD_REQUEST")).toBe(true);
        expect(client.socket.connected).toBe(true);
        await expectAlive();
      }
    } finally {
      client.socket.disconnect();
    }
  });

  // Six entry points × 1,000 requests: about 40 s alone on two cores, more beside other test files.
  it("answers every route handler's malformed bodies and queries with a 4xx", { timeout: 300_000 }, async () => {
    const bodies = fc.oneof(
      hostile.map((value) => {
        try {
          return JSON.stringify(value) ?? "null";
        } catch {
          return "{";
        }
      }),
      fc.string({ unit: "binary", maxLength: 500 }),
    );
    const queries = fc
      .dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.string({ maxLength: 200 }), fc.constant("x".repeat(5000))))
      .map((query) => new URLSearchParams(query).toString());
    const routes: Array<{ name: string; request: (input: string) => Promise<Response> }> = [
      {
        name: "POST /api/matches",
        request: (body) =>
          fetch(`${server.url}/api/matches`, { method: "POST", headers: { "content-type": "application/json" }, body }),
      },
      ...["results", "export", "monitor", "runs"].map((part) => ({
        name: `GET /api/studies/<id>/${part}`,
        request: (query: string) =>
          fetch(`${server.url}/api/studies/${liveStudyId}/${part}?${query}`, { headers: { cookie: adminCookie } }),
      })),
      {
        name: "GET /join/<id>",
        request: (query: string) => fetch(`${server.url}/join/${liveStudyId}?${query}`, { redirect: "manual" }),
      },
    ];
    for (const [index, route] of routes.entries()) {
      const statuses = new Set<number>();
      await eachPayload(index === 0 ? bodies : queries, 100 + index, async (input) => {
        const response = await route.request(input);
        await response.arrayBuffer();
        statuses.add(response.status);
        expect(response.status, `${route.name} with ${input.slice(0, 200)}`).toBeLessThan(500);
      });
      expect(
        [...statuses].some((status) => status >= 400),
        `${route.name}: ${[...statuses]}`,
      ).toBe(true);
      await expectAlive();
    }
  });
});
