/**
 * The resampling jobs the results page needs, as pure functions of plain data: what the worker threads run
 * (./resample-worker.ts) and what runs in-process when the pool is off. Inputs and outputs survive structured
 * clone, so a job computes the same numbers on either side.
 */
import { clusterBootstrapDifference, type Judgment } from "./bootstrap";
import { permutationTest } from "./permutation";
import type { Seed } from "./random";
import { type BradleyTerryIntervals, bradleyTerryIntervals, type PairwiseOutcome } from "./ratings";

/** One headline difference's resampling: bootstrap interval and permutation p-value of accuracy(a) − accuracy(b). */
export interface DifferencesJob {
  kind: "differences";
  /** The judgments; or, in a worker, read first from `cells` (so that the GROUP BY does not run on the event loop). */
  rows: Judgment[];
  cells?: CellsQuery;
  pairs: Array<[string, string]>;
  replicates: number;
  permutations: number;
  seed?: Seed;
}

/** A read-only query of (judge, question, condition, n, correct) cells on a SQLite file, with `?` placeholders. */
export interface CellsQuery {
  file: string;
  sql: string;
  values: Array<string | number>;
}

/** One judgment per verdict from per-cell counts (the first `correct` of a cell's `n` are right). */
export function judgmentsFromCells(
  cells: Iterable<{ judge: string; question: string; condition: string; n: unknown; correct: unknown }>,
): Judgment[] {
  const rows: Judgment[] = [];
  for (const cell of cells) {
    const n = Number(cell.n ?? 0);
    const correct = Number(cell.correct ?? 0);
    for (let i = 0; i < n; i++)
      rows.push({ judge: cell.judge, question: cell.question, condition: cell.condition, correct: i < correct });
  }
  return rows;
}

/** Bradley–Terry rating intervals over the games. */
export interface RatingsJob {
  kind: "ratings";
  games: PairwiseOutcome[];
  replicates: number;
  seed?: Seed;
}

export type ResampleJob = DifferencesJob | RatingsJob;

/** Per pair (in the job's order): the bootstrap and the permutation test, or null where a condition has no rows. */
export interface DifferenceResampling {
  a: string;
  b: string;
  bootstrap: NonNullable<ReturnType<typeof clusterBootstrapDifference>>;
  test: NonNullable<ReturnType<typeof permutationTest>>;
}

export type ResampleResult<J extends ResampleJob> = J extends DifferencesJob
  ? DifferenceResampling[]
  : BradleyTerryIntervals;

/** Runs a job synchronously (in a worker thread, or in-process when the pool is off). */
export function runResampleJob<J extends ResampleJob>(job: J): ResampleResult<J> {
  if (job.kind === "ratings") {
    return bradleyTerryIntervals(job.games, { replicates: job.replicates, seed: job.seed }) as ResampleResult<J>;
  }
  const out: DifferenceResampling[] = [];
  for (const [a, b] of job.pairs) {
    const bootstrap = clusterBootstrapDifference(job.rows, a, b, { replicates: job.replicates, seed: job.seed });
    const test = permutationTest(job.rows, a, b, { permutations: job.permutations, seed: job.seed });
    if (bootstrap && test) out.push({ a, b, bootstrap, test });
  }
  return out as ResampleResult<J>;
}
