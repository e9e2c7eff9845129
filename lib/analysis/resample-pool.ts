/**
 * A small pool of worker threads for the results' resampling, so that seconds of bootstrap and permutation work on
 * a large study never stall the event loop that streams every live match. Each worker takes one job at a time;
 * jobs wait in order. Aborting a job's signal drops it from the queue, or terminates the worker running it (a new
 * one starts for the next job). With CRUX_RESAMPLE_WORKERS=0 jobs run in-process, synchronously, as they used to.
 *
 * The worker's entry is a plain .mjs file found from the project root (lib/env.ts `projectRoot`) that registers tsx's
 * loader in its thread and imports the TypeScript worker, so the same path works under tsx (server.ts, the CLI,
 * benchmarks), in vitest, and inside Next's bundled route handlers (Node 20 workers do not inherit `--import tsx`).
 */
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { env, projectRoot } from "../env";
import { createLogger } from "../log";
import { loadJob, type ResampleJob, type ResampleResult, runResampleJob } from "./resample-jobs";

const WORKER_FILE = path.join(projectRoot, "lib", "analysis", "resample-worker.mjs");

interface Task {
  id: number;
  job: ResampleJob;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

/** Counters for tests and benchmarks. */
export interface ResamplePoolStats {
  workers: number;
  running: number;
  queued: number;
  completed: number;
  /** Jobs stopped by their signal (dropped from the queue, or their worker terminated). */
  cancelled: number;
}

const slots: Slot[] = [];
const queue: Task[] = [];
const stats = { completed: 0, cancelled: 0 };
let nextId = 1;

function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  return reason instanceof Error ? reason : new DOMException("The resampling was cancelled", "AbortError");
}

function settle(slot: Slot, outcome: { result?: unknown; error?: unknown }): void {
  const task = slot.task;
  slot.task = null;
  slot.worker.unref(); // an idle worker does not keep the process alive
  if (!task) return;
  task.signal?.removeEventListener("abort", task.onAbort as () => void);
  if ("error" in outcome && outcome.error !== undefined) task.reject(outcome.error);
  else {
    stats.completed++;
    task.resolve(outcome.result);
  }
  pump();
}

function startWorker(): Slot {
  // Taken from the built-in at run time so that Next's bundler does not follow the worker file into its bundle.
  const { Worker } = process.getBuiltinModule("node:worker_threads");
  const worker = new Worker(WORKER_FILE);
  worker.unref();
  const slot: Slot = { worker, task: null };
  worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
    if (slot.task?.id !== message.id) return;
    settle(slot, message.error !== undefined ? { error: new Error(message.error) } : { result: message.result });
  });
  const fail = (error: unknown) => {
    removeSlot(slot);
    settle(slot, { error: error instanceof Error ? error : new Error(`resampling worker exited (${error})`) });
  };
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (slot.task) fail(code);
    else removeSlot(slot);
  });
  slots.push(slot);
  return slot;
}

function removeSlot(slot: Slot): void {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
}

/** Whether the job carries SQL for the worker to read (rather than rows read on the event loop). */
function jobReads(job: ResampleJob): boolean {
  const sources = job.kind === "ratings" ? [job.groups] : [job.cells, job.present];
  return sources.some((source) => "sql" in source);
}

function pump(): void {
  while (queue.length > 0) {
    let slot = slots.find((s) => s.task === null);
    if (!slot && slots.length < env.CRUX_RESAMPLE_WORKERS) slot = startWorker();
    if (!slot) return;
    const task = queue.shift() as Task;
    slot.task = task;
    slot.worker.ref(); // a running job does (a CLI awaiting it must not exit)
    slot.worker.postMessage({ id: task.id, job: task.job });
    const reads = jobReads(task.job) ? ", its rows read in the worker" : "";
    createLogger(env.CRUX_LOG).debug(`resampling job ${task.id} started (${task.job.kind}${reads})`);
  }
}

/**
 * Runs a resampling job in a worker thread (in-process when CRUX_RESAMPLE_WORKERS=0, where its sources must be
 * rows) and resolves with its plain result. Rejects with the signal's reason when `signal` aborts first; the job's work stops then.
 */
export function runResampling<J extends ResampleJob>(job: J, signal?: AbortSignal): Promise<ResampleResult<J>> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (env.CRUX_RESAMPLE_WORKERS === 0) {
    return loadJob(job, () => {
      throw new Error("A resampling job with SQL to read needs a worker: pass its rows when the pool is off.");
    }).then((loaded) => runResampleJob<J>(loaded));
  }
  return new Promise<ResampleResult<J>>((resolve, reject) => {
    const task: Task = { id: nextId++, job, resolve: resolve as (value: unknown) => void, reject, signal };
    task.onAbort = () => {
      stats.cancelled++;
      const queued = queue.indexOf(task);
      if (queued >= 0) queue.splice(queued, 1);
      const slot = slots.find((s) => s.task === task);
      if (slot) {
        slot.task = null;
        removeSlot(slot);
        void slot.worker.terminate();
      }
      createLogger(env.CRUX_LOG).debug(
        `resampling job ${task.id} cancelled (${slot ? "worker terminated" : "dropped from the queue"})`,
      );
      reject(abortError(signal));
      pump();
    };
    signal?.addEventListener("abort", task.onAbort, { once: true });
    queue.push(task);
    pump();
  });
}

/** The pool's counters. */
export function resamplePoolStats(): ResamplePoolStats {
  return {
    workers: slots.length,
    running: slots.filter((s) => s.task !== null).length,
    queued: queue.length,
    ...stats,
  };
}

/** Terminates every worker (idle ones too); queued and running jobs reject. For tests and shutdown. */
export async function closeResamplePool(): Promise<void> {
  for (const task of queue.splice(0)) task.reject(new Error("the resampling pool was closed"));
  const closing = slots.splice(0);
  for (const slot of closing) {
    const task = slot.task;
    slot.task = null;
    task?.reject(new Error("the resampling pool was closed"));
  }
  await Promise.all(closing.map((s) => s.worker.terminate()));
}
