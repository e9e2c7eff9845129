import { beforeAll, describe, expect, it } from "vitest";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../../tests/support/studies";
import { tempDatabase } from "../../tests/support/temp-db";
import { endMatchInDatabase } from "./assignment";
import type { StudyConfigInput } from "./config";
import { endStudyMatch, getStudyMonitor, reassignSlot, removeParticipant } from "./monitor";
import { advanceParticipant, getParticipantView, joinStudy } from "./participants";
import { topReasons } from "./run";

/** The monitor's view of a study and the researcher's interventions, on a real (temporary) SQLite database. */

const temp = tempDatabase("monitor");
const SOURCE = "monitor-set";
let ownerId = "";

beforeAll(async () => {
  await createSyntheticSet(temp.db(), { source: SOURCE, stories: 6, perStory: 1 });
  ownerId = (await createResearcher(temp.db())).id;
});

const design = (name: string): StudyConfigInput => ({
  name,
  questions: { source: SOURCE, count: 3, seed: 3 },
  conditions: [
    { name: "debate", protocol: "debate", rounds: 2 },
    { name: "consultancy", protocol: "consultancy", rounds: 1 },
  ],
  questionsPerJudge: 2,
  completion: { codes: { removed: "GONE-CODE" } },
});

/** A participant who consented, read the instructions, and was given a first match. */
async function arrive(studyId: string) {
  const db = temp.db();
  const joined = await joinStudy(db, { studyId, external: {}, current: null });
  const options = { endMatch: endMatchInDatabase(db) };
  await advanceParticipant(db, joined.userId, studyId, { step: "consent", agree: true }, options);
  await advanceParticipant(db, joined.userId, studyId, { step: "instructions" }, options);
  const slot = await db.slot.findFirstOrThrow({ where: { participantId: joined.participantId, status: "assigned" } });
  if (!slot.matchId) throw new Error("the participant was given no match");
  return { ...joined, slotId: slot.id, matchId: slot.matchId };
}

describe("getStudyMonitor", () => {
  it("is empty before launch", async () => {
    const db = temp.db();
    const { id } = await db.study.create({ data: { name: "draft", ownerId, config: {} } });
    const monitor = await getStudyMonitor(db, id);
    expect(monitor).toMatchObject({ version: null, participants: [], slots: [], stuck: [], errored: [] });
  });

  it("shows each participant's stage, match, round and time on step; slot fill; stuck and errored matches", async () => {
    const db = temp.db();
    const { studyId, version } = await createLaunchedStudy(db, ownerId, design("monitored"));
    const first = await arrive(studyId);
    const now = new Date();

    const monitor = await getStudyMonitor(db, studyId, now);
    expect(monitor.version).toEqual({ id: version.id, number: 1, configHash: version.configHash });
    expect(monitor.slots.map((s) => s.condition)).toEqual(["debate", "consultancy"]);
    expect(monitor.slots.reduce((sum, s) => sum + s.total, 0)).toBe(6);
    expect(monitor.slots.reduce((sum, s) => sum + s.assigned, 0)).toBe(1);
    expect(monitor.participants).toHaveLength(1);
    const [shown] = monitor.participants;
    expect(shown).toMatchObject({ id: first.participantId, stage: "matches", status: "active", online: true });
    expect(shown).toMatchObject({ done: 0, total: 2 });
    expect(shown?.current).toMatchObject({ id: first.matchId, status: "waiting", round: 1, practice: false });
    expect(monitor.stuck).toEqual([]);

    // A judge step moves the round on, and the time on step counts from it.
    const match = await db.match.findUniqueOrThrow({ where: { id: first.matchId } });
    const stepAt = new Date(now.getTime() + 60_000);
    await db.match.update({ where: { id: match.id }, data: { status: "running", startedAt: now } });
    await db.judgeStep.create({
      data: { matchId: match.id, round: 1, probabilities: [0.5, 0.5], action: "continue", createdAt: stepAt },
    });
    const later = await getStudyMonitor(db, studyId, new Date(stepAt.getTime() + 75_000));
    const rounds = match.condition === "debate" ? 2 : 1;
    expect(later.participants[0]?.current).toMatchObject({ round: Math.min(2, rounds), secondsOnStep: 75 });
    expect(later.participants[0]?.online).toBe(false);

    // No activity for more than five minutes: stuck.
    const stuck = await getStudyMonitor(db, studyId, new Date(stepAt.getTime() + 6 * 60_000));
    expect(stuck.stuck).toEqual([
      expect.objectContaining({ id: match.id, participantId: first.participantId, secondsIdle: 360 }),
    ]);

    await db.match.update({ where: { id: match.id }, data: { status: "errored", error: "model exploded" } });
    const errored = await getStudyMonitor(db, studyId, now);
    expect(errored.errored).toEqual([expect.objectContaining({ id: match.id, error: "model exploded" })]);
    expect(errored.errorReasons).toEqual([{ reason: "model exploded", count: 1 }]);
    expect(errored.stuck).toEqual([]);
    expect(errored.participants[0]?.current).toBeNull();
  });
});

describe("a match that errored", () => {
  it("counts for its participant, who moves on to the next match; its slot goes back to the pool", async () => {
    const db = temp.db();
    const { studyId } = await createLaunchedStudy(db, ownerId, design("errored match"));
    const first = await arrive(studyId);
    const other = await arrive(studyId);
    await db.match.update({
      where: { id: first.matchId },
      data: { status: "errored", error: "model not found (404)" },
    });
    const user = { id: first.userId, role: "participant" as const, name: null, email: null };
    const before = await getParticipantView(db, user, studyId);
    expect(before?.progress).toEqual({ done: 1, total: 2 });
    expect(before?.current).toEqual({ matchId: first.matchId, complete: false, errored: true });

    // Anyone's next assignment gives the slot back, for the next judge who may take it.
    await advanceParticipant(db, other.userId, studyId, { step: "next" }, { endMatch: endMatchInDatabase(db) });
    expect(await db.slot.findUniqueOrThrow({ where: { id: first.slotId } })).toMatchObject({
      status: "open",
      participantId: null,
    });
    const between = await getParticipantView(db, user, studyId);
    expect(between?.current).toBeNull();

    await advanceParticipant(db, first.userId, studyId, { step: "next" }, { endMatch: endMatchInDatabase(db) });
    const after = await getParticipantView(db, user, studyId);
    expect(after?.stage).toBe("matches");
    expect(after?.current?.matchId).toBeTruthy();
    expect(after?.current?.matchId).not.toBe(first.matchId);
    expect(after?.progress).toEqual({ done: 1, total: 2 });
  });
});

describe("interventions", () => {
  it("endStudyMatch abandons the match and reopens its slot; the participant gets another match", async () => {
    const db = temp.db();
    const { studyId } = await createLaunchedStudy(db, ownerId, design("end match"));
    const judge = await arrive(studyId);
    const endMatch = endMatchInDatabase(db);

    await expect(endStudyMatch(db, "another-study", judge.matchId, endMatch)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await endStudyMatch(db, studyId, judge.matchId, endMatch)).toEqual({ reopened: true });
    const match = await db.match.findUniqueOrThrow({ where: { id: judge.matchId } });
    expect(match).toMatchObject({ status: "abandoned", error: "Ended by a researcher." });
    expect(await db.slot.findUniqueOrThrow({ where: { id: judge.slotId } })).toMatchObject({
      status: "open",
      participantId: null,
      matchId: null,
    });
    expect((await getStudyMonitor(db, studyId)).participants[0]?.current).toBeNull();

    await advanceParticipant(db, judge.userId, studyId, { step: "next" }, { endMatch });
    const next = (await getStudyMonitor(db, studyId)).participants[0]?.current;
    expect(next?.id).toBeTruthy();
    expect(next?.id).not.toBe(judge.matchId);

    // A finished judgment stands.
    if (next) await db.match.update({ where: { id: next.id }, data: { status: "complete" } });
    await expect(endStudyMatch(db, studyId, next?.id ?? "", endMatch)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("reassignSlot takes the slot back from its holder", async () => {
    const db = temp.db();
    const { studyId } = await createLaunchedStudy(db, ownerId, design("reassign"));
    const other = await createLaunchedStudy(db, ownerId, design("reassign, other"));
    const judge = await arrive(studyId);
    const endMatch = endMatchInDatabase(db);

    await expect(reassignSlot(db, other.studyId, judge.slotId, endMatch)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await reassignSlot(db, studyId, judge.slotId, endMatch);
    expect(await db.slot.findUniqueOrThrow({ where: { id: judge.slotId } })).toMatchObject({
      status: "open",
      participantId: null,
    });
    expect(await db.match.findUniqueOrThrow({ where: { id: judge.matchId } })).toMatchObject({
      status: "abandoned",
    });
    await expect(reassignSlot(db, studyId, judge.slotId, endMatch)).rejects.toMatchObject({ code: "CONFLICT" });

    await advanceParticipant(db, judge.userId, studyId, { step: "next" }, { endMatch });
    const slot = await db.slot.findFirstOrThrow({ where: { participantId: judge.participantId, status: "assigned" } });
    expect(slot.id).not.toBe(judge.slotId);
  });

  it("removeParticipant finishes them with the removed code, ends their match and frees their slot", async () => {
    const db = temp.db();
    const { studyId } = await createLaunchedStudy(db, ownerId, design("remove"));
    const other = await createLaunchedStudy(db, ownerId, design("remove, other"));
    const judge = await arrive(studyId);
    const endMatch = endMatchInDatabase(db);

    await expect(removeParticipant(db, other.studyId, judge.participantId, endMatch)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await removeParticipant(db, studyId, judge.participantId, endMatch)).toEqual({
      completionCode: "GONE-CODE",
    });
    expect(await db.participant.findUniqueOrThrow({ where: { id: judge.participantId } })).toMatchObject({
      status: "removed",
      stage: "done",
      completionCode: "GONE-CODE",
    });
    expect(await db.match.findUniqueOrThrow({ where: { id: judge.matchId } })).toMatchObject({
      status: "abandoned",
    });
    expect(await db.slot.findUniqueOrThrow({ where: { id: judge.slotId } })).toMatchObject({ status: "open" });
    const shown = (await getStudyMonitor(db, studyId)).participants[0];
    expect(shown).toMatchObject({ status: "removed", stage: "done", current: null });
    await expect(removeParticipant(db, studyId, judge.participantId, endMatch)).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("topReasons", () => {
  it("lists the most frequent reasons first and sums the rest into one line", () => {
    const reasons = ["a", "b", "c", "d", "e", "f", "g"].map((reason, i) => ({ reason, count: i + 1 }));
    expect(topReasons(reasons, 3)).toEqual([
      { reason: "g", count: 7 },
      { reason: "f", count: 6 },
      { reason: "5 other reasons", count: 15 },
    ]);
    expect(topReasons(reasons.slice(0, 2))).toEqual([
      { reason: "b", count: 2 },
      { reason: "a", count: 1 },
    ]);
  });
});
