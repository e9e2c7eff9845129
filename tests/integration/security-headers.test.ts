import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../lib/realtime/protocol";
import { HSTS_HEADER, SECURITY_HEADERS } from "../../lib/security-headers";
import { createGuestMatch } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/** Every kind of response carries the security headers: pages, redirects, API routes, errors and static files. */
describe("security headers", () => {
  let server: RunningServer;
  let proxied: RunningServer;

  beforeAll(async () => {
    [server, proxied] = await Promise.all([startServer(), startServer({ env: { CRUX_TRUST_PROXY: "1" } })]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), proxied?.stop()]);
  });

  async function staticAssetPath(): Promise<string> {
    const html = await (await fetch(`${server.url}/`)).text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
    if (!asset) throw new Error("the home page links no static script");
    return asset;
  }

  it.each([
    ["the home page", "/", "GET", 200],
    ["the sign-in page", "/signin", "GET", 200],
    ["a protected page (redirect to sign-in)", "/studies", "GET", 307],
    ["a missing page", "/no-such-page", "GET", 404],
    ["an API route refusing a bad body", "/api/matches", "POST", 400],
    ["the favicon", "/favicon.svg", "GET", 200],
  ] as const)("on %s", async (_name, path, method, status) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      redirect: "manual",
      body: method === "POST" ? "{" : undefined,
      headers: method === "POST" ? { "content-type": "application/json" } : {},
    });
    expect(response.status).toBe(status);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      // Pages and routes get the full policy with a nonce from proxy.ts; it keeps the base policy's directives.
      if (name === "Content-Security-Policy") {
        for (const directive of value.split("; ")) expect(response.headers.get(name)).toContain(directive);
      } else expect(response.headers.get(name)).toBe(value);
    }
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("on static files", async () => {
    const response = await fetch(`${server.url}${await staticAssetPath()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("adds HSTS only behind a trusted proxy that reports HTTPS", async () => {
    const https = { "x-forwarded-proto": "https" };
    const trusted = await fetch(`${proxied.url}/`, { headers: https });
    expect(trusted.headers.get("strict-transport-security")).toBe(HSTS_HEADER);
    const plain = await fetch(`${proxied.url}/`, { headers: { "x-forwarded-proto": "http" } });
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    // Without CRUX_TRUST_PROXY the header is the client's say-so and is ignored.
    const untrusted = await fetch(`${server.url}/`, { headers: https });
    expect(untrusted.headers.get("strict-transport-security")).toBeNull();
  });

  it("sets the guest session cookie httpOnly and SameSite=Lax, and Secure only over HTTPS", async () => {
    const play = (url: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/api/matches`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: "{}",
      });
    const plain = (await play(server.url)).headers.get("set-cookie") ?? "";
    expect(plain).toMatch(/HttpOnly/i);
    expect(plain).toMatch(/SameSite=Lax/i);
    expect(plain).not.toMatch(/Secure/i);
    const overHttps = (await play(proxied.url, { "x-forwarded-proto": "https" })).headers.get("set-cookie") ?? "";
    expect(overHttps).toMatch(/;\s*Secure/i);
    // A client cannot claim HTTPS (or forge the stamped header) when no trusted proxy says so.
    const forged = (await play(server.url, { "x-forwarded-proto": "https", "x-crux-client-proto": "https" })).headers;
    expect(forged.get("set-cookie") ?? "").not.toMatch(/Secure/i);
  });

  it("lets only pages of this site open a socket with a visitor's cookies", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const connect = (origin: string | undefined, transport: "websocket" | "polling") =>
      new Promise<string>((resolve) => {
        const socket = io(server.url, {
          auth: { v: PROTOCOL_VERSION },
          extraHeaders: { cookie, ...(origin ? { origin } : {}) },
          transports: [transport],
          forceNew: true,
          reconnection: false,
        });
        socket.once("connect", () => {
          socket.disconnect();
          resolve("connected");
        });
        socket.once("connect_error", (error) => {
          socket.disconnect();
          resolve(`refused: ${error.message}`);
        });
      });
    for (const transport of ["websocket", "polling"] as const) {
      expect(await connect(server.url, transport)).toBe("connected");
      expect(await connect(undefined, transport)).toBe("connected");
      expect(await connect("http://evil.example", transport)).toMatch(/^refused/);
      expect(await connect(`http://127.0.0.1:${server.port + 1}`, transport)).toMatch(/^refused/);
      expect(await connect("null", transport)).toMatch(/^refused/);
    }
  });

  it("gives every page a Content-Security-Policy with a fresh nonce that all of its scripts carry", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/signin", "/no-such-page"]) {
      const response = await fetch(`${server.url}${path}`);
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce, `${path}: ${policy}`).toBeTruthy();
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).not.toContain("unsafe-eval");
      expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
      nonces.add(nonce ?? "");
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });
});
