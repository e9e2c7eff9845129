import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { PROTOCOL_VERSION } from "../../lib/realtime/protocol";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { connectJudge, createGuestMatch, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * The authorization matrix: every page, route handler and socket event, tried as every kind of user, checked
 * against one table. The table must name every page and route file under app/ and every client event of the
 * realtime protocol, so adding one without deciding who may use it fails this test.
 * (Participants of studies arrive with studies; server actions are covered by the accounts and admin tests.)
 */

const ROLES = ["anonymous", "guest", "judge", "player", "researcher", "admin"] as const;
type Role = (typeof ROLES)[number];
/** How a request may end: served, sent to sign in, refused, or (sockets) an error code. */
type Outcome = "ok" | "signin" | "notice" | "401" | "403" | "NOT_AUTHENTICATED" | "FORBIDDEN";

interface Row {
  /** The file (pages and routes) or event it covers. */
  covers: string;
  /** What to request; `:match` stands for a match judged by the "judge" user. */
  target: string;
  kind: "page" | "api" | "socket";
  expect: Record<Role, Outcome>;
}

const all = (outcome: Outcome): Record<Role, Outcome> =>
  Object.fromEntries(ROLES.map((role) => [role, outcome])) as Record<Role, Outcome>;

const MATRIX: Row[] = [
  { covers: "app/page.tsx", target: "/", kind: "page", expect: all("ok") },
  { covers: "app/signin/page.tsx", target: "/signin", kind: "page", expect: all("ok") },
  { covers: "app/signup/page.tsx", target: "/signup", kind: "page", expect: all("ok") },
  {
    covers: "app/account/page.tsx",
    target: "/account",
    kind: "page",
    expect: { ...all("ok"), anonymous: "signin", guest: "signin", judge: "signin" },
  },
  {
    covers: "app/admin/users/page.tsx",
    target: "/admin/users",
    kind: "page",
    expect: { ...all("signin"), admin: "ok" },
  },
  {
    // Everyone gets a page; only the judge gets the room, the others a notice and no match data.
    covers: "app/match/[id]/page.tsx",
    target: "/match/:match",
    kind: "page",
    expect: { ...all("notice"), judge: "ok" },
  },
  {
    covers: "app/observe/[id]/page.tsx",
    target: "/observe/:match",
    kind: "page",
    expect: { ...all("signin"), researcher: "ok", admin: "ok" },
  },
  { covers: "app/api/matches/route.ts", target: "POST /api/matches", kind: "api", expect: all("ok") },
  // next-auth's own endpoints are public by design (sign-in, CSRF, session).
  { covers: "app/api/auth/[...nextauth]/route.ts", target: "/api/auth/session", kind: "api", expect: all("ok") },
  {
    covers: "match:join",
    target: "match:join",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", judge: "ok" },
  },
  {
    covers: "judge:step",
    target: "judge:step",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", judge: "ok" },
  },
  {
    covers: "match:observe",
    target: "match:observe",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", researcher: "ok", admin: "ok" },
  },
];

const root = path.resolve(import.meta.dirname, "..", "..");

function appFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(full);
    return /^(page|route)\.tsx?$/.test(entry.name) ? [path.relative(root, full)] : [];
  });
}

describe("authorization matrix", () => {
  it("has a row for every page, route handler and client socket event", () => {
    const covered = new Set(MATRIX.map((row) => row.covers));
    for (const file of appFiles(path.join(root, "app"))) expect(covered, `no matrix row for ${file}`).toContain(file);
    const protocol = fs.readFileSync(path.join(root, "lib/realtime/protocol.ts"), "utf8");
    const block = protocol.slice(protocol.indexOf("interface ClientToServerEvents"));
    const events = [...block.slice(0, block.indexOf("\n}")).matchAll(/"([a-z]+:[a-z]+)":/g)].map((m) => m[1]);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(covered, `no matrix row for socket event ${event}`).toContain(event);
  });

  let server: RunningServer;
  let db: Db;
  let matchId = "";
  const cookies = {} as Record<Role, string>;

  beforeAll(async () => {
    server = await startServer();
    db = createDb(server.databaseUrl);
    const judged = await createGuestMatch(server.url);
    matchId = judged.matchId;
    cookies.judge = judged.cookie;
    cookies.guest = (await createGuestMatch(server.url)).cookie;
    cookies.anonymous = "";
    for (const role of ["player", "researcher", "admin"] as const) {
      const jar = new CookieJar();
      const email = `${role}-${Date.now()}@example.test`;
      const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
      if (!result.ok) throw new Error(`could not sign up a ${role}: ${result.location}`);
      await db.user.update({ where: { email }, data: { role } });
      cookies[role] = jar.header();
    }
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const cases = MATRIX.flatMap((row) => ROLES.map((role) => [row.covers, role, row.expect[role], row] as const));

  it.each(cases)("%s as %s → %s", async (_covers, role, expected, row) => {
    const cookie = cookies[role];
    const target = row.target.replace(":match", matchId);
    if (row.kind === "page") {
      const page = await getPage(server.url, target, new CookieJar(cookie));
      if (expected === "signin") {
        expect([302, 303, 307, 308]).toContain(page.status);
        expect(page.location ?? "").toMatch(/\/signin/);
      } else {
        expect(page.status).toBe(200);
        if (expected === "notice") expect(page.html).toMatch(/another judge|No such match/);
        if (row.covers === "app/match/[id]/page.tsx" && expected === "ok")
          expect(page.html).not.toMatch(/another judge/);
      }
    } else if (row.kind === "api") {
      const [method, url] = target.includes(" ") ? target.split(" ") : ["GET", target];
      const response = await fetch(`${server.url}${url}`, {
        method,
        headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(String(response.status)).toMatch(expected === "ok" ? /^20[01]$/ : new RegExp(`^${expected}$`));
    } else {
      await checkSocket(target, cookie, expected);
    }
  });

  async function checkSocket(event: string, cookie: string, expected: Outcome) {
    if (expected === "NOT_AUTHENTICATED") {
      const socket = io(server.url, {
        auth: { v: PROTOCOL_VERSION },
        extraHeaders: cookie ? { cookie } : {},
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
      });
      const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
      expect(error.message).toMatch(/^NOT_AUTHENTICATED/);
      socket.disconnect();
      return;
    }
    const client = await connectJudge(server.url, cookie);
    const payload =
      event === "judge:step" ? { matchId, round: 1, probabilities: [0.4, 0.6], action: "continue" } : { matchId };
    const ack = await request(client, event as "match:join", payload);
    if (expected === "ok") {
      // Allowed: either it succeeds or the rules (not the permissions) refuse it, e.g. a step out of turn.
      if (!ack.ok) expect(ack.error.code).not.toMatch(/FORBIDDEN|NOT_AUTHENTICATED/);
    } else {
      expect(ack).toMatchObject({ ok: false, error: { code: expected } });
      expect(client.received.some((line) => line.startsWith("match:view"))).toBe(false);
    }
    client.socket.disconnect();
  }
});
