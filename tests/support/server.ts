import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, newTestDatabaseName, onPostgres } from "./postgres";
import { markTestProcess, onLeftover } from "./processes";

const root = path.resolve(import.meta.dirname, "..", "..");
/** How long a server may take to shut down after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

export interface RunningServer {
  url: string;
  port: number;
  databaseUrl: string;
  dir: string;
  child: ChildProcess;
  /** Everything the server printed, for assertions and for debugging a failure. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  /** Reuse a data directory (e.g. to restart on the same database). */
  dir?: string;
  env?: Record<string, string>;
  port?: number;
  /** Node flags for the server process (`--expose-gc`, so that its footprint is read after a full collection). */
  nodeArgs?: string[];
}

/**
 * The server's database for data directory `dir`: its SQLite file, or in the PostgreSQL test pass a database of
 * its own, created at the first start and named in `dir/database-url`, so that a restart on `dir` finds it again.
 */
async function databaseFor(dir: string): Promise<string> {
  if (!onPostgres) return `file:${path.join(dir, "crux.db")}`;
  const file = path.join(dir, "database-url");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const url = await createTestDatabase(newTestDatabaseName("server"));
  fs.writeFileSync(file, url);
  return url;
}

/**
 * Starts the real Crux server (server.ts through tsx, production build of Next) on a free port with its own
 * database (SQLite, or PostgreSQL in the PostgreSQL test pass), and resolves once it prints its ready line. Needs
 * `npm run build` to have run.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` before the integration tests.");
  }
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "crux-test-"));
  const databaseUrl = await databaseFor(dir);
  // tsx as a loader in this very process, not through its CLI: the CLI runs the script in a child of its own, which
  // a SIGKILL (a test simulating a crash) would leave running as an orphan, still serving its database.
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "--import", "tsx", path.join(root, "server.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(options.port ?? 0),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        CRUX_OFFLINE_WORD_DELAY_MS: "1",
        // The shipped recorded debates take seconds to seed: only the tests that replay them ask for them.
        CRUX_SEED_DEBATES_ON_START: "0",
        CRUX_LOG: "error",
        ...options.env,
        ...markTestProcess(`server on ${dir}`),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (hasExited()) return;
    child.kill(signal);
    // A server that does not shut down cleanly is killed rather than left behind.
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const forget = onLeftover(() => stop());
  void exited.then(forget);
  let output = "";
  // CRUX_TEST_SERVER_OUTPUT=1 echoes the server's output as it comes (a 500 while debugging a test, say).
  const echoOutput = process.env.CRUX_TEST_SERVER_OUTPUT === "1";
  child.stdout?.on("data", (chunk) => {
    if (echoOutput) process.stderr.write(chunk);
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    if (echoOutput) process.stderr.write(chunk);
    output += String(chunk);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not ready in time: it must not linger (it may yet start, on a port no test knows).
      child.kill("SIGKILL");
      reject(new Error(`server did not start in time:\n${output}`));
    }, 60_000);
    const onData = () => {
      const match = /Crux ready on http:\/\/localhost:(\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    databaseUrl,
    dir,
    child,
    output: () => output,
    stop,
  };
}

/** What the server reports on SIGUSR2 (server.ts `memoryFootprint`, docs/operations.md). */
export interface ServerFootprint {
  /** Whether a full garbage collection ran first (the server runs with `--expose-gc`). */
  gc: boolean;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** Matches the runner holds in memory, and their quote indexes. */
  liveMatches: number;
  quoteIndexes: number;
  /** Open socket.io connections, rooms, and live turns whose chunks are being numbered. */
  sockets: number;
  rooms: number;
  streams: number;
}

/** Sends the server SIGUSR2 and resolves with the `memory {…}` line it prints in answer. */
export async function readFootprint(server: RunningServer, timeoutMs = 15_000): Promise<ServerFootprint> {
  const pattern = /^memory (\{.*\})$/gm;
  const before = server.output().match(pattern)?.length ?? 0;
  server.child.kill("SIGUSR2");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = server.output().match(pattern) ?? [];
    const line = lines[before];
    if (line) return JSON.parse(line.slice("memory ".length)) as ServerFootprint;
    if (Date.now() > deadline) throw new Error(`the server printed no memory line within ${timeoutMs} ms of SIGUSR2`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
