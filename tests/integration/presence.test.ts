import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { joinStudy } from "../../lib/studies/participants";
import { connectJudge } from "../support/client";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";

/** An open socket is a participant's sign of life: connecting refreshes `lastSeenAt`, which dropout sweeps read. */

let server: RunningServer;
let db: Db;

beforeAll(async () => {
  server = await startServer();
  db = createDb(server.databaseUrl);
});
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

describe("participant presence", () => {
  it("marks a participant seen when their browser connects", async () => {
    await createSyntheticSet(db, { source: "presence", stories: 2, perStory: 1 });
    const owner = await createResearcher(db);
    const { studyId } = await createLaunchedStudy(db, owner.id, {
      name: "Presence",
      questions: { source: "presence", count: 2 },
      conditions: [{ name: "naive", protocol: "naive" }],
    });
    const joined = await joinStudy(db, { studyId, external: {}, current: null });
    const longAgo = new Date(Date.now() - 24 * 3600_000);
    await db.participant.update({ where: { id: joined.participantId }, data: { lastSeenAt: longAgo } });

    const client = await connectJudge(server.url, `crux_session=${joined.session?.token}`);
    try {
      await expect
        .poll(async () => (await db.participant.findUniqueOrThrow({ where: { id: joined.participantId } })).lastSeenAt)
        .toSatisfy((seen: Date) => Date.now() - seen.getTime() < 60_000);
    } finally {
      client.socket.close();
    }
  });
});
