/**
 * Types shared by the fake model-provider server and its scripted responders. Kept apart from server.ts so that
 * responders can be written without importing the HTTP machinery (and without an import cycle).
 */

/** Which wire protocol a request used: OpenAI chat completions or Anthropic messages. */
export type Protocol = "openai" | "anthropic";

/** One model call as it arrived at the fake server (health checks such as `GET /v1/models` are not recorded). */
export interface RecordedRequest {
  /** Request path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  protocol: Protocol;
  /** Header names lower-cased (as Node delivers them); repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it was not valid JSON. */
  body: unknown;
  /** `Date.now()` when the request body had been read. */
  at: number;
  /** The structured output the request asked for; null (or absent in hand-made requests) for plain text. */
  structuredOutput?: StructuredOutputRequest | null;
}

/**
 * How a request asked for structured output: OpenAI `response_format` `json_schema` / `json_object`, Anthropic
 * `output_config.format` (`anthropic_format`) or a forced tool named "json" (`anthropic_tool`, answered with a
 * `tool_use` block when the reply's text is a JSON object).
 */
export interface StructuredOutputRequest {
  kind: "json_schema" | "json_object" | "anthropic_format" | "anthropic_tool";
  /** The JSON schema the answer must follow, when the request carried one. */
  schema?: Record<string, unknown>;
  /** The schema's name (OpenAI) or the tool's (Anthropic). */
  name?: string;
  /** OpenAI's strict mode. */
  strict?: boolean;
}

/** Token counts reported to the client. */
export interface FakeUsage {
  input: number;
  output: number;
}

/** A normal answer; streamed chunk by chunk when the request asked to stream. */
export interface TextReply {
  kind: "text";
  text: string;
  /** How to cut `text` into stream deltas (their concatenation should equal `text`); default: words with their trailing spaces. */
  chunks?: string[];
  /** Pause before each delta; overrides the server's default. */
  chunkDelayMs?: number;
  /** Default: input ≈ prompt characters / 4, output = number of chunks. */
  usage?: FakeUsage;
}

/** An HTTP error in the protocol's own error JSON shape (429, 500, 503, 529, 401, 400, …). */
export interface StatusReply {
  kind: "status";
  status: number;
  /** Sent as the `retry-after` header (seconds), which the AI SDK's retry loop honours. */
  retryAfterSeconds?: number;
  message?: string;
  /** More response headers (e.g. one echoing a request header back, as some proxies do). */
  headers?: Record<string, string>;
}

/** Stream `afterChunks` text deltas of `text`, then destroy the socket (a connection reset mid-answer). */
export interface ResetReply {
  kind: "reset";
  afterChunks: number;
  text: string;
}

/** Stream `afterChunks` good deltas, then one line of invalid JSON, then the rest of the answer as usual. */
export interface MalformedReply {
  kind: "malformed";
  afterChunks: number;
  text: string;
}

/** Stream `afterChunks` deltas, then end the HTTP response cleanly without the closing events. */
export interface TruncatedReply {
  kind: "truncated";
  afterChunks: number;
  text: string;
}

/** A well-formed answer whose text is empty. */
export interface EmptyReply {
  kind: "empty";
}

/** Accept the request and never answer (until the server closes): for timeouts and aborts. */
export interface HangReply {
  kind: "hang";
}

/** What the fake server does with one request. */
export type Reply = TextReply | StatusReply | ResetReply | MalformedReply | TruncatedReply | EmptyReply | HangReply;

/** Decides the reply to a request; `index` counts recorded model calls from 0. */
export type Responder = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;
