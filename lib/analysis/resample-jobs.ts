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
  rows: Judgment[];
  pairs: Array<[string, string]>;
  replicates: number;
  permutations: number;
  seed?: Seed;
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
