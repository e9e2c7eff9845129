/**
 * A resampling worker thread (started by ./resample-pool.ts with tsx's loader). It imports only pure modules, takes
 * one job at a time as plain data and posts back `{ id, result }` or `{ id, error }`. A cancelled job is stopped by
 * terminating the thread.
 */
import { parentPort } from "node:worker_threads";
import { type ResampleJob, runResampleJob } from "./resample-jobs";

parentPort?.on("message", (message: { id: number; job: ResampleJob }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: runResampleJob(message.job) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
