import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, JSONParseError, streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyError } from "./classify-error";

// The same errors as the SDK really produces them: real fetch, a loopback server, real providers.

describe("classifyError on errors produced by the AI SDK over a real socket", () => {
  type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let behaviour: Behaviour = (_req, res) => res.end();
  let server: http.Server;
  let baseURL = "";

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => behaviour(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const chunk = (content: string) =>
    `data: ${JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: null }],
    })}\n\n`;

  /** Streams from the server, returning the first error the SDK reports (stream part or rejection). */
  async function firstStreamError(provider: "openai" | "anthropic"): Promise<unknown> {
    const model =
      provider === "openai"
        ? createOpenAI({ baseURL, apiKey: "test" }).chat("gpt-test")
        : createAnthropic({ baseURL, apiKey: "test" })("claude-test");
    const errors: unknown[] = [];
    try {
      const result = streamText({
        model,
        prompt: "hi",
        maxRetries: 0,
        maxOutputTokens: 16,
        // The default handler logs every stream error to the console.
        onError: () => {},
      });
      for await (const part of result.fullStream) if (part.type === "error") errors.push(part.error);
    } catch (error) {
      errors.push(error);
    }
    return errors[0];
  }

  it("a connection reset before any response", async () => {
    behaviour = (req) => req.socket.destroy();
    const error = await firstStreamError("openai");
    expect(APICallError.isInstance(error)).toBe(true);
    expect(classifyError(error)).toEqual({ retryable: true, reason: "connection reset (UND_ERR_SOCKET)" });
  });

  it("a stream cut after the first chunk", async () => {
    behaviour = (req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("Hello"), () => setTimeout(() => req.socket.destroy(), 10));
    };
    const error = await firstStreamError("openai");
    expect(classifyError(error)).toEqual({
      retryable: true,
      reason: "connection lost mid-response (terminated)",
      status: 200,
    });
  });

  it("a 429 with retry-after", async () => {
    behaviour = (_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
      res.end(
        JSON.stringify({ error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }),
      );
    };
    expect(classifyError(await firstStreamError("openai"))).toEqual({
      retryable: true,
      reason: "rate limited (429)",
      status: 429,
      retryAfterMs: 7000,
    });
  });

  it("a malformed stream chunk", async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: {not json\n\ndata: [DONE]\n\n");
    };
    const error = await firstStreamError("openai");
    expect(JSONParseError.isInstance(error)).toBe(true);
    expect(classifyError(error).retryable).toBe(true);
  });

  it("Anthropic overloaded in the middle of a stream", async () => {
    behaviour = (_req, res) => {
      const start = {
        type: "message_start",
        message: {
          id: "m1",
          type: "message",
          role: "assistant",
          content: [],
          model: "claude-test",
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 1 },
        },
      };
      const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(
        `event: message_start\ndata: ${JSON.stringify(start)}\n\nevent: error\ndata: ${JSON.stringify(overloaded)}\n\n`,
      );
    };
    expect(classifyError(await firstStreamError("anthropic"))).toEqual({
      retryable: true,
      reason: "overloaded (529)",
      status: 529,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Policy and backoff
// ---------------------------------------------------------------------------------------------------------------
