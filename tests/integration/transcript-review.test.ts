import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { importDebates } from "../../lib/import/debates";
import { convertNyuRelease } from "../../lib/import/nyu-2023";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { type RunningServer, startServer } from "../support/server";

/**
 * The review page of imported NYU 2023 debates (a slice of the release: one debate and one consultancy of the same
 * question), read as the HTML the server sends: every quote is highlighted in the story exactly where the release
 * puts it, the judge's probabilities round by round are the release's, and who may open the page follows the
 * observer's rule (403 page, 404 page, sign-in).
 */

const RELEASE = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "nyu-debate-2023");
const ROOMS = ["the-man-who-was-six-5", "the-man-who-was-six-7"];
const PASSWORD = "a long test password";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-transcript-review-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let server: RunningServer;
let db: Db;
const jars = {} as Record<"owner" | "outsider" | "player", CookieJar>;
const matchOf = new Map<string, string>();

/** An account signed up through next-auth, then given `role` (roles are read from the database per request). */
async function account(role: string): Promise<{ jar: CookieJar; email: string }> {
  const jar = new CookieJar();
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const result = await authCallback(server.url, "signup", { email, password: PASSWORD }, jar);
  if (!result.ok) throw new Error(`sign-up failed: ${result.location}`);
  await db.user.update({ where: { email }, data: { role } });
  return { jar, email };
}

beforeAll(async () => {
  // The slice: two rooms and their metadata lines, laid out as the release is.
  const official = path.join(dir, "release", "debates", "official");
  fs.mkdirSync(official, { recursive: true });
  for (const room of ROOMS)
    fs.copyFileSync(path.join(RELEASE, "debates", "official", `${room}.json`), path.join(official, `${room}.json`));
  const metadata = fs
    .readFileSync(path.join(RELEASE, "debates-metadata.jsonl"), "utf8")
    .split("\n")
    .filter((line) => ROOMS.some((room) => line.includes(`"name":"${room}"`)));
  fs.writeFileSync(path.join(dir, "release", "debates-metadata.jsonl"), `${metadata.join("\n")}\n`);

  server = await startServer();
  db = createDb(server.databaseUrl);
  const owner = await account("researcher");
  jars.owner = owner.jar;
  jars.outsider = (await account("researcher")).jar;
  jars.player = (await account("player")).jar;

  const conversion = convertNyuRelease(path.join(dir, "release"));
  expect(conversion.debates.map((d) => d.id).sort()).toEqual(ROOMS);
  const imported = await importDebates(db, {
    content: conversion.debates.map((d) => JSON.stringify(d)).join("\n"),
    dataset: "nyu-slice",
    ownerEmail: owner.email,
  });
  expect(imported.imported).toBe(2);
  const events = await db.event.findMany({
    where: { type: "match.imported" },
    select: { matchId: true, payload: true },
  });
  for (const event of events) {
    const room = ROOMS.find((r) => JSON.stringify(event.payload).includes(`"${r}"`));
    if (room && event.matchId) matchOf.set(room, event.matchId);
  }
  expect([...matchOf.keys()].sort()).toEqual(ROOMS);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

/** Text as React writes it into HTML, back to text. */
const htmlText = (html: string) =>
  html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
const squeeze = (text: string) => text.replace(/\s+/g, "");
/** Letters and digits only: the quote checker matches a quote's words, not its end punctuation. */
const words = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, "");

/** The parts of a release room these checks read. */
interface ReleaseRoom {
  setup: { correctAnswerIndex: number };
  rounds: {
    SimultaneousSpeeches?: Speeches;
    SequentialSpeeches?: Speeches;
    JudgeFeedback?: { distribution: number[]; endDebate: boolean };
  }[];
}
type Speeches = { speeches: Record<string, { content: Record<string, unknown>[] }> };

/** The live judge's reports in the release, one per round of speeches (a later report in a round replaces one). */
function releaseBelief(room: ReleaseRoom): { round: number; correct: number }[] {
  const gold = room.setup.correctAnswerIndex;
  const byRound = new Map<number, number>();
  let round = 0;
  for (const entry of room.rounds) {
    const speeches = entry.SimultaneousSpeeches?.speeches ?? entry.SequentialSpeeches?.speeches;
    if (speeches && Object.keys(speeches).length > 0) round++;
    const feedback = entry.JudgeFeedback;
    if (feedback?.distribution) {
      const [a = 0, b = 0] = feedback.distribution;
      byRound.set(round, (gold === 0 ? a : b) / (a + b));
      if (feedback.endDebate) break;
    }
  }
  return [...byRound].map(([r, correct]) => ({ round: r, correct }));
}

/** Quote parts of the release's speeches in a room. */
function releaseQuoteCount(room: ReleaseRoom): number {
  let count = 0;
  for (const entry of room.rounds) {
    const speeches = entry.SimultaneousSpeeches?.speeches ?? entry.SequentialSpeeches?.speeches ?? {};
    for (const speech of Object.values(speeches)) count += speech.content.filter((part) => "Quote" in part).length;
  }
  return count;
}

describe("the transcript review page of imported NYU 2023 debates", () => {
  it.each(ROOMS)(
    "%s: quotes highlighted where they are in the story, the judge's line as in the release",
    async (name) => {
      const room = JSON.parse(
        fs.readFileSync(path.join(RELEASE, "debates", "official", `${name}.json`), "utf8"),
      ) as ReleaseRoom;
      const matchId = matchOf.get(name) ?? "";
      const page = await getPage(server.url, `/transcripts/${matchId}`, jars.owner);
      expect(page.status).toBe(200);
      const match = await db.match.findUniqueOrThrow({
        where: { id: matchId },
        include: { question: { include: { passage: true } }, turns: true },
      });
      const story = match.question.passage?.text ?? "";
      expect(story.length).toBeGreaterThan(1000);

      // Every quote of the release is in a turn, verified, and highlighted in the story exactly over its own text.
      const quotes = match.turns.flatMap((turn) =>
        (turn.quotes as { text: string; verified: boolean; start?: number; end?: number }[]).map((quote, i) => ({
          ...quote,
          key: `${turn.id}-${i}`,
        })),
      );
      expect(quotes.length).toBe(releaseQuoteCount(room));
      expect(quotes.length).toBeGreaterThan(0);
      const marks = [
        ...page.html.matchAll(/<mark class="quoted[^"]*" data-offset="(\d+)" data-quotes="([^"]+)">(.*?)<\/mark>/g),
      ].map((m) => ({
        offset: Number(m[1]),
        keys: (m[2] ?? "").split(" "),
        text: htmlText((m[3] ?? "").replace(/<[^>]+>/g, "")),
      }));
      for (const mark of marks) expect(squeeze(story.slice(mark.offset)).startsWith(squeeze(mark.text))).toBe(true);
      for (const quote of quotes) {
        expect(quote.verified, quote.text).toBe(true);
        const quoted = story.slice(quote.start, quote.end);
        expect(words(quoted)).toBe(words(quote.text));
        const highlighted = marks.filter((m) => m.keys.includes(quote.key));
        expect(highlighted[0]?.offset).toBe(quote.start);
        expect(squeeze(highlighted.map((m) => m.text).join(""))).toBe(squeeze(quoted));
        // The quote in its turn links to that place, and the place links back.
        expect(page.html).toContain(`id="quote-${quote.key}"`);
        expect(page.html).toContain(`href="#passage-${quote.key}"`);
        expect(page.html).toContain(`id="passage-${quote.key}"`);
      }

      // The judge's probability on the correct answer, round by round, as the release has it.
      const rows = [
        ...page.html.matchAll(
          /<tr data-testid="belief-row" data-round="(\d+)" data-correct="([^"]+)"><th scope="row">([^<]+)<\/th>/g,
        ),
      ];
      const steps = rows.filter((r) => r[3] !== "verdict").map((r) => ({ round: Number(r[1]), correct: Number(r[2]) }));
      const expected = releaseBelief(room);
      expect(steps.map((s) => s.round)).toEqual(expected.map((e) => e.round));
      for (const [i, step] of steps.entries()) expect(step.correct).toBeCloseTo(expected[i]?.correct ?? Number.NaN, 9);
      expect(page.html).toContain('data-testid="belief-chart"');

      // Said of the judge, to a reviewer; the judge by the release's pseudonym, never an email address.
      expect(page.html).toMatch(/The judge chose/);
      expect(page.html).not.toMatch(/You (were right|chose)/);
      const main = page.html.slice(page.html.indexOf("<main"), page.html.indexOf("</main>"));
      expect(main).not.toMatch(/@example\.test/);
    },
  );

  it("refuses other researchers and players with a 403 page, sends guests to sign in, and 404s a missing id", async () => {
    const matchId = matchOf.get(ROOMS[0] ?? "") ?? "";
    for (const jar of [jars.outsider, jars.player]) {
      for (const suffix of ["", "/replay"]) {
        const page = await getPage(server.url, `/transcripts/${matchId}${suffix}`, jar);
        expect(page.status).toBe(403);
        expect(page.html).toMatch(/You cannot see this transcript/);
        expect(page.html).not.toContain("The judge chose");
      }
    }
    const anonymous = await getPage(server.url, `/transcripts/${matchId}`);
    expect([302, 303, 307]).toContain(anonymous.status);
    expect(anonymous.location ?? "").toMatch(/\/signin/);
    const missing = await getPage(server.url, "/transcripts/no-such-match", jars.owner);
    expect(missing.status).toBe(404);
    expect(missing.html).toMatch(/No such transcript/);
  });
});
