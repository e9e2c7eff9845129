import type { Db } from "../db/client";
import { type JudgeQueryRow, keyOf, type OutcomeRow, type QuestionCellRow, toNumber } from "./results-rows";
import {
  correctionCountQuery,
  excludedJudgesQuery,
  judgesQuery,
  type QueryScope,
  questionCellsQuery,
  type SeqRange,
  verdictGroupsQuery,
  verdictWatermarkQuery,
} from "./results-sql";
import { createSnapshotCache } from "./snapshot-cache";

/** The verdict aggregates of a study under some filters: sums keyed by their GROUP BY columns. */
export interface VerdictAggregates {
  /** verdictGroupsQuery rows, n/correct/score as numbers. */
  groups: Map<string, OutcomeRow>;
  judges: Map<string, JudgeQueryRow>;
  questions: Map<string, QuestionCellRow>;
}

/** The rows of the three aggregate queries over one range of verdicts. */
export interface AggregateRows {
  groups: readonly OutcomeRow[];
  judges: readonly JudgeQueryRow[];
  questions: readonly QuestionCellRow[];
}

const cache = createSnapshotCache<VerdictAggregates>(50);

/** Forgets every kept aggregate (tests, benchmarks). */
export function clearVerdictAggregates(): void {
  cache.clear();
}

/** How many requests were served from kept aggregates, by extending them, or by computing afresh (since start). */
export function verdictAggregateStats(): Readonly<{ reused: number; extended: number; computed: number }> {
  return cache.stats();
}

/** Adds `rows` into `into` (a copy is made of each entry it changes, so earlier snapshots stay as they were). */
function addRows<T extends { n: unknown }>(
  into: Map<string, T>,
  rows: readonly T[],
  key: (row: T) => string,
  sums: ReadonlyArray<keyof T>,
): void {
  for (const row of rows) {
    const k = key(row);
    const held = into.get(k);
    const next = { ...(held ?? row) };
    for (const field of sums)
      (next as Record<keyof T, unknown>)[field] = (held ? toNumber(held[field]) : 0) + toNumber(row[field]);
    into.set(k, next);
  }
}

/** `base` (untouched) plus the sums of `rows`: new verdicts added to kept aggregates, or fresh ones from nothing. */
export function mergeAggregates(base: VerdictAggregates | undefined, rows: AggregateRows): VerdictAggregates {
  const next: VerdictAggregates = {
    groups: new Map(base?.groups),
    judges: new Map(base?.judges),
    questions: new Map(base?.questions),
  };
  addRows(
    next.groups,
    rows.groups,
    (r) => keyOf(r.part, r.condition, r.protocol, r.bucket, r.rounds, r.debaters, r.chosen, r.ok, r.probabilities),
    ["n", "correct", "score"],
  );
  addRows(next.judges, rows.judges, (r) => keyOf(r.judge, r.kind), ["n", "correct", "score"]);
  addRows(next.questions, rows.questions, (r) => keyOf(r.questionId, r.condition), ["n", "correct"]);
  return next;
}

async function queryAggregates(db: Db, scope: QueryScope, range: SeqRange, base?: VerdictAggregates) {
  const [groups, judges, questions] = await Promise.all([
    db.$queryRaw<OutcomeRow[]>(verdictGroupsQuery(scope, range)),
    db.$queryRaw<JudgeQueryRow[]>(judgesQuery(scope, range)),
    db.$queryRaw<QuestionCellRow[]>(questionCellsQuery(scope, range)),
  ]);
  return mergeAggregates(base, { groups, judges, questions });
}

/**
 * The study's verdict aggregates under `scope`. Verdict rows are append-only and numbered (StudyVerdict.seq), so
 * aggregates kept from an earlier request are brought up to date by aggregating just the rows numbered after them
 * and adding the sums. They are computed afresh when there are none for these filters, when the set of excluded
 * participants changed (a removal moves verdicts out of the analysis) or a correction was recorded, or when a row appeared below the kept
 * number (PostgreSQL hands out sequence numbers before commit, so one transaction may commit after a later one).
 */
export async function readVerdictAggregates(db: Db, scope: QueryScope): Promise<VerdictAggregates> {
  const key = keyOf(scope.studyId, scope.filters, scope.tags);
  const [excludedRows, [corrections]] = await Promise.all([
    db.$queryRaw<Array<{ id: string }>>(excludedJudgesQuery(scope.studyId)),
    db.$queryRaw<Array<{ n: unknown }>>(correctionCountQuery(scope.studyId)),
  ]);
  // Corrections are append-only: their count changes with each one, which may move old verdicts out or back in.
  const excluded = `${excludedRows.map((r) => r.id).join("\n")}\ncorrections:${toNumber(corrections?.n)}`;
  const held = cache.get(key);
  const usable = held && held.excluded === excluded ? held : undefined;
  const [mark] = await db.$queryRaw<Array<{ n: unknown; top: unknown; newer: unknown }>>(
    verdictWatermarkQuery(scope.studyId, usable?.upTo ?? 0),
  );
  const count = toNumber(mark?.n);
  const top = toNumber(mark?.top);
  if (usable && count - toNumber(mark?.newer) === usable.count) {
    if (top === usable.upTo) {
      cache.record("reused");
      return usable.aggregates;
    }
    const aggregates = await queryAggregates(db, scope, { after: usable.upTo, upTo: top }, usable.aggregates);
    cache.put(key, { upTo: top, count, excluded, aggregates });
    cache.record("extended");
    return aggregates;
  }
  const aggregates = await queryAggregates(db, scope, { upTo: top });
  cache.put(key, { upTo: top, count, excluded, aggregates });
  cache.record("computed");
  return aggregates;
}
