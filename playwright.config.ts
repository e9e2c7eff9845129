import { execFileSync, execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests run Debian's Chromium (browsers cannot be downloaded here): CHROMIUM_PATH, or `chromium` on PATH.
 * The web servers are a fake language-model provider (tests/support/fake-llm, loopback, scripted answers streamed
 * with a pause between words so the judge can watch turns being written) and the real Crux server (production
 * build) on its own port and its own fresh SQLite database, offering the fake provider's model as debaters.
 */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync("command -v chromium || command -v chromium-browser", { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Two ports free right now, from the system (each held by a listener until both are known, so they differ). The
 * config is synchronous, so a short child process asks: Node has no synchronous way to listen.
 */
function freePorts(): [number, number] {
  const script = `const net = require("node:net");
    const listen = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => resolve(s)); });
    Promise.all([listen(), listen()]).then((servers) => {
      process.stdout.write(servers.map((s) => s.address().port).join(" "));
      for (const s of servers) s.close();
    });`;
  const [port, llm] = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).split(" ").map(Number);
  if (!port || !llm) throw new Error("could not find free ports for the e2e servers");
  return [port, llm];
}

// The config is evaluated again in each worker: the first evaluation picks free ports (so that two runs on one
// machine do not collide) and the data directory, and workers inherit them. E2E_PORT / E2E_LLM_PORT choose fixed ones.
if (!process.env.E2E_PORT || !process.env.E2E_LLM_PORT) {
  const [port, llm] = freePorts();
  process.env.E2E_PORT ||= String(port);
  process.env.E2E_LLM_PORT ||= String(llm);
}
const port = Number(process.env.E2E_PORT);
const llmPort = Number(process.env.E2E_LLM_PORT);
/** The debater spec served by the fake provider; tests/e2e/llm-debaters.spec.ts chooses it on the home page. */
export const E2E_LLM_DEBATER = "openai-compatible:local/scripted-llm";
/** A fake key: the browser tests check that it never reaches the browser. */
export const E2E_LLM_API_KEY = "sk-e2e-local-not-for-browsers";
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "crux-e2e-"));
const e2eDatabaseUrl = `file:${path.join(process.env.E2E_DATA_DIR, "crux.db")}`;
process.env.E2E_DATABASE_URL = e2eDatabaseUrl;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: [
    {
      // First, so the model provider is up before any debate can call it.
      command: `npx tsx tests/support/fake-llm/main.ts --port ${llmPort} --chunk-delay-ms 15`,
      url: `http://127.0.0.1:${llmPort}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: "npx tsx server.ts",
      url: `http://127.0.0.1:${port}`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: e2eDatabaseUrl,
        // Slow enough that a reload or a network drop lands mid-turn (tests/e2e/reconnect.spec.ts) on a busy machine.
        CRUX_OFFLINE_WORD_DELAY_MS: "15",
        // Recorded debates (tests/e2e/real-debate.spec.ts) stream their long human turns quickly.
        CRUX_RECORDED_WORD_DELAY_MS: "2",
        CRUX_LOG: "error",
        CRUX_PROVIDER_LOCAL_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
        CRUX_PROVIDER_LOCAL_API_KEY: E2E_LLM_API_KEY,
        CRUX_PLAY_MODELS: E2E_LLM_DEBATER,
        // Every game must reach the provider and stream, never replay a stored answer.
        CRUX_MODEL_CACHE: "0",
        // tests/e2e/game-record.spec.ts ranks players after two games each.
        CRUX_LEADERBOARD_MIN_GAMES: "2",
      },
    },
  ],
});
