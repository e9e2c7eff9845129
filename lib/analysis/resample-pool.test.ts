import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import type { Judgment } from "./bootstrap";
import { type DifferencesJob, type RatingsJob, runResampleJob } from "./resample-jobs";
import { closeResamplePool, resamplePoolStats, runResampling } from "./resample-pool";

/** The worker pool computes exactly what the in-process functions compute, and an abort stops its job. */

const random = mulberry32(7);
const rows: Judgment[] = Array.from({ length: 3000 }, (_, i) => ({
  judge: `j${i % 37}`,
  question: `q${i % 53}`,
  condition: ["debate", "consultancy", "naive"][i % 3] as string,
  correct: random() < 0.7 - 0.05 * (i % 3),
}));
const differences: DifferencesJob = {
  kind: "differences",
  rows,
  pairs: [
    ["debate", "consultancy"],
    ["debate", "naive"],
  ],
  replicates: 400,
  permutations: 999,
  seed: "pool-test",
};
const ratings: RatingsJob = {
  kind: "ratings",
  games: Array.from({ length: 500 }, (_, i) => ({
    a: `m${i % 4}`,
    b: `m${(i + 1) % 4}`,
    scoreA: random() < 0.6 ? 1 : 0,
  })),
  replicates: 300,
};

afterAll(() => closeResamplePool());

describe("runResampling", () => {
  it("gives the in-process numbers for the headline differences and the rating intervals", async () => {
    const [pooled, rated] = await Promise.all([runResampling(differences), runResampling(ratings)]);
    expect(pooled).toEqual(runResampleJob(differences));
    expect(pooled).toHaveLength(2);
    expect(rated).toEqual(runResampleJob(ratings));
    expect(resamplePoolStats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("terminates the worker running an aborted job, and the next job gets a new worker", async () => {
    await runResampling(differences); // a worker is up
    const before = resamplePoolStats();
    const controller = new AbortController();
    const pending = runResampling({ ...differences, replicates: 20_000_000 }, controller.signal);
    expect(resamplePoolStats().running).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/cancelled|abort/i);
    expect(resamplePoolStats()).toMatchObject({ running: 0, queued: 0, cancelled: before.cancelled + 1 });
    expect(resamplePoolStats().workers).toBe(before.workers - 1);
    expect(await runResampling(differences)).toEqual(runResampleJob(differences));
  });

  it("drops a queued job whose signal aborts before it starts", async () => {
    const controller = new AbortController();
    const first = runResampling(differences);
    const second = runResampling(differences, controller.signal);
    expect(resamplePoolStats().queued).toBe(1);
    controller.abort();
    await expect(second).rejects.toThrow();
    expect(resamplePoolStats().queued).toBe(0);
    await first;
  });
});
