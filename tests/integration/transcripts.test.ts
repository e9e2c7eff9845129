import { beforeAll, describe, expect, it } from "vitest";
import { ACTIVE_MATCH_STATUSES, SETTLED_MATCH_STATUSES } from "../../lib/debate/vocabulary";
import { createDebateMatch } from "../../lib/matches/create";
import { assertObserverOf } from "../../lib/studies/match-access";
import { listTranscripts, transcriptFiltersSchema } from "../../lib/transcripts/list";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/** Transcript review shows a researcher their own studies' matches only, and free play to any researcher. */

const temp = tempDatabase("transcripts");
const filters = (input: Record<string, string>) => transcriptFiltersSchema.parse(input);
let studyId = "";
let studyMatchId = "";
const people = {} as Record<
  "owner" | "outsider" | "admin" | "player",
  { id: string; role: string; name: null; email: string }
>;

beforeAll(async () => {
  const db = temp.db();
  await createSyntheticSet(db, { source: "synthetic", stories: 3, perStory: 1 });
  for (const [key, role] of [
    ["owner", "researcher"],
    ["outsider", "researcher"],
    ["admin", "admin"],
    ["player", "player"],
  ] as const) {
    const user = await createResearcher(db, `${key}@example.test`);
    people[key] = {
      ...(await db.user.update({ where: { id: user.id }, data: { role } })),
      name: null,
      email: `${key}@example.test`,
    };
  }
  const study = await createLaunchedStudy(db, people.owner.id, {
    name: "Transcripts",
    questions: { source: "synthetic", count: 2 },
    conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
  });
  studyId = study.studyId;
  const question = await db.question.findFirstOrThrow({ where: { source: "synthetic" } });
  studyMatchId = (
    await createDebateMatch(db, {
      questionId: question.id,
      judgeModel: "offline:heuristic",
      study: { studyId, studyVersionId: study.version.id, condition: "debate", configHash: study.version.configHash },
    })
  ).id;
  await createDebateMatch(db, { questionId: question.id, judgeModel: "offline:heuristic" });
});

describe("transcript review", () => {
  it("lists a study's matches to its owner and to admins, refuses other researchers", async () => {
    const db = temp.db();
    const own = await listTranscripts(db, people.owner, filters({ study: studyId }));
    expect(own.rows.map((r) => r.id)).toEqual([studyMatchId]);
    expect((await listTranscripts(db, people.admin, filters({ study: studyId }))).total).toBe(1);
    await expect(listTranscripts(db, people.outsider, filters({ study: studyId }))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(listTranscripts(db, people.player, filters({}))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps free play apart from studies and applies filters", async () => {
    const db = temp.db();
    const play = await listTranscripts(db, people.outsider, filters({ study: "play" }));
    expect(play.total).toBe(1);
    expect(play.rows[0]?.id).not.toBe(studyMatchId);
    expect((await listTranscripts(db, people.owner, filters({ study: studyId, outcome: "correct" }))).total).toBe(0);
    expect((await listTranscripts(db, people.owner, filters({ study: studyId, status: "waiting" }))).total).toBe(1);
    // Bad query values fall back to no filter rather than failing the page.
    expect(filters({ outcome: "maybe", page: "-3" })).toMatchObject({ outcome: undefined, page: 1 });
  });

  it("lets only researchers with access to the study observe its matches", async () => {
    const db = temp.db();
    await expect(assertObserverOf(db, people.owner, studyMatchId)).resolves.toBeUndefined();
    await expect(assertObserverOf(db, people.admin, studyMatchId)).resolves.toBeUndefined();
    await expect(assertObserverOf(db, people.outsider, studyMatchId)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses the match's own judge, admin or owner, until the match is settled", async () => {
    const db = temp.db();
    const question = await db.question.findFirstOrThrow({ where: { source: "synthetic" } });
    for (const judge of [people.owner, people.admin]) {
      const { id } = await createDebateMatch(db, { questionId: question.id, judgeId: judge.id });
      for (const status of ACTIVE_MATCH_STATUSES) {
        await db.match.update({ where: { id }, data: { status } });
        await expect(assertObserverOf(db, judge, id)).rejects.toMatchObject({
          code: "FORBIDDEN",
          message: expect.stringMatching(/You are judging this match/),
        });
      }
      for (const status of SETTLED_MATCH_STATUSES) {
        await db.match.update({ where: { id }, data: { status } });
        await expect(assertObserverOf(db, judge, id)).resolves.toBeUndefined();
      }
      // Another researcher may watch it while it runs.
      await db.match.update({ where: { id }, data: { status: "running" } });
      await expect(assertObserverOf(db, people.outsider, id)).resolves.toBeUndefined();
    }
  });
});
