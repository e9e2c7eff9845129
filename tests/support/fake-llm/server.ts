import { setMaxListeners } from "node:events";
import http from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { flatten, isRecord, parseJson, readBody, sendJson, sendText } from "./http";
import { promptText, scriptedDebate } from "./scripted";
import { structuredOutputOf } from "./structured";
import type { Protocol, RecordedRequest, Reply, Responder } from "./types";
import { type Answer, anthropicWire, openaiWire, type WireFormat, wireFor } from "./wire";

export { rejectStructuredOutput } from "./structured";
export type * from "./types";

/**
 * A fake model provider on 127.0.0.1 that speaks the real wire protocols (OpenAI chat completions and Anthropic
 * messages, streaming and not) so the AI SDK clients can be exercised end to end, with scripted faults.
 * Only node:http: nothing here depends on how the project builds its clients.
 */

/** A running fake provider. Base URL for every SDK client: `${url}/v1`. */
export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every model call in arrival order (health checks excluded); the array is live, tests may clear it. */
  requests: RecordedRequest[];
  /** Replaces the responder for the requests that arrive from now on. */
  setResponder(respond: Responder): void;
  /** Closes the listener and destroys every open socket, including hanging and half-streamed responses. */
  close(): Promise<void>;
}

/** Options for {@link startFakeLlmServer}. */
export interface FakeLlmOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default: {@link scriptedDebate}. */
  respond?: Responder;
  /** Pause before each streamed delta when a reply does not set its own (default 0). */
  chunkDelayMs?: number;
  /** Fixed pause before answering every model call, like a real provider's time to first token (default 0). */
  latencyMs?: number;
}

const ROUTES: Record<string, Protocol> = { "/v1/chat/completions": "openai", "/v1/messages": "anthropic" };

/**
 * Starts the fake provider. Routes: `POST /v1/chat/completions` (OpenAI), `POST /v1/messages` (Anthropic),
 * `GET /v1/models` (list in the OpenAI shape, or the Anthropic shape when an `anthropic-version` header is sent),
 * `GET /` and `GET /health` (200, for readiness probes such as Playwright's). Anything else: 404 in OpenAI's shape
 * (including `/v1/responses`: clients must use chat completions, e.g. `createOpenAI(...).chat(model)`).
 */
export async function startFakeLlmServer(options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  let respond = options.respond ?? scriptedDebate;
  const sockets = new Set<Socket>();
  // Aborts pending chunk delays on close() so no timer outlives the server.
  const closing = new AbortController();
  // Every request waiting out its latency listens on this one signal: any number may wait at once.
  setMaxListeners(0, closing.signal);
  let answers = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const raw = await readBody(req);
    if (req.method === "GET" && (path === "/" || path === "/health")) return sendJson(res, 200, { ok: true });
    if (req.method === "GET" && path === "/v1/models") return sendJson(res, 200, modelList(req.headers));
    const protocol = ROUTES[path];
    if (req.method !== "POST" || protocol === undefined) {
      const message = `Invalid URL (${req.method} ${path})`;
      return sendJson(res, 404, { error: { message, type: "invalid_request_error", param: null, code: null } });
    }
    const request: RecordedRequest = {
      path,
      protocol,
      headers: flatten(req.headers),
      body: parseJson(raw),
      at: Date.now(),
    };
    request.structuredOutput = structuredOutputOf(request.body);
    const index = requests.push(request) - 1;
    if (typeof request.body === "string") {
      return sendJson(res, 400, wireFor(protocol).error(400, "The request body is not valid JSON."));
    }
    const reply = await respond(request, index);
    if (options.latencyMs) await sleep(options.latencyMs, undefined, { signal: closing.signal }).catch(() => undefined);
    await execute(request, reply, res);
  }

  async function execute(request: RecordedRequest, reply: Reply, res: http.ServerResponse): Promise<void> {
    const wire = wireFor(request.protocol);
    if (reply.kind === "hang") return; // close() destroys the socket.
    if (reply.kind === "status") {
      const extra: Record<string, string> = {
        ...reply.headers,
        ...(reply.retryAfterSeconds === undefined ? {} : { "retry-after": String(reply.retryAfterSeconds) }),
      };
      return sendJson(res, reply.status, wire.error(reply.status, reply.message), extra);
    }
    const text = reply.kind === "empty" ? "" : reply.text;
    const chunks = reply.kind === "text" && reply.chunks ? reply.chunks : splitWords(text);
    const body = isRecord(request.body) ? request.body : {};
    answers += 1;
    const answer: Answer = {
      id: request.protocol === "openai" ? `chatcmpl-fake${answers}` : `msg_fake${answers}`,
      model: typeof body.model === "string" ? body.model : "fake-model",
      created: Math.floor(Date.now() / 1000),
      includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
      usage: (reply.kind === "text" ? reply.usage : undefined) ?? {
        input: Math.max(1, Math.ceil(promptText(request).length / 4)),
        output: chunks.length,
      },
    };
    if (body.stream !== true) {
      // A forced JSON tool is answered with a tool_use block, as Anthropic does (streams stay text: judges do not stream).
      const input = request.structuredOutput?.kind === "anthropic_tool" ? jsonObject(text) : undefined;
      const json = JSON.stringify(input ? anthropicWire.toolUse(answer, "json", input) : wire.body(answer, text));
      if (reply.kind === "text" || reply.kind === "empty") return sendText(res, 200, json);
      // Without a stream there are no chunks to count: reset, malformed and truncated all cut the body in half.
      const half = json.slice(0, Math.floor(json.length / 2));
      if (reply.kind !== "reset") return sendText(res, 200, half);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
      res.write(half, () => res.destroy());
      return;
    }
    const delayMs = (reply.kind === "text" ? reply.chunkDelayMs : undefined) ?? options.chunkDelayMs ?? 0;
    await stream(res, wire, answer, chunks, reply, delayMs);
  }

  async function stream(
    res: http.ServerResponse,
    wire: WireFormat,
    answer: Answer,
    chunks: string[],
    reply: Exclude<Reply, { kind: "hang" | "status" }>,
    delayMs: number,
  ): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    // Resolves once the frame has left for the kernel (Node corks writes until the next tick).
    let flushed = Promise.resolve();
    const send = (frame: string) => {
      flushed = new Promise<void>((resolve) => res.write(frame, () => resolve()));
    };
    for (const frame of wire.open(answer)) send(frame);
    const faultAt = "afterChunks" in reply ? Math.min(Math.max(0, reply.afterChunks), chunks.length) : -1;
    for (let i = 0; i <= chunks.length; i++) {
      if (i === faultAt && reply.kind === "reset") {
        // Destroying while writes are still corked would drop them: the client must see exactly `afterChunks` deltas.
        await flushed;
        return void res.destroy();
      }
      if (i === faultAt && reply.kind === "truncated") return void res.end();
      if (i === faultAt && reply.kind === "malformed") send(wire.malformed(answer));
      const chunk = chunks[i];
      if (chunk === undefined) break;
      if (delayMs > 0 && !(await pause(delayMs))) return;
      if (res.destroyed) return; // the client went away
      send(wire.delta(answer, chunk));
    }
    for (const frame of wire.close(answer)) send(frame);
    res.end();
  }

  async function pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const message = `fake-llm failed: ${error instanceof Error ? error.message : String(error)}`;
      sendJson(res, 500, openaiWire.error(500, message));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake-llm: no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    setResponder(next) {
      respond = next;
    },
    async close() {
      closing.abort();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The text as a JSON object, or undefined when it is not one. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  const value = parseJson(text);
  return isRecord(value) ? value : undefined;
}

/** Words with their trailing whitespace (leading whitespace stays with the first word), so chunks join back to `text`. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text]);
}

/** `GET /v1/models` in the Anthropic shape when the client sends `anthropic-version`, else OpenAI's list. */
function modelList(headers: http.IncomingHttpHeaders): unknown {
  const ids = ["gpt-test", "claude-test", "llama"];
  if (headers["anthropic-version"] !== undefined) {
    const data = ids.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
    return { data, has_more: false, first_id: ids[0], last_id: ids.at(-1) };
  }
  return { object: "list", data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "fake-llm" })) };
}
