import { createHash } from "node:crypto";
import { RECORDED_PROTOCOL } from "../debate/vocabulary-lists";
import type { PairwiseOutcome } from "./index";
import {
  type JudgeQueryRow,
  json,
  type OutcomeRow,
  type QuestionCellRow,
  seatsSchema,
  toNullableNumber,
  toNumber,
} from "./results-rows";
import type { JudgeRow, QuestionRow } from "./results-schema";
import { accuracyCell } from "./results-tally";

/**
 * The ranked lists of a study's results: questions (most judged first), the judge leaderboard, and the debater
 * games Bradley–Terry ratings are fitted to. Pure, from the verdict aggregates.
 */

/** "J-3f2a": a stable pseudonym for a human judge (the first 4 hex digits of the SHA-256 of the user id). */
export function judgeLabel(id: string): string {
  return `J-${createHash("sha256").update(id).digest("hex").slice(0, 4)}`;
}

/** The questions to list and the cells to list them with. */
export interface TopQuestions {
  /** The `limit` most judged questions (ties by id) and their verdicts. */
  top: Array<{ questionId: string; n: number }>;
  /** Their cells, one per question and condition. */
  cells: QuestionCellRow[];
  /** Questions with at least one verdict. */
  count: number;
}

/** Picks the most judged questions, ties by id. */
export function topQuestions(cells: Iterable<QuestionCellRow>, limit: number): TopQuestions {
  const all = [...cells];
  const perQuestion = new Map<string, number>();
  for (const cell of all) perQuestion.set(cell.questionId, (perQuestion.get(cell.questionId) ?? 0) + cell.n);
  const top = [...perQuestion.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([questionId, n]) => ({ questionId, n }));
  const ids = top.map((r) => r.questionId);
  return {
    top,
    cells: all.filter((cell) => ids.includes(cell.questionId)),
    count: [...perQuestion.values()].filter((n) => n > 0).length,
  };
}

/** The question lines: most judged first, the hardest first among equals; conditions in `order`. */
export function questionRows(
  questions: TopQuestions,
  textOf: ReadonlyMap<string, string>,
  order: ReadonlyMap<string, number>,
): QuestionRow[] {
  return questions.top
    .map((row) => {
      const mine = questions.cells.filter((d) => d.questionId === row.questionId);
      const correct = mine.reduce((sum, d) => sum + toNumber(d.correct), 0);
      return {
        questionId: row.questionId,
        text: textOf.get(row.questionId) ?? "",
        ...accuracyCell(correct, toNumber(row.n)),
        byCondition: mine
          .map((d) => ({ condition: d.condition, n: toNumber(d.n), correct: toNumber(d.correct) }))
          .sort((a, b) => (order.get(a.condition) ?? 0) - (order.get(b.condition) ?? 0)),
      };
    })
    .sort((a, b) => b.n - a.n || (a.accuracy ?? 0) - (b.accuracy ?? 0) || a.questionId.localeCompare(b.questionId));
}

/** Every judge, best mean score first, then the most verdicts, then by label; median times are filled in later. */
export function rankJudges(rows: Iterable<JudgeQueryRow>): JudgeRow[] {
  return [...rows]
    .map((row) => {
      const n = toNumber(row.n);
      const correct = toNumber(row.correct);
      const kind = row.kind === "ai" ? ("ai" as const) : ("human" as const);
      return {
        id: row.judge,
        label: kind === "ai" ? row.judge : judgeLabel(row.judge),
        kind,
        n,
        correct,
        accuracy: n > 0 ? correct / n : 0,
        meanScore: n > 0 ? toNumber(row.score) / n : 0,
        medianTimeMs: null as number | null,
      };
    })
    .sort((a, b) => b.meanScore - a.meanScore || b.n - a.n || a.label.localeCompare(b.label));
}

/** Debater games between two different models: a model wins when the judge chose its option. */
export function ratingOutcomes(rows: Iterable<OutcomeRow>): PairwiseOutcome[] {
  const outcomes: PairwiseOutcome[] = [];
  for (const row of rows) {
    // Recorded debates' seats are named per source debate: no debater to rate (see tallyOutcomes).
    if (row.part !== "outcome" || row.bucket !== "included" || row.protocol === RECORDED_PROTOCOL) continue;
    const seats = seatsSchema.parse(json(row.debaters));
    const [a, b] = seats;
    if (seats.length !== 2 || !a || !b || a.model === b.model) continue;
    // A tie (no option chosen) is a draw.
    const chosen = toNullableNumber(row.chosen);
    const outcome = { a: a.model, b: b.model, scoreA: a.option === chosen ? 1 : b.option === chosen ? 0 : 0.5 };
    for (let i = toNumber(row.n); i > 0; i--) outcomes.push(outcome);
  }
  return outcomes;
}
