/**
 * A resampling worker thread (started by ./resample-pool.ts with tsx's loader). It imports only pure modules, takes
 * one job at a time as plain data and posts back `{ id, result }` or `{ id, error }`. A cancelled job is stopped by
 * terminating the thread.
 */
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { type CellsQuery, judgmentsFromCells, type ResampleJob, runResampleJob } from "./resample-jobs";

const connections = new Map<string, Database.Database>();

/** Runs the cells query on this thread's own read-only connection (kept per file). */
function readCells(query: CellsQuery) {
  let connection = connections.get(query.file);
  if (!connection) {
    connection = new Database(query.file, { readonly: true, fileMustExist: true });
    connections.set(query.file, connection);
  }
  const cells = connection.prepare(query.sql).all(...query.values) as Parameters<typeof judgmentsFromCells>[0] & [];
  return judgmentsFromCells(cells);
}

parentPort?.on("message", (message: { id: number; job: ResampleJob }) => {
  try {
    const job = message.job;
    if (job.kind === "differences" && job.cells) job.rows = readCells(job.cells);
    parentPort?.postMessage({ id: message.id, result: runResampleJob(job) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
