import type { ExportContext } from "./context";

/** A date as exported: ISO 8601 in UTC, or null. */
export const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * Keyset pagination: each query asks for the rows after the last key seen, in key order, so every batch is an
 * index range scan however deep into the table it is (never offsets, never everything at once).
 */
export async function* batches<T, K>(
  ctx: ExportContext,
  fetch: (after: K | null) => Promise<T[]>,
  keyOf: (row: T) => K,
): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const rows = await fetch(after);
    const last = rows.at(-1);
    if (last === undefined) return;
    yield rows;
    if (rows.length < ctx.batchSize) return;
    after = keyOf(last);
  }
}
