import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../lib/auth/roles";
import { browseTranscripts } from "../../lib/transcripts/browse";
import { parseTranscriptFilters } from "../../lib/transcripts/filters";
import { playerPseudonym } from "../../lib/transcripts/judge-label";
import { listTranscripts } from "../../lib/transcripts/list";
import { getTranscriptComparison, getTranscriptReplay, getTranscriptReview } from "../../lib/transcripts/review";
import { createLaunchedStudy, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";
import { makeMatch } from "../support/transcripts";

/**
 * One name per judge: the transcript list, its judge filter, the review page, the replay and the comparison all
 * label a judge by the one rule of lib/transcripts/judge-label.ts — a study participant as "Participant <n>", an
 * imported judge by the dataset's pseudonym, anyone else as "Player <id end>", an AI judge by its model — and only
 * an admin ever reads an email address.
 */

const temp = tempDatabase("judge-labels");
const viewers = {} as Record<"owner" | "admin", SessionUser>;
const matches = {} as Record<"participant" | "imported" | "player" | "ai", string>;
const judges = {} as Record<"participant" | "imported" | "player", { id: string; email: string | null }>;

beforeAll(async () => {
  const db = temp.db();
  await createSyntheticSet(db, { source: "synthetic", stories: 2, perStory: 2 });
  for (const role of ["owner", "admin"] as const) {
    const email = `${role}@example.test`;
    viewers[role] = await db.user.create({
      data: { email, role: role === "owner" ? "researcher" : "admin" },
      select: { id: true, role: true, name: true, email: true },
    });
  }
  const { studyId } = await createLaunchedStudy(db, viewers.owner.id, {
    name: "Label study",
    questions: { source: "synthetic", count: 2 },
    conditions: [{ name: "debate", protocol: "debate", rounds: 3 }],
  });
  const version = await db.studyVersion.findFirstOrThrow({ where: { studyId } });
  // A participant whose account happens to carry an email address: still never shown to a researcher.
  const participant = await db.user.create({ data: { role: "participant", email: "participant@example.test" } });
  await db.participant.create({ data: { studyId, versionId: version.id, userId: participant.id, ordinal: 2 } });
  const imported = await db.user.create({ data: { role: "participant", name: "nyu-2023:Fizzlewick Fandango" } });
  const player = await db.user.create({ data: { role: "player", email: "player@example.test", name: "Ada Player" } });
  judges.participant = participant;
  judges.imported = imported;
  judges.player = player;
  const verdict = { p: 0.8, correct: true, rounds: 1 };
  const turns = ["The keeper counted the ships.", "She did not."];
  matches.participant = (
    await makeMatch(db, { studyId, condition: "debate", judgeId: participant.id, verdict, turns })
  ).id;
  matches.imported = (await makeMatch(db, { studyId, condition: "debate", judgeId: imported.id, verdict, turns })).id;
  matches.player = (await makeMatch(db, { judgeId: player.id, verdict, turns, questionIndex: 2 })).id;
  matches.ai = (await makeMatch(db, { judgeModel: "openai:gpt-4o-mini", verdict, turns, questionIndex: 3 })).id;
});

/** Every label `viewer` reads for the judge of `matchId`: list row, judge filter, review, replay, comparison. */
async function labelsOf(viewer: SessionUser, matchId: string): Promise<string[]> {
  const db = temp.db();
  const list = await listTranscripts(db, viewer, parseTranscriptFilters({}));
  const row = list.rows.find((r) => r.id === matchId);
  if (!row?.judgeKey) throw new Error(`no row for ${matchId}`);
  const browser = await browseTranscripts(db, viewer, parseTranscriptFilters({}));
  const facet = browser.facets.judges.find((j) => j.key === row.judgeKey);
  const review = await getTranscriptReview(db, viewer, matchId);
  const replay = await getTranscriptReplay(db, viewer, matchId, 1);
  const [compared] = await getTranscriptComparison(db, viewer, matchId, matches.ai);
  return [
    row.judge,
    facet?.label ?? "(not in the judge filter)",
    review.judge.label,
    replay.judge.label,
    compared.judge.label,
  ];
}

describe("judge labels", () => {
  it("gives each judge one pseudonymous name everywhere a researcher looks, and never an email", async () => {
    const expected = {
      participant: "Participant 3",
      imported: "nyu-2023:Fizzlewick Fandango",
      player: playerPseudonym(judges.player.id),
      ai: "openai:gpt-4o-mini",
    };
    for (const [key, label] of Object.entries(expected)) {
      const labels = await labelsOf(viewers.owner, matches[key as keyof typeof matches]);
      expect(labels, key).toEqual(Array(5).fill(label));
      for (const shown of labels) expect(shown).not.toContain("@");
    }
    const review = await getTranscriptReview(temp.db(), viewers.owner, matches.player);
    expect(review.judge.kind).toBe("human");
    expect(JSON.stringify(review)).not.toContain("player@example.test");
  });

  it("shows an admin the account's email address, the same in the list and the review", async () => {
    expect(await labelsOf(viewers.admin, matches.player)).toEqual(Array(5).fill("player@example.test"));
    expect(await labelsOf(viewers.admin, matches.participant)).toEqual(Array(5).fill("participant@example.test"));
    // An imported judge has no email: the dataset's pseudonym is their only name.
    expect(await labelsOf(viewers.admin, matches.imported)).toEqual(Array(5).fill("nyu-2023:Fizzlewick Fandango"));
  });
});
