import http from "node:http";
import { token } from "./shared";

/**
 * The loopback model of bench/live-load.ts, in its own process: an OpenAI-compatible chat-completions endpoint that
 * answers every streaming request with WORDS tokens, one SSE event each, TOKEN_MS apart (each stream on its own
 * timer, so streams are not synchronised). Each token carries its index and its send time (./shared.ts).
 *
 *   node --import tsx bench/live-load/model-server.ts <words> <token-ms>
 *
 * Prints `model <port>` once listening.
 */

const words = Number(process.argv[2] ?? 50);
const tokenMs = Number(process.argv[3] ?? 40);
let next = 0;

function frame(id: string, delta: Record<string, unknown>, finish: string | null): string {
  const chunk = {
    id,
    object: "chat.completion.chunk",
    created: 0,
    model: "live-load",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return void res.writeHead(404).end();
  const body: Buffer[] = [];
  req.on("data", (part: Buffer) => body.push(part));
  req.on("end", () => {
    const request = JSON.parse(Buffer.concat(body).toString("utf8")) as {
      stream_options?: { include_usage?: boolean };
    };
    const id = `chatcmpl-${next++}`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(frame(id, { role: "assistant", content: "" }, null));
    let index = 0;
    const timer = setInterval(() => {
      if (index < words) {
        res.write(frame(id, { content: token(index++) }, null));
        return;
      }
      clearInterval(timer);
      res.write(frame(id, {}, "stop"));
      if (request.stream_options?.include_usage) {
        const usage = { prompt_tokens: 100, completion_tokens: words, total_tokens: 100 + words };
        res.write(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model: "live-load", choices: [], usage })}\n\n`,
        );
      }
      res.end("data: [DONE]\n\n");
    }, tokenMs);
    res.on("close", () => clearInterval(timer));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`model ${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => process.exit(0));
