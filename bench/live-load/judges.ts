import { io, type Socket } from "socket.io-client";
import type { MatchView } from "../../lib/debate/view";
import { type Ack, PROTOCOL_VERSION, type TurnDelta } from "../../lib/realtime/protocol";
import { createGuestMatch } from "../../tests/support/client";
import { type Mode, nowUs, type PhaseResult, parseTokens, summarize } from "./shared";

/**
 * The simulated judges of bench/live-load.ts, in a process of their own (so their work is not the server's): JUDGES
 * socket.io clients, each playing on its own, started over STAGGER_MS. Against Crux each plays guest matches back
 * to back (continue after every round, end after the last); against the bare relay each asks for the rounds of a
 * debate in the same order (both seats at once in round 1, one after the other later). Every token received
 * between WARMUP_MS and WARMUP_MS + MEASURE_MS after the start is measured; the result goes back to the parent over
 * IPC.
 *
 *   node --import tsx bench/live-load/judges.ts '<json options>'   (forked by bench/live-load.ts)
 */

export interface JudgesOptions {
  /** `relay` and `sdk` are both relays (bench/live-load/relay.ts), bare or through the AI SDK. */
  mode: Mode;
  /** The server(s): judge i plays on `urls[i % urls.length]` (several Crux instances: an even share on each). */
  urls: string[];
  judges: number;
  /** Tokens per turn (what the model streams). */
  words: number;
  /** The debater spec of Crux matches. */
  spec: string;
  staggerMs: number;
  warmupMs: number;
  measureMs: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as JudgesOptions;
const started = Date.now();
const windowStart = started + options.warmupMs;
const windowEnd = windowStart + options.measureMs;
const inWindow = (at: number) => at >= windowStart && at < windowEnd;
const stopping = () => Date.now() >= windowEnd;

const latencies: number[] = [];
let lost = 0;
let reordered = 0;
let chunkGaps = 0;
let turns = 0;
let begun = 0;
const errors: string[] = [];

interface Stream {
  lastSeq: number;
  maxIndex: number;
  received: number;
}
const streams = new Map<string, Stream>();
const keyOf = (matchId: string, round: number, speaker: string) => `${matchId}:${round}:${speaker}`;

function onDelta(delta: TurnDelta): void {
  const at = Date.now();
  const receivedUs = nowUs();
  const key = keyOf(delta.matchId, delta.round, delta.speaker);
  let stream = streams.get(key);
  if (!stream) {
    stream = { lastSeq: -1, maxIndex: -1, received: 0 };
    streams.set(key, stream);
  }
  const measured = inWindow(at);
  if (delta.seq !== stream.lastSeq + 1 && measured) chunkGaps += 1;
  stream.lastSeq = delta.seq;
  for (const { index, sentUs } of parseTokens(delta.text)) {
    if (index <= stream.maxIndex) {
      if (measured) reordered += 1;
      continue;
    }
    stream.maxIndex = index;
    stream.received += 1;
    if (measured) latencies.push((receivedUs - sentUs) / 1000);
  }
}

/** A turn is over (stored in Crux, or the relay said so): every token of it should have arrived. */
function turnDone(matchId: string, round: number, speaker: string): void {
  const key = keyOf(matchId, round, speaker);
  const stream = streams.get(key);
  streams.delete(key);
  if (!inWindow(Date.now())) return;
  turns += 1;
  lost += options.words - (stream?.received ?? 0);
}

function connect(url: string, cookie?: string): Promise<Socket> {
  const socket = io(url, {
    auth: { v: PROTOCOL_VERSION },
    ...(cookie ? { extraHeaders: { cookie } } : {}),
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  socket.on("turn:delta", onDelta);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function emit<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => socket.emit(event, payload, resolve));
}

/**
 * One Crux judge: guest matches back to back on one connection to `url`. Each match is created and joined there,
 * so the instance the judge is connected to drives it (it takes the match's lease at the first join).
 */
async function cruxJudge(url: string): Promise<void> {
  let created = await createGuestMatch(url, undefined, { body: { debaters: options.spec } });
  const socket = await connect(url, created.cookie);
  try {
    while (!stopping()) {
      const { matchId } = created;
      begun += 1;
      const counted = new Set<string>();
      let stepped = 0;
      const over = new Promise<void>((resolve) => {
        const onView = (view: MatchView) => {
          if (view.id !== matchId) return;
          for (const turn of view.turns) {
            const key = `${turn.round}:${turn.speaker}`;
            if (counted.has(key)) continue;
            counted.add(key);
            turnDone(matchId, turn.round, turn.speaker);
          }
          if (view.phase.kind === "errored") errors.push(`match ${matchId} errored: ${view.error}`);
          if (view.phase.kind === "complete" || view.phase.kind === "errored" || stopping()) {
            socket.off("match:view", onView);
            return resolve();
          }
          if (view.phase.kind !== "judge" || view.phase.round <= stepped) return;
          stepped = view.phase.round;
          const step = { matchId, round: stepped, probabilities: [0.6, 0.4] };
          const final = view.phase.final;
          void emit(
            socket,
            "judge:step",
            final ? { ...step, action: "end", explanation: "bench" } : { ...step, action: "continue" },
          ).then((ack) => {
            if (!ack.ok) errors.push(`judge:step: ${ack.error.message}`);
          });
        };
        socket.on("match:view", onView);
      });
      const joined = await emit<MatchView>(socket, "match:join", { matchId });
      if (!joined.ok) throw new Error(`match:join: ${joined.error.message}`);
      await over;
      if (stopping()) break;
      created = await createGuestMatch(url, created.cookie, { body: { debaters: options.spec } });
    }
  } finally {
    socket.disconnect();
  }
}

/**
 * One relay judge: debates of ROUNDS rounds back to back, the turns ordered as in a Crux debate (the defaults: the
 * first round's two seats at once, later rounds' one after the other), so both paths stream as many tokens.
 */
async function relayJudge(url: string, index: number): Promise<void> {
  const socket = await connect(url);
  try {
    for (let debate = 0; !stopping(); debate++) {
      begun += 1;
      const matchId = `relay-${index}-${debate}`;
      for (let round = 1; round <= RELAY_ROUNDS && !stopping(); round++) {
        await relayRound(socket, matchId, round);
      }
    }
  } finally {
    socket.disconnect();
  }
}

/** The rounds of a Crux debate by default (lib/debate/config.ts). */
const RELAY_ROUNDS = 3;

/** One round on the relay: both seats' turns, then `relay:done`. */
async function relayRound(socket: Socket, matchId: string, round: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once("relay:done", () => resolve());
    socket.once("relay:error", (message: string) => reject(new Error(message)));
    socket.emit("relay:turn", { matchId, round, sequential: round > 1 });
  });
  turnDone(matchId, round, "A");
  turnDone(matchId, round, "B");
}

async function main(): Promise<void> {
  // The parent reads the servers' CPU time at the window's edges.
  setTimeout(() => process.send?.({ window: "start" }), options.warmupMs);
  setTimeout(() => process.send?.({ window: "end" }), options.warmupMs + options.measureMs);
  const judges = Array.from({ length: options.judges }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, (i * options.staggerMs) / options.judges));
    try {
      const url = options.urls[i % options.urls.length] ?? "";
      await (options.mode === "crux" ? cruxJudge(url) : relayJudge(url, i));
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  });
  await Promise.all(judges);
  const result: PhaseResult = {
    latency: summarize(latencies),
    lost,
    reordered,
    chunkGaps,
    turns,
    started: begun,
    errors: [...new Set(errors)].slice(0, 10),
  };
  process.send?.({ result }, undefined, {}, () => process.exit(0));
}

await main();
