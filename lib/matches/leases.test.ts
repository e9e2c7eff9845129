import { beforeAll, describe, expect, it } from "vitest";
import { createSyntheticSet } from "../../tests/support/studies";
import { tempDatabase } from "../../tests/support/temp-db";
import { createDebateMatch } from "./create";
import { createMatchLeases } from "./leases";
import { setMatchStatus } from "./repository";

/**
 * Match leases on a real database: one holder at a time, an expired lease taken over by one instance only,
 * renewal that reports leases lost, release, and the orphaned matches (running, with no live lease).
 */

const temp = tempDatabase("leases");
const SOURCE = "leases-set";

beforeAll(async () => {
  await createSyntheticSet(temp.db(), { source: SOURCE, stories: 1, perStory: 2 });
});

async function runningMatch(): Promise<string> {
  const db = temp.db();
  const { id } = await createDebateMatch(db, { source: SOURCE, judgeId: null, config: { rounds: 1 } });
  await setMatchStatus(db, id, "running");
  return id;
}

describe("match leases", () => {
  it("one holder at a time; an expired lease goes to exactly one taker; renewal reports what was lost", async () => {
    let now = Date.now();
    const clock = () => now;
    const a = createMatchLeases(temp.db(), { holder: "a", ttlMs: 1000, now: clock });
    const b = createMatchLeases(temp.db(), { holder: "b", ttlMs: 1000, now: clock });
    const c = createMatchLeases(temp.db(), { holder: "c", ttlMs: 1000, now: clock });
    const id = await runningMatch();

    expect(await b.listOrphaned()).toContain(id);
    expect(await a.acquire(id)).toEqual({ ok: true });
    expect(await a.acquire(id)).toEqual({ ok: true });
    expect(await b.acquire(id)).toEqual({ ok: false, holder: "a" });
    expect(await b.holderOf(id)).toBe("a");
    expect(await b.listOrphaned()).not.toContain(id);
    now += 800;
    expect(await a.renew([id])).toEqual([]);
    now += 800;
    // Renewed: still a's.
    expect(await b.acquire(id)).toEqual({ ok: false, holder: "a" });

    // a stops renewing: once expired, the match is orphaned and exactly one of two takers gets it.
    now += 1500;
    expect(await c.listOrphaned()).toContain(id);
    const claims = await Promise.all([b.acquire(id), c.acquire(id)]);
    expect(claims.filter((claim) => claim.ok)).toHaveLength(1);
    const winner = claims[0]?.ok ? "b" : "c";
    expect(await a.holderOf(id)).toBe(winner);
    // a notices at its next renewal.
    expect(await a.renew([id])).toEqual([id]);

    // Released: free at once.
    await (winner === "b" ? b : c).release([id]);
    expect(await a.holderOf(id)).toBeNull();
    expect(await a.acquire(id)).toEqual({ ok: true });
    await a.release([id]);
  });

  it("only running matches are orphaned", async () => {
    const leases = createMatchLeases(temp.db(), { holder: "x", ttlMs: 1000 });
    const id = await runningMatch();
    expect(await leases.listOrphaned()).toContain(id);
    await setMatchStatus(temp.db(), id, "complete");
    expect(await leases.listOrphaned()).not.toContain(id);
  });
});
