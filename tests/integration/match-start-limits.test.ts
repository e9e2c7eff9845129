import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUserBySessionToken } from "../../lib/auth/guest";
import { createDb, type Db } from "../../lib/db/client";
import { type ActionResult, callAction, formData, listServerActions, type ServerAction } from "../support/actions";
import { CookieJar, getPage } from "../support/auth";
import { type RunningServer, startServer } from "../support/server";

/**
 * Starting play matches past the rate limits, against the real server: per user and per client IP (the server
 * trusts X-Forwarded-For here, so each test speaks from addresses of its own), through both ways of starting one —
 * `POST /api/matches` (429 with Retry-After and a JSON error) and the home page's Play action (back to the home page,
 * which says how long to wait). Both count in one place, so starts by either path add up; other users and other
 * addresses are unaffected, and a refused start creates no match and no guest.
 */

const PER_USER = 3;
const PER_IP = 5;
/** How long a refusal may ask to wait: the limits' window (10 minutes). */
const WINDOW_SECONDS = 600;

let server: RunningServer;
let db: Db;
let play: ServerAction;
let addresses = 0;
/** A client address no other case uses. */
const newIp = () => `203.0.113.${++addresses}`;

beforeAll(async () => {
  server = await startServer({
    env: {
      CRUX_TRUST_PROXY: "1",
      CRUX_MATCH_STARTS_PER_USER: String(PER_USER),
      CRUX_MATCH_STARTS_PER_IP: String(PER_IP),
    },
  });
  db = createDb(server.databaseUrl);
  const found = listServerActions().find((action) => action.name === "app/actions.ts#startGameAction");
  if (!found) throw new Error("the build has no Play action");
  play = found;
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

/** POST /api/matches from `ip`, as `cookie` (none: a new guest). */
async function startByApi(ip: string, cookie = "") {
  const response = await fetch(`${server.url}/api/matches`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip, ...(cookie ? { cookie } : {}) },
    body: "{}",
  });
  const body = (await response.json()) as { matchId?: string; code?: string; message?: string };
  const session = response.headers
    .getSetCookie()
    .find((line) => line.startsWith("crux_session="))
    ?.split(";")[0];
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body, cookie: session ?? cookie };
}

/** The home page's Play, from `ip`, as `cookie`. */
function startByAction(ip: string, cookie = ""): Promise<ActionResult> {
  return callAction(server.url, play, "/", [formData({ protocol: "debate" })], cookie, {
    headers: { "x-forwarded-for": ip },
  });
}

/** The session cookie a Play action set for a new guest. */
function sessionOf(result: ActionResult): string {
  return result.setCookies.find((line) => line.startsWith("crux_session="))?.split(";")[0] ?? "";
}

async function matchesJudgedBy(cookie: string): Promise<number> {
  const user = await getUserBySessionToken(db, /crux_session=([^;]+)/.exec(cookie)?.[1] ?? "");
  if (!user) throw new Error("no guest for this cookie");
  return db.match.count({ where: { judgeId: user.id } });
}

function expectRefusedByApi(refused: Awaited<ReturnType<typeof startByApi>>) {
  expect(refused.status).toBe(429);
  expect(refused.body).toEqual({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many matches/) });
  const seconds = Number(refused.retryAfter);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe("POST /api/matches past the limits", () => {
  it("refuses a user's start past CRUX_MATCH_STARTS_PER_USER with 429 and Retry-After; others are unaffected", async () => {
    const ip = newIp();
    let cookie = "";
    for (let i = 0; i < PER_USER; i++) {
      const started = await startByApi(ip, cookie);
      expect(started.status).toBe(201);
      cookie = started.cookie;
    }
    expect(cookie).toMatch(/^crux_session=/);
    expectRefusedByApi(await startByApi(ip, cookie));
    // The same user from another address is still refused: the count is the user's.
    expectRefusedByApi(await startByApi(newIp(), cookie));
    // Another user on the same address, and anyone elsewhere, may start.
    expect((await startByApi(ip)).status).toBe(201);
    expect((await startByApi(newIp())).status).toBe(201);
  });

  it("refuses starts from one address past CRUX_MATCH_STARTS_PER_IP, new guests or not; no guest is made for it", async () => {
    const ip = newIp();
    for (let i = 0; i < PER_IP; i++) expect((await startByApi(ip)).status).toBe(201);
    const usersBefore = await db.user.count();
    const matchesBefore = await db.match.count();
    const refused = await startByApi(ip);
    expectRefusedByApi(refused);
    expect(refused.cookie).toBe("");
    expect(await db.user.count()).toBe(usersBefore);
    expect(await db.match.count()).toBe(matchesBefore);
    // An IPv6 neighbour in another /64 is another client; another address entirely, too.
    expect((await startByApi(newIp())).status).toBe(201);
  });

  it("counts an IPv6 /64 as one client", async () => {
    for (let i = 0; i < PER_IP; i++) expect((await startByApi(`2001:db8:77:1::${i + 1}`)).status).toBe(201);
    expectRefusedByApi(await startByApi("2001:db8:77:1:abcd::9"));
    expect((await startByApi("2001:db8:77:2::1")).status).toBe(201);
  });
});

describe("the Play action past the limits", () => {
  it("sends a user past CRUX_MATCH_STARTS_PER_USER back home with the wait, and the page says it plainly", async () => {
    const ip = newIp();
    const first = await startByAction(ip);
    expect(first.redirect).toMatch(/^\/match\/[\w-]+$/);
    const cookie = sessionOf(first);
    expect(cookie).toMatch(/^crux_session=/);
    for (let i = 1; i < PER_USER; i++) expect((await startByAction(ip, cookie)).redirect).toMatch(/^\/match\//);
    expect(await matchesJudgedBy(cookie)).toBe(PER_USER);

    const refused = await startByAction(ip, cookie);
    expect(refused.outcome).toBe("ok");
    const location = new URL(refused.redirect ?? "", server.url);
    expect(location.pathname).toBe("/");
    expect(location.searchParams.get("error")).toBe("busy");
    const wait = Number(location.searchParams.get("wait"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(await matchesJudgedBy(cookie)).toBe(PER_USER);

    const home = await getPage(server.url, `${location.pathname}${location.search}`, new CookieJar(cookie));
    expect(home.status).toBe(200);
    expect(home.html).toMatch(/role="alert"[^>]*>Too many matches have been started from your account or network/);
    expect(home.html).toMatch(/please wait \d+ (seconds|minutes), then try again/);
    // A hand-made wait is not echoed: the page says the window's length instead.
    const forged = await getPage(server.url, "/?error=busy&wait=%3Cscript%3E", new CookieJar(cookie));
    expect(forged.html).toContain("please wait 10 minutes");

    // Both ways of starting share one count: the API refuses this user too; another user plays on.
    expectRefusedByApi(await startByApi(newIp(), cookie));
    expect((await startByAction(ip)).redirect).toMatch(/^\/match\//);
  });

  it("sends an address past CRUX_MATCH_STARTS_PER_IP back home, whether the caller is new or not", async () => {
    const ip = newIp();
    // Starts from both paths count against the address.
    for (let i = 0; i < PER_IP - 1; i++) expect((await startByAction(ip)).redirect).toMatch(/^\/match\//);
    expect((await startByApi(ip)).status).toBe(201);
    const usersBefore = await db.user.count();
    const refused = await startByAction(ip);
    expect(refused.redirect).toMatch(/^\/\?error=busy&wait=\d+$/);
    expect(sessionOf(refused)).toBe("");
    expect(await db.user.count()).toBe(usersBefore);
    expect((await startByAction(newIp())).redirect).toMatch(/^\/match\//);
  });
});
