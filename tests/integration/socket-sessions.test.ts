import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { PROTOCOL_VERSION } from "../../lib/realtime/protocol";
import { callAction, formData, listServerActions, type ServerAction } from "../support/actions";
import { authCallback, CookieJar } from "../support/auth";
import { connectJudge, createGuestMatch, type RecordingSocket, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * The socket server's limits (connections and intents per user and per client address, across connections) and
 * its reaction to an admin's changes: a revoked session or a changed role closes the user's connections at once.
 * The server trusts X-Forwarded-For here, so each test stands for clients at addresses of its own.
 */
const PASSWORD = "correct horse battery";
const LIMITS = {
  CRUX_SOCKETS_PER_USER: "3",
  CRUX_SOCKETS_PER_IP: "4",
  CRUX_SOCKET_EVENTS_PER_USER: "25",
  CRUX_SOCKET_EVENTS_PER_IP: "30",
};

describe("socket limits and session changes", () => {
  let server: RunningServer;
  let db: Db;
  let actions: ServerAction[];
  const open: RecordingSocket[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { ...LIMITS, CRUX_TRUST_PROXY: "1", CRUX_SIGNIN_LIMIT_PER_IP: "10000" } });
    db = createDb(server.databaseUrl);
    actions = listServerActions();
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.socket.disconnect();
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  /** A socket as `cookie` from address `ip`, closed after the test. */
  async function connect(cookie: string, ip: string): Promise<RecordingSocket> {
    const client = await connectJudge(server.url, cookie, { headers: { "x-forwarded-for": ip } });
    open.push(client);
    return client;
  }

  /** The handshake's refusal for `cookie` from `ip`. */
  async function refusal(cookie: string, ip: string): Promise<string> {
    const socket = io(server.url, {
      auth: { v: PROTOCOL_VERSION },
      extraHeaders: { cookie, "x-forwarded-for": ip },
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    try {
      return await new Promise<string>((resolve, reject) => {
        socket.once("connect", () => reject(new Error("the connection was accepted")));
        socket.once("connect_error", (error) => resolve(error.message));
      });
    } finally {
      socket.disconnect();
    }
  }

  /** An account of `role`, signed in: its cookie and id. */
  async function account(role: "researcher" | "admin"): Promise<{ cookie: string; id: string }> {
    const jar = new CookieJar();
    const email = `${role}-${randomUUID()}@example.test`;
    const result = await authCallback(server.url, "signup", { email, password: PASSWORD }, jar);
    if (!result.ok) throw new Error(`could not sign up: ${result.location}`);
    const user = await db.user.update({ where: { email }, data: { role } });
    return { cookie: jar.header(), id: user.id };
  }

  function action(name: string): ServerAction {
    const found = actions.find((candidate) => candidate.name === `app/admin/users/actions.ts#${name}`);
    if (!found) throw new Error(`the build has no action ${name}`);
    return found;
  }

  it("refuses a user's connection past their limit with a clear connect_error, and admits one once another closes", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const clients = [];
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) clients.push(await connect(cookie, ip));
    expect(await refusal(cookie, "203.0.113.4")).toMatch(/^RATE_LIMITED: your account already has 3 live connections/);
    clients[0]?.socket.disconnect();
    // The server forgets the closed connection when its close arrives: retry until it has.
    const deadline = Date.now() + 10_000;
    let again: RecordingSocket | null = null;
    while (!again) {
      again = await connect(cookie, "203.0.113.4").catch((error: Error) => {
        if (!error.message.startsWith("RATE_LIMITED") || Date.now() > deadline) throw error;
        return null;
      });
    }
    expect(again.socket.connected).toBe(true);
  });

  it("counts connections per client address, an IPv6 /64 as one", async () => {
    const guests = await Promise.all(Array.from({ length: 6 }, () => createGuestMatch(server.url)));
    const cookies = guests.map((guest) => guest.cookie);
    for (const [i, cookie] of cookies.slice(0, 4).entries()) await connect(cookie, `2001:db8:7:1::${i + 1}`);
    expect(await refusal(cookies[4] ?? "", "2001:db8:7:1:ffff::9")).toMatch(
      /^RATE_LIMITED: too many live connections from your network/,
    );
    // The next /64 is another network.
    expect((await connect(cookies[5] ?? "", "2001:db8:7:2::1")).socket.connected).toBe(true);
  });

  it("limits intents per user across their connections with RATE_LIMITED acks", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const [a, b] = [await connect(cookie, "192.0.2.10"), await connect(cookie, "192.0.2.11")];
    const acks = await Promise.all(
      [a, b].flatMap((client) => Array.from({ length: 20 }, () => request(client, "match:join", { matchId: "x" }))),
    );
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED");
    expect(acks.length - limited.length).toBeLessThanOrEqual(25);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(limited.some((ack) => !ack.ok && /from your account/.test(ack.error.message))).toBe(true);
  });

  it("limits intents per client address across users with RATE_LIMITED acks", async () => {
    const [first, second] = await Promise.all([createGuestMatch(server.url), createGuestMatch(server.url)]);
    const clients = [await connect(first.cookie, "198.51.100.7"), await connect(second.cookie, "198.51.100.7")];
    const acks = await Promise.all(
      clients.flatMap((client) => Array.from({ length: 20 }, () => request(client, "match:join", { matchId: "x" }))),
    );
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED");
    expect(acks.length - limited.length).toBeLessThanOrEqual(30);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited.some((ack) => !ack.ok && /from your network/.test(ack.error.message))).toBe(true);
  });

  /** A researcher observing a guest's match over a socket; resolves `closed` when the server disconnects it. */
  async function observingResearcher(ip: string) {
    const { matchId } = await createGuestMatch(server.url);
    const researcher = await account("researcher");
    const observer = await connect(researcher.cookie, ip);
    expect(await request(observer, "match:observe", { matchId })).toMatchObject({ ok: true });
    const closed = new Promise<string>((resolve) => observer.socket.once("disconnect", resolve));
    return { matchId, researcher, observer, closed };
  }

  it("closes a researcher's sockets when an admin changes their role; a reconnect observes no more", async () => {
    const admin = await account("admin");
    const { matchId, researcher, closed } = await observingResearcher("192.0.2.20");
    const changed = await callAction(
      server.url,
      action("changeRoleAction"),
      "/admin/users",
      [{}, formData({ userId: researcher.id, role: "player" })],
      admin.cookie,
    );
    expect(changed.result).toMatchObject({ ok: true });
    expect(await closed).toMatch(/transport close|io server disconnect/);
    // Connecting again is allowed (the session is valid), under the new role only.
    const again = await connect(researcher.cookie, "192.0.2.20");
    expect(await request(again, "match:observe", { matchId })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("closes a user's sockets when an admin revokes their sessions; the old cookie cannot reconnect", async () => {
    const admin = await account("admin");
    const { researcher, closed } = await observingResearcher("192.0.2.30");
    const revoked = await callAction(
      server.url,
      action("revokeSessionsAction"),
      "/admin/users",
      [{}, formData({ userId: researcher.id })],
      admin.cookie,
    );
    expect(revoked.result).toMatchObject({ ok: true });
    expect(await closed).toMatch(/transport close|io server disconnect/);
    expect(await refusal(researcher.cookie, "192.0.2.30")).toMatch(/^NOT_AUTHENTICATED/);
  });
});
