import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Calling server actions over HTTP the way the browser does: the action's id (from the production build's
 * server-reference-manifest.json) in a `Next-Action` header, POSTed to a page that uses it, with the arguments encoded
 * by React's own Flight client (`encodeReply`: a JSON array, or multipart form data when an argument is FormData).
 */

const root = path.resolve(import.meta.dirname, "..", "..");

/** A server action as the build exposes it. */
export interface ServerAction {
  id: string;
  /** `app/studies/actions.ts#createStudyAction` */
  name: string;
  /** The pages whose requests may call it, as route patterns: `/studies/[id]`. */
  pages: string[];
}

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}

/** Every server action of the production build (needs `npm run build`). */
export function listServerActions(): ServerAction[] {
  const file = path.join(root, ".next", "server", "server-reference-manifest.json");
  if (!fs.existsSync(file)) throw new Error(`No ${path.relative(root, file)}: run \`npm run build\` first.`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<"node" | "edge", Record<string, ManifestEntry>>;
  return Object.entries({ ...manifest.edge, ...manifest.node }).map(([id, entry]) => {
    if (!entry.filename || !entry.exportedName) throw new Error(`server action ${id} has no filename/exportedName`);
    const pages = Object.keys(entry.workers)
      .filter((worker) => worker.endsWith("/page"))
      .map((worker) => worker.slice("app".length, -"/page".length).replace(/\/\([^)]*\)/g, "") || "/");
    return { id, name: `${entry.filename}#${entry.exportedName}`, pages };
  });
}

/** True when `url` (a concrete path) is served by the page with route pattern `page` (`/studies/[id]`). */
export function pageServes(page: string, url: string): boolean {
  const pattern = page.replace(/\[\[?\.\.\.[^\]]+\]?\]/g, ".*").replace(/\[[^\]]+\]/g, "[^/]+");
  return new RegExp(`^${pattern}$`).test(url.split("?")[0] ?? url);
}

/**
 * How an action call ended: `ok` (a result or a redirect), `signin` (sent to the sign-in page, by the proxy with a
 * 307 or by requireRole through `x-action-redirect`), `refused` (a result stating a failure: `ok: false`, `error`,
 * `fields`, `issues`, or only a `message`), `error` (the action threw: an error digest and status 500).
 */
export interface ActionResult {
  outcome: "ok" | "signin" | "refused" | "error";
  status: number;
  /** Where the action redirected (path or URL), if it did. */
  redirect: string | null;
  /** What the action returned (undefined for void and for redirects). */
  result: unknown;
  setCookies: string[];
  body: string;
}

const flightClient = createRequire(import.meta.url)("next/dist/compiled/react-server-dom-turbopack/client.node") as {
  encodeReply(value: unknown[]): Promise<string | FormData>;
};

/**
 * POSTs a call of `action` from `page` (a concrete path) with `args`, as the signed-in `cookie`. `options.headers`
 * are sent too (`x-forwarded-for`, to stand for another client address on a server that trusts a proxy).
 */
export async function callAction(
  baseUrl: string,
  action: ServerAction,
  page: string,
  args: unknown[],
  cookie: string,
  options: { headers?: Record<string, string> } = {},
): Promise<ActionResult> {
  const body = await flightClient.encodeReply(args);
  const response = await fetch(`${baseUrl}${page}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...options.headers,
      "next-action": action.id,
      accept: "text/x-component",
      ...(typeof body === "string" ? { "content-type": "text/plain;charset=UTF-8" } : {}),
      ...(cookie ? { cookie } : {}),
    },
    body,
  });
  const text = await response.text();
  const base = { status: response.status, setCookies: response.headers.getSetCookie(), body: text };
  const location = response.headers.get("location");
  if (response.status >= 300 && response.status < 400) {
    const outcome = location && isSignIn(location, baseUrl) ? "signin" : "error";
    return { ...base, outcome, redirect: location, result: undefined };
  }
  // A redirect: `x-action-redirect: <url>;<push|replace>`, status 200, the target page's payload as the body.
  const redirect = response.headers.get("x-action-redirect")?.replace(/;(push|replace)$/, "") ?? null;
  if (redirect) return { ...base, outcome: isSignIn(redirect, baseUrl) ? "signin" : "ok", redirect, result: undefined };
  const returned = actionReturn(text);
  if (response.status !== 200 || returned.threw) return { ...base, outcome: "error", redirect, result: undefined };
  return { ...base, outcome: statesFailure(returned.value) ? "refused" : "ok", redirect, result: returned.value };
}

function isSignIn(url: string, baseUrl: string): boolean {
  return new URL(url, baseUrl).pathname === "/signin";
}

/** The action's return value from the Flight response: row 0 is `{"a":"$@<row>",…}`, that row the value or `E{…}`. */
function actionReturn(body: string): { threw: boolean; value: unknown } {
  const rows = flightRows(body);
  const root = JSON.parse(rows.get("0") ?? "null") as { a?: unknown } | null;
  const reference = typeof root?.a === "string" ? /^\$@([0-9a-f]+)$/.exec(root.a)?.[1] : undefined;
  const row = reference === undefined ? undefined : rows.get(reference);
  if (row === undefined) return { threw: true, value: undefined };
  if (row.startsWith("E")) return { threw: true, value: row };
  const value = JSON.parse(row) as unknown;
  return { threw: false, value: value === "$undefined" ? undefined : value };
}

/**
 * The rows of a Flight response by id. Most rows are `<id>:<json>\n`; a long string is a text row `<id>:T<hex byte
 * length>,<text>` with no newline after it, so rows are read by length, not split on newlines.
 */
function flightRows(body: string): Map<string, string> {
  const bytes = Buffer.from(body, "utf8");
  const rows = new Map<string, string>();
  let at = 0;
  while (at < bytes.length) {
    const colon = bytes.indexOf(":", at);
    if (colon < 0) break;
    const id = bytes.toString("utf8", at, colon);
    if (bytes[colon + 1] === "T".charCodeAt(0)) {
      const comma = bytes.indexOf(",", colon);
      const length = Number.parseInt(bytes.toString("utf8", colon + 2, comma), 16);
      rows.set(id, bytes.toString("utf8", comma + 1, comma + 1 + length));
      at = comma + 1 + length;
    } else {
      const end = bytes.indexOf("\n", colon);
      const stop = end < 0 ? bytes.length : end;
      rows.set(id, bytes.toString("utf8", colon + 1, stop));
      at = stop + 1;
    }
  }
  return rows;
}

function statesFailure(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const state = value as Record<string, unknown>;
  if (state.ok === true) return false;
  return state.ok === false || "error" in state || "fields" in state || "issues" in state || "message" in state;
}

/** A FormData of string fields, as a form submits. */
export function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}
