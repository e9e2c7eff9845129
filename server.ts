import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import next from "next";
import { Server } from "socket.io";
import { ensureAuthSecret, getAuthSecret } from "./lib/auth/secret";
import { registerSessionEvents } from "./lib/auth/session-events";
import { stampClientIp } from "./lib/client-ip";
import { type Db, getDb } from "./lib/db/client";
import { migrateDatabase } from "./lib/db/migrate";
import { env } from "./lib/env";
import { checkReadiness } from "./lib/health/readiness";
import { seedShippedDebates } from "./lib/import/shipped-debates";
import { createLogger, type Logger } from "./lib/log";
import { leasesFromEnv, newInstanceId } from "./lib/matches/leases";
import { createModels } from "./lib/matches/models";
import { MatchRunner } from "./lib/matches/runner";
import { registerRunner } from "./lib/matches/runner-registry";
import { isSameOriginRequest } from "./lib/origin";
import { seedQuestionBank } from "./lib/questions/seed";
import { trackParticipantPresence } from "./lib/realtime/presence";
import { PROTOCOL_VERSION } from "./lib/realtime/protocol";
import {
  attachRealtime,
  type CruxServer,
  createSessionEvents,
  createSocketListener,
  realtimeFootprint,
} from "./lib/realtime/server";
import { closeRedis, getRedis } from "./lib/redis";
import { applySecurityHeaders } from "./lib/security-headers";
import { sweepAllDropouts } from "./lib/studies/assignment";
import { runPlanItemJob } from "./lib/studies/run";
import { createRunQueue, startRunWorker } from "./lib/studies/run-queue";
import { registerRunQueue } from "./lib/studies/run-queue-registry";

/**
 * One process, one port: Next's request handler and socket.io share an HTTP server. Before listening, the
 * database is migrated and (when empty) seeded; after, matches that were running when the process last stopped
 * are resumed. Signal and fault handlers come first of all, so a SIGTERM or a fault during start-up stops the
 * process the same bounded, logged way as one while serving.
 */
async function main() {
  const log = createLogger(env.CRUX_LOG);
  const dev = env.NODE_ENV !== "production";
  const onShutdown = handleShutdown(log);

  const migration = await migrateDatabase({ log: log.debug });
  if (migration.applied.length) log.info(`database: applied ${migration.applied.join(", ")}`);
  const db = getDb();
  onShutdown("database", () => db.$disconnect());
  if (env.CRUX_SEED_ON_START) {
    const seeded = await seedQuestionBank(db, { log: log.debug });
    if (seeded.questions) log.info(`question bank: added ${seeded.passages} passages, ${seeded.questions} questions`);
  }
  if (env.CRUX_SEED_DEBATES_ON_START) {
    // Demo content: a failure is reported, and the server starts without it ("Judge a real debate" says none).
    await seedShippedDebates(db, { log: log.debug })
      .then((debates) => {
        if (debates) log.info(`recorded debates: added ${debates} NYU 2023 debates (dataset nyu-2023)`);
      })
      .catch((error: unknown) =>
        log.error(`recorded debates: not seeded: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  // Before Next starts: a fresh clone gets its session secret here (docs/accounts.md).
  const secret = ensureAuthSecret();
  if (secret.source === "file" && secret.created) log.info(`auth: generated a session secret in ${secret.file}`);

  const app = next({ dev, hostname: "localhost", port: env.PORT });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  const httpServer = createServer((req, res) => {
    // Rate limits key on this header; a client-sent copy is overwritten (lib/client-ip.ts).
    stampClientIp(req, env.CRUX_TRUST_PROXY);
    applySecurityHeaders(req, res, env.CRUX_TRUST_PROXY);
    if (answerProbe(req, res, db)) return;
    handleRequest(req, res).catch((error: unknown) => {
      log.error(`request ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end("Internal server error");
    });
  });

  const io: CruxServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // Only pages of this site may open a socket with a visitor's cookies (lib/origin.ts).
    allowRequest: (req, callback) =>
      callback(null, isSameOriginRequest(req, { trustProxy: env.CRUX_TRUST_PROXY, publicUrl: env.AUTH_URL })),
  });
  // Several instances (REDIS_URL): room broadcasts and disconnects reach the sockets of every instance, and each
  // match is driven by the one instance holding its lease (docs/deploy.md).
  const redis = getRedis();
  const instanceId = newInstanceId();
  const leases = leasesFromEnv(db, instanceId);
  if (redis) {
    const subscriber = redis.duplicate();
    io.adapter(createAdapter(redis, subscriber));
    onShutdown("Redis", async () => {
      subscriber.disconnect();
      await closeRedis();
    });
  }
  const runner: MatchRunner = new MatchRunner({
    db,
    models: createModels(db),
    listener: createSocketListener(io),
    log: log.error,
    info: log.info,
    leases,
    leaseRenewMs: env.CRUX_LEASE_RENEW_MS,
    idle: {
      idleMs: env.CRUX_IDLE_MATCH_MINUTES * 60_000,
      // Study matches: the study's own dropout rule, applied even when no new participant arrives.
      sweep: (now) =>
        sweepAllDropouts(db, { now, endMatch: async (id, reason) => void (await runner.abandon(id, reason)) }),
    },
  });
  const startWorker = (url: string) =>
    startRunWorker(
      url,
      (data, signal) => runPlanItemJob(db, runner, data, { signal, pollMs: env.CRUX_LEASE_RENEW_MS }),
      {
        concurrency: env.CRUX_RUN_WORKER_CONCURRENCY,
        lockMs: env.CRUX_RUN_JOB_LOCK_MS,
        log: log.error,
        info: log.info,
      },
    );
  onShutdown("HTTP server", () => httpServer.close());
  onShutdown("socket.io", () => io.close());
  // Several instances: automated runs are a job queue in Redis, and every instance works on it (docs/deploy.md).
  // Shutdown: take no new job, stop the runner (the jobs running throw and are retried elsewhere), then close.
  const runWorker = env.REDIS_URL && env.CRUX_RUN_WORKER_CONCURRENCY > 0 ? startWorker(env.REDIS_URL) : null;
  if (env.REDIS_URL) {
    const queue = createRunQueue(env.REDIS_URL);
    registerRunQueue(queue);
    onShutdown("automated-run queue", () => queue.close());
  }
  if (runWorker) onShutdown("automated-run worker", () => runWorker.close());
  // Aborts model calls; an interrupted turn is redone on the next start.
  onShutdown("match runner", () => runner.stop());
  if (runWorker) onShutdown("automated-run intake", () => runWorker.pause());
  registerRunner(runner);
  const realtime = attachRealtime(io, {
    db,
    runner,
    log: log.error,
    authSecret: getAuthSecret(),
    trustProxy: env.CRUX_TRUST_PROXY,
    limits: {
      socketsPerUser: env.CRUX_SOCKETS_PER_USER,
      socketsPerIp: env.CRUX_SOCKETS_PER_IP,
      eventsPerUser: env.CRUX_SOCKET_EVENTS_PER_USER,
      eventsPerIp: env.CRUX_SOCKET_EVENTS_PER_IP,
      eventsPerSocket: env.CRUX_SOCKET_EVENTS_PER_CONNECTION,
    },
    ...(redis && {
      cluster: {
        redis,
        instanceId,
        // A dead holder's lease lapses within its TTL, and the next beat takes the match over.
        takeoverMs: env.CRUX_LEASE_TTL_MS + 2 * env.CRUX_LEASE_RENEW_MS + 1000,
        retryMs: env.CRUX_LEASE_RENEW_MS,
      },
    }),
  });
  onShutdown("instance relay", () => realtime.close());
  // A revoked session or a changed role closes the user's connections at once (lib/auth/session-events.ts).
  const stopSessionEvents = registerSessionEvents(createSessionEvents(io, log.info));
  const stopPresence = trackParticipantPresence(io, db, { log: log.error });
  onShutdown("session events", stopSessionEvents);
  onShutdown("presence", stopPresence);

  // The memory footprint on demand (docs/operations.md): `kill -USR2 <pid>` prints one `memory {…}` line. Set
  // before the ready line, so that a signal sent as soon as it appears does not end the process (SIGUSR2's default).
  process.on("SIGUSR2", () => log.always(`memory ${JSON.stringify(memoryFootprint(runner, io))}`));

  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve));
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  // Tests and scripts wait for this exact line.
  log.always(`Crux ready on http://localhost:${port} (protocol v${PROTOCOL_VERSION}, ${dev ? "dev" : "production"})`);

  const resumed = await runner.resumeInFlight();
  if (resumed) log.info(`resumed ${resumed} match(es) that were in flight`);
}

/** Set once shutdown begins: `/readyz` then says 503, so a load balancer stops sending new work here. */
let shuttingDown = false;

/**
 * The probes of a load balancer or orchestrator (docs/deploy.md), answered before Next: `GET /healthz` — the
 * process is alive (200, nothing checked); `GET /readyz` — it can serve (200, or 503 with the failing checks):
 * the database answers, its migrations are applied, Redis answers (when REDIS_URL is set), and it is not shutting
 * down. Returns whether the request was a probe.
 */
function answerProbe(req: IncomingMessage, res: ServerResponse, db: Db): boolean {
  const path = req.url?.split("?")[0];
  if (path !== "/healthz" && path !== "/readyz") return false;
  const reply = (status: number, body: unknown) =>
    res
      .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify(body));
  if (path === "/healthz") {
    reply(200, { status: "alive" });
    return true;
  }
  // Redis answers too, when the process uses it (REDIS_URL).
  const redis = getRedis();
  const dependencies = redis ? [{ name: "redis", check: () => redis.ping() }] : [];
  checkReadiness(db, { dependencies }).then(
    ({ ready, checks }) => {
      const draining = {
        name: "accepting work",
        ok: !shuttingDown,
        ...(shuttingDown ? { detail: "shutting down" } : {}),
      };
      const all = [...checks, draining];
      reply(ready && !shuttingDown ? 200 : 503, {
        status: ready && !shuttingDown ? "ready" : "not ready",
        checks: all,
      });
    },
    (error: unknown) => reply(503, { status: "not ready", error: String(error) }),
  );
  return true;
}

/**
 * Installs the process's signal and fault handlers and returns how to add a step to its shutdown. SIGINT/SIGTERM
 * stop cleanly (exit 0); an unhandled rejection or uncaught exception is logged and stops the process the same
 * way with exit code 1, since state after it is unknown. Steps run last-added first (each part stops before what it
 * depends on: the runner before the database). Shutdown is bounded: after CRUX_SHUTDOWN_TIMEOUT_MS the process
 * exits (code 1) whatever is still pending — a model call or a client that will not let go must not keep it, and
 * its port, forever.
 */
function handleShutdown(log: Logger): (name: string, step: () => unknown) => void {
  const steps: Array<{ name: string; run: () => unknown }> = [];
  let closing = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (closing) return;
    closing = true;
    shuttingDown = true;
    const say = exitCode === 0 ? log.info : log.error;
    say(`${reason}: shutting down (at most ${env.CRUX_SHUTDOWN_TIMEOUT_MS} ms)`);
    setTimeout(() => {
      log.error(`shutdown took longer than ${env.CRUX_SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(exitCode || 1);
    }, env.CRUX_SHUTDOWN_TIMEOUT_MS).unref();
    let code = exitCode;
    for (const step of steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        code = code || 1;
        log.error(`shutdown: stopping the ${step.name} failed: ${describeError(error)}`);
      }
    }
    (code === 0 ? log.info : log.error)(`shut down after ${reason} (exit code ${code})`);
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("unhandledRejection", (reason) => {
    log.error(`unhandled rejection: ${describeError(reason)}`);
    void shutdown("unhandled rejection", 1);
  });
  process.on("uncaughtException", (error) => {
    log.error(`uncaught exception: ${describeError(error)}`);
    void shutdown("uncaught exception", 1);
  });
  return (name, run) => {
    steps.push({ name, run });
  };
}

/**
 * Heap and process memory after a full garbage collection when the process runs with `--expose-gc` (`gc: true`;
 * otherwise the heap includes garbage not yet collected), with what the runner and the socket layer hold.
 */
function memoryFootprint(runner: MatchRunner, io: CruxServer) {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const { heapUsed, heapTotal, rss, external, arrayBuffers } = process.memoryUsage();
  return {
    gc: Boolean(collect),
    heapUsed,
    heapTotal,
    rss,
    external,
    arrayBuffers,
    ...runner.footprint(),
    ...realtimeFootprint(io),
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`Crux failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
