import http from "node:http";
import { Server } from "socket.io";
import { complete, resolveLanguageModel } from "../../lib/models/providers/ai-sdk";
import { providersFromEnv } from "../../lib/models/providers/config";

/**
 * The floor of bench/live-load.ts: a bare socket.io relay, in its own process, that streams the same loopback model
 * to the same judges and does nothing else — no database, no rules, no sessions. A judge asks for a round
 * (`relay:turn`); the relay opens one streaming request per seat (both at once, or one after the other when the
 * round is `sequential`, as in a Crux debate's later rounds), parses each SSE event and emits its text as a
 * `turn:delta` shaped like Crux's, then `relay:done` once both seats are through.
 *
 * With `sdk`, each stream is read through Crux's own model adapter call instead (`complete` of
 * lib/models/providers/ai-sdk.ts: the AI SDK's OpenAI-compatible provider, its `doStream`), and nothing else of
 * Crux: the floor for any server that streams through the AI SDK, as Crux must (the stack's rule).
 *
 *   node --import tsx bench/live-load/relay.ts <model base url> [sdk]
 *
 * Prints `relay <port>` once listening.
 */

const model = process.argv[2] ?? "";
const viaSdk = process.argv[3] === "sdk";
const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });

/** Streams through the AI SDK, as a Crux debater's turn reads its model. */
function sdkStreamer(): (onText: (text: string) => void) => Promise<void> {
  const sdkModel = resolveLanguageModel(
    "openai-compatible",
    "liveload/live-load",
    providersFromEnv({ CRUX_PROVIDER_LIVELOAD_BASE_URL: model, CRUX_PROVIDER_LIVELOAD_STRUCTURED_OUTPUT: "off" }),
  );
  return async (onText) => {
    await complete(
      sdkModel,
      { system: "relay", messages: [{ role: "user", content: "relay" }] },
      { signal: AbortSignal.timeout(600_000), onDelta: onText },
    );
  };
}

/** One model stream, read by hand: fetch, SSE framing, JSON.parse. */
async function streamBare(onText: (text: string) => void): Promise<void> {
  const response = await fetch(`${model}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "live-load", stream: true, messages: [{ role: "user", content: "relay" }] }),
  });
  if (!response.ok || !response.body) throw new Error(`model: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf("\n\n");
    while (cut >= 0) {
      const line = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf("\n\n");
      if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
      const event = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
      const text = event.choices?.[0]?.delta?.content;
      if (text) onText(text);
    }
  }
}

const stream = viaSdk ? sdkStreamer() : streamBare;

io.on("connection", (socket) => {
  socket.on(
    "relay:turn",
    ({ matchId, round, sequential }: { matchId: string; round: number; sequential?: boolean }) => {
      const seat = async (speaker: string) => {
        let seq = 0;
        await stream((text) => socket.emit("turn:delta", { matchId, round, speaker, seq: seq++, text }));
      };
      // As a Crux debate orders turns: both seats at once, or one after the other (`laterRounds: "sequential"`).
      const seats = sequential ? seat("A").then(() => seat("B")) : Promise.all([seat("A"), seat("B")]);
      seats.then(
        () => socket.emit("relay:done", { matchId, round }),
        (error: unknown) => socket.emit("relay:error", String(error)),
      );
    },
  );
});

httpServer.listen(0, "127.0.0.1", () => {
  const address = httpServer.address();
  console.log(`relay ${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => process.exit(0));
