import { beforeAll, describe, expect, it } from "vitest";
import { asJson } from "../../lib/db/json";
import { ACTIVE_MATCH_STATUSES, SETTLED_MATCH_STATUSES } from "../../lib/debate/vocabulary";
import { createDebateMatch } from "../../lib/matches/create";
import { assertObserverOf } from "../../lib/studies/match-access";
import { addStudyMember } from "../../lib/studies/repository";
import { browseTranscripts } from "../../lib/transcripts/browse";
import { PAGE_SIZE, parseTranscriptFilters, transcriptsHref } from "../../lib/transcripts/filters";
import { playerPseudonym } from "../../lib/transcripts/judge-label";
import { listTranscripts } from "../../lib/transcripts/list";
import { ftsQuery, HIT_END, HIT_START, searchTranscripts, snippetParts } from "../../lib/transcripts/search";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";
import { makeMatch } from "../support/transcripts";

/**
 * Transcript review: which transcripts each viewer sees (their studies, free play, never a study that is not
 * theirs), every filter, sorting, pages, pseudonymous judges, and full-text search over turns, judge messages and
 * explanations (SQLite FTS5, kept in step by triggers).
 */

const temp = tempDatabase("transcripts");
const filters = (input: Record<string, string>) => parseTranscriptFilters(input);
type Person = { id: string; role: string; name: null; email: string };
const people = {} as Record<"owner" | "member" | "outsider" | "admin" | "player", Person>;
let studyId = "";
let otherStudyId = "";
const ids: Record<string, string> = {};

beforeAll(async () => {
  const db = temp.db();
  await createSyntheticSet(db, { source: "synthetic", stories: 3, perStory: 2 });
  for (const [key, role] of [
    ["owner", "researcher"],
    ["member", "researcher"],
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
    name: "Lighthouse study",
    questions: { source: "synthetic", count: 2 },
    conditions: [
      { name: "debate", protocol: "debate", rounds: 3 },
      { name: "consultancy", protocol: "consultancy", rounds: 3 },
    ],
  });
  studyId = study.studyId;
  await addStudyMember(db, studyId, people.member.email);
  otherStudyId = (
    await createLaunchedStudy(db, people.outsider.id, {
      name: "Outsider study",
      questions: { source: "synthetic", count: 2 },
      conditions: [{ name: "debate", protocol: "debate", rounds: 3 }],
    })
  ).studyId;

  const debate = await makeMatch(db, {
    studyId,
    condition: "debate",
    judgeModel: "openai:gpt-4o-mini",
    models: ["anthropic:claude", "openai:gpt-4o"],
    turns: [
      "The keeper counted the ships from the lantern gallery before the storm broke.",
      "My opponent forgets that the log was written after the storm, by candlelight.",
    ],
    judgeMessage: "Debater B, where exactly does the log mention candlelight?",
    verdict: { p: 0.9, correct: true, rounds: 2, explanation: "The lantern gallery quote settled it for me." },
    createdAt: "2026-11-10T09:00:00Z",
    tags: ["in-paper", "human-debate"],
  });
  ids.debate = debate.id;
  ids.debateTurn = debate.turnIds[1] ?? "";
  ids.consultancy = (
    await makeMatch(db, {
      studyId,
      condition: "consultancy",
      protocol: "consultancy",
      judgeId: people.player.id,
      turns: ["Trust me: the answer is plainly written in the harbour master's ledger."],
      verdict: { p: 0.6, correct: false, rounds: 3 },
      createdAt: "2026-11-15T09:00:00Z",
      questionIndex: 1,
    })
  ).id;
  ids.outsiderStudy = (
    await makeMatch(db, {
      studyId: otherStudyId,
      condition: "debate",
      turns: ["A secret sentence about the harbour master only the outsider's study holds."],
      verdict: { p: 0.7, correct: true, rounds: 1 },
    })
  ).id;
  ids.play = (
    await makeMatch(db, {
      judgeId: people.player.id,
      turns: ["In free play the lighthouse keeper's ledger mentions seven ships."],
      verdict: { p: 0.8, correct: true, rounds: 1 },
      createdAt: "2026-11-25T09:00:00Z",
      questionIndex: 2,
    })
  ).id;
  // A free-play match the outsider is still judging: hidden from them until it is settled.
  ids.judging = (await makeMatch(db, { judgeId: people.outsider.id, status: "running", questionIndex: 3 })).id;
  // A practice (qualification) match is not a transcript.
  const practice = await makeMatch(db, { studyId, condition: "debate", verdict: { p: 1, correct: true, rounds: 1 } });
  await db.match.update({ where: { id: practice.id }, data: { practice: true } });
});

const idsOf = (page: { rows: Array<{ id: string }> }) => page.rows.map((r) => r.id).sort();

describe("transcript list: access", () => {
  it("shows each viewer their studies' matches and free play, never another's study", async () => {
    const db = temp.db();
    expect(idsOf(await listTranscripts(db, people.owner, filters({})))).toEqual(
      [ids.debate, ids.consultancy, ids.play, ids.judging].sort(),
    );
    expect(idsOf(await listTranscripts(db, people.member, filters({ study: studyId })))).toEqual(
      [ids.debate, ids.consultancy].sort(),
    );
    // The outsider sees none of the owner's study, and not the match they are still judging.
    expect(idsOf(await listTranscripts(db, people.outsider, filters({})))).toEqual(
      [ids.outsiderStudy, ids.play].sort(),
    );
    await expect(listTranscripts(db, people.outsider, filters({ study: studyId }))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await listTranscripts(db, people.admin, filters({}))).total).toBe(5);
    await expect(listTranscripts(db, people.player, filters({}))).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The page gets the refusal as a message, with no results.
    const refused = await browseTranscripts(db, people.outsider, filters({ study: studyId }));
    expect(refused).toMatchObject({ list: null, search: null, refusal: expect.stringMatching(/not yours/) });
  });

  it("names human judges by pseudonym, and by email only to admins", async () => {
    const db = temp.db();
    const forOwner = await listTranscripts(db, people.owner, filters({ study: "play" }));
    const play = forOwner.rows.find((r) => r.id === ids.play);
    expect(play).toMatchObject({ judge: playerPseudonym(people.player.id), judgeKind: "human" });
    expect(JSON.stringify(forOwner)).not.toContain("@example.test");
    const forAdmin = await listTranscripts(db, people.admin, filters({ study: "play" }));
    expect(forAdmin.rows.find((r) => r.id === ids.play)?.judge).toBe("player@example.test");
    const browser = await browseTranscripts(db, people.owner, filters({}));
    expect(JSON.stringify(browser.facets)).not.toContain("@example.test");
    expect(browser.facets.judges.map((j) => j.label)).toContain(playerPseudonym(people.player.id));
  });

  it("lets only researchers with access to the study observe its matches", async () => {
    const db = temp.db();
    await expect(assertObserverOf(db, people.owner, ids.debate ?? "")).resolves.toBeUndefined();
    await expect(assertObserverOf(db, people.admin, ids.debate ?? "")).resolves.toBeUndefined();
    await expect(assertObserverOf(db, people.outsider, ids.debate ?? "")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
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
        expect((await listTranscripts(db, judge, filters({}))).rows.map((r) => r.id)).not.toContain(id);
      }
      for (const status of SETTLED_MATCH_STATUSES) {
        await db.match.update({ where: { id }, data: { status } });
        await expect(assertObserverOf(db, judge, id)).resolves.toBeUndefined();
      }
      await db.match.delete({ where: { id } });
    }
  });
});

describe("transcript list: filters, sorting and pages", () => {
  const count = async (input: Record<string, string>) =>
    idsOf(await listTranscripts(temp.db(), people.owner, filters(input)));

  it("applies each filter", async () => {
    expect(await count({ study: studyId, condition: "consultancy" })).toEqual([ids.consultancy]);
    expect(await count({ protocol: "consultancy" })).toEqual([ids.consultancy]);
    expect(await count({ study: studyId, judgeKind: "ai" })).toEqual([ids.debate]);
    expect(await count({ judgeKind: "human", outcome: "correct" })).toEqual([ids.play]);
    expect(await count({ judge: people.player.id })).toEqual([ids.consultancy, ids.play].sort());
    expect(await count({ judge: "openai:gpt-4o-mini" })).toEqual([ids.debate]);
    expect(await count({ model: "openai:gpt-4o" })).toEqual([ids.debate]);
    expect(await count({ outcome: "wrong" })).toEqual([ids.consultancy]);
    expect(await count({ outcome: "none" })).toEqual([ids.judging]);
    expect(await count({ confMin: "75" })).toEqual([ids.debate, ids.play].sort());
    expect(await count({ confMin: "55", confMax: "85" })).toEqual([ids.consultancy, ids.play].sort());
    expect(await count({ rounds: "3" })).toEqual([ids.consultancy]);
    expect(await count({ q: "story 1, question 0" })).toEqual([ids.play]);
    // The story's title counts too.
    expect(await count({ q: "story 1" })).toEqual([ids.play, ids.judging].sort());
    expect(await count({ q: "STORY 0, QUESTION 1" })).toEqual([ids.consultancy]);
    expect(await count({ from: "2026-11-15", to: "2026-11-15" })).toEqual([ids.consultancy]);
    expect(await count({ from: "2026-11-16", status: "complete" })).toEqual([ids.play]);
    expect(await count({ tag: "in-paper" })).toEqual([ids.debate]);
    expect(await count({ study: "play", outcome: "correct" })).toEqual([ids.play]);
    // Bad query values fall back to no filter rather than failing the page.
    expect(filters({ outcome: "maybe", page: "-3", confMin: "lots", from: "yesterday" })).toMatchObject({
      outcome: undefined,
      page: 1,
      confMin: undefined,
      from: undefined,
    });
  });

  it("sorts by date, confidence and rounds, and keeps the filters in a short URL", async () => {
    const db = temp.db();
    const order = async (input: Record<string, string>) =>
      (await listTranscripts(db, people.owner, filters(input))).rows.map((r) => r.id);
    expect(await order({ study: studyId })).toEqual([ids.consultancy, ids.debate]);
    expect(await order({ sort: "confidence" })).toEqual([ids.debate, ids.play, ids.consultancy, ids.judging]);
    expect(await order({ sort: "confidence", dir: "asc" })).toEqual([
      ids.consultancy,
      ids.play,
      ids.debate,
      ids.judging,
    ]);
    expect(await order({ sort: "rounds", study: studyId })).toEqual([ids.consultancy, ids.debate]);
    const parsed = filters({ study: studyId, tag: "in-paper", sort: "date", dir: "desc", page: "1", q: "" });
    expect(transcriptsHref(parsed)).toBe(`/transcripts?study=${studyId}&tag=in-paper`);
    expect(filters(Object.fromEntries(new URL(`http://x${transcriptsHref(parsed)}`).searchParams))).toEqual(parsed);
  });

  it("pages on the server with a total", async () => {
    const db = temp.db();
    const question = await db.question.findFirstOrThrow({ where: { source: "synthetic" } });
    const extra = PAGE_SIZE + 5;
    await db.match.createMany({
      data: Array.from({ length: extra }, (_, i) => ({
        questionId: question.id,
        protocol: "naive",
        config: asJson({}),
        debaters: asJson([]),
        judgeModel: "offline:heuristic",
        status: "abandoned",
        createdAt: new Date(Date.UTC(2026, 9, 1, 0, i)),
      })),
    });
    const first = await listTranscripts(db, people.owner, filters({ protocol: "naive" }));
    expect(first).toMatchObject({ total: extra, page: 1, pages: 2 });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    const second = await listTranscripts(db, people.owner, filters({ protocol: "naive", page: "2" }));
    expect(second.rows).toHaveLength(5);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(extra);
    await db.match.deleteMany({ where: { protocol: "naive" } });
  });

  it("offers the chosen study's conditions, its judges, models and tags", async () => {
    const { facets } = await browseTranscripts(temp.db(), people.owner, filters({ study: studyId }));
    expect(facets.conditions).toEqual(["debate", "consultancy"]);
    expect(facets.models).toEqual(["anthropic:claude", "offline:extractive", "openai:gpt-4o"]);
    expect(facets.tags).toEqual(["human-debate", "in-paper"]);
    expect(facets.judges.map((j) => j.key).sort()).toEqual(["openai:gpt-4o-mini", people.player.id].sort());
    expect(facets.studies.map((s) => s.id)).toEqual([studyId]);
  });
});

describe("full-text search", () => {
  const search = (user: Person, input: Record<string, string>) => searchTranscripts(temp.db(), user, filters(input));

  it("finds a phrase in a turn, marks it in context and names the turn", async () => {
    const result = await search(people.owner, { text: '"written after the storm"' });
    expect(result.total).toBe(1);
    const [hit] = result.hits;
    expect(hit).toMatchObject({ kind: "turn", id: ids.debateTurn, matchId: ids.debate, round: 1, speaker: "B" });
    expect(hit?.snippet).toContain(`was ${HIT_START}written after the storm${HIT_END}, by`);
    expect(snippetParts(hit?.snippet ?? "").filter((p) => p.hit)).toEqual([
      { text: "written after the storm", hit: true, at: expect.any(Number) },
    ]);
    expect(hit?.snippet.replaceAll(HIT_START, "").replaceAll(HIT_END, "")).toContain(
      "the log was written after the storm, by candlelight",
    );
  });

  it("searches judge messages and explanations too, with stemming", async () => {
    const kinds = (await search(people.owner, { text: "candlelight" })).hits.map((h) => h.kind).sort();
    expect(kinds).toEqual(["judge", "turn"]);
    const explanation = await search(people.owner, { text: "settled" });
    expect(explanation.hits).toMatchObject([{ kind: "verdict", matchId: ids.debate }]);
    // Porter stemming: "ship" finds "ships".
    expect((await search(people.owner, { text: "ship" })).hits.map((h) => h.matchId).sort()).toEqual(
      [ids.debate, ids.play].sort(),
    );
  });

  it("searches only the viewer's transcripts and honours the other filters", async () => {
    const harbour = async (user: Person, input: Record<string, string> = {}) =>
      (await search(user, { text: "harbour master", ...input })).hits.map((h) => h.matchId).sort();
    expect(await harbour(people.owner)).toEqual([ids.consultancy]);
    expect(await harbour(people.outsider)).toEqual([ids.outsiderStudy]);
    expect(await harbour(people.admin)).toEqual([ids.consultancy, ids.outsiderStudy].sort());
    expect(await harbour(people.admin, { outcome: "correct" })).toEqual([ids.outsiderStudy]);
    await expect(search(people.player, { text: "harbour" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("reads what the user types as words, never as FTS5 syntax", async () => {
    expect(ftsQuery('lantern NEAR(gallery) col:x * "a phrase"')).toBe('"lantern" "NEAR(gallery)" "col:x" "a phrase"');
    expect(ftsQuery('  ** "" ')).toBeNull();
    expect(ftsQuery("light*")).toBe('"light"*');
    for (const text of ['"unbalanced', "AND OR NOT", "a:b", "(((", "NEAR/3", "^start"]) {
      await expect(search(people.owner, { text })).resolves.toBeDefined();
    }
    expect((await search(people.owner, { text: "lant*" })).hits.map((h) => h.matchId)).toEqual([
      ids.debate,
      ids.debate,
    ]);
  });

  it("keeps the index in step when a match is deleted", async () => {
    const db = temp.db();
    const gone = await makeMatch(db, { turns: ["Zanzibar appears only in this doomed transcript."] });
    expect((await search(people.owner, { text: "zanzibar" })).total).toBe(1);
    await db.match.delete({ where: { id: gone.id } });
    expect((await search(people.owner, { text: "zanzibar" })).total).toBe(0);
  });
});
