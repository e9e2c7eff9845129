/**
 * Bootstrap intervals, including the two-way ("pigeonhole") cluster bootstrap for accuracy when judgments are not
 * independent.
 *
 * In Crux one judge judges many questions and one question is judged by many judges, so judgments sharing a judge
 * or a question are correlated (a sharp judge is right more often; a tricky question fools everyone). Resampling
 * rows as if they were independent understates the uncertainty. The pigeonhole bootstrap (Owen 2007) resamples
 * both factors: draw judges with replacement and, independently, questions with replacement; a row for judge j and
 * question q then enters the replicate count_j × count_q times. Owen shows its variance estimate for a mean is
 * mildly conservative: it captures the judge and question variation and overstates the row-level noise (about
 * threefold). With binary judgments, one per (judge, question), that noise is large, so 95% intervals cover
 * ~95–98% when judges or questions differ a lot and up to ~99% when they barely differ. See docs/statistics.md.
 *
 * Every replicate draws from a seeded generator (./random), so the same data and seed give the same interval.
 */
import { accuracyCredit } from "../debate/scoring";
import { quantileSorted } from "./quantile";
import { drawMultiplicities, type Seed, seededRng } from "./random";

/** One judgment: who judged, which question, under which condition (protocol, model, …), and whether right. */
export interface Judgment {
  judge: string;
  question: string;
  condition: string;
  correct: boolean;
  /** A tie (a 50/50 verdict, `correct` false): counts {@link TIE_CREDIT} (half) toward accuracy. */
  tie?: boolean;
}

/** Options shared by the bootstrap functions. */
export interface BootstrapOptions {
  /** Replicates to draw (default 2000). */
  replicates?: number;
  /** Seed for the resampling (default: DEFAULT_SEED in ./random); the same seed gives the same interval. */
  seed?: Seed;
  /** Confidence level of the percentile interval (default 0.95). */
  level?: number;
}

/** A point estimate with its bootstrap percentile interval. */
export interface BootstrapInterval {
  /** The statistic on the original data. */
  estimate: number;
  /** The (1 − level)/2 quantile of the replicates (type 7); NaN if every replicate was skipped. */
  lower: number;
  /** The (1 + level)/2 quantile of the replicates; NaN if every replicate was skipped. */
  upper: number;
  level: number;
  /** Replicates that produced a value and enter the interval. */
  replicates: number;
  /** Replicates drawn but skipped because the statistic was undefined on them (e.g. a condition had no rows). */
  skipped: number;
  /** Standard deviation of the used replicates (n − 1 denominator); NaN with fewer than two. */
  standardError: number;
}

function readOptions(options: BootstrapOptions): { replicates: number; level: number; seed: Seed | undefined } {
  const replicates = options.replicates ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  return { replicates, level, seed: options.seed };
}

/**
 * A general bootstrap over one or more independently resampled factors.
 *
 * `dimensions` gives the number of units in each factor (e.g. `[judges, questions]` for a two-way bootstrap, or
 * `[outcomes]` for the ordinary one). Each replicate draws, for every factor, its units with replacement and passes
 * the multiplicities (`counts[d][i]` = how often unit i of factor d was drawn; each array sums to its dimension) to
 * `statistic`. How to combine them is up to the statistic: for a two-way bootstrap, weight a row by the product of
 * its judge's and its question's counts. The point estimate is the statistic with every count 1.
 *
 * A statistic returning null or a non-finite number skips that replicate (counted in `skipped`). Returns null if the
 * statistic is undefined on the original data. The count arrays are reused between calls: copy them to keep them.
 */
export function bootstrapStatistic(
  dimensions: readonly number[],
  statistic: (counts: readonly Int32Array[]) => number | null,
  options: BootstrapOptions = {},
): BootstrapInterval | null {
  const { replicates, level, seed } = readOptions(options);
  for (const size of dimensions) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`dimensions must be non-negative integers`);
  }
  const counts = dimensions.map((size) => new Int32Array(size));
  for (const c of counts) c.fill(1);
  const estimate = statistic(counts);
  if (estimate === null || !Number.isFinite(estimate)) return null;

  const rng = seededRng(seed);
  const values = new Float64Array(replicates);
  let used = 0;
  for (let r = 0; r < replicates; r++) {
    for (const c of counts) drawMultiplicities(rng, c);
    const value = statistic(counts);
    if (value !== null && Number.isFinite(value)) values[used++] = value;
  }
  const sample = values.subarray(0, used).sort();
  const alpha = 1 - level;
  return {
    estimate,
    lower: quantileSorted(sample, alpha / 2),
    upper: quantileSorted(sample, 1 - alpha / 2),
    level,
    replicates: used,
    skipped: replicates - used,
    standardError: standardDeviation(sample),
  };
}

function standardDeviation(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] ?? 0;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] ?? 0) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/**
 * Judgments aggregated into (judge, question, condition) cells, which is all a two-way bootstrap of accuracy needs:
 * a replicate weights every cell by count(judge) × count(question), so it costs one pass over the cells however many
 * rows they hold. Conditions are indexed 0, 1, … in the order given; the cells of condition c are
 * start[c] .. start[c + 1] − 1 (contiguous, so the hot loop has no data-dependent branches).
 */
interface Cells {
  judges: number;
  questions: number;
  start: Int32Array;
  judge: Int32Array;
  question: Int32Array;
  /** Accuracy credit per cell (ties count half, so not always whole). */
  correct: Float64Array;
  total: Int32Array;
}

function buildCells(rows: readonly Judgment[], conditions: readonly string[]): Cells {
  const conditionIndex = new Map(conditions.map((c, i) => [c, i]));
  const judgeIndex = new Map<string, number>();
  const questionIndex = new Map<string, number>();
  for (const row of rows) {
    if (!conditionIndex.has(row.condition)) continue;
    if (!judgeIndex.has(row.judge)) judgeIndex.set(row.judge, judgeIndex.size);
    if (!questionIndex.has(row.question)) questionIndex.set(row.question, questionIndex.size);
  }
  const judges = judgeIndex.size;
  const questions = questionIndex.size;
  // One map per condition from judge × questions + question to the cell's position in that condition's lists.
  const cellIndex = conditions.map(() => new Map<number, number>());
  const lists = conditions.map(() => ({
    judge: [] as number[],
    question: [] as number[],
    correct: [] as number[],
    total: [] as number[],
  }));
  for (const row of rows) {
    const c = conditionIndex.get(row.condition);
    if (c === undefined) continue;
    const j = judgeIndex.get(row.judge) ?? 0;
    const q = questionIndex.get(row.question) ?? 0;
    const index = cellIndex[c] as Map<number, number>;
    const list = lists[c] as (typeof lists)[number];
    const key = j * questions + q;
    let cell = index.get(key);
    if (cell === undefined) {
      cell = list.judge.length;
      index.set(key, cell);
      list.judge.push(j);
      list.question.push(q);
      list.correct.push(0);
      list.total.push(0);
    }
    list.total[cell] = (list.total[cell] ?? 0) + 1;
    list.correct[cell] =
      (list.correct[cell] ?? 0) + accuracyCredit({ chosen: row.tie ? null : 0, correct: row.correct });
  }
  const start = new Int32Array(conditions.length + 1);
  lists.forEach((list, c) => {
    start[c + 1] = (start[c] ?? 0) + list.judge.length;
  });
  return {
    judges,
    questions,
    start,
    judge: Int32Array.from(lists.flatMap((l) => l.judge)),
    question: Int32Array.from(lists.flatMap((l) => l.question)),
    correct: Float64Array.from(lists.flatMap((l) => l.correct)),
    total: Int32Array.from(lists.flatMap((l) => l.total)),
  };
}

/**
 * Weighted correct and total per condition, with weight count(judge) × count(question) per cell, written into
 * `sums` as [correct₀, total₀, correct₁, total₁, …]. The hot loop of every cluster bootstrap: typed arrays, local
 * accumulators, no branches (a zero weight just adds zero).
 */
function weightedSums(cells: Cells, judgeCounts: Int32Array, questionCounts: Int32Array, sums: Float64Array): void {
  const { start, judge, question, correct, total } = cells;
  for (let c = 0; c + 1 < start.length; c++) {
    let correctSum = 0;
    let totalSum = 0;
    const end = start[c + 1] as number;
    for (let i = start[c] as number; i < end; i++) {
      const w = (judgeCounts[judge[i] as number] as number) * (questionCounts[question[i] as number] as number);
      correctSum += w * (correct[i] as number);
      totalSum += w * (total[i] as number);
    }
    sums[2 * c] = correctSum;
    sums[2 * c + 1] = totalSum;
  }
}

/**
 * Which factors a cluster bootstrap resamples. "both" (the default) is the two-way pigeonhole bootstrap, for
 * generalising to new judges and new questions. "judges" keeps the questions fixed (inference about these
 * questions, e.g. a fixed benchmark) and "questions" keeps the judges fixed; each is an ordinary one-way cluster
 * bootstrap.
 */
export type ClusterResampling = "both" | "judges" | "questions";

/** Options of the cluster bootstraps. */
export interface ClusterBootstrapOptions extends BootstrapOptions {
  /** Factors to resample (default "both"). */
  resample?: ClusterResampling;
}

/**
 * Runs a bootstrap over the cells' judges and/or questions; `value` gets the per-condition weighted sums
 * [correct₀, total₀, correct₁, total₁, …] and returns the statistic (null to skip).
 */
function bootstrapCells(
  cells: Cells,
  conditions: number,
  value: (sums: Float64Array) => number | null,
  options: ClusterBootstrapOptions,
): BootstrapInterval | null {
  const resample = options.resample ?? "both";
  if (resample !== "both" && resample !== "judges" && resample !== "questions") {
    throw new RangeError(`resample must be "both", "judges" or "questions", got "${resample}"`);
  }
  const sums = new Float64Array(2 * conditions);
  const fixedJudges = new Int32Array(cells.judges).fill(1);
  const fixedQuestions = new Int32Array(cells.questions).fill(1);
  const dimensions =
    resample === "both" ? [cells.judges, cells.questions] : resample === "judges" ? [cells.judges] : [cells.questions];
  return bootstrapStatistic(
    dimensions,
    (counts) => {
      const judgeCounts = resample === "questions" ? fixedJudges : counts[0];
      const questionCounts = resample === "both" ? counts[1] : resample === "questions" ? counts[0] : fixedQuestions;
      if (!judgeCounts || !questionCounts) return null;
      weightedSums(cells, judgeCounts, questionCounts, sums);
      return value(sums);
    },
    options,
  );
}

/** Two-way bootstrap of the accuracy in one condition. */
export interface ClusteredAccuracy extends BootstrapInterval {
  condition: string;
  /** Judgments in the condition. */
  n: number;
  /** Of them correct. */
  correct: number;
  /** Distinct judges and questions among them. */
  judges: number;
  questions: number;
}

/**
 * Accuracy in `condition` with a two-way (judge × question) pigeonhole bootstrap percentile interval. Rows of other
 * conditions are ignored. Returns null when the condition has no rows. A replicate is skipped when none of its
 * drawn judges judged any of its drawn questions (possible only with sparse designs).
 */
export function clusterBootstrapAccuracy(
  rows: readonly Judgment[],
  condition: string,
  options: ClusterBootstrapOptions = {},
): ClusteredAccuracy | null {
  const cells = buildCells(rows, [condition]);
  const result = bootstrapCells(cells, 1, ([correct = 0, total = 0]) => (total > 0 ? correct / total : null), options);
  if (result === null) return null;
  let n = 0;
  let correct = 0;
  for (let i = 0; i < cells.total.length; i++) {
    n += cells.total[i] ?? 0;
    correct += cells.correct[i] ?? 0;
  }
  return { ...result, condition, n, correct, judges: cells.judges, questions: cells.questions };
}

/** Two-way bootstrap of a difference in accuracy between two conditions. */
export interface ClusteredAccuracyDifference extends BootstrapInterval {
  conditionA: string;
  conditionB: string;
  /** Accuracy in A and in B on the original data; `estimate` = accuracyA − accuracyB. */
  accuracyA: number;
  accuracyB: number;
  /** Judgments in A and in B. */
  nA: number;
  nB: number;
  /** Distinct judges and questions among the rows of A and B. */
  judges: number;
  questions: number;
}

/**
 * accuracy(A) − accuracy(B) with a two-way (judge × question) pigeonhole bootstrap percentile interval.
 *
 * Each replicate draws the judges (of rows in A or B) with replacement and, independently, the questions with
 * replacement; a row enters count(judge) × count(question) times, and the replicate's value is the weighted
 * accuracy in A minus that in B. Replicates in which A or B gets no rows are skipped and counted in `skipped`.
 * Accuracy is pooled over rows (a judge with more judgments weighs more), the same on the data as in replicates.
 *
 * Rows of other conditions are ignored. Returns null when A or B has no rows. Work per replicate is one pass over the
 * (judge, question, condition) cells, so 100,000 rows × 2000 replicates takes about a second.
 */
export function clusterBootstrapDifference(
  rows: readonly Judgment[],
  conditionA: string,
  conditionB: string,
  options: ClusterBootstrapOptions = {},
): ClusteredAccuracyDifference | null {
  if (conditionA === conditionB) throw new RangeError(`the two conditions must differ, got "${conditionA}" twice`);
  const cells = buildCells(rows, [conditionA, conditionB]);
  const result = bootstrapCells(
    cells,
    2,
    ([correctA = 0, totalA = 0, correctB = 0, totalB = 0]) =>
      totalA > 0 && totalB > 0 ? correctA / totalA - correctB / totalB : null,
    options,
  );
  if (result === null) return null;
  const totals = new Float64Array(4);
  weightedSums(cells, new Int32Array(cells.judges).fill(1), new Int32Array(cells.questions).fill(1), totals);
  const [correctA = 0, nA = 0, correctB = 0, nB = 0] = totals;
  return {
    ...result,
    conditionA,
    conditionB,
    accuracyA: correctA / nA,
    accuracyB: correctB / nB,
    nA,
    nB,
    judges: cells.judges,
    questions: cells.questions,
  };
}
