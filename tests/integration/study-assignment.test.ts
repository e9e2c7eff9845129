import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/client";
import { mulberry32 } from "../../lib/random";
import { assignNext, endMatchInDatabase, sweepAllDropouts } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import { joinStudy } from "../../lib/studies/participants";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * Assignment properties, on a real SQLite database: whatever the arrival order, interleaving and dropouts, quotas
 * are never exceeded, no judge sees a story twice, and each judge's conditions stay within one of each other
 * whenever capacity allows it. Judges act concurrently: their database calls interleave at random points, which
 * is what a server sees (one process, one connection; SQLite cannot be shared by two synchronous connections in
 * one process, and across processes the same conditional claim is what keeps slots single).
 */

const temp = tempDatabase("assignment");
const SOURCE = "synthetic";
const STORIES = 14;
let ownerId = "";

beforeAll(async () => {
  await createSyntheticSet(temp.db(), { source: SOURCE, stories: STORIES, perStory: 3 });
  ownerId = (await createResearcher(temp.db())).id;
});

const CONDITIONS = [
  { name: "debate", protocol: "debate", rounds: 1 },
  { name: "consultancy", protocol: "consultancy", rounds: 1 },
  { name: "naive", protocol: "naive" },
] as const;

function design(input: {
  conditions: number;
  questions: number;
  perQuestion: number;
  perJudge: number;
}): StudyConfigInput {
  return {
    name: "assignment property",
    questions: { source: SOURCE, count: input.questions, seed: 7 },
    conditions: CONDITIONS.slice(0, input.conditions).map((c) => ({ ...c })),
    judgmentsPerQuestion: input.perQuestion,
    questionsPerJudge: input.perJudge,
    dropoutMinutes: 5,
  };
}

interface Outcome {
  participantId: string;
  result: "finished" | "full" | "dropped";
}

/** One judge's life: arrive, take matches one at a time, finish each (or leave for good), until done or full. */
async function judge(db: Db, studyId: string, index: number, random: () => number, dropRate: number): Promise<Outcome> {
  const joined = await joinStudy(db, { studyId, external: { PROLIFIC_PID: `judge${index}` }, current: null });
  const endMatch = endMatchInDatabase(db);
  for (;;) {
    // Let other judges interleave at random points.
    for (let i = Math.floor(random() * 4); i > 0; i--) await new Promise((resolve) => setImmediate(resolve));
    const next = await assignNext(db, joined.participantId, { endMatch, random });
    if (next.kind !== "match") return { participantId: joined.participantId, result: next.kind };
    if (random() < dropRate) {
      // Gone without a word: last seen long before the dropout time.
      await db.participant.update({
        where: { id: joined.participantId },
        data: { lastSeenAt: new Date(Date.now() - 24 * 3600_000) },
      });
      return { participantId: joined.participantId, result: "dropped" };
    }
    await db.match.update({ where: { id: next.assignment.matchId }, data: { status: "complete" } });
  }
}

async function checkInvariants(db: Db, studyId: string, perQuestion: number, perJudge: number) {
  const matches = await db.match.findMany({
    where: { studyId, practice: false },
    select: { id: true, status: true, judgeId: true, questionId: true, condition: true, slotId: true, slot: true },
  });
  // A slot is never held by two live matches, and a question × condition never gets more than its quota.
  const liveBySlot = new Map<string, number>();
  const completeByCell = new Map<string, number>();
  for (const m of matches) {
    if (m.status !== "abandoned") liveBySlot.set(m.slotId ?? "", (liveBySlot.get(m.slotId ?? "") ?? 0) + 1);
    if (m.status === "complete") {
      const cell = `${m.questionId}|${m.condition}`;
      completeByCell.set(cell, (completeByCell.get(cell) ?? 0) + 1);
    }
  }
  for (const count of liveBySlot.values()) expect(count).toBe(1);
  for (const count of completeByCell.values()) expect(count).toBeLessThanOrEqual(perQuestion);
  // No judge ever saw a story twice (abandoned matches count: the judge read those arguments).
  const byJudge = new Map<string, typeof matches>();
  for (const m of matches) byJudge.set(m.judgeId ?? "", [...(byJudge.get(m.judgeId ?? "") ?? []), m]);
  for (const own of byJudge.values()) {
    const stories = own.map((m) => m.slot?.storyKey);
    expect(new Set(stories).size).toBe(stories.length);
    expect(own.filter((m) => m.status === "complete").length).toBeLessThanOrEqual(perJudge);
  }
  return { matches, byJudge };
}

describe("study assignment", () => {
  it("never breaks quotas, never repeats a story and keeps each judge's conditions balanced", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          conditions: fc.integer({ min: 1, max: 3 }),
          questions: fc.integer({ min: 2, max: STORIES }),
          perQuestion: fc.integer({ min: 1, max: 2 }),
          perJudge: fc.integer({ min: 1, max: 4 }),
          judges: fc.integer({ min: 1, max: 10 }),
          dropRate: fc.constantFrom(0, 0, 0.2),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        async (p) => {
          const db = temp.db();
          const { studyId } = await createLaunchedStudy(db, ownerId, design(p));
          const random = mulberry32(p.seed);
          const outcomes = await Promise.all(
            Array.from({ length: p.judges }, (_, i) =>
              judge(db, studyId, i, mulberry32(Math.floor(random() * 2 ** 31)), p.dropRate),
            ),
          );
          const { byJudge } = await checkInvariants(db, studyId, p.perQuestion, p.perJudge);
          // Balance is owed when every condition has room for every judge's share even after excluding the
          // stories a judge has already seen (a dropout holds no slot once swept).
          const share = Math.ceil(p.perJudge / p.conditions);
          const roomy = p.judges * share + (p.perJudge - 1) * p.perQuestion <= p.questions * p.perQuestion;
          if (!roomy || p.dropRate > 0) return;
          const users = await db.participant.findMany({ where: { studyId }, select: { id: true, userId: true } });
          for (const outcome of outcomes) {
            expect(outcome.result).toBe("finished");
            const userId = users.find((u) => u.id === outcome.participantId)?.userId ?? "";
            const counts = CONDITIONS.slice(0, p.conditions).map(
              (c) =>
                (byJudge.get(userId) ?? []).filter((m) => m.condition === c.name && m.status === "complete").length,
            );
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it("fills exactly the quota when many judges arrive at once", async () => {
    const db = temp.db();
    // 4 questions × 2 conditions × 1 judgment = 8 slots for 30 simultaneous judges wanting one match each.
    const { studyId } = await createLaunchedStudy(
      db,
      ownerId,
      design({ conditions: 2, questions: 4, perQuestion: 1, perJudge: 1 }),
    );
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => judge(db, studyId, i, mulberry32(i), 0)));
    expect(outcomes.filter((o) => o.result === "finished")).toHaveLength(8);
    expect(outcomes.filter((o) => o.result === "full")).toHaveLength(22);
    expect(await db.slot.count({ where: { version: { studyId }, status: "open" } })).toBe(0);
    const { matches } = await checkInvariants(db, studyId, 1, 1);
    expect(matches).toHaveLength(8);
    // Arrival ordinals are unique even though everyone arrived together.
    const ordinals = (await db.participant.findMany({ where: { studyId } }))
      .map((p) => p.ordinal)
      .sort((a, b) => a - b);
    expect(ordinals).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it("frees a dropped-out judge's slot after the dropout time, keeping their match as abandoned", async () => {
    const db = temp.db();
    const { studyId } = await createLaunchedStudy(
      db,
      ownerId,
      design({ conditions: 1, questions: 1, perQuestion: 1, perJudge: 1 }),
    );
    const endMatch = endMatchInDatabase(db);
    const first = await joinStudy(db, { studyId, external: { PROLIFIC_PID: "leaver" }, current: null });
    const taken = await assignNext(db, first.participantId, { endMatch });
    expect(taken.kind).toBe("match");
    const second = await joinStudy(db, { studyId, external: { PROLIFIC_PID: "waiter" }, current: null });
    // Within the dropout time the only slot is held.
    expect((await assignNext(db, second.participantId, { endMatch })).kind).toBe("full");
    const later = new Date(Date.now() + 6 * 60_000);
    const retaken = await assignNext(db, second.participantId, { endMatch, now: later });
    expect(retaken.kind).toBe("match");
    if (taken.kind !== "match" || retaken.kind !== "match") return;
    expect(retaken.assignment.slotId).toBe(taken.assignment.slotId);
    const abandoned = await db.match.findUniqueOrThrow({ where: { id: taken.assignment.matchId } });
    expect(abandoned.status).toBe("abandoned");
    expect(abandoned.error).toMatch(/dropout/);
    // The leaver comes back: the story they already read is not offered again, and nothing else is left.
    expect((await assignNext(db, first.participantId, { endMatch, now: later })).kind).toBe("full");
  });

  it("sweeps every study's dropouts on the reaper's beat, with nobody new arriving, and only after the dropout time", async () => {
    const db = temp.db();
    const { studyId } = await createLaunchedStudy(
      db,
      ownerId,
      design({ conditions: 1, questions: 2, perQuestion: 1, perJudge: 1 }),
    );
    const endMatch = endMatchInDatabase(db);
    const leaver = await joinStudy(db, { studyId, external: { PROLIFIC_PID: "sweep-leaver" }, current: null });
    const taken = await assignNext(db, leaver.participantId, { endMatch });
    if (taken.kind !== "match") throw new Error(`expected a match, got ${taken.kind}`);
    const ended: string[] = [];
    const recordingEnd = async (matchId: string, reason: string) => {
      ended.push(matchId);
      await endMatch(matchId, reason);
    };
    // Within the dropout time (5 minutes here) the participant counts as present. (The sweep covers every study in
    // the database: earlier tests' dropouts are swept too.)
    await sweepAllDropouts(db, { endMatch: recordingEnd, now: new Date(Date.now() + 4 * 60_000) });
    expect(ended).not.toContain(taken.assignment.matchId);
    expect((await db.match.findUniqueOrThrow({ where: { id: taken.assignment.matchId } })).status).toBe("waiting");
    const freed = await sweepAllDropouts(db, { endMatch: recordingEnd, now: new Date(Date.now() + 6 * 60_000) });
    expect(freed).toBeGreaterThanOrEqual(1);
    expect(ended).toContain(taken.assignment.matchId);
    const match = await db.match.findUniqueOrThrow({ where: { id: taken.assignment.matchId } });
    expect(match).toMatchObject({ status: "abandoned", error: expect.stringMatching(/dropout/) });
    const slot = await db.slot.findUniqueOrThrow({ where: { id: taken.assignment.slotId } });
    expect(slot).toMatchObject({ status: "open", participantId: null });
  });

  it("counterbalances the correct side and screen order within each condition", async () => {
    const db = temp.db();
    const { version } = await createLaunchedStudy(
      db,
      ownerId,
      design({ conditions: 2, questions: 8, perQuestion: 1, perJudge: 1 }),
    );
    const slots = await db.slot.findMany({ where: { versionId: version.id } });
    for (const condition of ["debate", "consultancy"]) {
      const own = slots.filter((s) => s.condition === condition).map((s) => s.balance as Record<string, unknown>);
      expect(own.filter((b) => b.honestSeat === "A")).toHaveLength(4);
      expect(own.filter((b) => b.goldFirst === true)).toHaveLength(4);
      expect(own.filter((b) => b.honestFirst === true)).toHaveLength(4);
    }
  });
});
