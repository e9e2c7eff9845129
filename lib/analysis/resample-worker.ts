/**
 * A resampling worker thread (started by ./resample-pool.ts with tsx's loader). It imports only pure modules, takes
 * one job at a time as plain data, reads the job's SQL sources on its own read-only connection, and posts back
 * `{ id, result }` or `{ id, error }`. A cancelled job is stopped by terminating the thread.
 */
import os from "node:os";
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { loadJob, type ResampleJob, runResampleJob, type SqlText } from "./resample-jobs";

/**
 * On Linux a thread's nice value is its own (setpriority on "process" 0 is the calling thread): this one yields the
 * CPU to the event loop thread that streams live matches whenever both want it, as on a small machine.
 */
const WORKER_NICE = 10;
if (process.platform === "linux") {
  try {
    os.setPriority(WORKER_NICE);
  } catch {
    // Not permitted here: run at the process's priority.
  }
}

const connections = new Map<string, Database.Database>();

/** Runs a read-only statement on this thread's own connection to `file` (kept per file). */
function read(file: string, query: SqlText): unknown[] {
  let connection = connections.get(file);
  if (!connection) {
    connection = new Database(file, { readonly: true, fileMustExist: true });
    connections.set(file, connection);
  }
  return connection.prepare(query.sql).all(...query.values);
}

parentPort?.on("message", async (message: { id: number; job: ResampleJob }) => {
  try {
    const job = await loadJob(message.job, read);
    parentPort?.postMessage({ id: message.id, result: runResampleJob(job) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
