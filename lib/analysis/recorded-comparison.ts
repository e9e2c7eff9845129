import { bootstrapStatistic } from "./bootstrap";
import type { RecordedComparison } from "./results-schema";

/**
 * Recorded conditions compared with their sources: how the new judges did against how the original judges did, on
 * the same debates. Pure: ./results.ts reads the rows. The unit is the source debate — a debate's new verdicts and its
 * original verdict go together — so the intervals come from a bootstrap over source debates (each replicate draws the
 * debates with replacement; the new, original and paired-difference statistics all come from the same draws). The
 * original judge's verdict weighs as often as its debate was judged again, so both accuracies are over the same
 * (new verdict, original verdict) pairs. A 50/50 verdict counts as half correct on either side (TIE_CREDIT).
 */

/** A recorded condition's analysed verdicts on one source debate: how many, and their summed accuracy credit. */
export interface RecordedVerdictRow {
  condition: string;
  source: string;
  n: number;
  correct: number;
}

interface DebateCell {
  n: number;
  correct: number;
  original: number;
}

/**
 * One comparison per recorded condition with verdicts (in the order of `conditions`). `originals` holds the accuracy
 * credit (1, ½ or 0) of each source debate's original verdict; a source without one is left out of the pairs and
 * counted in `unpaired`.
 */
export function compareWithOriginals(
  rows: readonly RecordedVerdictRow[],
  originals: ReadonlyMap<string, number>,
  conditions: readonly string[],
  options: { replicates?: number } = {},
): RecordedComparison[] {
  return conditions.flatMap((condition) => {
    const mine = rows.filter((r) => r.condition === condition);
    if (mine.length === 0) return [];
    const cells: DebateCell[] = [];
    let unpaired = 0;
    for (const row of mine) {
      const original = originals.get(row.source);
      if (original === undefined) unpaired += row.n;
      else cells.push({ n: row.n, correct: row.correct, original });
    }
    return [summarise(condition, cells, unpaired, options.replicates ?? 2000)];
  });
}

function summarise(condition: string, cells: DebateCell[], unpaired: number, replicates: number): RecordedComparison {
  const n = cells.reduce((sum, c) => sum + c.n, 0);
  const newCorrect = cells.reduce((sum, c) => sum + c.correct, 0);
  const originalCorrect = cells.reduce((sum, c) => sum + c.n * c.original, 0);
  const weighted = (value: (cell: DebateCell) => number) => (counts: readonly Int32Array[]) => {
    const draws = counts[0];
    if (!draws) return null;
    let total = 0;
    let sum = 0;
    cells.forEach((cell, i) => {
      const k = draws[i] ?? 0;
      total += k * cell.n;
      sum += k * value(cell);
    });
    return total > 0 ? sum / total : null;
  };
  const interval = (value: (cell: DebateCell) => number): [number, number] | null => {
    if (cells.length === 0) return null;
    const result = bootstrapStatistic([cells.length], weighted(value), { replicates });
    return result && Number.isFinite(result.lower) ? [result.lower, result.upper] : null;
  };
  const newAccuracy = n > 0 ? newCorrect / n : null;
  const originalAccuracy = n > 0 ? originalCorrect / n : null;
  return {
    condition,
    debates: cells.length,
    n,
    unpaired,
    newJudges: { correct: newCorrect, accuracy: newAccuracy, ci: interval((c) => c.correct) },
    originalJudges: { correct: originalCorrect, accuracy: originalAccuracy, ci: interval((c) => c.n * c.original) },
    difference: {
      estimate: newAccuracy === null || originalAccuracy === null ? null : newAccuracy - originalAccuracy,
      ci: interval((c) => c.correct - c.n * c.original),
    },
    replicates,
  };
}
