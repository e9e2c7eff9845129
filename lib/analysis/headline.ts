import type { Db } from "../db/client";
import { bradleyTerryIntervals, clusterBootstrapDifference, type Judgment, permutationTest, type Seed } from "./index";
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
}

const CACHE_LIMIT = 50;
const cache = new Map<string, Promise<unknown>>();

/** Memoises `compute` under `key` (a pending computation is shared), keeping the most recent CACHE_LIMIT entries. */
async function cached<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
  const existing = cache.get(key) as Promise<T> | undefined;
  if (existing) {
    cache.delete(key);
    cache.set(key, existing);
    return { value: await existing, hit: true };
  }
  const promise = compute();
  cache.set(key, promise);
  promise.catch(() => cache.delete(key));
  while (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return { value: await promise, hit: false };
}

/** Forgets every cached comparison and the results' kept aggregates (tests, benchmarks). */
export function clearResultsCache(): void {
  cache.clear();
  clearVerdictAggregates();
}

/** The study's verdict count and excluded participants: the part of the cache key that changes with new data. */
async function dataVersion(db: Db, studyId: string): Promise<{ verdicts: number; excluded: number }> {
  const [row] = await db.$queryRaw<Array<{ n: unknown; excluded: unknown }>>(verdictCountQuery(studyId));
  return { verdicts: toNumber(row?.n), excluded: toNumber(row?.excluded) };
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
  const { verdicts, excluded } = await dataVersion(db, studyId);
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
  ]);
  const started = performance.now();
  const { value, hit } = await cached(key, async () => {
    const differences = await computeDifferences(db, scope, { ...options, replicates, permutations });
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
  });
  return hit ? { ...value, cached: true } : value;
}

async function computeDifferences(
  db: Db,
  scope: QueryScope,
  options: HeadlineOptions & { replicates: number; permutations: number },
): Promise<ConditionDifference[]> {
  const [designed, present, cells] = await Promise.all([
    readStudyConditions(db, scope.studyId),
    db.$queryRaw<Array<{ condition: string; protocol: string }>>(conditionsQuery(scope)),
    db.$queryRaw<Array<{ judge: string; question: string; condition: string; n: unknown; correct: unknown }>>(
      cellsQuery(scope),
    ),
  ]);
  const protocols = new Map(present.map((c) => [c.condition, c.protocol]));
  const conditions = [
    ...designed.filter((c) => protocols.has(c.name)),
    ...present
      .filter((p) => !designed.some((c) => c.name === p.condition))
      .map((p) => ({ name: p.condition, protocol: p.protocol })),
  ];
  const rows: Judgment[] = [];
  for (const cell of cells) {
    const n = toNumber(cell.n);
    const correct = toNumber(cell.correct);
    for (let i = 0; i < n; i++)
      rows.push({ judge: cell.judge, question: cell.question, condition: cell.condition, correct: i < correct });
  }
  const pairs = options.pairs ?? defaultPairs(conditions, scope.filters.condition);
  const differences: ConditionDifference[] = [];
  for (const [a, b] of pairs) {
    if (a === b || !protocols.has(a) || !protocols.has(b)) continue;
    const bootstrap = clusterBootstrapDifference(rows, a, b, { replicates: options.replicates, seed: options.seed });
    const test = permutationTest(rows, a, b, { permutations: options.permutations, seed: options.seed });
    if (!bootstrap || !test) continue;
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
  options: { replicates?: number; seed?: Seed } = {},
): Promise<RatingIntervals | null> {
  const replicates = options.replicates ?? 2000;
  const scope = await resolveScope(db, studyId, filters);
  const version = await dataVersion(db, studyId);
  const key = JSON.stringify(["ratings", studyId, scope.filters, replicates, options.seed, version]);
  const { value } = await cached(key, async () => {
    const games = ratingOutcomes((await readVerdictAggregates(db, scope)).groups.values());
    if (games.length === 0) return null;
    const fit = bradleyTerryIntervals(games, { replicates, seed: options.seed });
    return { studyId, replicates: fit.replicates, ratings: fit.ratings, games: games.length };
  });
  return value;
}
