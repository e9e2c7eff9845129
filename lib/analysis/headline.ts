import type { Db } from "../db/client";
import { sqliteFileOf } from "../db/client";
import { env } from "../env";
import type { Seed } from "./index";
import { judgmentsFromCells } from "./resample-jobs";
import { runResampling } from "./resample-pool";
import { readStudyConditions, resolveScope } from "./results";
import { ratingOutcomes } from "./results-rankings";
import { toNumber } from "./results-rows";
import {
  type ConditionDifference,
  describeDifference,
  type HeadlineComparison,
  type RatingIntervals,
  type ResultsFilters,
} from "./results-schema";
import { cellsQuery, conditionsQuery, type QueryScope, verdictCountQuery } from "./results-sql";
import { clearVerdictAggregates, readVerdictAggregates } from "./verdict-aggregates";

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
  /** Differences a − b to compute; default: see {@link defaultPairs}. */
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
 * The differences to show when the researcher names none. With two or more conditions in the filter: every pair,
 * in the order given. Otherwise the first debate condition against each consultancy and then each naive condition;
 * failing that, every pair of conditions (design order), at most six.
 */
export function defaultPairs(
  conditions: ReadonlyArray<{ name: string; protocol: string }>,
  filter: readonly string[],
): Array<[string, string]> {
  const pairsOf = (names: readonly string[]) =>
    names.flatMap((a, i) => names.slice(i + 1).map((b): [string, string] => [a, b]));
  if (filter.length >= 2) return pairsOf(filter);
  const debate = conditions.find((c) => c.protocol === "debate");
  const partners = debate
    ? [...conditions.filter((c) => c.protocol === "consultancy"), ...conditions.filter((c) => c.protocol === "naive")]
    : [];
  if (debate && partners.length > 0) return partners.map((c): [string, string] => [debate.name, c.name]);
  return pairsOf(conditions.map((c) => c.name)).slice(0, 6);
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

async function computeDifferences(
  db: Db,
  scope: QueryScope,
  options: HeadlineOptions & { replicates: number; permutations: number },
  signal: AbortSignal,
): Promise<ConditionDifference[]> {
  const cells = cellsQuery(scope);
  // In a worker, the cells' GROUP BY (about a second on 100,000 verdicts) runs there too, on its own read-only
  // connection; otherwise (no file known, a value better-sqlite3 would bind differently) here.
  const file = sqliteFileOf(db);
  const offThread =
    file !== undefined &&
    env.CRUX_RESAMPLE_WORKERS > 0 &&
    cells.values.every((v) => typeof v === "string" || typeof v === "number");
  const [designed, present, rows] = await Promise.all([
    readStudyConditions(db, scope.studyId),
    db.$queryRaw<Array<{ condition: string; protocol: string }>>(conditionsQuery(scope)),
    offThread
      ? Promise.resolve([])
      : db
          .$queryRaw<Array<{ judge: string; question: string; condition: string; n: unknown; correct: unknown }>>(cells)
          .then(judgmentsFromCells),
  ]);
  const protocols = new Map(present.map((c) => [c.condition, c.protocol]));
  const conditions = [
    ...designed.filter((c) => protocols.has(c.name)),
    ...present
      .filter((p) => !designed.some((c) => c.name === p.condition))
      .map((p) => ({ name: p.condition, protocol: p.protocol })),
  ];
  const pairs = options.pairs ?? defaultPairs(conditions, scope.filters.condition);
  const wanted = pairs.filter(([a, b]) => a !== b && protocols.has(a) && protocols.has(b));
  const resampled = await runResampling(
    {
      kind: "differences",
      rows,
      cells: offThread ? { file, sql: cells.sql, values: cells.values as Array<string | number> } : undefined,
      pairs: wanted.map(([a, b]): [string, string] => [a, b]),
      replicates: options.replicates,
      permutations: options.permutations,
      seed: options.seed,
    },
    signal,
  );
  const differences: ConditionDifference[] = [];
  for (const { a, b, bootstrap, test } of resampled) {
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
      const games = ratingOutcomes((await readVerdictAggregates(db, scope)).groups.values());
      if (games.length === 0) return null;
      const fit = await runResampling({ kind: "ratings", games, replicates, seed: options.seed }, signal);
      return { studyId, replicates: fit.replicates, ratings: fit.ratings, games: games.length };
    },
    options.signal,
  );
  return value;
}
