import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { callAction, listServerActions, type ServerAction } from "./actions";
import { authCallback, CookieJar } from "./auth";
import { type RunningServer, startServer } from "./server";
import { createLaunchedStudy } from "./studies";

/**
 * Hostile input at the entry points (tests/integration/hostile-*.test.ts): each socket event, route handler and
 * server action gets at least 1,000 generated malformed payloads (wrong types, missing and extra fields, huge
 * strings, deep nesting, unicode, prototype-pollution keys), seeded so a failure replays. Every one must be answered
 * with a clear refusal (an error ack, a 4xx, a refused or redirected action) or, where the random input happens to
 * be valid, a normal answer — never a crash, a 5xx or silence — and the server must keep answering normal requests
 * throughout. The entry points are spread over several files, each with its own server, so they run side by side.
 */

const SEED = 20_261_204;
export const RUNS = 1000;
/** Payloads in flight at once against HTTP entry points (keeps the run short on two cores). */
const CONCURRENCY = 8;
const PASSWORD = "a long fuzzing password";

/** Values shaped to hurt: prototype keys, deep nesting, very long or odd strings. */
export const nasty = fc.oneof(
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
export const hostileValues = (exotic: boolean) =>
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
export const hostile = hostileValues(true);

/** Runs `check` on `RUNS` seeded payloads, `CONCURRENCY` at a time. */
export async function eachPayload<T>(arbitrary: fc.Arbitrary<T>, salt: number, check: (value: T) => Promise<void>) {
  const values = fc.sample(arbitrary, { seed: SEED + salt, numRuns: RUNS });
  for (let i = 0; i < values.length; i += CONCURRENCY) {
    await Promise.all(values.slice(i, i + CONCURRENCY).map(check));
  }
}

/** A server under fuzzing, an admin's cookie and a launched study to aim at. */
export interface FuzzTarget {
  server: RunningServer;
  db: Db;
  adminCookie: string;
  liveStudyId: string;
  /** The server still answers a normal request, promptly. */
  expectAlive(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  // Limits would answer most payloads with RATE_LIMITED before they are parsed: lifted here (tested elsewhere).
  const server = await startServer({
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
  const db = createDb(server.databaseUrl);
  const jar = new CookieJar();
  const email = `fuzz-admin-${Date.now()}@example.test`;
  const signup = await authCallback(server.url, "signup", { email, password: PASSWORD }, jar);
  if (!signup.ok) throw new Error(`could not sign up: ${signup.location}`);
  const admin = await db.user.update({ where: { email }, data: { role: "admin" } });
  const { studyId } = await createLaunchedStudy(db, admin.id, {
    name: "Fuzz live",
    questions: { source: "quality", count: 2 },
    conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
  });
  return {
    server,
    db,
    adminCookie: jar.header(),
    liveStudyId: studyId,
    async expectAlive() {
      const response = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(15_000) });
      expect(response.status).toBe(200);
    },
    async stop() {
      await db.$disconnect();
      await server.stop();
    },
  };
}

/**
 * The production build's server actions in a fixed order (signing out, which ends the session the other calls use,
 * last), each with its index in that order (the payloads' seed) — `part` of `parts` of them, so the actions can be
 * fuzzed by several files at once.
 */
export function actionsToFuzz(part: number, parts: number): Array<{ action: ServerAction; index: number }> {
  const last = (action: ServerAction) => (/#signOut/.test(action.name) ? 1 : 0);
  const actions = listServerActions().sort((a, b) => last(a) - last(b) || a.name.localeCompare(b.name));
  expect(actions.length).toBeGreaterThanOrEqual(20);
  return actions.map((action, index) => ({ action, index })).filter(({ index }) => index % parts === part);
}

/** Fuzzes each action with RUNS argument lists: a refusal or a normal answer, never a 5xx or an error outcome. */
export async function fuzzActions(target: FuzzTarget, actions: Array<{ action: ServerAction; index: number }>) {
  const { liveStudyId } = target;
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
  for (const { action, index } of actions) {
    const page = (action.pages.find((candidate) => !candidate.startsWith("/_")) ?? "/").replace(
      /\[[^\]]+\]/g,
      liveStudyId,
    );
    let sent = 0;
    const outcomes = new Set<string>();
    await eachPayload(argumentsFor(arity(action)), 200 + index, async (args) => {
      let result: Awaited<ReturnType<typeof callAction>>;
      try {
        result = await callAction(target.server.url, action, page, args, target.adminCookie);
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
    await target.expectAlive();
  }
}

/**
 * The suite of one file of server-action fuzzing: `part` of `parts` of the actions (every `parts`-th in a fixed
 * order) on a server of its own, so that the files run side by side.
 */
export function describeActionFuzzing(part: number, parts: number): void {
  describe(`hostile input: server actions, part ${part + 1} of ${parts}`, () => {
    let target: FuzzTarget;
    beforeAll(async () => {
      target = await startFuzzTarget();
    });
    afterAll(async () => {
      await target?.stop();
    });

    // About ten actions × 1,000 calls: 1½ minutes alone on two cores.
    it("answers malformed arguments with a refusal, never an error", { timeout: 600_000 }, async () => {
      await fuzzActions(target, actionsToFuzz(part, parts));
    });
  });
}
