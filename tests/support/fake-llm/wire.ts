import type { FakeUsage, Protocol } from "./types";

/**
 * The two wire formats, byte for byte as the real APIs send them (field sets follow the public API references
 * and what the AI SDK's zod schemas accept: `@ai-sdk/openai` openaiChatChunkSchema / openaiChatResponseSchema /
 * openaiErrorDataSchema, `@ai-sdk/anthropic` anthropicMessagesChunkSchema / anthropicMessagesResponseSchema /
 * anthropicErrorDataSchema).
 */

/** Per-answer values every frame of one response repeats. */
export interface Answer {
  id: string;
  model: string;
  /** Unix seconds, as OpenAI reports it. */
  created: number;
  /** OpenAI sends a trailing usage chunk only when the request set `stream_options.include_usage`. */
  includeUsage: boolean;
  usage: FakeUsage;
}

/** Encoder for one protocol: streamed frames (already SSE-formatted), whole bodies and error bodies. */
export interface WireFormat {
  /** Frames before the first text delta. */
  open(answer: Answer): string[];
  delta(answer: Answer, text: string): string;
  /** Frames after the last delta: finish reason, usage and the end-of-stream marker. */
  close(answer: Answer): string[];
  /** A frame that looks like a delta but whose JSON is cut off (the SSE event itself is well delimited). */
  malformed(answer: Answer): string;
  /** The non-streaming response body. */
  body(answer: Answer, text: string): unknown;
  /** The error body for an HTTP status, in the protocol's own shape. */
  error(status: number, message?: string): unknown;
}

const openaiData = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

const openaiChunk = (answer: Answer, delta: Record<string, unknown>, finishReason: string | null) => ({
  id: answer.id,
  object: "chat.completion.chunk",
  created: answer.created,
  model: answer.model,
  system_fingerprint: null,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  // With include_usage, OpenAI puts `usage: null` on every chunk but the last.
  ...(answer.includeUsage ? { usage: null } : {}),
});

const openaiUsage = (usage: FakeUsage) => ({
  prompt_tokens: usage.input,
  completion_tokens: usage.output,
  total_tokens: usage.input + usage.output,
});

function openaiErrorFields(status: number): { type: string; code: string | null; message: string } {
  if (status === 401)
    return { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." };
  if (status === 404)
    return { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist." };
  if (status === 429)
    return { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests." };
  if (status >= 500)
    return { type: "server_error", code: null, message: "The server is currently overloaded, please try again later." };
  return { type: "invalid_request_error", code: null, message: `Request failed with status ${status}.` };
}

/** OpenAI chat completions (`POST /v1/chat/completions`), also spoken by OpenAI-compatible servers. */
export const openaiWire: WireFormat = {
  open: (answer) => [openaiData(openaiChunk(answer, { role: "assistant", content: "", refusal: null }, null))],
  delta: (answer, text) => openaiData(openaiChunk(answer, { content: text }, null)),
  close: (answer) => [
    openaiData(openaiChunk(answer, {}, "stop")),
    ...(answer.includeUsage
      ? [openaiData({ ...openaiChunk(answer, {}, null), choices: [], usage: openaiUsage(answer.usage) })]
      : []),
    "data: [DONE]\n\n",
  ],
  malformed: (answer) =>
    `data: {"id":"${answer.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"con\n\n`,
  body: (answer, text) => ({
    id: answer.id,
    object: "chat.completion",
    created: answer.created,
    model: answer.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: openaiUsage(answer.usage),
  }),
  error: (status, message) => {
    const fields = openaiErrorFields(status);
    return { error: { message: message ?? fields.message, type: fields.type, param: null, code: fields.code } };
  },
};

// Anthropic names every SSE event after its payload's `type`.
const anthropicEvent = (payload: { type: string } & Record<string, unknown>): string =>
  `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;

/** Error type and message as Anthropic sends them for a status (messages follow the real API's wording). */
function anthropicError(status: number): { type: string; message: string } {
  const byStatus: Record<number, { type: string; message: string }> = {
    400: { type: "invalid_request_error", message: "Invalid request." },
    401: { type: "authentication_error", message: "invalid x-api-key" },
    403: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
    404: { type: "not_found_error", message: "The requested resource could not be found." },
    413: { type: "request_too_large", message: "Request exceeds the maximum allowed number of bytes." },
    429: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit." },
    503: { type: "overloaded_error", message: "Overloaded" },
    529: { type: "overloaded_error", message: "Overloaded" },
  };
  const known = byStatus[status];
  if (known !== undefined) return known;
  if (status >= 500) return { type: "api_error", message: "Internal server error" };
  return { type: "invalid_request_error", message: `Request failed with status ${status}.` };
}

/** Anthropic messages (`POST /v1/messages`); `toolUse` is the body of an answer given as a tool call. */
export const anthropicWire: WireFormat & {
  toolUse(answer: Answer, name: string, input: Record<string, unknown>): unknown;
} = {
  toolUse: (answer, name, input) => ({
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content: [{ type: "tool_use", id: `toolu_${answer.id}`, name, input }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: answer.usage.input, output_tokens: answer.usage.output },
  }),
  open: (answer) => [
    anthropicEvent({
      type: "message_start",
      message: {
        id: answer.id,
        type: "message",
        role: "assistant",
        content: [],
        model: answer.model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: answer.usage.input, output_tokens: 1 },
      },
    }),
    anthropicEvent({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
    // The real API interleaves pings; sending one checks that clients ignore them.
    anthropicEvent({ type: "ping" }),
  ],
  delta: (_answer, text) =>
    anthropicEvent({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
  close: (answer) => [
    anthropicEvent({ type: "content_block_stop", index: 0 }),
    anthropicEvent({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: answer.usage.output },
    }),
    anthropicEvent({ type: "message_stop" }),
  ],
  malformed: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"te\n\n',
  body: (answer, text) => ({
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: answer.usage.input, output_tokens: answer.usage.output },
  }),
  error: (status, message) => {
    const fields = anthropicError(status);
    return { type: "error", error: { type: fields.type, message: message ?? fields.message } };
  },
};

/** The encoder for a protocol. */
export function wireFor(protocol: Protocol): WireFormat {
  return protocol === "openai" ? openaiWire : anthropicWire;
}
