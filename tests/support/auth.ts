/**
 * Signing in over HTTP the way a browser does, through next-auth's real endpoints: a CSRF token from
 * /api/auth/csrf (with its cookie), then a form POST to /api/auth/callback/<provider>. A small cookie jar carries
 * the cookies between requests.
 */

/** Cookies by name, fed from Set-Cookie headers and sent back as a Cookie header. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(initial?: string) {
    for (const pair of (initial ?? "").split(";")) {
      const [name, ...value] = pair.trim().split("=");
      if (name) this.cookies.set(name, value.join("="));
    }
  }

  /** Takes in a response's Set-Cookie headers; expired or emptied cookies are dropped. */
  absorb(response: Response): this {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expires = attributes.find((a) => a.trim().toLowerCase().startsWith("expires="));
      const expired = expires ? new Date(expires.split("=")[1] ?? "").getTime() <= Date.now() : false;
      const maxAgeZero = attributes.some((a) => a.trim().toLowerCase() === "max-age=0");
      if (!value || expired || maxAgeZero) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  /** The Cookie header to send. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** A copy, e.g. to keep an old session around after signing out. */
  clone(): CookieJar {
    return new CookieJar(this.header());
  }
}

export interface CallbackResult {
  ok: boolean;
  /** next-auth's error code on refusal (`invalid`, `rate_limited`, `email_taken`, `invalid_input`). */
  code: string | null;
  location: string;
}

async function csrfToken(baseUrl: string, jar: CookieJar): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.absorb(response);
  const body = (await response.json()) as { csrfToken: string };
  return body.csrfToken;
}

/**
 * POSTs a form to /api/auth/callback/<provider> (`credentials` signs in, `signup` creates an account) as a browser
 * would. `ip` is sent as X-Forwarded-For (honoured by servers started with CRUX_TRUST_PROXY=1).
 */
export async function authCallback(
  baseUrl: string,
  provider: "credentials" | "signup",
  fields: Record<string, string>,
  jar: CookieJar,
  options: { ip?: string } = {},
): Promise<CallbackResult> {
  const token = await csrfToken(baseUrl, jar);
  const response = await fetch(`${baseUrl}/api/auth/callback/${provider}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.header(),
      ...(options.ip ? { "x-forwarded-for": options.ip } : {}),
    },
    body: new URLSearchParams({ ...fields, csrfToken: token }),
  });
  jar.absorb(response);
  const location = response.headers.get("location") ?? "";
  const url = new URL(location, baseUrl);
  return {
    ok: response.status === 302 && !url.searchParams.has("error"),
    code: url.searchParams.get("code"),
    location,
  };
}

/** Signs out through next-auth's endpoint (clears the account cookie in `jar`). */
export async function signOutHttp(baseUrl: string, jar: CookieJar): Promise<void> {
  const token = await csrfToken(baseUrl, jar);
  const response = await fetch(`${baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken: token }),
  });
  jar.absorb(response);
}

/** GET a page without following redirects: its status, where it redirects, and its HTML. */
export async function getPage(
  baseUrl: string,
  path: string,
  jar?: CookieJar,
): Promise<{ status: number; location: string | null; html: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    redirect: "manual",
    headers: jar ? { cookie: jar.header() } : {},
  });
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}
