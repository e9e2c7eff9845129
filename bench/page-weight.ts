/**
 * The judge page's first-load JavaScript against a minimal Next page: `npm run bench:page-weight`.
 *
 * Builds a minimal App Router page (a layout and a page of plain text, in a scratch folder inside the project so it
 * uses the same `next` from node_modules) and serves it with `next start`; starts Crux on its production build
 * (`npm run build` first, or BENCH_BUILD=1 to build it in this run too) and opens a judge page (`/match/<id>`, a
 * guest's new match). For each page it fetches the HTML, takes every script the HTML loads from `/_next/static`,
 * and downloads each with `Accept-Encoding: gzip, br` without decoding: the bytes over the wire. Scripts a server
 * sends uncompressed are counted gzipped (level 6), as any front proxy would send them. Prints both totals, the
 * scripts of the judge page largest first, and the ratio; exits 1 when the ratio exceeds TARGET_RATIO.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import { createGuestMatch } from "../tests/support/client";
import { startServer } from "../tests/support/server";

const TARGET_RATIO = 1.3;
const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", ".bin", "next");

interface Script {
  url: string;
  bytes: number;
  encoding: string;
}

/** GETs `url` asking for compression, without decoding: status, headers and the raw body. */
function rawGet(url: string, cookie = ""): Promise<{ status: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "accept-encoding": "gzip, br" };
    if (cookie) headers.cookie = cookie;
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            encoding: String(response.headers["content-encoding"] ?? "identity"),
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on("error", reject);
  });
}

function decode(body: Buffer, encoding: string): string {
  if (encoding === "gzip") return zlib.gunzipSync(body).toString("utf8");
  if (encoding === "br") return zlib.brotliDecompressSync(body).toString("utf8");
  return body.toString("utf8");
}

/** The first-load scripts of the page at `url`: every `/_next/static/…js` its HTML loads, with its wire size. */
async function firstLoadScripts(baseUrl: string, pagePath: string, cookie = ""): Promise<Script[]> {
  const page = await rawGet(`${baseUrl}${pagePath}`, cookie);
  if (page.status !== 200) throw new Error(`GET ${pagePath}: ${page.status}`);
  const html = decode(page.body, page.encoding);
  const sources = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js[^"]*)"/g)].map((m) => m[1] ?? ""));
  const scripts: Script[] = [];
  for (const src of sources) {
    if (!src.includes("/_next/static/")) continue;
    const script = await rawGet(new URL(src.replaceAll("&amp;", "&"), baseUrl).toString());
    if (script.status !== 200) throw new Error(`GET ${src}: ${script.status}`);
    const compressed = script.encoding !== "identity";
    scripts.push({
      url: src,
      bytes: compressed ? script.body.length : zlib.gzipSync(script.body, { level: 6 }).length,
      encoding: compressed ? script.encoding : "gzip (computed)",
    });
  }
  if (scripts.length === 0) throw new Error(`no scripts found on ${pagePath}`);
  return scripts;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Writes, builds and starts the minimal page; returns its URL and a stop function. */
async function startMinimalApp(): Promise<{ url: string; stop: () => Promise<void>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(root, ".bench-minimal-"));
  fs.mkdirSync(path.join(dir, "app"));
  fs.writeFileSync(
    path.join(dir, "app", "layout.jsx"),
    'export default function Layout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n',
  );
  fs.writeFileSync(path.join(dir, "app", "page.jsx"), "export default function Page() {\n  return <p>Hello</p>;\n}\n");
  fs.writeFileSync(path.join(dir, "next.config.mjs"), "export default {};\n");
  fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  console.log(`building the minimal page in ${path.relative(root, dir)} …`);
  execFileSync(nextBin, ["build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env } });
  const port = await freePort();
  const child: ChildProcess = spawn(nextBin, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
      if (/Ready in|started server|Local:/i.test(output)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return { url: `http://127.0.0.1:${port}`, stop, dir };
}

const total = (scripts: Script[]) => scripts.reduce((sum, script) => sum + script.bytes, 0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function main() {
  if (process.env.BENCH_BUILD === "1") execFileSync(nextBin, ["build"], { cwd: root, stdio: "inherit" });
  const minimal = await startMinimalApp();
  const crux = await startServer({ env: { CRUX_LOG: "error" } });
  try {
    const baseline = await firstLoadScripts(minimal.url, "/");
    const { matchId, cookie } = await createGuestMatch(crux.url);
    const judge = await firstLoadScripts(crux.url, `/match/${matchId}`, cookie);
    const ratio = total(judge) / total(baseline);
    console.log(`\nminimal Next page: ${kb(total(baseline))} in ${baseline.length} scripts`);
    console.log(`judge page:        ${kb(total(judge))} in ${judge.length} scripts`);
    for (const script of [...judge].sort((a, b) => b.bytes - a.bytes))
      console.log(`  ${kb(script.bytes).padStart(9)}  ${script.encoding.padEnd(15)} ${script.url}`);
    console.log(`\nratio: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)`);
    process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
  } finally {
    await crux.stop();
    await minimal.stop();
    fs.rmSync(minimal.dir, { recursive: true, force: true });
  }
}

await main();
