import { parseArgs } from "node:util";
import { startFakeLlmServer } from "./server";

/**
 * Runs the fake model provider with the scripted debate responder, for Playwright (as a second web server) or by
 * hand:
 *
 *   npx tsx tests/support/fake-llm/main.ts --port 4010 [--chunk-delay-ms 20] [--latency-ms 100]
 *
 * Point the app at it with base URL `http://127.0.0.1:<port>/v1` for every provider. `GET /health` answers 200
 * for readiness probes. Stops on SIGINT/SIGTERM.
 */

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    "chunk-delay-ms": { type: "string", default: "0" },
    "latency-ms": { type: "string", default: "0" },
  },
});

const port = Number(values.port);
const chunkDelayMs = Number(values["chunk-delay-ms"]);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
if (!Number.isFinite(chunkDelayMs) || chunkDelayMs < 0) {
  throw new Error(`--chunk-delay-ms: not a non-negative number: ${values["chunk-delay-ms"]}`);
}

const latencyMs = Number(values["latency-ms"]);
if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`--latency-ms: not a non-negative number`);
const server = await startFakeLlmServer({ port, chunkDelayMs, latencyMs });
// Playwright and scripts wait for this exact line.
console.log(`Fake LLM ready on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
