import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import { endStudyMatch, reassignSlot, removeParticipant, type StudyMonitor } from "../../lib/studies/monitor";
import { advanceParticipant, joinStudy } from "../../lib/studies/participants";
import { addStudyMember } from "../../lib/studies/repository";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { createGuestMatch } from "../support/client";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createSyntheticSet } from "../support/studies";

/**
 * The study monitor and runs APIs against the real server: who may read them (owner, added researcher, admin; not
 * other researchers, players, guests or anonymous visitors), what the monitor shows of a participant, and the
 * researcher's interventions as the monitor then reports them.
 */

const SOURCE = "monitor-http";
const STUDY_NAME = "Confidential monitor study";
const design: StudyConfigInput = {
  name: STUDY_NAME,
  questions: { source: SOURCE, count: 4, seed: 5 },
  conditions: [
    { name: "debate", protocol: "debate", rounds: 2 },
    { name: "consultancy", protocol: "consultancy", rounds: 2 },
  ],
  questionsPerJudge: 3,
  completion: { codes: { removed: "REMOVED-BY-TEST" } },
};

type Who = "owner" | "other" | "admin" | "player" | "guest" | "anonymous";

let server: RunningServer;
let db: Db;
let studyId = "";
const cookies = {} as Record<Who, string>;
const emails = {} as Record<Who, string>;

async function signUp(who: Who, role: string): Promise<string> {
  const jar = new CookieJar();
  const email = `${who}-${Date.now()}@example.test`;
  const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
  if (!result.ok) throw new Error(`could not sign up ${who}: ${result.location}`);
  const user = await db.user.update({ where: { email }, data: { role } });
  cookies[who] = jar.header();
  emails[who] = email;
  return user.id;
}

async function getJson(path: string, who: Who): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, { headers: cookies[who] ? { cookie: cookies[who] } : {} });
  return { status: response.status, body: await response.json() };
}

async function monitor(): Promise<StudyMonitor> {
  const { status, body } = await getJson(`/api/studies/${studyId}/monitor`, "owner");
  expect(status).toBe(200);
  return body as StudyMonitor;
}

/** A participant who consented and read the instructions, so holds a first match. */
async function arrive(pid: string) {
  const joined = await joinStudy(db, { studyId, external: { PROLIFIC_PID: pid }, current: null });
  const options = { endMatch: endMatchInDatabase(db) };
  await advanceParticipant(db, joined.userId, studyId, { step: "consent", agree: true }, options);
  await advanceParticipant(db, joined.userId, studyId, { step: "instructions" }, options);
  return joined;
}

beforeAll(async () => {
  server = await startServer();
  db = createDb(server.databaseUrl);
  await createSyntheticSet(db, { source: SOURCE, stories: 8, perStory: 1 });
  const ownerId = await signUp("owner", "researcher");
  await signUp("other", "researcher");
  await signUp("admin", "admin");
  await signUp("player", "player");
  cookies.guest = (await createGuestMatch(server.url)).cookie;
  cookies.anonymous = "";
  studyId = (await createLaunchedStudy(db, ownerId, design)).studyId;
});

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

describe("who may read a study's monitor and runs", () => {
  it.each([
    ["owner", 200],
    ["admin", 200],
    ["other", 403],
    ["player", 403],
    ["guest", 403],
    ["anonymous", 401],
  ] as const)("%s → %i", async (who, expected) => {
    for (const path of [`/api/studies/${studyId}/monitor`, `/api/studies/${studyId}/runs`]) {
      const { status, body } = await getJson(path, who);
      expect(status, path).toBe(expected);
      if (expected === 200) continue;
      // A refusal carries an error code and message, never the study's data.
      expect(Object.keys(body as object).sort()).toEqual(["code", "message"]);
      expect(JSON.stringify(body)).not.toContain(STUDY_NAME);
    }
  });

  it("a researcher outside the study gets a notice page without its data, until added to it", async () => {
    const refused = await getPage(server.url, `/studies/${studyId}/monitor`, new CookieJar(cookies.other));
    expect(refused.status).toBe(200);
    expect(refused.html).toContain("Not your study");
    expect(refused.html).not.toContain(STUDY_NAME);

    await addStudyMember(db, studyId, emails.other);
    expect((await getJson(`/api/studies/${studyId}/monitor`, "other")).status).toBe(200);
    const page = await getPage(server.url, `/studies/${studyId}`, new CookieJar(cookies.other));
    expect(page.html).toContain(STUDY_NAME);
    expect(page.html).toContain(`/join/${studyId}`);
  });

  it("an unknown study is a 404", async () => {
    expect((await getJson("/api/studies/no-such-study/monitor", "owner")).status).toBe(404);
    expect((await getPage(server.url, "/studies/no-such-study", new CookieJar(cookies.owner))).status).toBe(404);
  });

  it("the runs API lists no runs before any automated run", async () => {
    expect(await getJson(`/api/studies/${studyId}/runs`, "owner")).toEqual({ status: 200, body: { runs: [] } });
  });
});

describe("the monitor of a live study", () => {
  it("starts empty, with every slot open", async () => {
    const shown = await monitor();
    expect(shown.version?.number).toBe(1);
    expect(shown.participants).toEqual([]);
    expect(shown.slots).toEqual([
      { condition: "debate", open: 4, assigned: 0, done: 0, total: 4 },
      { condition: "consultancy", open: 4, assigned: 0, done: 0, total: 4 },
    ]);
  });

  it("shows a participant with their current match", async () => {
    const joined = await arrive("monitor-p1");
    const slot = await db.slot.findFirstOrThrow({ where: { participantId: joined.participantId } });
    const shown = await monitor();
    expect(shown.participants).toHaveLength(1);
    expect(shown.participants[0]).toMatchObject({
      id: joined.participantId,
      externalId: "monitor-p1",
      stage: "matches",
      status: "active",
      online: true,
      done: 0,
      total: 3,
      current: { id: slot.matchId, condition: slot.condition, slotId: slot.id, round: 1, status: "waiting" },
    });
    expect(shown.slots.reduce((sum, s) => sum + s.assigned, 0)).toBe(1);
  });

  it("endStudyMatch ends the match and reopens its slot", async () => {
    const [participant] = (await monitor()).participants;
    const matchId = participant?.current?.id ?? "";
    expect(await endStudyMatch(db, studyId, matchId, endMatchInDatabase(db))).toEqual({ reopened: true });
    const shown = await monitor();
    expect(shown.participants[0]?.current).toBeNull();
    expect(shown.slots.reduce((sum, s) => sum + s.assigned, 0)).toBe(0);
    expect(await db.match.findUniqueOrThrow({ where: { id: matchId } })).toMatchObject({ status: "abandoned" });
  });

  it("reassignSlot takes the slot back; the participant's next step gives them another", async () => {
    const participant = await db.participant.findFirstOrThrow({ where: { studyId, externalId: "monitor-p1" } });
    await advanceParticipant(db, participant.userId, studyId, { step: "next" }, { endMatch: endMatchInDatabase(db) });
    const before = (await monitor()).participants[0]?.current;
    expect(before?.slotId).toBeTruthy();

    await reassignSlot(db, studyId, before?.slotId ?? "", endMatchInDatabase(db));
    const after = await monitor();
    expect(after.participants[0]?.current).toBeNull();
    expect(await db.slot.findUniqueOrThrow({ where: { id: before?.slotId ?? "" } })).toMatchObject({
      status: "open",
      participantId: null,
    });

    await advanceParticipant(db, participant.userId, studyId, { step: "next" }, { endMatch: endMatchInDatabase(db) });
    const next = (await monitor()).participants[0]?.current;
    expect(next?.id).toBeTruthy();
    expect(next?.slotId).not.toBe(before?.slotId);
  });

  it("removeParticipant finishes them with the removed code and frees their slot", async () => {
    const second = await arrive("monitor-p2");
    const held = await db.slot.findFirstOrThrow({ where: { participantId: second.participantId } });
    const { completionCode } = await removeParticipant(db, studyId, second.participantId, endMatchInDatabase(db));
    expect(completionCode).toBe("REMOVED-BY-TEST");
    const shown = (await monitor()).participants.find((p) => p.id === second.participantId);
    expect(shown).toMatchObject({ status: "removed", stage: "done", current: null });
    expect(await db.slot.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: "open" });
    expect(await db.match.findUniqueOrThrow({ where: { id: held.matchId ?? "" } })).toMatchObject({
      status: "abandoned",
    });
  });
});
