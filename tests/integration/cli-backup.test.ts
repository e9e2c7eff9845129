import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client";
import { runCrux } from "../support/cli";
import { connectJudge, createGuestMatch, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * `crux backup` while the real server streams matches, then `crux restore` with it stopped: the restored database
 * holds every match that was complete when the backup was taken and none that came later.
 */

let server: RunningServer | undefined;
let dir: string | undefined;

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Reads the database and lets go of it at once (an open connection would make restore refuse, rightly). */
async function query<T>(databaseUrl: string, read: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(databaseUrl);
  try {
    return await read(db);
  } finally {
    await db.$disconnect();
  }
}

const completeMatches = (databaseUrl: string) =>
  query(databaseUrl, async (db) =>
    (await db.match.findMany({ where: { status: "complete" }, select: { id: true } })).map((m) => m.id).sort(),
  );
const turnCount = (databaseUrl: string) => query(databaseUrl, (db) => db.turn.count());

/** A guest plays a whole match over sockets: it streams three rounds, with a judge step after each. */
async function playMatch(url: string): Promise<string> {
  const { matchId, cookie } = await createGuestMatch(url);
  const judge = await connectJudge(url, cookie);
  try {
    const joined = await request(judge, "match:join", { matchId });
    if (!joined.ok) throw new Error(joined.error.message);
    for (const round of [1, 2, 3]) {
      await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === round);
      const step = await request(judge, "judge:step", {
        matchId,
        round,
        probabilities: [0.6, 0.4],
        action: round === 3 ? "end" : "continue",
      });
      if (!step.ok) throw new Error(step.error.message);
    }
    return matchId;
  } finally {
    judge.socket.disconnect();
  }
}

describe("crux backup and crux restore", () => {
  it("backs up while matches stream, refuses to restore under a running server, restores with it stopped", {
    timeout: 480_000,
  }, async () => {
    // The debaters stream slowly enough that matches are still being written while the backup runs.
    server = await startServer({ env: { CRUX_OFFLINE_WORD_DELAY_MS: "3" } });
    dir = server.dir;
    const { databaseUrl } = server;
    const crux = (...args: string[]) => runCrux(args, databaseUrl);

    const debate = await crux("debate", "--rounds", "1", "--json");
    expect(debate.code, debate.stderr).toBe(0);
    await playMatch(server.url);

    // Matches keep being played, over sockets, for as long as the backup runs.
    const running = server;
    let playing = true;
    const traffic = (async () => {
      const played: string[] = [];
      while (playing) played.push(await playMatch(running.url));
      return played;
    })();
    await waitForTurns(databaseUrl, (await turnCount(databaseUrl)) + 1);
    const completeAtStart = await completeMatches(databaseUrl);
    const turnsAtStart = await turnCount(databaseUrl);
    const backup = await crux("backup");
    const completeAtEnd = await completeMatches(databaseUrl);
    const turnsAtEnd = await turnCount(databaseUrl);
    playing = false;
    const played = await traffic;
    expect(backup.code, backup.stderr).toBe(0);
    // The server really was writing while the backup ran.
    expect(turnsAtEnd).toBeGreaterThan(turnsAtStart);

    const backupFile = /^\s+to (.+) \(\d+(\.\d)? (bytes|KB|MB)\)$/m.exec(backup.stdout)?.[1] ?? "";
    expect(path.dirname(backupFile)).toBe(path.join(dir, "backups"));
    expect(path.basename(backupFile)).toMatch(/^crux-\d{8}T\d{6}Z\.db$/);
    expect(backup.stdout).toMatch(/holds \d+ matches \(\d+ complete.*\d+ verdicts; schema at \d+_\w+/);
    expect(backup.stdout).toMatch(/verified: integrity_check ok, migration history identical/);
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual([path.basename(backupFile)]);

    // The server has the database open: restore refuses and changes nothing.
    const refused = await crux("restore", backupFile, "--yes");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is in use by another process \(the Crux server, or a crux command\): stop it/);
    expect(fs.readdirSync(dir).filter((f) => /before-restore|restoring/.test(f))).toEqual([]);

    const lastLive = await playMatch(server.url);
    await server.stop();
    server = undefined;
    const afterStop = await crux("debate", "--rounds", "1", "--json");
    expect(afterStop.code, afterStop.stderr).toBe(0);
    const later = [lastLive, (JSON.parse(afterStop.stdout) as { matchId: string }).matchId];

    // Files that are not sound Crux databases are refused with the reason.
    const notes = path.join(dir, "notes.txt");
    fs.writeFileSync(notes, "not a database\n");
    const text = await crux("restore", notes, "--yes");
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`${notes} is not a SQLite database`);
    const truncated = path.join(dir, "truncated.db");
    const bytes = fs.readFileSync(backupFile);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const damaged = await crux("restore", truncated, "--yes");
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain(`${truncated} is damaged`);
    // No terminal to confirm on, and no --yes.
    const unconfirmed = await crux("restore", backupFile);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toMatch(/no terminal to confirm on: run it again with --yes/);
    expect(await completeMatches(databaseUrl)).toEqual(expect.arrayContaining(later));

    const restored = await crux("restore", backupFile, "--yes");
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Restored .*crux\.db$/m);
    const previous = /kept as (\S+)/.exec(restored.stdout)?.[1] ?? "";
    expect(path.basename(previous)).toMatch(/^crux\.db\.before-restore-\d{8}T\d{6}Z$/);
    // Nothing is lost: the replaced database, with the later matches, is kept; no stale WAL next to the new one.
    expect(await completeMatches(`file:${previous}`)).toEqual(expect.arrayContaining(later));
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith("crux.db"))
        .sort(),
    ).toEqual(["crux.db", path.basename(previous)]);

    server = await startServer({ dir });
    const complete = await completeMatches(databaseUrl);
    // Every match complete when the backup began is back; matches completed during it may or may not be (it is
    // one snapshot taken in between); those that came after are not.
    expect(complete).toEqual(expect.arrayContaining(completeAtStart));
    expect(completeAtEnd).toEqual(expect.arrayContaining(complete));
    for (const id of later) expect(complete).not.toContain(id);
    expect(played.length).toBeGreaterThan(0);
    const verdicts = await query(databaseUrl, (db) => db.verdict.count());
    expect(verdicts).toBe(complete.length);
  });
});

describe("crux backup and crux restore on PostgreSQL", () => {
  it("point at pg_dump and pg_restore, exit 1, and do not echo the URL's password", async () => {
    const url = "postgresql://crux:s3cret-pw@db.example.org:5432/crux";
    const backup = await runCrux(["backup"], url);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('pg_dump --format=custom --file crux.dump "$DATABASE_URL"');
    expect(backup.stderr).toContain("docs/operations.md#postgresql");
    const restore = await runCrux(["restore", "crux.dump"], url);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" crux.dump');
    expect(`${backup.stderr}${restore.stderr}`).not.toContain("s3cret");
  });
});

/** Polls until the database holds at least `n` turns (the first write of the traffic). */
async function waitForTurns(databaseUrl: string, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await turnCount(databaseUrl)) < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} turns after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
