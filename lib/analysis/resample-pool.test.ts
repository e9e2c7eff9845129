import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import { type CellRow, type DifferencesJob, type LoadedJob, type RatingsJob, runResampleJob } from "./resample-jobs";
import { closeResamplePool, resamplePoolStats, runResampling } from "./resample-pool";

/** The worker pool computes exactly what the in-process functions compute, and an abort stops its job. */

const random = mulberry32(7);
const cells: CellRow[] = Array.from({ length: 3000 }, (_, i) => ({
  judge: `j${i % 37}`,
  question: `q${i % 53}`,
  condition: ["debate", "consultancy", "naive"][i % 3] as string,
  n: 1,
  correct: random() < 0.7 - 0.05 * (i % 3) ? 1 : 0,
}));
const differences: DifferencesJob = {
  kind: "differences",
  cells: { rows: cells },
  present: { rows: ["debate", "consultancy", "naive"].map((condition) => ({ condition, protocol: condition })) },
  designed: [],
  filter: [],
  replicates: 400,
  permutations: 999,
  seed: "pool-test",
};
/** Outcome groups of debates between four models (one game each). */
const ratings: RatingsJob = {
  kind: "ratings",
  groups: {
    rows: Array.from({ length: 500 }, (_, i) => ({
      part: "outcome",
      condition: "debate",
      protocol: "debate",
      bucket: "included",
      rounds: 1,
      debaters: JSON.stringify([
        { seat: "A", option: 0, model: `m${i % 4}` },
        { seat: "B", option: 1, model: `m${(i + 1) % 4}` },
      ]),
      chosen: random() < 0.6 ? 0 : 1,
      ok: null,
      probabilities: null,
      n: 1,
      correct: null,
      score: null,
    })),
  },
  replicates: 300,
};

afterAll(() => closeResamplePool());

describe("runResampling", () => {
  it("gives the in-process numbers for the headline differences and the rating intervals", async () => {
    const [pooled, rated] = await Promise.all([runResampling(differences), runResampling(ratings)]);
    expect(pooled).toEqual(runResampleJob(differences as LoadedJob<DifferencesJob>));
    expect(pooled.differences.map((d) => [d.a, d.b])).toEqual([
      ["debate", "consultancy"],
      ["debate", "naive"],
    ]);
    expect(rated.games).toBe(500);
    expect(rated).toEqual(runResampleJob(ratings as LoadedJob<RatingsJob>));
    expect(resamplePoolStats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("reads a job's SQL sources on the worker's own connection: the numbers of the same rows passed in", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-pool-"));
    const file = path.join(dir, "cells.db");
    try {
      const sqlite = new Database(file);
      sqlite.exec("CREATE TABLE cells (judge TEXT, question TEXT, condition TEXT, n INTEGER, correct INTEGER)");
      const insert = sqlite.prepare("INSERT INTO cells VALUES (?, ?, ?, ?, ?)");
      sqlite.transaction(() => {
        for (const c of cells) insert.run(c.judge, c.question, c.condition, c.n, c.correct);
      })();
      sqlite.close();
      const read = (sql: string, ...values: Array<string | number>) => ({ file, sql: { sql, values } });
      const fromSql: DifferencesJob = {
        ...differences,
        cells: read("SELECT judge, question, condition, n, correct FROM cells WHERE n >= ? ORDER BY rowid", 1),
        present: read("SELECT condition, condition AS protocol FROM cells GROUP BY 1 ORDER BY MIN(rowid)"),
      };
      expect(await runResampling(fromSql)).toEqual(runResampleJob(differences as LoadedJob<DifferencesJob>));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
    expect(await runResampling(differences)).toEqual(runResampleJob(differences as LoadedJob<DifferencesJob>));
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
