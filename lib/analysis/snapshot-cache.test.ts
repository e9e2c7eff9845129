import { describe, expect, it } from "vitest";
import { createSnapshotCache, type Snapshot } from "./snapshot-cache";

const snap = (upTo: number, aggregates = `a${upTo}`): Snapshot<string> => ({
  upTo,
  count: upTo,
  excluded: "",
  aggregates,
});

describe("snapshot cache", () => {
  it("keeps the newer snapshot when an older computation finishes late", () => {
    const cache = createSnapshotCache<string>(10);
    cache.put("k", snap(5));
    cache.put("k", snap(3));
    expect(cache.get("k")?.upTo).toBe(5);
    cache.put("k", snap(5, "again"));
    expect(cache.get("k")?.aggregates).toBe("again");
    cache.put("k", snap(8));
    expect(cache.get("k")?.upTo).toBe(8);
  });

  it("drops the least recently stored entries beyond its limit", () => {
    const cache = createSnapshotCache<string>(2);
    cache.put("a", snap(1));
    cache.put("b", snap(1));
    cache.put("a", snap(2)); // stored again: now the most recent
    cache.put("c", snap(1));
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.upTo).toBe(2);
    expect(cache.get("c")).toBeDefined();
  });

  it("counts how requests were served, and clearing keeps the counts", () => {
    const cache = createSnapshotCache<string>(2);
    cache.record("computed");
    cache.record("extended");
    cache.record("reused");
    cache.record("reused");
    cache.put("a", snap(1));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.stats()).toEqual({ reused: 2, extended: 1, computed: 1 });
  });
});
