/**
 * The resampling jobs the results page needs, as pure functions of plain data: what the worker threads run
 * (./resample-worker.ts) and what runs in-process when the pool is off. A job carries either its rows or, for a
 * worker, the read-only SQL that produces them (the GROUP BYs over a large study take up to a second each, which
 * must not run on the event loop either). Inputs and outputs survive structured clone, so a job computes the same
 * numbers on either side.
 */
import { TIE_CREDIT } from "../debate/scoring";
import { clusterBootstrapDifference, type Judgment } from "./bootstrap";
import { permutationTest } from "./permutation";
import type { Seed } from "./random";
import { type BradleyTerryIntervals, bradleyTerryIntervals } from "./ratings";
import { ratingOutcomes } from "./results-rankings";
import type { OutcomeRow } from "./results-rows";

/** A read-only statement with `?` placeholders, as better-sqlite3 runs it. */
export interface SqlText {
  sql: string;
  values: Array<string | number>;
}

/** The rows a job reads: `rows` given, or `sql` to run on the SQLite `file` (in a worker, on its own connection). */
export type Source<Row> = { rows: Row[] } | { file: string; sql: SqlText };

/** A row of cellsQuery: judgments by (judge, question, condition). */
export interface CellRow {
  judge: string;
  question: string;
  condition: string;
  n: unknown;
  /** Accuracy credit: correct verdicts plus half the ties. */
  correct: unknown;
  /** Ties (50/50 verdicts, no option chosen). */
  ties?: unknown;
}

/** A row of conditionsQuery: a condition with analysed verdicts and its protocol. */
export interface PresentConditionRow {
  condition: string;
  protocol: string;
}

/** A study condition as designed. */
export interface DesignedCondition {
  name: string;
  protocol: string;
}

/** The headline: bootstrap intervals and permutation p-values of accuracy(a) − accuracy(b) for pairs of conditions. */
export interface DifferencesJob {
  kind: "differences";
  cells: Source<CellRow>;
  present: Source<PresentConditionRow>;
  /** The study's conditions in design order (for the default pairs and their order). */
  designed: DesignedCondition[];
  /** The pairs asked for; default {@link defaultPairs}. */
  pairs?: Array<[string, string]>;
  /** The filter's conditions (two or more: every pair of them, in that order, by default). */
  filter: string[];
  replicates: number;
  permutations: number;
  seed?: Seed;
}

/** Bradley–Terry rating intervals over the debater games of the analysed verdicts' groups (ratingGroupsQuery). */
export interface RatingsJob {
  kind: "ratings";
  groups: Source<OutcomeRow>;
  replicates: number;
  seed?: Seed;
}

export type ResampleJob = DifferencesJob | RatingsJob;

/** Per pair (in the pairs' order): the bootstrap and the permutation test; pairs where a condition has no rows are left out. */
export interface DifferenceResampling {
  a: string;
  b: string;
  bootstrap: NonNullable<ReturnType<typeof clusterBootstrapDifference>>;
  test: NonNullable<ReturnType<typeof permutationTest>>;
}

export interface DifferencesResult {
  /** The protocol of each condition with analysed verdicts. */
  protocols: Array<[string, string]>;
  differences: DifferenceResampling[];
}

export interface RatingsResult {
  games: number;
  /** null when there are no games. */
  fit: BradleyTerryIntervals | null;
}

export type ResampleResult<J extends ResampleJob> = J extends DifferencesJob ? DifferencesResult : RatingsResult;

/** A job whose sources are all rows (what {@link runResampleJob} takes). */
export type LoadedJob<J extends ResampleJob = ResampleJob> = J extends DifferencesJob
  ? DifferencesJob & { cells: { rows: CellRow[] }; present: { rows: PresentConditionRow[] } }
  : RatingsJob & { groups: { rows: OutcomeRow[] } };

/** Reads a source's rows with `read` (run for SQL sources only). */
export async function loadSource<Row>(
  source: Source<Row>,
  read: (file: string, sql: SqlText) => Row[] | Promise<Row[]>,
): Promise<Row[]> {
  return "rows" in source ? source.rows : await read(source.file, source.sql);
}

/** The job with every SQL source replaced by its rows. */
export async function loadJob<J extends ResampleJob>(
  job: J,
  read: (file: string, sql: SqlText) => unknown[] | Promise<unknown[]>,
): Promise<LoadedJob<J>> {
  const load = <Row>(source: Source<Row>) => loadSource(source, read as (file: string, sql: SqlText) => Row[]);
  if (job.kind === "ratings") return { ...job, groups: { rows: await load(job.groups) } } as LoadedJob<J>;
  const [cells, present] = await Promise.all([load(job.cells), load(job.present)]);
  return { ...job, cells: { rows: cells }, present: { rows: present } } as LoadedJob<J>;
}

/** One judgment per verdict from per-cell counts: the cell's correct ones first, then its ties, then the wrong. */
export function judgmentsFromCells(cells: Iterable<CellRow>): Judgment[] {
  const rows: Judgment[] = [];
  for (const cell of cells) {
    const n = Number(cell.n ?? 0);
    const ties = Number(cell.ties ?? 0);
    const correct = Number(cell.correct ?? 0) - ties * TIE_CREDIT;
    for (let i = 0; i < n; i++) {
      const judgment = { judge: cell.judge, question: cell.question, condition: cell.condition, correct: i < correct };
      rows.push(i >= correct && i < correct + ties ? { ...judgment, tie: true } : judgment);
    }
  }
  return rows;
}

/**
 * The differences to show when the researcher names none. With two or more conditions in the filter: every pair,
 * in the order given. Otherwise the first debate condition against each consultancy and then each naive condition;
 * failing that, every pair of conditions (design order), at most six.
 */
export function defaultPairs(
  conditions: ReadonlyArray<DesignedCondition>,
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

function runDifferences(job: LoadedJob<DifferencesJob>): DifferencesResult {
  const present = job.present.rows;
  const protocols = new Map(present.map((c) => [c.condition, c.protocol]));
  // The conditions with analysed verdicts: designed ones in design order, then any others found in the data.
  const conditions = [
    ...job.designed.filter((c) => protocols.has(c.name)),
    ...present
      .filter((p) => !job.designed.some((c) => c.name === p.condition))
      .map((p) => ({ name: p.condition, protocol: p.protocol })),
  ];
  const pairs = job.pairs ?? defaultPairs(conditions, job.filter);
  const wanted = pairs.filter(([a, b]) => a !== b && protocols.has(a) && protocols.has(b));
  const rows = wanted.length > 0 ? judgmentsFromCells(job.cells.rows) : [];
  const differences: DifferenceResampling[] = [];
  for (const [a, b] of wanted) {
    const bootstrap = clusterBootstrapDifference(rows, a, b, { replicates: job.replicates, seed: job.seed });
    const test = permutationTest(rows, a, b, { permutations: job.permutations, seed: job.seed });
    if (bootstrap && test) differences.push({ a, b, bootstrap, test });
  }
  return { protocols: [...protocols], differences };
}

/** Runs a job whose rows are loaded, synchronously (in a worker thread, or in-process when the pool is off). */
export function runResampleJob<J extends ResampleJob>(job: LoadedJob<J>): ResampleResult<J> {
  if (job.kind === "differences") return runDifferences(job as LoadedJob<DifferencesJob>) as ResampleResult<J>;
  const games = ratingOutcomes((job as LoadedJob<RatingsJob>).groups.rows);
  const fit = games.length > 0 ? bradleyTerryIntervals(games, { replicates: job.replicates, seed: job.seed }) : null;
  return { games: games.length, fit } as ResampleResult<J>;
}
