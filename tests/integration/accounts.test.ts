import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintAccountToken } from "../../lib/auth/account-token";
import { revokeUserSessions } from "../../lib/auth/users";
import { createDb, type Db } from "../../lib/db/client";
import { authCallback, CookieJar, getPage, signOutHttp } from "../support/auth";
import { runCrux } from "../support/cli";
import { connectJudge, createGuestMatch, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

const PASSWORD = "correct horse battery staple";
let serial = 0;
/** A fresh address per call, so tests do not share rate-limit counts. */
const email = (tag: string) => `${tag}-${Date.now().toString(36)}-${++serial}@example.test`;
/** A fresh client IP (documentation range; only ever sent as a header, honoured via CRUX_TRUST_PROXY). */
const ip = () => `203.0.113.${++serial}`;

/** Accounts over the real server: next-auth's endpoints, the proxy, revocation, guests becoming accounts, limits. */
describe("accounts", () => {
  let server: RunningServer;
  let db: Db;

  beforeAll(async () => {
    server = await startServer({ env: { CRUX_TRUST_PROXY: "1" } });
    db = createDb(server.databaseUrl);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  async function signUp(jar = new CookieJar(), fields: Record<string, string> = {}) {
    const address = fields.email ?? email("player");
    const result = await authCallback(server.url, "signup", { email: address, password: PASSWORD, ...fields }, jar, {
      ip: ip(),
    });
    if (!result.ok) throw new Error(`sign-up refused: ${result.location}`);
    const user = await db.user.findUniqueOrThrow({ where: { email: address } });
    return { jar, user, email: address };
  }

  it("generates AUTH_SECRET at first start, next to the database, readable only by the server's user", () => {
    const file = path.join(server.dir, "auth-secret");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8").trim().length).toBeGreaterThanOrEqual(43);
  });

  it("signs up, signs out and signs in again through next-auth's endpoints", async () => {
    const address = email("ada");
    const jar = new CookieJar();
    const signedUp = await authCallback(server.url, "signup", { email: address, password: PASSWORD, name: "Ada" }, jar);
    expect(signedUp).toMatchObject({ ok: true });
    expect(jar.get("authjs.session-token")).toBeTruthy();

    const user = await db.user.findUniqueOrThrow({ where: { email: address } });
    expect(user.role).toBe("player");
    expect(user.name).toBe("Ada");
    expect(user.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);

    const home = await getPage(server.url, "/", jar);
    expect(home.html).toContain('data-testid="signed-in-as"');
    expect(home.html).toContain("Ada");
    expect((await getPage(server.url, "/account", jar)).status).toBe(200);

    await signOutHttp(server.url, jar);
    expect(jar.get("authjs.session-token")).toBeUndefined();
    const out = await getPage(server.url, "/account", jar);
    expect(out.status).toBe(307);
    expect(out.location).toContain("/signin");

    // Emails are compared case-insensitively.
    const again = await authCallback(
      server.url,
      "credentials",
      { email: address.toUpperCase(), password: PASSWORD },
      jar,
    );
    expect(again.ok).toBe(true);
    expect((await getPage(server.url, "/account", jar)).status).toBe(200);
  });

  it("refuses wrong passwords and unknown emails alike, and bad or duplicate sign-ups", async () => {
    const { email: address } = await signUp();
    const wrong = await authCallback(
      server.url,
      "credentials",
      { email: address, password: "not the password" },
      new CookieJar(),
    );
    const unknown = await authCallback(
      server.url,
      "credentials",
      { email: email("nobody"), password: PASSWORD },
      new CookieJar(),
    );
    expect(wrong).toMatchObject({ ok: false, code: "invalid" });
    expect(unknown).toMatchObject({ ok: false, code: "invalid" });
    expect(wrong.location).toContain("/signin?error=CredentialsSignin");

    const jar = new CookieJar();
    expect(await authCallback(server.url, "signup", { email: address, password: PASSWORD }, jar)).toMatchObject({
      ok: false,
      code: "email_taken",
    });
    expect(
      await authCallback(server.url, "signup", { email: email("short"), password: "too short" }, jar),
    ).toMatchObject({ ok: false, code: "invalid_input" });
    expect(
      await authCallback(server.url, "signup", { email: email("long"), password: "x".repeat(201) }, jar),
    ).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await authCallback(server.url, "signup", { email: "not-an-email", password: PASSWORD }, jar)).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
    expect(jar.get("authjs.session-token")).toBeUndefined();
  });

  it("rate limits sign-in attempts per email (10 per 15 minutes) and per IP (50)", async () => {
    const { email: address } = await signUp();
    // Ten wrong guesses, each from another address: the email's own limit stops the eleventh, even if right.
    for (let i = 0; i < 10; i++) {
      const guess = await authCallback(
        server.url,
        "credentials",
        { email: address, password: `guess number ${i}` },
        new CookieJar(),
        { ip: ip() },
      );
      expect(guess.code).toBe("invalid");
    }
    const blocked = await authCallback(
      server.url,
      "credentials",
      { email: address, password: PASSWORD },
      new CookieJar(),
      { ip: ip() },
    );
    expect(blocked).toMatchObject({ ok: false, code: "rate_limited" });

    // One address trying many accounts: cut off after 50 attempts, whoever they are for; other addresses are not.
    const { email: other } = await signUp();
    const noisy = ip();
    for (let i = 0; i < 50; i++) {
      const attempt = await authCallback(
        server.url,
        "credentials",
        { email: `x${i}`, password: "x" },
        new CookieJar(),
        { ip: noisy },
      );
      expect(attempt.code).toBe("invalid");
    }
    const fromNoisy = await authCallback(
      server.url,
      "credentials",
      { email: other, password: PASSWORD },
      new CookieJar(),
      { ip: noisy },
    );
    expect(fromNoisy).toMatchObject({ ok: false, code: "rate_limited" });
    const fromElsewhere = await authCallback(
      server.url,
      "credentials",
      { email: other, password: PASSWORD },
      new CookieJar(),
      { ip: ip() },
    );
    expect(fromElsewhere.ok).toBe(true);
  });

  it("stops revoked sessions over HTTP and on sockets, connected or new; signing in again works", async () => {
    const { jar, user, email: address } = await signUp();
    const created = await fetch(`${server.url}/api/matches`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: jar.header() },
      body: "{}",
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("set-cookie")).toBeNull(); // an account needs no guest session
    const { matchId } = (await created.json()) as { matchId: string };
    expect((await db.match.findUniqueOrThrow({ where: { id: matchId } })).judgeId).toBe(user.id);

    const judge = await connectJudge(server.url, jar.header());
    expect(await request(judge, "match:join", { matchId })).toMatchObject({ ok: true });

    const session = async () =>
      (await fetch(`${server.url}/api/auth/session`, { headers: { cookie: jar.header() } })).json();
    expect(await session()).toMatchObject({ user: { email: address } });

    await revokeUserSessions(db, user.id);

    // next-auth's own session endpoint agrees.
    expect(await session()).toBeNull();

    const page = await getPage(server.url, "/account", jar);
    expect(page.status).toBe(307);
    expect(page.location).toContain("/signin");
    // The connected socket is refused at its next intent and disconnected…
    expect(await request(judge, "match:join", { matchId })).toMatchObject({
      ok: false,
      error: { code: "NOT_AUTHENTICATED" },
    });
    judge.socket.disconnect();
    // …and new connections with the old cookie fail the handshake.
    await expect(connectJudge(server.url, jar.header())).rejects.toThrow(/NOT_AUTHENTICATED/);

    const fresh = new CookieJar();
    expect(
      (await authCallback(server.url, "credentials", { email: address, password: PASSWORD }, fresh, { ip: ip() })).ok,
    ).toBe(true);
    expect((await getPage(server.url, "/account", fresh)).status).toBe(200);
    const back = await connectJudge(server.url, fresh.header());
    expect(await request(back, "match:join", { matchId })).toMatchObject({ ok: true });
    back.socket.disconnect();
  });

  it("a guest who signs up keeps their user row and matches, and the guest session becomes an account session", async () => {
    const { matchId, cookie } = await createGuestMatch(server.url);
    const guestId = (await db.match.findUniqueOrThrow({ where: { id: matchId } })).judgeId;
    const guestJar = new CookieJar(cookie);
    const { user } = await signUp(guestJar, { name: "Former Guest" });

    expect(user.id).toBe(guestId);
    expect(user.role).toBe("player");
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);

    // Signed in as the same user: the match is still theirs, over HTTP and the socket.
    const account = await getPage(server.url, "/account", guestJar);
    expect(account.status).toBe(200);
    expect(account.html).toContain(`/match/${matchId}`);
    const judge = await connectJudge(server.url, guestJar.header());
    expect(await request(judge, "match:join", { matchId })).toMatchObject({ ok: true, data: { id: matchId } });
    judge.socket.disconnect();

    // The old guest cookie alone no longer signs anyone in.
    const stale = new CookieJar(cookie);
    expect((await getPage(server.url, "/account", stale)).status).toBe(307);
    await expect(connectJudge(server.url, stale.header())).rejects.toThrow(/NOT_AUTHENTICATED/);
  });

  it("a guest who signs in to an existing account hands their matches to it", async () => {
    const { user: account, email: address } = await signUp();
    const { matchId, cookie } = await createGuestMatch(server.url);
    const guestId = (await db.match.findUniqueOrThrow({ where: { id: matchId } })).judgeId ?? "";
    const jar = new CookieJar(cookie);
    expect(
      (await authCallback(server.url, "credentials", { email: address, password: PASSWORD }, jar, { ip: ip() })).ok,
    ).toBe(true);
    expect((await db.match.findUniqueOrThrow({ where: { id: matchId } })).judgeId).toBe(account.id);
    expect(await db.user.findUnique({ where: { id: guestId } })).toBeNull();
  });

  it("limits socket intents to 20 per second per connection with RATE_LIMITED acks", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const judge = await connectJudge(server.url, cookie);
    const acks = await Promise.all(
      Array.from({ length: 30 }, () => request(judge, "match:join", { matchId: "missing" })),
    );
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(acks.length - limited.length).toBeLessThanOrEqual(20);
    expect(acks[0]).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    // A second later the connection may send again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await request(judge, "match:join", { matchId: "missing" })).toMatchObject({ error: { code: "NOT_FOUND" } });
    judge.socket.disconnect();
  });

  it("protects /admin: anonymous and guests go to sign in, players are refused, admins are served", async () => {
    const adminEmail = email("admin");
    const created = await runCrux(
      ["admin", "create", "--email", adminEmail, "--password", PASSWORD],
      server.databaseUrl,
    );
    expect(created).toMatchObject({ code: 0 });
    const adminJar = new CookieJar();
    expect(
      (await authCallback(server.url, "credentials", { email: adminEmail, password: PASSWORD }, adminJar, { ip: ip() }))
        .ok,
    ).toBe(true);
    const { jar: playerJar, email: playerEmail } = await signUp();
    const { cookie: guestCookie } = await createGuestMatch(server.url);

    const anonymous = await getPage(server.url, "/admin/users");
    expect(anonymous.status).toBe(307);
    expect(anonymous.location).toBe("/signin?callbackUrl=%2Fadmin%2Fusers&reason=account");
    const guest = await getPage(server.url, "/admin/users", new CookieJar(guestCookie));
    expect(guest.status).toBe(307);
    expect(guest.location).toContain("reason=account");
    const player = await getPage(server.url, "/admin/users", playerJar);
    expect(player.status).toBe(307);
    expect(player.location).toContain("reason=forbidden");
    // Observing needs a researcher too.
    expect((await getPage(server.url, "/observe/some-match", playerJar)).location).toContain("reason=forbidden");

    const admin = await getPage(server.url, "/admin/users", adminJar);
    expect(admin.status).toBe(200);
    expect(admin.html).toContain(playerEmail);
    expect(admin.html).toContain(adminEmail);

    // APIs under protected paths answer in JSON.
    const api = await fetch(`${server.url}/api/admin/users`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ code: "NOT_AUTHENTICATED" });
    const guestApi = await fetch(`${server.url}/api/studies/anything`, { headers: { cookie: guestCookie } });
    expect(guestApi.status).toBe(403);
    expect(await guestApi.json()).toMatchObject({ code: "FORBIDDEN" });
  });

  it("offers GitHub only when it is configured", async () => {
    const providers = (await (await fetch(`${server.url}/api/auth/providers`)).json()) as Record<string, unknown>;
    expect(Object.keys(providers).sort()).toEqual(["credentials", "signup"]);
    expect((await getPage(server.url, "/signin")).html).not.toContain("Sign in with GitHub");
  });
});

describe("accounts with AUTH_SECRET and GitHub configured", () => {
  const secret = "an-explicit-test-secret-of-more-than-32-characters";
  let server: RunningServer;
  let db: Db;

  beforeAll(async () => {
    server = await startServer({
      env: { AUTH_SECRET: secret, AUTH_GITHUB_ID: "test-client-id", AUTH_GITHUB_SECRET: "test-client-secret" },
    });
    db = createDb(server.databaseUrl);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it("uses AUTH_SECRET (no file is written) and offers GitHub", async () => {
    expect(fs.existsSync(path.join(server.dir, "auth-secret"))).toBe(false);
    const providers = (await (await fetch(`${server.url}/api/auth/providers`)).json()) as Record<string, unknown>;
    expect(Object.keys(providers)).toContain("github");
    expect((await getPage(server.url, "/signin")).html).toContain("Sign in with GitHub");

    // A session minted with that secret, as next-auth would, is accepted; one with another secret is not.
    const user = await db.user.create({ data: { email: "minted@example.test", role: "researcher" } });
    const good = await mintAccountToken({ sub: user.id }, secret);
    expect((await getPage(server.url, "/account", new CookieJar(`${good.name}=${good.value}`))).status).toBe(200);
    const forged = await mintAccountToken({ sub: user.id }, "some-other-secret-that-is-also-long-enough");
    expect((await getPage(server.url, "/account", new CookieJar(`${forged.name}=${forged.value}`))).status).toBe(307);
  });

  it("refuses to start with half a GitHub configuration or a short AUTH_SECRET", async () => {
    await expect(startServer({ env: { AUTH_GITHUB_ID: "only-the-id" } })).rejects.toThrow(/AUTH_GITHUB_SECRET/);
    await expect(startServer({ env: { AUTH_SECRET: "short" } })).rejects.toThrow(/AUTH_SECRET/);
  });
});
