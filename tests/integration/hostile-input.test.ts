import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { callAction, listServerActions, type ServerAction } from "../support/actions";
import { authCallback, CookieJar } from "../support/auth";
import { connectJudge, createGuestMatch, type RecordingSocket, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy } from "../support/studies";

/**
 * Hostile input at the entry points: each socket event, route handler and server action gets at least 1,000
 * generated malformed payloads (wrong types, missing and extra fields, huge strings, deep nesting, unicode,
 * prototype-pollution keys), seeded so a failure replays. Every one must be answered with a clear refusal (an
 * error ack, a 4xx, a refused or redirected action) or, where the random input happens to be valid, a normal
 * answer — never a crash, a 5xx or silence — and the server must keep answering normal requests throughout.
 */

const SEED = 20_261_204;
const RUNS = 1000;
/** Payloads in flight at once against HTTP entry points (keeps the run short on two cores). */
const CONCURRENCY = 8;
const PASSWORD = "a long fuzzing password";

/** Values shaped to hurt: prototype keys, deep nesting, very long or odd strings. */
const nasty = fc.oneof(
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')),
  fc.integer({ min: 50, max: 2000 }).map((depth) => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { next: value };
    return value;
  }),
  fc.integer({ min: 10_000, max: 60_000 }).map((length) => "x".repeat(length)),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("", "\u0000", "\u202e", "💥".repeat(100), "../../etc/passwd", "<script>alert(1)</script>", "NaN"),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -0),
);
/**
 * Any JSON-like value, or one of the nasty ones, or an object with the right field names and wrong values. `exotic`
 * adds null-prototype objects and boxed strings, which JSON frames carry but a browser cannot pass to a server action.
 */
const hostileValues = (exotic: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.anything({ maxDepth: 4, withNullPrototype: exotic, withObjectString: exotic }) },
    { weight: 2, arbitrary: nasty },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          matchId: fc.oneof(fc.string({ maxLength: 40 }), nasty),
          round: fc.oneof(fc.integer({ min: -5, max: 20 }), nasty),
          probabilities: fc.oneof(fc.array(fc.double(), { maxLength: 5 }), nasty),
          action: fc.oneof(fc.constantFrom("continue", "end", "timeout", "explode"), nasty),
          message: fc.oneof(fc.string({ maxLength: 100 }), nasty),
          source: fc.oneof(fc.constantFrom("quality", "truthfulqa"), nasty),
          protocol: fc.oneof(fc.constantFrom("debate", "consultancy", "nope"), nasty),
        },
        { requiredKeys: [], noNullPrototype: !exotic },
      ),
    },
  );
const hostile = hostileValues(true);

/** Runs `check` on `RUNS` seeded payloads, `CONCURRENCY` at a time. */
async function eachPayload<T>(arbitrary: fc.Arbitrary<T>, salt: number, check: (value: T) => Promise<void>) {
  const values = fc.sample(arbitrary, { seed: SEED + salt, numRuns: RUNS });
  for (let i = 0; i < values.length; i += CONCURRENCY) {
    await Promise.all(values.slice(i, i + CONCURRENCY).map(check));
  }
}

describe("hostile input", () => {
  let server: RunningServer;
  let db: Db;
  let adminCookie: string;
  let liveStudyId: string;

  /** The server still answers a normal request, promptly. */
  async function expectAlive(): Promise<void> {
    const response = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(15_000) });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    // Limits would answer most payloads with RATE_LIMITED before they are parsed: lifted here (tested elsewhere).
    server = await startServer({
      env: {
        CRUX_SIGNIN_LIMIT_PER_IP: "100000",
        CRUX_SIGNIN_LIMIT_PER_EMAIL: "100000",
        CRUX_JOIN_LIMIT_PER_IP: "100000",
        CRUX_MATCH_STARTS_PER_USER: "100000",
        CRUX_MATCH_STARTS_PER_IP: "100000",
        CRUX_SOCKET_EVENTS_PER_CONNECTION: "100000",
        CRUX_SOCKET_EVENTS_PER_USER: "100000",
        CRUX_SOCKET_EVENTS_PER_IP: "100000",
      },
    });
    db = createDb(server.databaseUrl);
    const jar = new CookieJar();
    const email = `fuzz-admin-${Date.now()}@example.test`;
    const signup = await authCallback(server.url, "signup", { email, password: PASSWORD }, jar);
    if (!signup.ok) throw new Error(`could not sign up: ${signup.location}`);
    const admin = await db.user.update({ where: { email }, data: { role: "admin" } });
    adminCookie = jar.header();
    liveStudyId = (
      await createLaunchedStudy(db, admin.id, {
        name: "Fuzz live",
        questions: { source: "quality", count: 2 },
        conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
      })
    ).studyId;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
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

  // Twenty actions × 1,000 calls: about 3 minutes alone on two cores.
  it("answers every server action's malformed arguments with a refusal, never an error", {
    timeout: 900_000,
  }, async () => {
    const fieldNames = fc.constantFrom(
      ...["studyId", "userId", "role", "email", "password", "name", "callbackUrl", "step", "agree", "questions"],
      ...["check.0", "survey.age", "debaters", "protocol", "participantId", "matchId", "status", "reason", "slot"],
    );
    const fieldValue = fc.oneof(
      fc.string({ maxLength: 100 }),
      nasty.filter((value): value is string => typeof value === "string"),
      fc.constantFrom(liveStudyId, "on", "0", "-1", "admin", "researcher", "debate", "consultancy", "consent"),
    );
    /** A form as a browser would send it, with the right field names (or others) and wrong values. */
    const hostileForm = fc
      .array(fc.tuple(fc.oneof(fieldNames, fc.string({ maxLength: 30 })), fieldValue), { maxLength: 12 })
      .map((fields) => {
        const form = new FormData();
        for (const [name, value] of fields) form.append(name, value);
        return form;
      });
    const argument = fc.oneof({ weight: 1, arbitrary: hostileValues(false) }, { weight: 2, arbitrary: hostileForm });
    /** Arguments in the action's own positions (state, form), and now and then too few or too many. */
    const argumentsFor = (arity: number) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.array(argument, { minLength: arity, maxLength: arity }) },
        { weight: 1, arbitrary: fc.array(argument, { maxLength: 4 }) },
      );
    const arity = (action: ServerAction) =>
      /#(startGameAction|gitHubSignInAction)$/.test(action.name) ? 1 : /#updateStudyAction$/.test(action.name) ? 3 : 2;
    // Signing out ends the session the other calls use: those go last.
    const last = (action: ServerAction) => (/#signOut/.test(action.name) ? 1 : 0);
    const actions = listServerActions().sort((a, b) => last(a) - last(b) || a.name.localeCompare(b.name));
    expect(actions.length).toBeGreaterThanOrEqual(20);
    for (const [index, action] of actions.entries()) {
      const page = (action.pages.find((candidate) => !candidate.startsWith("/_")) ?? "/").replace(
        /\[[^\]]+\]/g,
        liveStudyId,
      );
      let sent = 0;
      const outcomes = new Set<string>();
      await eachPayload(argumentsFor(arity(action)), 200 + index, async (args) => {
        let result: Awaited<ReturnType<typeof callAction>>;
        try {
          result = await callAction(server.url, action, page, args, adminCookie);
        } catch (error) {
          // React's Flight client cannot encode some values (null-prototype objects): a browser could not send them.
          if (error instanceof Error && /can be passed to Server Functions|not supported/.test(error.message)) return;
          throw error;
        }
        sent += 1;
        outcomes.add(result.outcome);
        expect(result.status, `${action.name} with ${result.body.slice(0, 300)}`).toBeLessThan(500);
        expect(result.outcome, `${action.name}: ${result.body.slice(0, 300)}`).not.toBe("error");
      });
      expect(sent, `${action.name}: payloads sent`).toBeGreaterThanOrEqual(RUNS * 0.9);
      await expectAlive();
    }
  });
});
