import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../lib/auth/roles";
import { exportStudy } from "../../lib/export/export-study";
import { annotationInputSchema, TAG_MAX } from "../../lib/matches/annotation-vocabulary";
import { addStudyMember } from "../../lib/studies/repository";
import {
  addAnnotation,
  deleteAnnotation,
  listAnnotations,
  listTagSuggestions,
} from "../../lib/transcripts/annotations";
import { browseTranscripts } from "../../lib/transcripts/browse";
import { parseTranscriptFilters } from "../../lib/transcripts/filters";
import { playerPseudonym } from "../../lib/transcripts/judge-label";
import { listTranscripts } from "../../lib/transcripts/list";
import { createLaunchedStudy, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";
import { makeMatch } from "../support/transcripts";

/**
 * Transcript annotations (lib/transcripts/annotations.ts): comments on a transcript, a turn or words of a turn, and
 * tags; read and added by whoever may read the transcript, deleted by their author or an admin; authors named
 * pseudonymously (an email only to admins); annotation tags in the transcripts' tag filter, its choices and its rows;
 * and the study export's `annotations` table.
 */

const temp = tempDatabase("annotations");
const people = {} as Record<"owner" | "member" | "outsider" | "admin" | "player", SessionUser>;
const ids = {} as Record<"match" | "turn" | "otherMatch" | "otherTurn" | "studyId", string>;

const parse = (input: Record<string, string>) => annotationInputSchema.parse(input);
const comment = (extra: Record<string, string>) => parse({ kind: "comment", matchId: ids.match, ...extra });
const tag = (text: string, matchId = ids.match) => parse({ kind: "tag", matchId, tag: text });

beforeAll(async () => {
  const db = temp.db();
  await createSyntheticSet(db, { source: "synthetic", stories: 2, perStory: 2 });
  for (const [key, role] of [
    ["owner", "researcher"],
    ["member", "researcher"],
    ["outsider", "researcher"],
    ["admin", "admin"],
    ["player", "player"],
  ] as const)
    people[key] = await db.user.create({
      data: { email: `${key}@example.test`, role },
      select: { id: true, role: true, name: true, email: true },
    });
  const design = (name: string) => ({
    name,
    questions: { source: "synthetic", count: 2 },
    conditions: [{ name: "debate", protocol: "debate" as const, rounds: 3 }],
  });
  ids.studyId = (await createLaunchedStudy(db, people.owner.id, design("Annotated study"))).studyId;
  await addStudyMember(db, ids.studyId, "member@example.test");
  const otherStudy = (await createLaunchedStudy(db, people.outsider.id, design("Outsider study"))).studyId;
  const verdict = { p: 0.8, correct: true, rounds: 1 };
  const match = await makeMatch(db, {
    studyId: ids.studyId,
    condition: "debate",
    verdict,
    turns: ["The keeper counted <quote>seven  ships</quote> at dawn.", "She counted none."],
  });
  ids.match = match.id;
  ids.turn = match.turnIds[0] ?? "";
  const other = await makeMatch(db, { studyId: otherStudy, condition: "debate", verdict, turns: ["Elsewhere."] });
  ids.otherMatch = other.id;
  ids.otherTurn = other.turnIds[0] ?? "";
});

describe("annotations", () => {
  it("adds comments on a transcript, a turn and words of a turn, listed oldest first with a pseudonymous author", async () => {
    const db = temp.db();
    await addAnnotation(db, people.owner, comment({ body: "A clean debate overall." }));
    await addAnnotation(db, people.owner, comment({ body: "Good use of the log.", turnId: ids.turn }));
    // Words as the reader saw them: quote marks gone, white space as shown.
    const quoted = await addAnnotation(
      db,
      people.member,
      comment({ body: "Which count?", turnId: ids.turn, quote: "counted seven ships" }),
    );
    expect(quoted.quote).toEqual({ text: "counted seven ships", start: 11, end: 30 });

    const asMember = await listAnnotations(db, people.member, ids.match);
    expect(asMember.map((a) => [a.text, a.turnId, a.author, a.deletable])).toEqual([
      ["A clean debate overall.", null, playerPseudonym(people.owner.id), false],
      ["Good use of the log.", ids.turn, playerPseudonym(people.owner.id), false],
      ["Which count?", ids.turn, playerPseudonym(people.member.id), true],
    ]);
    expect(JSON.stringify(asMember)).not.toContain("@");
    const asAdmin = await listAnnotations(db, people.admin, ids.match);
    expect(asAdmin.map((a) => [a.author, a.deletable])).toEqual([
      ["owner@example.test", true],
      ["owner@example.test", true],
      ["member@example.test", true],
    ]);
  });

  it("is for whoever may read the transcript: others are refused reading, adding and deleting", async () => {
    const db = temp.db();
    for (const stranger of [people.outsider, people.player]) {
      await expect(listAnnotations(db, stranger, ids.match)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(addAnnotation(db, stranger, comment({ body: "Let me in." }))).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    await expect(listAnnotations(db, people.owner, "no-such-match")).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A turn of another transcript, words not in the turn, a quote without its turn.
    await expect(addAnnotation(db, people.owner, comment({ body: "x", turnId: ids.otherTurn }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      addAnnotation(db, people.owner, comment({ body: "x", turnId: ids.turn, quote: "nine ships" })),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(addAnnotation(db, people.owner, comment({ body: "x", quote: "seven" }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await db.annotation.count({ where: { authorId: { in: [people.outsider.id, people.player.id] } } })).toBe(0);
    // The forms' limits, from the one schema.
    expect(annotationInputSchema.safeParse({ kind: "comment", matchId: ids.match, body: "  " }).success).toBe(false);
    expect(
      annotationInputSchema.safeParse({ kind: "tag", matchId: ids.match, tag: "x".repeat(TAG_MAX + 1) }).success,
    ).toBe(false);
    expect(annotationInputSchema.safeParse({ kind: "note", matchId: ids.match, body: "x" }).success).toBe(false);
  });

  it("is deleted by its author or an admin, by nobody else", async () => {
    const db = temp.db();
    const mine = await addAnnotation(db, people.member, comment({ body: "Mine to delete." }));
    const owners = await addAnnotation(db, people.owner, comment({ body: "The owner's." }));
    await expect(
      deleteAnnotation(db, people.member, { matchId: ids.match, annotationId: owners.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      deleteAnnotation(db, people.outsider, { matchId: ids.match, annotationId: mine.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      deleteAnnotation(db, people.member, { matchId: ids.otherMatch, annotationId: mine.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      deleteAnnotation(db, people.owner, { matchId: ids.match, annotationId: "no-such-annotation" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await deleteAnnotation(db, people.member, { matchId: ids.match, annotationId: mine.id });
    await deleteAnnotation(db, people.admin, { matchId: ids.match, annotationId: owners.id });
    const left = (await listAnnotations(db, people.owner, ids.match)).map((a) => a.text);
    expect(left).not.toContain("Mine to delete.");
    expect(left).not.toContain("The owner's.");
  });

  it("tags a transcript: normalised, once per author, and filterable with the other tags", async () => {
    const db = temp.db();
    const first = await addAnnotation(db, people.member, tag("  Misused   Evidence "));
    expect(first.text).toBe("misused evidence");
    expect((await addAnnotation(db, people.member, tag("misused evidence"))).id).toBe(first.id);
    await addAnnotation(db, people.owner, tag("misused evidence"));
    await addAnnotation(db, people.outsider, tag("outsider only", ids.otherMatch));

    const filtered = await listTranscripts(db, people.owner, parseTranscriptFilters({ tag: "misused evidence" }));
    expect(filtered.rows.map((r) => r.id)).toEqual([ids.match]);
    expect(filtered.rows[0]?.tags).toEqual(["misused evidence"]);
    const browser = await browseTranscripts(db, people.member, parseTranscriptFilters({}));
    expect(browser.facets.tags).toContain("misused evidence");
    // Tags of transcripts the viewer may not read are not offered to them.
    expect(browser.facets.tags).not.toContain("outsider only");
    expect(await listTagSuggestions(db, people.member)).toEqual(["misused evidence"]);
    expect(await listTagSuggestions(db, people.outsider)).toEqual(expect.arrayContaining(["outsider only"]));
    expect(await listTagSuggestions(db, people.outsider)).not.toContain("misused evidence");
  });

  it("goes out with the study's export, one row per annotation, authors pseudonymised", async () => {
    const db = temp.db();
    let text = "";
    for await (const chunk of exportStudy(db, ids.studyId, { table: "annotations", format: "jsonl", raw: false }))
      text += chunk;
    const rows = text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const stored = await db.annotation.count({ where: { match: { studyId: ids.studyId } } });
    expect(rows).toHaveLength(stored);
    expect(rows.every((r) => r.match_id === ids.match && r.study_id === ids.studyId)).toBe(true);
    expect(rows.find((r) => r.text === "Which count?")).toMatchObject({
      kind: "comment",
      round: 1,
      speaker: "A",
      quote: "counted seven ships",
      quote_start: 11,
      quote_end: 30,
      author_id: expect.stringMatching(/^j-[0-9a-f]{12}$/),
    });
    expect(rows.filter((r) => r.kind === "tag").map((r) => r.text)).toEqual(["misused evidence", "misused evidence"]);
    expect(text).not.toContain(people.owner.id);
    expect(text).not.toContain("outsider only");
  });
});
