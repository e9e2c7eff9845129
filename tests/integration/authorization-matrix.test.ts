import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { PROTOCOL_VERSION } from "../../lib/realtime/protocol";
import { joinStudy } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { connectJudge, createGuestMatch, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * The authorization matrix: every page, route handler and socket event, tried as every kind of user, checked
 * against one table. The table must name every page and route file under app/ and every client event of the
 * realtime protocol, so adding one without deciding who may use it fails this test.
 * Server actions check the same rules through the same helpers (requireRole, getStudyFor, advanceParticipant); they
 * are exercised by the accounts, admin, studies-monitor and participant-flow tests and the browser tests.
 */

/**
 * Kinds of user: `participant` takes part in the live study `:live`; `otherParticipant` in another study;
 * `outsider` is a researcher who is not on the researcher's study `:study`.
 */
const ROLES = [
  "anonymous",
  "guest",
  "judge",
  "player",
  "participant",
  "otherParticipant",
  "researcher",
  "outsider",
  "admin",
] as const;
type Role = (typeof ROLES)[number];
/** How a request may end: served, sent to sign in, refused, or (sockets) an error code. */
type Outcome = "ok" | "signin" | "notice" | "401" | "403" | "404" | "NOT_AUTHENTICATED" | "FORBIDDEN";

interface Row {
  /** The file (pages and routes) or event it covers. */
  covers: string;
  /**
   * What to request; `:match` stands for a play match judged by the "judge" user, `:study` a draft study of
   * "researcher", `:live` the live study "participant" takes part in.
   */
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
    // A play match (no study): any researcher may watch; study matches need the study (transcripts.test.ts).
    expect: { ...all("signin"), researcher: "ok", outsider: "ok", admin: "ok" },
  },
  {
    // Study pages show only the visitor's own participation: anyone else gets a notice, no data.
    covers: "app/participate/[studyId]/page.tsx",
    target: "/participate/:live",
    kind: "page",
    expect: { ...all("notice"), participant: "ok" },
  },
  {
    // Study links are public: never sent to sign in; an unknown study is a 404 whoever follows it (the study is
    // looked up before the account check). Joining real studies: tests/integration/participant-flow.test.ts.
    covers: "app/join/[studyId]/route.ts",
    target: "/join/no-such-study?PROLIFIC_PID=matrix1",
    kind: "api",
    expect: all("404"),
  },
  // Studies: researcher accounts only (players are sent to sign in as "forbidden"); `:study` is the researcher's own.
  // A researcher who is not on the study gets a "not your study" notice without its data.
  ...["/studies", "/studies/new", "/studies/:study", "/studies/:study/edit", "/studies/:study/monitor"].map(
    (target): Row => ({
      covers: `app${target.replace(":study", "[id]")}/page.tsx`,
      target,
      kind: "page",
      expect: {
        ...all("signin"),
        researcher: "ok",
        admin: "ok",
        outsider: target.includes(":study") ? "notice" : "ok",
      },
    }),
  ),
  // Transcript review: researchers only; what each sees is limited to their studies (tests/integration/transcripts.test.ts).
  {
    covers: "app/transcripts/page.tsx",
    target: "/transcripts",
    kind: "page",
    expect: { ...all("signin"), researcher: "ok", outsider: "ok", admin: "ok" },
  },
  // Study APIs answer JSON: 401 without a session, 403 for guests and accounts without the researcher role.
  ...["/api/studies/:study/runs", "/api/studies/:study/monitor"].map(
    (target): Row => ({
      covers: `app${target.replace(":study", "[id]")}/route.ts`,
      target,
      kind: "api",
      expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
    }),
  ),
  // Study data downloads (CSV/JSONL): the study APIs' rule, streamed only to researchers with access.
  {
    covers: "app/api/studies/[id]/export/route.ts",
    target: "/api/studies/:study/export?table=verdicts&format=csv",
    kind: "api",
    expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
  },
  // Study results: the page for researchers with access; its JSON route (both parts) 401/403 for everyone else.
  {
    covers: "app/studies/[id]/results/page.tsx",
    target: "/studies/:study/results",
    kind: "page",
    expect: { ...all("signin"), researcher: "ok", admin: "ok", outsider: "notice" },
  },
  ...["/api/studies/:study/results", "/api/studies/:study/results?part=headline&replicates=100"].map(
    (target): Row => ({
      covers: "app/api/studies/[id]/results/route.ts",
      target,
      kind: "api",
      expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
    }),
  ),
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
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", researcher: "ok", admin: "ok", outsider: "ok" },
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
  let studyId = "";
  let liveStudyId = "";
  const cookies = {} as Record<Role, string>;

  beforeAll(async () => {
    server = await startServer();
    db = createDb(server.databaseUrl);
    const judged = await createGuestMatch(server.url);
    matchId = judged.matchId;
    cookies.judge = judged.cookie;
    cookies.guest = (await createGuestMatch(server.url)).cookie;
    cookies.anonymous = "";
    for (const role of ["player", "researcher", "outsider", "admin"] as const) {
      const jar = new CookieJar();
      const email = `${role}-${Date.now()}@example.test`;
      const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
      if (!result.ok) throw new Error(`could not sign up a ${role}: ${result.location}`);
      const user = await db.user.update({
        where: { email },
        data: { role: role === "outsider" ? "researcher" : role },
      });
      cookies[role] = jar.header();
      if (role === "researcher") {
        const design = { name: "Matrix study", conditions: [{ name: "debate", protocol: "debate" }] };
        studyId = (await createStudy(db, { ownerId: user.id, config: design })).id;
        // Two live studies with a participant each (sessions as the study link gives them).
        const live = {
          name: "Matrix live",
          questions: { count: 2 },
          conditions: [{ name: "naive", protocol: "naive" }],
        };
        for (const who of ["participant", "otherParticipant"] as const) {
          const study = await createStudy(db, { ownerId: user.id, config: live });
          await launchStudy(db, study.id);
          const joined = await joinStudy(db, { studyId: study.id, external: {}, current: null });
          cookies[who] = `crux_session=${joined.session?.token}`;
          if (who === "participant") liveStudyId = study.id;
        }
      }
    }
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const cases = MATRIX.flatMap((row) => ROLES.map((role) => [row.covers, role, row.expect[role], row] as const));

  it.each(cases)("%s as %s → %s", async (_covers, role, expected, row) => {
    const cookie = cookies[role];
    const target = row.target.replace(":match", matchId).replace(":study", studyId).replace(":live", liveStudyId);
    if (row.kind === "page") {
      const page = await getPage(server.url, target, new CookieJar(cookie));
      if (expected === "signin") {
        expect([302, 303, 307, 308]).toContain(page.status);
        expect(page.location ?? "").toMatch(/\/signin/);
      } else {
        expect(page.status).toBe(200);
        if (expected === "notice")
          expect(page.html).toMatch(/another judge|No such match|Open your study link|Not your study/);
        if (expected === "ok") expect(page.html).not.toMatch(/Not your study|Open your study link/);
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
