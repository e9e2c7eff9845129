import type { Db } from "../db/client";
import { sqliteFileOf } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { env } from "../env";
import type { Seed } from "./index";
import type { CellRow, PresentConditionRow, Source } from "./resample-jobs";
import { runResampling } from "./resample-pool";
import { readStudyConditions, resolveScope } from "./results";
import { type OutcomeRow, plainRows, toNumber } from "./results-rows";
import {
  type ConditionDifference,
  describeDifference,
  type HeadlineComparison,
  type RatingIntervals,
  type ResultsFilters,
} from "./results-schema";
import { cellsQuery, conditionsQuery, type QueryScope, ratingGroupsQuery, verdictCountQuery } from "./results-sql";
import { clearVerdictAggregates } from "./verdict-aggregates";

/**
 * The results' resampling, kept out of the main request because it takes seconds on a large study: the two-way
 * cluster bootstrap and permutation test of accuracy differences between conditions (the headline), and
 * Bradley–Terry rating intervals. Results are cached in memory per process, keyed by the study, the filters, the
 * options and the study's verdict count, so a new verdict recomputes them and a reload does not.
 */

export interface HeadlineOptions {
  /** Bootstrap replicates (default 2000). */
  replicates?: number;
  /** Permutations of the permutation test (default 10,000). */
  permutations?: number;
  /** Differences a − b to compute; default: see defaultPairs (./resample-jobs.ts). */
  pairs?: ReadonlyArray<readonly [string, string]>;
  seed?: Seed;
  /** The request's signal: when it aborts (and no other request waits for the same result) the work stops. */
  signal?: AbortSignal;
}

const CACHE_LIMIT = 50;

/** A computation in the cache: cancelled (its worker job terminated) when every request waiting for it went away. */
interface Entry {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}
const cache = new Map<string, Entry>();

/** Waits for `entry` unless `signal` aborts first; the last waiter to leave an unfinished entry cancels it. */
function awaitEntry<T>(entry: Entry, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    entry.waiters = Number.POSITIVE_INFINITY; // someone waits to the end: never cancel
    return entry.promise as Promise<T>;
  }
  if (signal.aborted) return Promise.reject(signal.reason);
  entry.waiters++;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      entry.waiters--;
      if (entry.waiters <= 0) entry.controller.abort(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    (entry.promise as Promise<T>).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Memoises `compute` under `key` (a pending computation is shared), keeping the most recent CACHE_LIMIT entries.
 * A computation whose requests all abort is cancelled and forgotten.
 */
async function cached<T>(
  key: string,
  compute: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<{ value: T; hit: boolean }> {
  const existing = cache.get(key);
  if (existing) {
    cache.delete(key);
    cache.set(key, existing);
    return { value: await awaitEntry<T>(existing, signal), hit: true };
  }
  signal?.throwIfAborted();
  const controller = new AbortController();
  const entry: Entry = { promise: compute(controller.signal), controller, waiters: 0 };
  cache.set(key, entry);
  entry.promise.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  while (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return { value: await awaitEntry<T>(entry, signal), hit: false };
}

/** Forgets every cached comparison and the results' kept aggregates (tests, benchmarks). */
export function clearResultsCache(): void {
  cache.clear();
  clearVerdictAggregates();
}

/**
 * The study's verdict count, excluded participants and corrections: the part of the cache key that changes with new
 * data.
 */
async function dataVersion(
  db: Db,
  studyId: string,
): Promise<{ verdicts: number; excluded: number; corrections: number }> {
  const [row] = await db.$queryRaw<Array<{ n: unknown; excluded: unknown; corrections: unknown }>>(
    verdictCountQuery(studyId),
  );
  return { verdicts: toNumber(row?.n), excluded: toNumber(row?.excluded), corrections: toNumber(row?.corrections) };
}

/**
 * accuracy(a) − accuracy(b) for the requested pairs of conditions (default {@link defaultPairs} over the conditions
 * with analysed verdicts), each with its two-way (judge × question) cluster bootstrap 95% interval and permutation
 * p-value, and a plain-language sentence. Pairs where a condition has no verdicts are left out.
 */
export async function getHeadlineComparison(
  db: Db,
  studyId: string,
  filters: ResultsFilters,
  options: HeadlineOptions = {},
): Promise<HeadlineComparison> {
  const replicates = options.replicates ?? 2000;
  const permutations = options.permutations ?? 10_000;
  const scope = await resolveScope(db, studyId, filters);
  const { verdicts, excluded, corrections } = await dataVersion(db, studyId);
  const key = JSON.stringify([
    "headline",
    studyId,
    scope.filters,
    replicates,
    permutations,
    options.pairs,
    options.seed,
    verdicts,
    excluded,
    corrections,
  ]);
  const started = performance.now();
  const { value, hit } = await cached(
    key,
    async (signal) => {
      const differences = await computeDifferences(db, scope, { ...options, replicates, permutations }, signal);
      return {
        studyId,
        verdicts,
        replicates,
        permutations,
        differences,
        summary:
          differences[0]?.summary ??
          "No comparison yet: it needs analysed verdicts in at least two conditions (debate against consultancy or naive by default).",
        seconds: (performance.now() - started) / 1000,
        cached: false,
      } satisfies HeadlineComparison;
    },
    options.signal,
  );
  return hit ? { ...value, cached: true } : value;
}

/**
 * `query` as a job's source: its SQL, read in the worker on its own connection, when there is a worker and a SQLite
 * file and better-sqlite3 binds its values as Prisma does (strings and numbers; a date filter is read here).
 */
async function sourceOf<Row>(db: Db, query: Prisma.Sql): Promise<Source<Row>> {
  const file = sqliteFileOf(db);
  const values = query.values;
  if (
    file !== undefined &&
    env.CRUX_RESAMPLE_WORKERS > 0 &&
    values.every((v) => typeof v === "string" || typeof v === "number")
  ) {
    return { file, sql: { sql: query.sql, values: values as Array<string | number> } };
  }
  return { rows: plainRows(await db.$queryRaw<Row[]>(query)) };
}

async function computeDifferences(
  db: Db,
  scope: QueryScope,
  options: HeadlineOptions & { replicates: number; permutations: number },
  signal: AbortSignal,
): Promise<ConditionDifference[]> {
  // The GROUP BYs over the analysed verdicts (about a second each on 100,000) run in the worker with the resampling.
  const [designed, present, cells] = await Promise.all([
    readStudyConditions(db, scope.studyId),
    sourceOf<PresentConditionRow>(db, conditionsQuery(scope)),
    sourceOf<CellRow>(db, cellsQuery(scope)),
  ]);
  const resampled = await runResampling(
    {
      kind: "differences",
      cells,
      present,
      designed,
      pairs: options.pairs?.map(([a, b]): [string, string] => [a, b]),
      filter: scope.filters.condition,
      replicates: options.replicates,
      permutations: options.permutations,
      seed: options.seed,
    },
    signal,
  );
  const protocols = new Map(resampled.protocols);
  const differences: ConditionDifference[] = [];
  for (const { a, b, bootstrap, test } of resampled.differences) {
    const ci: [number, number] | null =
      Number.isFinite(bootstrap.lower) && Number.isFinite(bootstrap.upper) ? [bootstrap.lower, bootstrap.upper] : null;
    const difference = {
      a,
      b,
      protocolA: protocols.get(a) ?? "",
      protocolB: protocols.get(b) ?? "",
      accuracyA: bootstrap.accuracyA,
      accuracyB: bootstrap.accuracyB,
      nA: bootstrap.nA,
      nB: bootstrap.nB,
      estimate: bootstrap.estimate,
      ci,
      replicates: bootstrap.replicates,
      skipped: bootstrap.skipped,
      p: test.pValue,
      stratified: test.stratified,
    };
    differences.push({ ...difference, summary: describeDifference(difference) });
  }
  return differences;
}

/**
 * Bradley–Terry ratings of the debater models with bootstrap-over-games 95% intervals (null when fewer than two
 * models met). Cached like the headline.
 */
export async function getRatingIntervals(
  db: Db,
  studyId: string,
  filters: ResultsFilters,
  options: { replicates?: number; seed?: Seed; signal?: AbortSignal } = {},
): Promise<RatingIntervals | null> {
  const replicates = options.replicates ?? 2000;
  const scope = await resolveScope(db, studyId, filters);
  const version = await dataVersion(db, studyId);
  const key = JSON.stringify(["ratings", studyId, scope.filters, replicates, options.seed, version]);
  const { value } = await cached(
    key,
    async (signal) => {
      const groups = await sourceOf<OutcomeRow>(db, ratingGroupsQuery(scope));
      const { games, fit } = await runResampling({ kind: "ratings", groups, replicates, seed: options.seed }, signal);
      return fit ? { studyId, replicates: fit.replicates, ratings: fit.ratings, games } : null;
    },
    options.signal,
  );
  return value;
}
