/**
 * The in-memory store of verdict aggregates kept between results requests (./verdict-aggregates.ts decides what
 * goes in and when an entry is still good): a small least-recently-stored map that never lets a late, older
 * computation replace a newer one, plus counters of how requests were served.
 */

/** Aggregates kept for one study and filters. */
export interface Snapshot<T> {
  /** The aggregates cover the study's StudyVerdict rows with seq ≤ upTo … */
  upTo: number;
  /** … of which there were this many when read (more later means a row committed late, below upTo). */
  count: number;
  /** The excluded participants (and the number of corrections) they were computed with. */
  excluded: string;
  aggregates: T;
}

/** How a request was served: from kept aggregates as they were, kept ones brought up to date, or computed afresh. */
export type ServedFrom = "reused" | "extended" | "computed";

export interface SnapshotCache<T> {
  get(key: string): Snapshot<T> | undefined;
  /**
   * Keeps `snapshot` for `key` as the most recent entry, unless the one kept already covers more rows (a slower
   * request finishing after a faster one); drops the least recently stored entries beyond the limit.
   */
  put(key: string, snapshot: Snapshot<T>): void;
  /** Counts one request served the given way. */
  record(how: ServedFrom): void;
  /** The counts since the cache was made (clear does not reset them). */
  stats(): Readonly<Record<ServedFrom, number>>;
  /** Forgets every entry. */
  clear(): void;
  readonly size: number;
}

/** A cache holding at most `limit` snapshots. */
export function createSnapshotCache<T>(limit: number): SnapshotCache<T> {
  const entries = new Map<string, Snapshot<T>>();
  const served: Record<ServedFrom, number> = { reused: 0, extended: 0, computed: 0 };
  return {
    get: (key) => entries.get(key),
    put(key, snapshot) {
      const current = entries.get(key);
      if (current && current.upTo > snapshot.upTo) return;
      // Deleted first so the entry moves to the end of the insertion order, the eviction order.
      entries.delete(key);
      entries.set(key, snapshot);
      while (entries.size > limit) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    record(how) {
      served[how]++;
    },
    stats: () => ({ ...served }),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
