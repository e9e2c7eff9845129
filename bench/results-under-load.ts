/**
 * Live streams while results are computed: `npm run bench:results-load`.
 *
 * Seeds a temporary database with bench/analysis.ts's study (100,000 verdicts, 1,000,000 turns), starts the real
 * server on it (server.ts under tsx, the production build of Next), and opens JUDGES live matches against the
 * offline debater over socket.io, each judge continuing round after round and starting a new match when one ends.
 * It measures, at the judges, the gap between consecutive chunks of the same turn: first for PHASE_MS with no other
 * traffic, then for PHASE_MS while a researcher requests the results' headline (bootstrap + permutation test) and
 * rating intervals again and again, each time cold (a new replicate count, so the cache cannot answer); the route's
 * code is loaded before either phase by a request it refuses. Prints p50 and p99 of both and the ratio of the p99s;
 * exits 1 when it exceeds TARGET_RATIO. Needs `npm run build` first.
 * Env: BENCH_JUDGES (default 6), BENCH_PHASE_MS (default 30000), CRUX_RESAMPLE_WORKERS is passed to the server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { authCallback, CookieJar } from "../tests/support/auth";
import { connectJudge, createGuestMatch, type RecordingSocket, request } from "../tests/support/client";
import { startServer } from "../tests/support/server";
import { generate } from "./analysis";

const JUDGES = Number(process.env.BENCH_JUDGES ?? 6);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 30_000);
const TARGET_RATIO = 1.5;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function summary(gaps: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...gaps].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 };
}

/** A judge that plays matches back to back, recording chunk gaps into `sink()`'s current array. */
function playForever(baseUrl: string, sink: () => number[] | null, stopped: () => boolean) {
  let client: RecordingSocket | null = null;
  const run = async () => {
    while (!stopped()) {
      const { matchId, cookie } = await createGuestMatch(baseUrl);
      client = await connectJudge(baseUrl, cookie);
      const judge = client;
      let last: { key: string; seq: number; at: number } | null = null;
      judge.socket.on("turn:delta", (delta) => {
        const at = performance.now();
        const key = `${delta.matchId}:${delta.round}:${delta.speaker}`;
        if (last && last.key === key && delta.seq === last.seq + 1) sink()?.push(at - last.at);
        last = { key, seq: delta.seq, at };
      });
      const done = new Promise<void>((resolve) => {
        let stepped = 0;
        judge.socket.on("match:view", async (view) => {
          if (view.phase.kind === "complete" || stopped()) return resolve();
          if (view.phase.kind !== "judge" || view.phase.round <= stepped) return;
          stepped = view.phase.round;
          const step = { matchId, round: stepped, probabilities: [0.6, 0.4] };
          const next = await request(judge, "judge:step", { ...step, action: "continue" });
          if (next.ok) return;
          const end = await request(judge, "judge:step", { ...step, action: "end", explanation: "bench" });
          if (!end.ok) console.error(`judge:step: ${next.error.message}; ${end.error.message}`);
        });
      });
      const joined = await request(judge, "match:join", { matchId });
      if (!joined.ok) throw new Error(`join: ${joined.error.message}`);
      await done;
      judge.socket.disconnect();
    }
  };
  const done = run().catch((error: unknown) => {
    if (!stopped()) console.error(`a judge stopped: ${error instanceof Error ? error.message : String(error)}`);
  });
  return { done, close: () => (client as RecordingSocket | null)?.socket.disconnect() };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-bench-load-"));
  const file = path.join(dir, "crux.db");
  const url = `file:${file}`;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    await migrateDatabase({ url });
    let start = performance.now();
    const { studyId } = generate(file);
    console.log(`Seeded the benchmark study in ${((performance.now() - start) / 1000).toFixed(1)} s.`);
    server = await startServer({
      dir,
      env: {
        CRUX_LOG: "error",
        CRUX_OFFLINE_WORD_DELAY_MS: "40",
        // The judges start match after match from this one address: the per-IP match-start limit is not measured.
        CRUX_MATCH_STARTS_PER_IP: "1000000",
        ...(process.env.CRUX_RESAMPLE_WORKERS ? { CRUX_RESAMPLE_WORKERS: process.env.CRUX_RESAMPLE_WORKERS } : {}),
      },
    });
    const baseUrl = server.url;
    const db = createDb(url);
    const jar = new CookieJar();
    const email = `bench-${Date.now()}@example.test`;
    const signedUp = await authCallback(baseUrl, "signup", { email, password: "correct horse battery" }, jar);
    if (!signedUp.ok) throw new Error(`could not sign up: ${signedUp.location}`);
    const researcher = await db.user.update({ where: { email }, data: { role: "researcher" } });
    await db.study.update({ where: { id: studyId }, data: { ownerId: researcher.id } });
    await db.$disconnect();

    let current: number[] | null = null;
    let stopping = false;
    const judges = Array.from({ length: JUDGES }, () =>
      playForever(
        baseUrl,
        () => current,
        () => stopping,
      ),
    );
    // The route's first request loads its code (hundreds of milliseconds of module loading on the event loop, once
    // per process): a request the route refuses (400) does that outside the measurement.
    const warm = await fetch(`${baseUrl}/api/studies/${studyId}/results?part=warm-up`, {
      headers: { cookie: jar.header() },
    });
    if (warm.status !== 400) throw new Error(`warm-up: expected HTTP 400, got ${warm.status}`);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // let every stream get going

    const baseline: number[] = [];
    current = baseline;
    await new Promise((resolve) => setTimeout(resolve, PHASE_MS));

    const loaded: number[] = [];
    current = loaded;
    const until = performance.now() + PHASE_MS;
    const timings: string[] = [];
    for (let i = 0; performance.now() < until || i < 2; i++) {
      const part = i % 2 === 0 ? "headline" : "ratings";
      start = performance.now();
      const response = await fetch(`${baseUrl}/api/studies/${studyId}/results?part=${part}&replicates=${2000 + i}`, {
        headers: { cookie: jar.header() },
      });
      if (!response.ok) throw new Error(`results ${part}: HTTP ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      timings.push(`${part} ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
    current = null;
    stopping = true;
    for (const judge of judges) judge.close();

    const a = summary(baseline);
    const b = summary(loaded);
    const ratio = b.p99 / a.p99;
    const line = (label: string, s: typeof a) =>
      `${label.padEnd(34)} ${String(s.n).padStart(6)} gaps   p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   max ${s.max.toFixed(0).padStart(5)} ms`;
    console.log(
      `${JUDGES} live judges, ${PHASE_MS / 1000} s per phase; results requests (cold): ${timings.join(", ")}`,
    );
    console.log(line("chunk gaps, no results request", a));
    console.log(line("chunk gaps, results being computed", b));
    const pass = ratio <= TARGET_RATIO;
    console.log(`p99 ratio ${ratio.toFixed(2)}× — target ≤ ${TARGET_RATIO}×: ${pass ? "PASS" : "FAIL"}`);
    if (!pass) process.exitCode = 1;
  } finally {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit();
