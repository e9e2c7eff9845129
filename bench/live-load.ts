/**
 * Live latency under load: `npm run bench:live-load` (`npx tsx bench/live-load.ts [--levels 50,100,200,400]
 * [--words 50] [--token-ms 40] [--warmup-ms 8000] [--measure-ms 20000] [--target-at 200] [--modes relay,sdk,crux]
 * [--server-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"] [--instances 2] [--database-url URL]`). Needs a
 * production build (`npm run build`); `--instances 2` needs `redis-server` (scripts/services.sh installs it).
 * Method and figures: docs/performance.md.
 *
 * Four kinds of process, so that no one's work is counted as another's:
 * - the loopback model (bench/live-load/model-server.ts): an OpenAI-compatible SSE endpoint streaming WORDS tokens
 *   per turn, TOKEN_MS apart; each token carries its index and send time (bench/live-load/shared.ts);
 * - the Crux server (server.ts, production build), whose guest matches' two debaters use that model;
 * - the bare relay (bench/live-load/relay.ts): socket.io relaying the same model streams to the same clients, and
 *   nothing else — the floor for this stack;
 * - the SDK relay (the same, `sdk`): the same relay reading each stream through Crux's model adapter call (the AI
 *   SDK's provider and `doStream`) and nothing else of Crux — the floor for any server that streams through the
 *   AI SDK, as the stack requires;
 * - the judges (bench/live-load/judges.ts), N socket.io clients forked anew for each phase.
 *
 * For each level N, the relay, the SDK relay and then Crux get N judges each (N matches, two streams each); after a
 * warm-up, every token received in the measured window gives one latency (model's send → judge's receipt, on the machine's
 * monotonic clock). Lost tokens (in turns completed in the window but never received), reordered tokens, and the
 * server's CPU (ms per second per match) and resident memory (growth per match) are reported per phase.
 *
 * Target (issue 16) at --target-at matches: Crux p99 ≤ 1.5 × the bare relay's p99 in the same run, 0 lost, 0 reordered
 * — and at least 90 % of the relay's tokens delivered, since a server that falls behind leaves judges waiting for
 * matches that never start, whose tokens no latency counts.
 * Exits 1 when it is missed (or a phase had errors). On a shared machine, compare the ratio, not the milliseconds.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type RunningRedis, startRedis } from "../tests/support/redis";
import { type RunningServer, startServer } from "../tests/support/server";
import type { JudgesOptions } from "./live-load/judges";
import { MODES as MODE_NAMES, type Mode, type PhaseResult, processCpuMs, processRssBytes } from "./live-load/shared";

const here = path.join(import.meta.dirname, "live-load");
const PROVIDER = "liveload";
const SPEC = `openai-compatible:${PROVIDER}/live-load`;
const TARGET_RATIO = 1.5;
/** Crux must deliver at least this share of the tokens the relay delivered in the same window. */
const MIN_DELIVERED = 0.9;

const { values } = parseArgs({
  options: {
    levels: { type: "string", default: "50,100,200,400" },
    words: { type: "string", default: "50" },
    "token-ms": { type: "string", default: "40" },
    "warmup-ms": { type: "string", default: "8000" },
    "measure-ms": { type: "string", default: "20000" },
    "target-at": { type: "string", default: "200" },
    modes: { type: "string", default: "relay,sdk,crux" },
    /** Node flags for the Crux server (space-separated), e.g. a CPU profile: `--cpu-prof --cpu-prof-dir=DIR`. */
    "server-node-args": { type: "string" },
    /** Write the server's output (at log level `info`) to this file, to see what it did under load. */
    "server-log": { type: "string" },
    /**
     * Crux instances: 2 runs two servers on one database and one throwaway Redis (socket.io's Redis adapter, match
     * leases), half the judges on each; their CPU is summed, and Redis's is reported on its own.
     */
    instances: { type: "string", default: "1" },
    /** The servers' DATABASE_URL (e.g. an empty PostgreSQL database); default a fresh SQLite file, shared in WAL. */
    "database-url": { type: "string" },
  },
});

function int(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got ${raw}`);
  return value;
}

const LEVELS = (values.levels ?? "").split(",").map((level) => int("levels", level, 1));
const WORDS = int("words", values.words, 1);
const TOKEN_MS = int("token-ms", values["token-ms"], 1);
const WARMUP_MS = int("warmup-ms", values["warmup-ms"], 0);
const MEASURE_MS = int("measure-ms", values["measure-ms"], 1000);
const TARGET_AT = int("target-at", values["target-at"], 1);
const MODES = (values.modes ?? "").split(",") as Mode[];
const INSTANCES = int("instances", values.instances, 1);
if (INSTANCES > 2) throw new Error("--instances: 1 or 2");
if (MODES.some((mode) => !MODE_NAMES.includes(mode))) throw new Error(`--modes: any of ${MODE_NAMES.join(", ")}`);

/** Forks a helper under tsx and resolves with the port it prints (`<word> <port>`). */
async function helper(file: string, args: string[], word: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(here, file), args, {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString("utf8");
      const match = new RegExp(`${word} (\\d+)`).exec(out);
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`${file} exited with code ${code}`)));
  });
  return { child, port };
}

interface Phase {
  mode: Mode;
  judges: number;
  result: PhaseResult;
  /** Server CPU ms per second of the window, per match. */
  cpuPerMatch: number | null;
  /** Server CPU µs per token delivered in the window: the cost of the path, much less sensitive to load. */
  cpuPerToken: number | null;
  /** Resident memory growth from before the phase to the window's peak, per match (bytes). */
  rssPerMatch: number | null;
  rssPeak: number | null;
  /** Redis's CPU ms per second of the window (two instances), or null. */
  redisCpu: number | null;
}

/** What a phase measures: the servers (their CPU and memory summed) and, with two instances, Redis. */
interface Target {
  urls: string[];
  pids: number[];
  redisPid?: number;
}

const sum = (values: Array<number | null>): number | null =>
  values.some((value) => value === null) ? null : values.reduce<number>((total, value) => total + (value ?? 0), 0);

/** Runs one phase: N judges spread over the target's servers; reads their CPU over the measured window and memory. */
async function phase(mode: Mode, target: Target, judges: number): Promise<Phase> {
  const { urls, pids, redisPid } = target;
  const cpuOf = () => sum(pids.map(processCpuMs));
  const rssOf = () => sum(pids.map(processRssBytes));
  const options: JudgesOptions = {
    mode,
    urls,
    judges,
    words: WORDS,
    spec: SPEC,
    staggerMs: Math.min(5000, WARMUP_MS / 2),
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
  };
  const rssBefore = rssOf();
  let cpuStart: number | null = null;
  let cpuEnd: number | null = null;
  let redisStart: number | null = null;
  let redisEnd: number | null = null;
  let rssPeak = rssBefore ?? 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf() ?? 0);
  }, 250);
  const child = fork(path.join(here, "judges.ts"), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  try {
    const result = await new Promise<PhaseResult>((resolve, reject) => {
      child.on("message", (message: { window?: "start" | "end"; result?: PhaseResult }) => {
        if (message.window === "start") {
          cpuStart = cpuOf();
          redisStart = redisPid ? processCpuMs(redisPid) : null;
        }
        if (message.window === "end") {
          cpuEnd = cpuOf();
          redisEnd = redisPid ? processCpuMs(redisPid) : null;
        }
        if (message.result) resolve(message.result);
      });
      child.once("exit", (code) => reject(new Error(`the judges exited with code ${code} before reporting`)));
    });
    const cpuMs: number | null = cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart;
    const cpu = cpuMs === null ? null : cpuMs / (MEASURE_MS / 1000) / judges;
    return {
      mode,
      judges,
      result,
      cpuPerMatch: cpu,
      cpuPerToken: cpuMs === null || result.latency.n === 0 ? null : (cpuMs * 1000) / result.latency.n,
      rssPerMatch: rssBefore === null ? null : (rssPeak - rssBefore) / judges,
      rssPeak,
      redisCpu: redisStart === null || redisEnd === null ? null : (redisEnd - redisStart) / (MEASURE_MS / 1000),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Lets the streams of matches left mid-turn run out, so that the next phase starts from a quiet server. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, WORDS * TOKEN_MS + 2000));
}

/** A figure, or "-" when there is none (no token measured: NaN, which IPC turns into null). */
const ms = (value: number | null, digits: number) =>
  value === null || Number.isNaN(value) ? "-" : value.toFixed(digits);

function row(p: Phase, relay?: Phase, sdk?: Phase): string {
  const l = p.result.latency;
  const over = (base?: Phase) => (base && p.mode !== base.mode ? (l.p99 / base.result.latency.p99).toFixed(2) : "");
  const cells = [
    String(p.judges).padStart(5),
    p.mode.padEnd(5),
    String(l.n).padStart(8),
    ms(l.p50, 1).padStart(7),
    ms(l.p90, 1).padStart(7),
    ms(l.p99, 1).padStart(7),
    ms(l.max, 0).padStart(6),
    over(relay).padStart(6),
    over(sdk).padStart(6),
    String(p.result.lost).padStart(5),
    String(p.result.reordered).padStart(5),
    String(p.result.chunkGaps).padStart(5),
    String(p.result.turns).padStart(6),
    (p.cpuPerMatch === null ? "-" : p.cpuPerMatch.toFixed(2)).padStart(10),
    (p.cpuPerToken === null ? "-" : p.cpuPerToken.toFixed(0)).padStart(8),
    (p.rssPerMatch === null ? "-" : (p.rssPerMatch / 1024).toFixed(0)).padStart(8),
    (p.rssPeak === null ? "-" : (p.rssPeak / 2 ** 20).toFixed(0)).padStart(7),
  ];
  return cells.join(" ");
}

const HEADER = [
  "    N",
  "path ",
  "  tokens",
  "p50 ms ",
  "p90 ms ",
  "p99 ms ",
  "max ms",
  " ×bare",
  "  ×sdk",
  " lost",
  "reord",
  " gaps",
  " turns",
  "cpu ms/s/m",
  "µs/token",
  "KiB/m",
  "RSS MiB",
].join(" ");

async function main(): Promise<void> {
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(", ");
  console.log(
    `Live load: ${WORDS} tokens per turn, ${TOKEN_MS} ms apart, 2 seats; levels ${LEVELS.join(", ")}; ` +
      `${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s measured per phase; ${os.cpus().length} CPUs; ` +
      `load average ${load()}; Node ${process.version}`,
  );
  const model = await helper("model-server.ts", [String(WORDS), String(TOKEN_MS)], "model");
  const modelUrl = `http://127.0.0.1:${model.port}/v1`;
  let relay: { child: ChildProcess; port: number } | null = null;
  let sdkRelay: { child: ChildProcess; port: number } | null = null;
  let redis: RunningRedis | null = null;
  const servers: RunningServer[] = [];
  const phases: Phase[] = [];
  try {
    relay = await helper("relay.ts", [modelUrl], "relay");
    sdkRelay = await helper("relay.ts", [modelUrl, "sdk"], "relay");
    const env: Record<string, string> = {
      [`CRUX_PROVIDER_${PROVIDER.toUpperCase()}_BASE_URL`]: modelUrl,
      CRUX_PLAY_MODELS: SPEC,
      CRUX_MODEL_CACHE: "0",
      ...(values["server-log"] ? { CRUX_LOG: "info" } : {}),
      CRUX_MODEL_MAX_ATTEMPTS: "1",
      // Every stream at once (the default, 4 calls in flight per provider, would queue all but two matches).
      [`CRUX_PROVIDER_${PROVIDER.toUpperCase()}_CONCURRENCY`]: "10000",
      // Every judge connects from this one address: the per-address limits are not what is measured.
      CRUX_MATCH_STARTS_PER_IP: "1000000",
      CRUX_MATCH_STARTS_PER_USER: "100000",
      CRUX_SOCKETS_PER_IP: "1000000",
      CRUX_SOCKET_EVENTS_PER_IP: "1000000",
      ...(values["database-url"] ? { DATABASE_URL: values["database-url"] } : {}),
    };
    if (INSTANCES > 1) {
      redis = await startRedis();
      env.REDIS_URL = redis.url;
    }
    const nodeArgs = values["server-node-args"]?.split(" ").filter(Boolean) ?? [];
    for (let i = 0; i < INSTANCES; i++) {
      // The second instance on the first one's data directory: the same SQLite file (or DATABASE_URL).
      servers.push(await startServer({ env, nodeArgs, ...(servers[0] ? { dir: servers[0].dir } : {}) }));
    }
    for (const server of servers) {
      // The first request to a route loads its code: not what is measured.
      const warm = await fetch(`${server.url}/api/matches`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ debaters: SPEC }),
      });
      if (warm.status !== 201) throw new Error(`warm-up match: HTTP ${warm.status} ${await warm.text()}`);
    }
    const relayTarget = (relayProcess: { child: ChildProcess; port: number }): Target => ({
      urls: [`http://127.0.0.1:${relayProcess.port}`],
      pids: [relayProcess.child.pid ?? 0],
    });
    const targets: Record<Mode, Target> = {
      relay: relayTarget(relay),
      sdk: relayTarget(sdkRelay),
      crux: {
        urls: servers.map((server) => server.url),
        pids: servers.map((server) => server.child.pid ?? 0),
        ...(redis ? { redisPid: redis.pid } : {}),
      },
    };
    if (INSTANCES > 1) console.log(`Crux: ${INSTANCES} instances on one database and one Redis, judges spread evenly.`);
    console.log(`\n${HEADER}`);
    for (const judges of LEVELS) {
      const level: Partial<Record<Mode, Phase>> = {};
      for (const mode of MODES) {
        const result = await phase(mode, targets[mode], judges);
        level[mode] = result;
        phases.push(result);
        console.log(row(result, level.relay, level.sdk));
        if (result.redisCpu !== null) console.log(`      redis: ${result.redisCpu.toFixed(0)} ms of CPU per second`);
        for (const error of result.result.errors) console.log(`      ${mode} error: ${error}`);
        await settle();
      }
    }
  } finally {
    for (const server of servers) await server.stop();
    if (servers.length && values["server-log"]) {
      fs.writeFileSync(values["server-log"], servers.map((server) => server.output()).join("\n"));
    }
    await redis?.stop();
    relay?.child.kill("SIGTERM");
    sdkRelay?.child.kill("SIGTERM");
    model.child.kill("SIGTERM");
  }
  console.log(`\nLoad average at the end: ${load()}`);
  const crux = phases.find((p) => p.mode === "crux" && p.judges === TARGET_AT);
  const bare = phases.find((p) => p.mode === "relay" && p.judges === TARGET_AT);
  if (!crux || !bare) {
    console.log(`Target: not checked (needs both paths at ${TARGET_AT} matches).`);
    return;
  }
  const ratio = crux.result.latency.p99 / bare.result.latency.p99;
  const delivered = crux.result.latency.n / Math.max(1, bare.result.latency.n);
  const failures = [
    ratio > TARGET_RATIO ? `p99 ${ratio.toFixed(2)}× the bare relay (target ≤ ${TARGET_RATIO}×)` : "",
    crux.result.lost ? `${crux.result.lost} tokens lost` : "",
    crux.result.reordered ? `${crux.result.reordered} tokens reordered` : "",
    crux.result.errors.length ? `${crux.result.errors.length} kind(s) of error` : "",
    // A server that cannot keep up leaves judges waiting (matches not started, tokens queued): its few tokens'
    // latencies say little. It must deliver what the relay delivered to as many judges.
    delivered < MIN_DELIVERED
      ? `delivered ${(delivered * 100).toFixed(0)} % of the relay's tokens (target ≥ ${MIN_DELIVERED * 100} %)`
      : "",
    crux.result.latency.n === 0 ? "no token measured" : "",
  ].filter(Boolean);
  console.log(
    `Target at ${TARGET_AT} matches: p99 ${crux.result.latency.p99.toFixed(1)} ms vs bare ${bare.result.latency.p99.toFixed(1)} ms ` +
      `(${ratio.toFixed(2)}×), ${crux.result.lost} lost, ${crux.result.reordered} reordered: ${failures.length ? `FAIL — ${failures.join("; ")}` : "PASS"}`,
  );
  const sdk = phases.find((p) => p.mode === "sdk" && p.judges === TARGET_AT);
  if (sdk) {
    const floor = sdk.result.latency.p99;
    console.log(
      `The AI SDK floor at ${TARGET_AT} matches: the SDK relay's p99 ${floor.toFixed(1)} ms is ` +
        `${(floor / bare.result.latency.p99).toFixed(2)}× the bare relay's; Crux's is ${(crux.result.latency.p99 / floor).toFixed(2)}× the SDK relay's.`,
    );
  }
  if (failures.length) process.exitCode = 1;
}

await main();
process.exit();
