import { beforeAll, describe, expect, it } from "vitest";
import { parseTranscriptFilters, turnHref } from "../../lib/transcripts/filters";
import { listTranscripts } from "../../lib/transcripts/list";
import { searchTranscripts, snippetParts } from "../../lib/transcripts/search";
import { importNyuSlice, phraseFromATurn } from "../support/nyu-slice";
import { createResearcher } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/** A slice of the real NYU 2023 release, imported, then browsed and searched as a researcher would. */

const temp = tempDatabase("transcripts-nyu");
let owner: { id: string; role: string; email: string | null; name: string | null };
let slice: { studyId: string; matchIds: string[] };

beforeAll(async () => {
  const db = temp.db();
  owner = await createResearcher(db, "nyu-owner@example.test");
  slice = await importNyuSlice(db, { dataset: "nyu-slice", ownerEmail: "nyu-owner@example.test", rooms: 8 });
}, 60_000);

describe("an imported NYU 2023 slice", () => {
  it("lists its debates with their tags and the dataset's pseudonymous judges", async () => {
    const page = await listTranscripts(temp.db(), owner, parseTranscriptFilters({ study: slice.studyId }));
    expect(page.total).toBe(slice.matchIds.length);
    expect(page.rows.every((r) => r.study === "nyu-slice" && r.correct !== null)).toBe(true);
    const inPaper = await listTranscripts(temp.db(), owner, parseTranscriptFilters({ tag: "in-paper" }));
    expect(inPaper.rows.every((r) => r.tags.includes("in-paper"))).toBe(true);
    expect(page.rows.filter((r) => r.judgeKind === "human").every((r) => r.judge.startsWith("nyu-slice:"))).toBe(true);
  });

  it("finds a phrase from one turn, marked in context, linking to that turn", async () => {
    const db = temp.db();
    const { turnId, matchId, phrase } = await phraseFromATurn(db, slice.matchIds);
    const result = await searchTranscripts(db, owner, parseTranscriptFilters({ text: `"${phrase}"` }));
    const hit = result.hits.find((h) => h.kind === "turn" && h.id === turnId);
    expect(hit, `"${phrase}" in ${result.hits.map((h) => h.id).join(", ")}`).toMatchObject({ matchId });
    expect(
      snippetParts(hit?.snippet ?? "")
        .filter((p) => p.hit)
        .map((p) => p.text.replace(/[“”]/g, " ").replace(/\s+/g, " ").trim().toLowerCase()),
    ).toContain(phrase.toLowerCase());
    expect(hit?.snippet).not.toContain("<quote>");
    expect(turnHref(matchId, turnId)).toBe(`/transcripts/${matchId}#turn-${turnId}`);
  });
});
