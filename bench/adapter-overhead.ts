/**
 * Adapter overhead benchmark: `npm run bench:adapter` (`npx tsx bench/adapter-overhead.ts [--chunks 2000]
 * [--delay-ms 2] [--reps 3] [--warmup 1] [--csv file] [--server-node-options "..."]`). Needs a production build
 * (`npm run build`). Results and their history: docs/models.md, "Streaming overhead".
 *
 * A loopback OpenAI-compatible server (tests/support/fake-llm) in this process streams a fixed answer of
 * `--chunks` deltas, `--delay-ms` apart, to every debater request. The same answer is read four ways in the same
 * run, repetitions interleaved (every other one in reverse order) so that machine drift hits every path alike:
 *
 * - `fetch`   — this process reads the SSE stream directly with `fetch` and parses each `data:` line (baseline);
 * - `relay`   — the same fetch client, through a bare relay in another Node process that only pipes bytes: the
 *               cost of one more process and TCP hop per chunk, which no server-side design can avoid (a floor;
 *               it parses nothing, so it is a low one);
 * - `adapter` — this process streams it through the project's adapter (`complete()` in
 *               lib/models/providers/ai-sdk.ts: the openai-compatible provider's `doStream`, read directly), to
 *               tell the SDK's share of the overhead apart from the rest;
 * - `inproc`  — the runner, adapter, delta coalescer and socket.io room wired as server.ts wires them, in this
 *               process (no Next, no second process), to a socket.io client over loopback: the adapter and the
 *               socket room's share without a process boundary;
 * - `crux`    — the real server (server.ts as a child process, production build) runs a guest match whose two
 *               debaters use the loopback server; deltas travel adapter → runner → `DeltaCoalescer`
 *               (lib/realtime/deltas.ts) → socket.io room → a socket.io client in this process.
 *
 * Per-chunk latency = receive time − send time. Send times are taken on the fake server, when it writes each SSE
 * frame (see `captureSends`); receive times when the client gets the text (a fetch read, an `onDelta` call, a
 * `turn:delta` event). Both ends run in this process, so they share one clock. Chunks are matched by character
 * offset, not by count, so a layer that merges chunks (the coalescer does, in bursts) is still measured correctly
 * (the latency of a chunk is when its last character arrives).
 *
 * Round 1 of a debate has both seats streaming at once, so every path runs two concurrent streams (one per seat)
 * and pools their chunks. The answer has 100 words cut into 3-character chunks, so it stays within the default
 * 150-word turn limit: a longer turn would be asked for again, and that second stream is not what is measured.
 *
 * CPU per chunk is reported next to latency because it depends much less on how busy the machine is: "bench" is
 * this process (fake server and client: the same work on every path, plus the SDK on the adapter path), "2nd
 * process" the relay on the relay path and the Crux server on the crux path (read from /proc, Linux only).
 * Latency tails do depend on load: on a small machine the p99 of every path that crosses a second process is
 * dominated by scheduling and GC pauses, so compare paths within one run, and compare `crux` with `relay` as well
 * as with `fetch`. On a shared machine, look at the load average before trusting a p99.
 *
 * Targets. The issue asked for crux p99 ≤ 1.2 × fetch p99. No layer that does work per chunk can meet it, since
 * fetch's p99 is about half a millisecond: the relay alone, which only pipes bytes through a second process, is
 * 2.7–4.1 × fetch at p99 on a quiet 2-core machine (and 4–13 × on a busy one); the AI SDK's stream alone
 * (`adapter`, same process) 1.8–2.8 ×; the adapter and socket room in one process (`inproc`) 5.7 ×. The bench
 * still reports those ratios, and states the target it can be held to on the latency a reader can notice: at p99, a chunk reaches the browser at most 10 ms later than reading the provider
 * directly would (less than one 60 Hz frame). It also prints crux against the relay, the floor, in latency and in
 * server CPU per chunk.
 *
 * Measured on a 2-core VM (Node 20), 3 repetitions of 2 × 2000 chunks 2 ms apart, quiet machine (load ≈ 1):
 * crux p50 0.64–0.92 ms, p99 4.4–7.3 ms (+3.8 to +6.5 ms over fetch, 2.2–3.3 × the relay), server CPU 465–560 µs
 * per chunk against the relay's 170–200. Side by side with the previous code (`streamText`, one event per delta)
 * in one run: p50 0.81 vs 1.12 ms, p99 8.9 vs 14.3 ms, 520 vs 690 µs per chunk. Issue target: FAIL (7–10 × fetch);
 * restated target: PASS when the machine is quiet, FAIL when other work keeps both cores busy (p99 40–180 ms).
 * Every run's figures: docs/models.md.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { createGuestSession, SESSION_COOKIE } from "../lib/auth/guest";
import { createDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import type { MatchView } from "../lib/debate/view";
import { createModels } from "../lib/matches/models";
import { MatchRunner } from "../lib/matches/runner";
import { startJudgeMatch } from "../lib/matches/start-guest-match";
import { complete, resolveLanguageModel } from "../lib/models/providers/ai-sdk";
import { providersFromEnv } from "../lib/models/providers/config";
import { seedQuestionBank } from "../lib/questions/seed";
import {
  type Ack,
  type ClientToServerEvents,
  PROTOCOL_VERSION,
  type ServerToClientEvents,
} from "../lib/realtime/protocol";
import { attachRealtime, type CruxServer, createSocketListener } from "../lib/realtime/server";
import { promptText, scriptedDebate } from "../tests/support/fake-llm/scripted";
import {
  type FakeLlmServer,
  type RecordedRequest,
  type Reply,
  startFakeLlmServer,
} from "../tests/support/fake-llm/server";
import { type RunningServer, startServer } from "../tests/support/server";

/** The issue's target: crux p99 ≤ this × fetch p99 (out of reach for any design with a second process). */
const TARGET_P99_RATIO = 1.2;
/** The restated target (see the header): at p99 a chunk reaches the browser at most this much later than fetch. */
const ADDED_P99_MS = 10;
const CHUNK_CHARS = 3;
const MAX_WORDS = 100;
const PROVIDER = "bench";
const MODEL = "stream-test";
const SPEC = `openai-compatible:${PROVIDER}/${MODEL}`;
const SEATS = ["A", "B"] as const;
type Seat = (typeof SEATS)[number];
type PathName = "fetch" | "relay" | "adapter" | "inproc" | "crux";
const PATHS: PathName[] = ["fetch", "relay", "adapter", "inproc", "crux"];

const { values } = parseArgs({
  options: {
    chunks: { type: "string", default: "2000" },
    "delay-ms": { type: "string", default: "2" },
    reps: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    /**
     * Write every chunk's latency to this CSV file: path, rep, seat, chunk, send time (Unix ms, to line up with
     * other processes' logs), send time since the run's first chunk, latency.
     */
    csv: { type: "string" },
    /** NODE_OPTIONS for the Crux server only, to try runtime settings (e.g. "--max-semi-space-size=64"). */
    "server-node-options": { type: "string" },
  },
});

function intFlag(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got ${raw}`);
  return value;
}

const CHUNKS = intFlag("chunks", values.chunks, 1);
const DELAY_MS = intFlag("delay-ms", values["delay-ms"], 0);
const REPS = intFlag("reps", values.reps, 1);
const WARMUP = intFlag("warmup", values.warmup, 0);
const CSV = values.csv;
const SERVER_NODE_OPTIONS = values["server-node-options"];

/** Milliseconds on a clock shared by everything in this process (the fake server and every client live here). */
const now = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------------------
// The scripted answer

interface Script {
  text: string;
  chunks: string[];
  /** Offset just past each chunk in `text`: chunk i has arrived once this many characters have. */
  ends: number[];
}

/**
 * CHUNKS × CHUNK_CHARS characters of long letter-only words (≤ MAX_WORDS of them), different letters per seat so
 * that a stream's content says which seat it belongs to.
 */
function scriptFor(seat: Seat): Script {
  const total = CHUNKS * CHUNK_CHARS;
  const wordLength = Math.max(4, Math.ceil(total / MAX_WORDS));
  const shift = seat === "A" ? 0 : 13;
  let text = "";
  for (let word = 0; text.length < total; word++) {
    for (let j = 0; j < wordLength - 1; j++) text += String.fromCharCode(97 + ((shift + word + j) % 26));
    text += " ";
  }
  text = text.slice(0, total);
  const chunks: string[] = [];
  const ends: number[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    chunks.push(text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS));
    ends.push((i + 1) * CHUNK_CHARS);
  }
  return { text, chunks, ends };
}

const scripts: Record<Seat, Script> = { A: scriptFor("A"), B: scriptFor("B") };

/** One responder for every path: debater prompts (a story, and "You are Debater X") get the seat's script. */
function respond(request: RecordedRequest): Reply {
  const prompt = promptText(request);
  const seat = /You are Debater ([AB])\b/.exec(prompt)?.[1];
  if (prompt.includes("<story>") && (seat === "A" || seat === "B")) {
    const script = scripts[seat];
    return { kind: "text", text: script.text, chunks: script.chunks, chunkDelayMs: DELAY_MS };
  }
  return scriptedDebate(request);
}

// ---------------------------------------------------------------------------------------------------------------
// Send times

/** A piece of streamed text and when it was sent or received. */
interface Piece {
  text: string;
  at: number;
}

interface Capture {
  frames: string[];
  times: number[];
}

const captures: Capture[] = [];
const captureOf = new WeakMap<http.ServerResponse, Capture>();

/**
 * Records when the fake server writes each frame. The fake server does not expose per-chunk send times, and this
 * benchmark must not change it, so `ServerResponse.prototype.write` is wrapped for responses on the fake server's
 * port (the only HTTP server in this process; the Crux server is another process). The hot path only stores the
 * frame and a timestamp; frames are parsed after the run, so measuring costs both paths the same few nanoseconds.
 */
function captureSends(port: number): () => void {
  const original = http.ServerResponse.prototype.write;
  const wrapped = function (this: http.ServerResponse, ...args: unknown[]): boolean {
    const at = now();
    if (this.req.socket?.localPort === port) {
      let capture = captureOf.get(this);
      if (capture === undefined) {
        capture = { frames: [], times: [] };
        captureOf.set(this, capture);
        captures.push(capture);
      }
      const chunk = args[0];
      capture.frames.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "");
      capture.times.push(at);
    }
    return Reflect.apply(original, this, args) as boolean;
  };
  http.ServerResponse.prototype.write = wrapped as unknown as typeof original;
  return () => {
    http.ServerResponse.prototype.write = original;
  };
}

/** The text deltas of complete SSE events (OpenAI chat-completions chunks); other events give nothing. */
function sseDeltas(events: string): string[] {
  const out: string[] = [];
  for (const line of events.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const json: unknown = JSON.parse(line.slice(6));
    const text = deltaContent(json);
    if (text) out.push(text);
  }
  return out;
}

function deltaContent(json: unknown): string {
  if (typeof json !== "object" || json === null || !("choices" in json) || !Array.isArray(json.choices)) return "";
  const choice: unknown = json.choices[0];
  if (typeof choice !== "object" || choice === null || !("delta" in choice)) return "";
  const delta: unknown = choice.delta;
  if (typeof delta !== "object" || delta === null || !("content" in delta)) return "";
  return typeof delta.content === "string" ? delta.content : "";
}

/** The debater streams captured since the last call, by seat (each seat must have streamed exactly once). */
function takeSendTimes(): Record<Seat, number[]> {
  const bySeat: Partial<Record<Seat, number[]>> = {};
  for (const capture of captures.splice(0)) {
    const pieces: Piece[] = [];
    capture.frames.forEach((frame, i) => {
      for (const text of sseDeltas(frame)) pieces.push({ text, at: capture.times[i] ?? Number.NaN });
    });
    const text = pieces.map((p) => p.text).join("");
    const seat = SEATS.find((s) => scripts[s].text === text);
    if (seat === undefined) continue; // not a debater stream (none are expected, but a judge call would be one)
    if (bySeat[seat]) throw new Error(`seat ${seat} was streamed twice in one run (a retry or a re-ask?)`);
    bySeat[seat] = arrivalTimes(pieces, scripts[seat], `send ${seat}`);
  }
  const { A, B } = bySeat;
  if (!A || !B) throw new Error("the fake server did not stream both seats' answers");
  return { A, B };
}

/** For each chunk of `script`, the time of the piece that completed it. Checks the pieces spell the script. */
function arrivalTimes(pieces: Piece[], script: Script, what: string): number[] {
  const text = pieces.map((p) => p.text).join("");
  if (text !== script.text) {
    throw new Error(`${what}: got ${text.length} characters, expected the ${script.text.length} of the script`);
  }
  const times: number[] = [];
  let length = 0;
  let piece = 0;
  for (const end of script.ends) {
    while (length < end) length += pieces[piece++]?.text.length ?? Number.POSITIVE_INFINITY;
    times.push(pieces[piece - 1]?.at ?? Number.NaN);
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------------------
// The paths; each returns the received pieces of text, with their arrival times, by seat.

type Received = Record<Seat, Piece[]>;

/** Baseline: the same request shape as a debater's, read with fetch, SSE parsed line by line. */
async function viaFetch(baseUrl: string): Promise<Received> {
  const one = async (seat: Seat): Promise<Piece[]> => {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: MODEL,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: debaterPrompt(seat) }],
      }),
    });
    if (!response.ok || !response.body) throw new Error(`fetch: ${response.status}`);
    const pieces: Piece[] = [];
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      const at = now();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const cut = buffer.lastIndexOf("\n\n");
      if (cut < 0) continue;
      for (const text of sseDeltas(buffer.slice(0, cut))) pieces.push({ text, at });
      buffer = buffer.slice(cut + 2);
    }
    return pieces;
  };
  const [A, B] = await Promise.all([one("A"), one("B")]);
  return { A, B };
}

/**
 * The floor for any design that streams through a second process: a bare relay (another Node process) that pipes
 * the fake server's bytes through untouched, read by the same fetch client. It adds what the Crux path cannot
 * avoid — one more process wake-up and one more loopback TCP hop per chunk — and nothing else.
 */
const RELAY_SOURCE = `
const http = require("node:http");
const upstream = process.argv[1];
const server = http.createServer(async (req, res) => {
  const body = [];
  for await (const part of req) body.push(part);
  const reply = await fetch(upstream + req.url, { method: req.method, headers: { "content-type": "application/json" }, body: Buffer.concat(body) });
  res.writeHead(reply.status, { "content-type": reply.headers.get("content-type") || "text/event-stream" });
  for await (const bytes of reply.body) res.write(bytes);
  res.end();
});
server.listen(0, "127.0.0.1", () => console.log("relay " + server.address().port));
`;

interface Relay {
  url: string;
  /** The relay's process, for its CPU time. */
  pid: number | null;
  stop(): Promise<void>;
}

async function startRelay(upstream: string): Promise<Relay> {
  const child = spawn(process.execPath, ["-e", RELAY_SOURCE, upstream], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString("utf8");
      const match = /relay (\d+)/.exec(out);
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`relay exited with code ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The adapter alone, in this process: `complete()` with an `onDelta`, as the LLM debater calls it. */
async function viaAdapter(fake: FakeLlmServer): Promise<Received> {
  const providers = providersFromEnv({ [`CRUX_PROVIDER_${PROVIDER.toUpperCase()}_BASE_URL`]: `${fake.url}/v1` });
  const model = resolveLanguageModel("openai-compatible", `${PROVIDER}/${MODEL}`, providers);
  const one = async (seat: Seat): Promise<Piece[]> => {
    const pieces: Piece[] = [];
    await complete(
      model,
      { system: "", messages: [{ role: "user", content: debaterPrompt(seat) }] },
      { signal: new AbortController().signal, onDelta: (text) => pieces.push({ text, at: now() }) },
    );
    return pieces;
  };
  const [A, B] = await Promise.all([one("A"), one("B")]);
  return { A, B };
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The real thing: a guest match on the Crux server, both seats' deltas received by a socket.io client. */
async function viaCrux(server: RunningServer): Promise<Received> {
  const response = await fetch(`${server.url}/api/matches`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ debaters: SPEC }),
  });
  if (response.status !== 201) throw new Error(`POST /api/matches: ${response.status} ${await response.text()}`);
  const { matchId } = (await response.json()) as { matchId: string };
  const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
  return roundOne(server.url, matchId, cookie);
}

/**
 * The same code without the second process: in this process, the runner, the adapter, the delta coalescer and the
 * socket.io server that server.ts wires up (without Next, which plays no part in streaming), on their own database;
 * a guest's match, received by a socket.io client over loopback like the crux path's. What it adds to `fetch` is
 * the adapter and the socket room, and nothing of a process boundary.
 */
interface InProcess {
  url: string;
  newMatch(): Promise<{ matchId: string; cookie: string }>;
  stop(): Promise<void>;
}

async function startInProcess(fake: FakeLlmServer): Promise<InProcess> {
  process.env[`CRUX_PROVIDER_${PROVIDER.toUpperCase()}_BASE_URL`] = `${fake.url}/v1`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-bench-inproc-"));
  const url = `file:${path.join(dir, "crux.db")}`;
  await migrateDatabase({ url });
  const db = createDb(url);
  await seedQuestionBank(db);
  const httpServer = http.createServer((_request, response) => response.writeHead(404).end());
  const sockets: CruxServer = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  const runner = new MatchRunner({
    db,
    models: createModels(db, { cache: false }),
    listener: createSocketListener(sockets),
    log: (line) => console.error(line),
  });
  attachRealtime(sockets, { db, runner, log: (line) => console.error(line), authSecret: "adapter-bench-secret" });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async newMatch() {
      const guest = await createGuestSession(db);
      const match = await startJudgeMatch(db, { judgeId: guest.user.id, debaters: SPEC });
      return { matchId: match.id, cookie: `${SESSION_COOKIE}=${guest.token}` };
    },
    async stop() {
      await runner.stop();
      sockets.close();
      httpServer.close();
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function viaInProcess(crux: InProcess): Promise<Received> {
  const { matchId, cookie } = await crux.newMatch();
  return roundOne(crux.url, matchId, cookie);
}

/** Joins the match as its judge and collects both seats' round-1 deltas until the judge is asked for a step. */
async function roundOne(url: string, matchId: string, cookie: string): Promise<Received> {
  // A bare client (not tests/support/client.ts's recording one) so the receiving side does no extra work per delta.
  const socket: ClientSocket = io(url, {
    auth: { v: PROTOCOL_VERSION },
    extraHeaders: { cookie },
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  const received: Received = { A: [], B: [] };
  socket.on("turn:delta", (delta) => {
    const at = now();
    if (delta.matchId === matchId && delta.round === 1) received[delta.speaker].push({ text: delta.text, at });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    // Round 1 is over (both turns streamed and stored) when the judge is asked for a step.
    const roundDone = new Promise<MatchView>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("crux: round 1 did not finish within 120 s")), 120_000);
      socket.on("match:view", (view) => {
        if (view.phase.kind === "judge" || view.phase.kind === "errored") {
          clearTimeout(timer);
          resolve(view);
        }
      });
    });
    const ack = await new Promise<Ack<MatchView>>((resolve) => socket.emit("match:join", { matchId }, resolve));
    if (!ack.ok) throw new Error(`match:join: ${ack.error.code} ${ack.error.message}`);
    const view = await roundDone;
    if (view.phase.kind === "errored") throw new Error(`crux: the match errored: ${view.error}`);
    return received;
  } finally {
    socket.disconnect();
  }
}

/** What the project's debater prompt contains that the responder keys on: a story and the seat's name. */
function debaterPrompt(seat: Seat): string {
  return `<story>\nA benchmark story.\n</story>\n\nYou are Debater ${seat}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and report

/**
 * Per-chunk latencies of both seats, and the gaps between consecutive chunks' arrivals (how smooth the stream looks
 * to the reader). With `csv`, one line per chunk is appended (for finding where a tail comes from).
 */
function latencies(received: Received, sent: Record<Seat, number[]>, path: PathName, rep: number, csv: string[]) {
  const out: number[] = [];
  const gaps: number[] = [];
  const start = Math.min(sent.A[0] ?? Number.NaN, sent.B[0] ?? Number.NaN);
  for (const seat of SEATS) {
    const got = arrivalTimes(received[seat], scripts[seat], `${path} ${seat}`);
    got.forEach((at, i) => {
      const sentAt = sent[seat][i] ?? Number.NaN;
      out.push(at - sentAt);
      if (i > 0) gaps.push(at - (got[i - 1] ?? Number.NaN));
      if (CSV) {
        csv.push(
          `${path},${rep},${seat},${i},${sentAt.toFixed(3)},${(sentAt - start).toFixed(3)},${(at - sentAt).toFixed(3)}`,
        );
      }
    });
  }
  return { latencies: out, gaps };
}

interface Stats {
  chunks: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    chunks: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * CPU time of a run, in ms: this process (fake server and client, the same work on every path, plus the adapter on
 * the adapter path) and the Crux server process. CPU per chunk does not depend on how busy the machine is, unlike
 * latency tails, so it says where the work is.
 */
interface Cpu {
  bench: number;
  server: number | null;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux (`getconf CLK_TCK`)

/** User + system CPU ms of a process, from /proc (Linux); null elsewhere or once it is gone. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The process running server.ts: tsx's CLI (the child startServer spawned) runs it in a child of its own. */
function serverPid(launcher: number | undefined): number | null {
  if (launcher === undefined) return null;
  try {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === launcher) return Number(entry);
    }
  } catch {
    // Not Linux, or a process vanished mid-scan: CPU of the server is then not reported.
  }
  return null;
}

async function measured<T>(serverProcess: number | null, run: () => Promise<T>): Promise<{ value: T; cpu: Cpu }> {
  const bench0 = process.cpuUsage();
  const server0 = serverProcess === null ? null : processCpuMs(serverProcess);
  const value = await run();
  const bench = process.cpuUsage(bench0);
  const server1 = serverProcess === null ? null : processCpuMs(serverProcess);
  return {
    value,
    cpu: {
      bench: (bench.user + bench.system) / 1000,
      server: server0 === null || server1 === null ? null : server1 - server0,
    },
  };
}

interface Row {
  path: PathName;
  rep: string;
  stats: Stats;
  cpu: Cpu;
}

function printTable(rows: Row[]): void {
  const header = [
    "path",
    "rep",
    "chunks",
    "p50 ms",
    "p90 ms",
    "p99 ms",
    "mean ms",
    "max ms",
    "bench cpu µs/chunk",
    "2nd process cpu µs/chunk",
  ];
  const perChunk = (ms: number | null, chunks: number) => (ms === null ? "-" : ((ms * 1000) / chunks).toFixed(0));
  const cells = rows.map((r) => [
    r.path,
    r.rep,
    String(r.stats.chunks),
    r.stats.p50.toFixed(3),
    r.stats.p90.toFixed(3),
    r.stats.p99.toFixed(3),
    r.stats.mean.toFixed(3),
    r.stats.max.toFixed(3),
    perChunk(r.cpu.bench, r.stats.chunks),
    perChunk(r.cpu.server, r.stats.chunks),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string =>
    row.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  console.log(line(header));
  for (const row of cells) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const fake = await startFakeLlmServer({ respond });
  const restoreWrite = captureSends(fake.port);
  let server: RunningServer | null = null;
  let relay: Relay | null = null;
  let inProcess: InProcess | null = null;
  try {
    relay = await startRelay(fake.url);
    inProcess = await startInProcess(fake);
    const local = inProcess;
    const relayUrl = relay.url;
    server = await startServer({
      env: {
        [`CRUX_PROVIDER_${PROVIDER.toUpperCase()}_BASE_URL`]: `${fake.url}/v1`,
        CRUX_PLAY_MODELS: SPEC,
        CRUX_MODEL_CACHE: "0",
        // A failed stream should fail the run, not be retried silently and measured twice.
        CRUX_MODEL_MAX_ATTEMPTS: "1",
        // Every match starts from this one address, as a new guest: the per-IP match-start limit is not measured.
        CRUX_MATCH_STARTS_PER_IP: "1000000",
        ...(SERVER_NODE_OPTIONS ? { NODE_OPTIONS: SERVER_NODE_OPTIONS } : {}),
      },
    });
    const running = server;
    // The process each path crosses besides this one, whose CPU time is measured during that path only.
    const secondProcess: Record<PathName, number | null> = {
      fetch: null,
      relay: relay.pid,
      adapter: null,
      inproc: null,
      crux: serverPid(server.child.pid),
    };
    const runners: Record<PathName, () => Promise<Received>> = {
      fetch: () => viaFetch(fake.url),
      relay: () => viaFetch(relayUrl),
      adapter: () => viaAdapter(fake),
      inproc: () => viaInProcess(local),
      crux: () => viaCrux(running),
    };
    console.log(
      `Adapter overhead: ${CHUNKS} chunks of ${CHUNK_CHARS} characters, ${DELAY_MS} ms apart, 2 seats streaming at ` +
        `once; ${REPS} repetition(s) after ${WARMUP} warm-up; Node ${process.version}` +
        `${SERVER_NODE_OPTIONS ? `; server NODE_OPTIONS=${SERVER_NODE_OPTIONS}` : ""}\n`,
    );
    const all: Record<PathName, { values: number[]; gaps: number[]; bench: number; server: number | null }> = {
      fetch: { values: [], gaps: [], bench: 0, server: 0 },
      relay: { values: [], gaps: [], bench: 0, server: 0 },
      adapter: { values: [], gaps: [], bench: 0, server: 0 },
      inproc: { values: [], gaps: [], bench: 0, server: 0 },
      crux: { values: [], gaps: [], bench: 0, server: 0 },
    };
    const rows: Row[] = [];
    const csv = ["path,rep,seat,chunk,sent_epoch_ms,sent_ms,latency_ms"];
    for (let rep = 1 - WARMUP; rep <= REPS; rep++) {
      // Every other repetition runs the paths in reverse order, so that none always follows the same one.
      for (const path of rep % 2 === 0 ? [...PATHS].reverse() : PATHS) {
        captures.length = 0;
        // A second process's CPU is read around its own path only: its idle CPU during the others would be noise.
        const { value: received, cpu } = await measured(secondProcess[path], runners[path]);
        const { latencies: values, gaps } = latencies(received, takeSendTimes(), path, rep, csv);
        if (rep < 1) continue; // warm-up: JIT, connection pools, the server's first match
        const pool = all[path];
        pool.values.push(...values);
        pool.gaps.push(...gaps);
        pool.bench += cpu.bench;
        pool.server = pool.server === null || cpu.server === null ? null : pool.server + cpu.server;
        rows.push({ path, rep: String(rep), stats: stats(values), cpu });
      }
    }
    rows.sort((a, b) => PATHS.indexOf(a.path) - PATHS.indexOf(b.path));
    const pooled = Object.fromEntries(PATHS.map((p) => [p, stats(all[p].values)])) as Record<PathName, Stats>;
    for (const path of PATHS) {
      const cpu = { bench: all[path].bench, server: secondProcess[path] === null ? null : all[path].server };
      rows.push({ path, rep: "all", stats: pooled[path], cpu });
    }
    printTable(rows);
    if (CSV) fs.writeFileSync(CSV, `${csv.join("\n")}\n`);

    const { fetch: base, crux, inproc } = pooled;
    const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
    const cpuRatio = (a: number | null, b: number | null): string => (a === null || b === null ? "-" : ratio(a, b));
    const added = (a: number, b: number): string => `${a >= b ? "+" : "-"}${Math.abs(a - b).toFixed(3)} ms`;
    console.log("\nagainst fetch:   p50 ratio  p99 ratio  mean ratio  added at p50  added at p99");
    for (const path of PATHS.filter((p) => p !== "fetch")) {
      const s = pooled[path];
      const cells = [
        ratio(s.p50, base.p50).padStart(9),
        ratio(s.p99, base.p99).padStart(9),
        ratio(s.mean, base.mean).padStart(10),
        added(s.p50, base.p50).padStart(12),
        added(s.p99, base.p99).padStart(12),
      ];
      console.log(`  ${path.padEnd(14)}${cells.join("  ")}`);
    }
    const verdict = (met: boolean): string => (met ? "PASS" : "FAIL");
    const { relay: floor } = pooled;
    console.log(
      `\nissue target     adapter + socket room (inproc) p99 ≤ ${TARGET_P99_RATIO}x fetch p99: ` +
        `${verdict(inproc.p99 <= TARGET_P99_RATIO * base.p99)} (${inproc.p99.toFixed(3)} ms vs ${base.p99.toFixed(3)} ms: ` +
        `${ratio(inproc.p99, base.p99)})`,
    );
    console.log(
      `                 through the server process (crux) p99 ≤ ${TARGET_P99_RATIO}x fetch p99: ` +
        `${verdict(crux.p99 <= TARGET_P99_RATIO * base.p99)} (${crux.p99.toFixed(3)} ms: ${ratio(crux.p99, base.p99)}; ` +
        `the relay alone, which only pipes bytes through a second process, is ${ratio(floor.p99, base.p99)})`,
    );
    console.log(
      `restated target  crux adds ≤ ${ADDED_P99_MS} ms to fetch at p99: ` +
        `${verdict(crux.p99 - base.p99 <= ADDED_P99_MS)} (${added(crux.p99, base.p99)})`,
    );
    console.log(
      `against the floor: crux p99 is ${ratio(crux.p99, floor.p99)} relay p99 (${added(crux.p99, floor.p99)}); ` +
        `server CPU per chunk ${cpuRatio(all.crux.server, all.relay.server)} the relay's`,
    );
    // Not the target's measure, but what a reader sees: how evenly chunks arrive (the sender spaces them DELAY_MS).
    const gap = Object.fromEntries(PATHS.map((p) => [p, stats(all[p].gaps)])) as Record<PathName, Stats>;
    console.log(
      `gaps between arrivals (sent ${DELAY_MS} ms apart): ` +
        PATHS.map((p) => `${p} p50 ${gap[p].p50.toFixed(3)} / p99 ${gap[p].p99.toFixed(3)} ms`).join(", ") +
        `; crux/fetch p99 ${ratio(gap.crux.p99, gap.fetch.p99)}`,
    );
  } finally {
    restoreWrite();
    await relay?.stop();
    await inProcess?.stop();
    if (server) {
      await server.stop();
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
    await fake.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
