import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";
import { importDebates } from "../../lib/import/debates";
import { convertNyuRelease } from "../../lib/import/nyu-2023";
import { addStudyMember } from "../../lib/studies/repository";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * Reviewing recorded debates in the browser: a slice of the NYU 2023 release (a debate and a consultancy of the same
 * question) imported into the e2e database, owned by one researcher with a second added to the dataset. The review
 * page jumps from a quote to the story and back, its link opens for the added researcher and is refused (403) to
 * another; the replay steps round by round with the story hidden until the
 * verdict.
 */

const RELEASE = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "nyu-debate-2023");
const DEBATE = "the-man-who-was-six-5";
const CONSULTANCY = "the-man-who-was-six-7";

let owner = "";
let member = "";
let stranger = "";
const matchOf = new Map<string, string>();

test.beforeAll(async () => {
  [owner, member, stranger] = [await seedResearcher(), await seedResearcher(), await seedResearcher()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-e2e-nyu-"));
  const official = path.join(dir, "debates", "official");
  fs.mkdirSync(official, { recursive: true });
  for (const room of [DEBATE, CONSULTANCY])
    fs.copyFileSync(path.join(RELEASE, "debates", "official", `${room}.json`), path.join(official, `${room}.json`));
  fs.writeFileSync(
    path.join(dir, "debates-metadata.jsonl"),
    fs
      .readFileSync(path.join(RELEASE, "debates-metadata.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.includes(`"name":"${DEBATE}"`) || line.includes(`"name":"${CONSULTANCY}"`))
      .join("\n"),
  );
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    const dataset = `nyu-e2e-${Date.now().toString(36)}`;
    const { debates } = convertNyuRelease(dir);
    const result = await importDebates(db, {
      content: debates.map((d) => JSON.stringify(d)).join("\n"),
      dataset,
      ownerEmail: owner,
    });
    expect(result.imported).toBe(2);
    const study = result.study;
    if (!study) throw new Error("no dataset was made");
    await addStudyMember(db, study.studyId, member);
    const events = await db.match.findMany({
      where: { studyId: study.studyId },
      select: { id: true, events: { where: { type: "match.imported" }, select: { payload: true } } },
    });
    for (const match of events)
      for (const room of [DEBATE, CONSULTANCY])
        if (JSON.stringify(match.events[0]?.payload).includes(`"${room}"`)) matchOf.set(room, match.id);
  } finally {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a transcript's quotes jump to the story and back; its link opens for a researcher on the dataset, 403 for another", async ({
  page,
  browser,
}) => {
  const url = `/transcripts/${matchOf.get(DEBATE)}`;
  await page.goto(url);
  await signInThroughForm(page, owner);
  await expect(page.getByTestId("question")).toContainText("Dan and Erica");
  await expect(page.getByTestId("verdict")).toContainText("The judge chose");
  await expect(page.getByTestId("belief-row")).toHaveCount(4);

  // Quote → its place in the story (highlighted, in view) → back to the quote in the turn.
  const quote = page.locator("q.quote.verified").first();
  const quoteId = (await quote.getAttribute("id")) ?? "";
  await quote.getByRole("link").click();
  const key = quoteId.replace(/^quote-/, "");
  await expect(page).toHaveURL(new RegExp(`#passage-${key}$`));
  const mark = page.locator(`mark[data-quotes~="${key}"]`).first();
  await expect(mark).toBeInViewport();
  await mark.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`#quote-${key.replace(/-\d+$/, "")}-\\d+$`));
  await expect(page.locator(`#${quoteId}`)).toBeInViewport();

  // j / k move between turns and put the turn in the address bar.
  await page.keyboard.press("j");
  await expect(page).toHaveURL(/#turn-/);

  // The share link: the added researcher sees it; another researcher gets the 403 page.
  for (const [email, allowed] of [
    [member, true],
    [stranger, false],
  ] as const) {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(url);
    await signInThroughForm(other, email);
    if (allowed) await expect(other.getByTestId("verdict")).toContainText("The judge chose");
    else {
      await expect(other.getByTestId("transcript-forbidden")).toBeVisible();
      const response = await other.request.get(url);
      expect(response.status()).toBe(403);
      expect(await response.text()).not.toContain("The judge chose");
    }
    await context.close();
  }
});

test("the replay steps round by round as the judge saw it, the story hidden until the verdict", async ({ page }) => {
  await page.goto(`/transcripts/${matchOf.get(DEBATE)}/replay`);
  await signInThroughForm(page, owner);
  await expect(page.getByTestId("replay-step")).toHaveText("Replay: round 1 of 3");
  await expect(page.getByTestId("story-hidden")).toBeVisible();
  await expect(page.getByRole("article", { name: "The story" })).toHaveCount(0);
  await expect(page.getByTestId("turn")).toHaveCount(2);
  await expect(page.getByText("correct answer")).toHaveCount(0);

  await page.keyboard.press("]");
  await expect(page.getByTestId("replay-step")).toHaveText("Replay: round 2 of 3");
  await expect(page.getByTestId("turn")).toHaveCount(4);
  await expect(page.getByTestId("story-hidden")).toBeVisible();
  await page.keyboard.press("[");
  await expect(page.getByTestId("replay-step")).toHaveText("Replay: round 1 of 3");

  await page.getByRole("link", { name: "Round 3" }).click();
  await expect(page.getByTestId("turn")).toHaveCount(6);
  await expect(page.getByTestId("story-hidden")).toBeVisible();
  await page.keyboard.press("]");
  await expect(page.getByTestId("replay-step")).toHaveText("Replay: the verdict");
  await expect(page.getByTestId("story-hidden")).toHaveCount(0);
  await expect(page.getByRole("article", { name: "The story" }).locator("mark").first()).toBeVisible();
  await expect(page.getByTestId("verdict")).toContainText("The judge chose");
});
