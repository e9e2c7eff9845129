import { createHash } from "node:crypto";
import { type Job, Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { MATCH_STATUSES } from "../debate/vocabulary-lists";
import type { PlanItem } from "./plan";

/**
 * Automated runs spread over app instances (REDIS_URL set): every match of a run is a job of one BullMQ queue in
 * Redis, and every instance runs a worker that takes jobs from it (docs/deploy.md#automated-runs-over-several-instances).
 * The instance that starts a run only enqueues its plan items and follows their outcomes to report progress.
 *
 * A worker holds a job under a lock it renews while the match runs; a killed instance stops renewing, and BullMQ's
 * stalled-job check (on every worker, every `lockMs`) puts the job back in the queue for another worker. No match is
 * run twice: the job looks up the plan item's match first (a complete one is reported as done; one in flight is
 * resumed, the match lease deciding which instance drives it), and a job id per (run, plan item) keeps a plan item
 * in the queue once however often the run is started.
 */

export const RUN_QUEUE_NAME = "crux-study-runs";

/** One plan item of a run, as a job. */
export interface RunJobData {
  runId: string;
  versionId: string;
  item: PlanItem;
  judgeModel: string;
}

const runJobResultSchema = z.object({
  matchId: z.string(),
  status: z.enum(MATCH_STATUSES),
  costUsd: z.number(),
});
/** What a job did: the plan item's match, how it ended, and what its model calls cost on this attempt. */
export type RunJobResult = z.infer<typeof runJobResultSchema>;

/** The outcome of one plan item, as the starting instance learns it: the job's result or why it failed for good. */
export type RunJobOutcome = { key: string } & ({ ok: true; result: RunJobResult } | { ok: false; reason: string });

/** How often the starting instance checks the jobs it has not heard of (an event lost to a Redis reconnect). */
const RECONCILE_MS = 5000;
/** Attempts per job: a job whose instance stops is retried (a killed one's after its lock lapses). */
const ATTEMPTS = 5;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A plan item's job id: stable per (run, item), without the `:` BullMQ refuses in custom ids. */
export function runJobId(runId: string, key: string): string {
  return `run-${runId}-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

/** BullMQ needs connections that retry commands forever (it reconnects and carries on); one per queue object. */
function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

export interface RunQueue {
  /**
   * Enqueues the jobs (a plan item already queued or running stays as it is) and resolves once each has an outcome,
   * calling `onOutcome` for each, or once `signal` fires: then the jobs not yet started are taken out of the queue
   * (those running finish, or stay resumable) and it resolves with what is left.
   */
  runAll(
    jobs: readonly RunJobData[],
    options: { signal?: AbortSignal; onOutcome: (outcome: RunJobOutcome) => Promise<void> },
  ): Promise<void>;
  close(): Promise<void>;
}

/** The queue of automated runs on the Redis at `url`. */
export function createRunQueue(url: string): RunQueue {
  const connection = connect(url);
  const eventsConnection = connect(url);
  const queue = new Queue<RunJobData, RunJobResult>(RUN_QUEUE_NAME, { connection });
  let events: QueueEvents | null = null;
  const subscribe = async () => {
    events ??= new QueueEvents(RUN_QUEUE_NAME, { connection: eventsConnection });
    await events.waitUntilReady();
    return events;
  };

  /** A finished job's outcome, or null while it is still to run (waiting, delayed, active, retrying). */
  const outcomeOf = async (
    job: Job<RunJobData, RunJobResult> | undefined,
    key: string,
  ): Promise<RunJobOutcome | null> => {
    if (!job) return { key, ok: false, reason: "its job is no longer in the queue" };
    const state = await job.getState();
    if (state === "completed") {
      const parsed = runJobResultSchema.safeParse(job.returnvalue);
      return parsed.success
        ? { key, ok: true, result: parsed.data }
        : { key, ok: false, reason: "its job returned no result" };
    }
    if (state === "failed") return { key, ok: false, reason: job.failedReason || "its job failed" };
    if (state === "unknown") return { key, ok: false, reason: "its job is no longer in the queue" };
    return null;
  };

  return {
    async runAll(jobs, { signal, onOutcome }) {
      if (jobs.length === 0) return;
      const listening = await subscribe();
      const pending = new Map(jobs.map((job) => [runJobId(job.runId, job.item.key), job.item.key]));
      let wake: () => void = () => {};
      const settle = async (id: string, outcome: RunJobOutcome | null) => {
        if (!outcome || !pending.delete(id)) return;
        await onOutcome(outcome);
        if (pending.size === 0) wake();
      };
      const check = async (id: string) => {
        const key = pending.get(id);
        if (key !== undefined) await settle(id, await outcomeOf(await queue.getJob(id), key));
      };
      const onEvent = ({ jobId }: { jobId: string }) => {
        if (pending.has(jobId)) void check(jobId).catch(() => undefined);
      };
      listening.on("completed", onEvent);
      listening.on("failed", onEvent);
      const onAbort = () => wake();
      signal?.addEventListener("abort", onAbort);
      try {
        // A job of an earlier start of the run that ended (a match that errored, to be tried again) is replaced;
        // one still waiting or running is kept, so that the plan item is not run twice.
        const fresh: RunJobData[] = [];
        for (const job of jobs) {
          const id = runJobId(job.runId, job.item.key);
          const existing = await queue.getJob(id);
          const state = existing ? await existing.getState() : "unknown";
          if (existing && (state === "completed" || state === "failed")) await existing.remove();
          if (!existing || state === "completed" || state === "failed" || state === "unknown") fresh.push(job);
        }
        await queue.addBulk(
          fresh.map((data) => ({
            name: "match",
            data,
            opts: {
              jobId: runJobId(data.runId, data.item.key),
              attempts: ATTEMPTS,
              backoff: { type: "fixed", delay: 1000 },
              removeOnComplete: { age: 24 * 3600 },
              removeOnFail: { age: 7 * 24 * 3600 },
            },
          })),
        );
        while (pending.size > 0 && !signal?.aborted) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, RECONCILE_MS).unref?.();
          });
          for (const id of [...pending.keys()]) await check(id);
        }
        if (signal?.aborted) {
          // Jobs not started yet leave the queue; a running one is locked (remove refuses it) and ends normally.
          for (const id of pending.keys()) await queue.remove(id).catch(() => 0);
        }
      } finally {
        listening.off("completed", onEvent);
        listening.off("failed", onEvent);
        signal?.removeEventListener("abort", onAbort);
      }
    },
    async close() {
      await events?.close();
      await queue.close();
      connection.disconnect();
      eventsConnection.disconnect();
    },
  };
}

export interface RunWorker {
  /** Takes no new job (those running carry on). */
  pause(): Promise<void>;
  /** Waits for the jobs running to end (their matches stopped by the runner first), then disconnects. */
  close(): Promise<void>;
}

/**
 * This instance's worker: runs up to `concurrency` jobs at once through `run` (the plan item's match, to its end).
 * A job that throws is retried (by any instance) up to {@link ATTEMPTS} times.
 */
export function startRunWorker(
  url: string,
  run: (data: RunJobData, signal: AbortSignal) => Promise<RunJobResult>,
  options: { concurrency: number; lockMs: number; log: (line: string) => void; info?: (line: string) => void },
): RunWorker {
  const connection = connect(url);
  const stopping = new AbortController();
  const worker = new Worker<RunJobData, RunJobResult>(RUN_QUEUE_NAME, async (job) => run(job.data, stopping.signal), {
    connection,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A job whose instance died more than once in a row still gets its match finished (resumed, not redone).
    maxStalledCount: ATTEMPTS,
  });
  worker.on("failed", (job, error) => {
    if (job) options.log(`automated run ${job.data.runId}, plan item ${job.data.item.key}: ${errorText(error)}`);
  });
  worker.on("completed", (job, result) =>
    options.info?.(
      `automated run ${job.data.runId}: plan item ${job.data.item.key} done here (match ${result.matchId}, ${result.status})`,
    ),
  );
  worker.on("stalled", (jobId) =>
    options.info?.(`automated-run job ${jobId} stalled (its instance stopped renewing it): queued again`),
  );
  worker.on("error", (error) => options.log(`automated-run worker: ${errorText(error)}`));
  return {
    async pause() {
      await worker.pause(true);
    },
    async close() {
      stopping.abort();
      await worker.close();
      connection.disconnect();
    },
  };
}
