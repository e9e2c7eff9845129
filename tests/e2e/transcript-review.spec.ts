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
 * another; the replay steps round by round with the story hidden until the verdict. A reviewer filters the list, opens
 * the debate, annotates it (a comment on words of a turn, a tag) and the share link shows the annotations to the added
 * researcher, never to another; the debate and the consultancy of the same question read side by side.
 */

const RELEASE = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "nyu-debate-2023");
const DEBATE = "the-man-who-was-six-5";
const CONSULTANCY = "the-man-who-was-six-7";

let owner = "";
let member = "";
let stranger = "";
let studyId = "";
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
    studyId = study.studyId;
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

test("filter, open, jump to the story and back, annotate; the share link shows the annotations to the dataset's researchers only", async ({
  page,
  browser,
}) => {
  const url = `/transcripts/${matchOf.get(DEBATE)}`;
  // Filter the list down to the dataset's debate, and open it.
  await page.goto("/transcripts");
  await signInThroughForm(page, owner);
  await page.getByLabel("Study or dataset").selectOption(studyId);
  await expect(page).toHaveURL(new RegExp(`study=${studyId}`));
  // NYU 2023's human debates are interactive (the judge speaks between rounds).
  await page.getByLabel("Protocol").selectOption("interactive");
  await expect(page).toHaveURL(/protocol=interactive/);
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`${url}$`));
  await expect(page.getByTestId("verdict")).toContainText("The judge chose");

  // Quote → the story → back.
  const quote = page.locator("q.quote.verified").first();
  const quoteId = (await quote.getAttribute("id")) ?? "";
  await quote.getByRole("link").click();
  const key = quoteId.replace(/^quote-/, "");
  await expect(page).toHaveURL(new RegExp(`#passage-${key}$`));
  const mark = page.locator(`mark[data-quotes~="${key}"]`).first();
  await expect(mark).toBeInViewport();
  await mark.getByRole("link").click();
  await expect(page.locator(`#${quoteId}`)).toBeInViewport();

  // Comment on words selected in the first turn.
  const turn = page.getByTestId("turn").first();
  const words = await turn.locator(".turn-text").evaluate((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (node && (node.textContent ?? "").trim().split(/\s+/).length < 4) node = walker.nextNode();
    if (!node) throw new Error("no text to select");
    const text = node.textContent ?? "";
    const start = text.search(/\S/);
    const picked = text.slice(start).split(/\s+/).slice(0, 3).join(" ");
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + picked.length);
    document.getSelection()?.removeAllRanges();
    document.getSelection()?.addRange(range);
    return picked;
  });
  await turn.locator("summary").click();
  await expect(turn.getByText(`On the selected words “${words}”`)).toBeVisible();
  await turn.getByLabel("Comment on this turn", { exact: true }).fill("Is this claim backed by the story?");
  await turn.getByRole("button", { name: "Add comment" }).click();
  const comment = turn.getByTestId("annotation").filter({ hasText: "Is this claim backed by the story?" });
  await expect(comment).toBeVisible();
  await expect(comment.locator(".annotation-quote")).toContainText(words);

  // Tag the transcript; the tag box suggests it afterwards, and the list filters by it.
  const annotations = page.getByRole("region", { name: "Annotations" });
  await annotations.getByLabel("Tag", { exact: true }).fill("Honest debater misused evidence");
  await annotations.getByRole("button", { name: "Add tag" }).click();
  await expect(annotations.getByTestId("annotation")).toContainText("#honest debater misused evidence");
  await page.goto(`/transcripts?study=${studyId}&tag=${encodeURIComponent("honest debater misused evidence")}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole("link").first()).toHaveAttribute("href", url);

  // The share link: the added researcher sees both annotations (the author by pseudonym); another gets the 403 page.
  for (const [email, allowed] of [
    [member, true],
    [stranger, false],
  ] as const) {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(url);
    await signInThroughForm(other, email);
    if (allowed) {
      const shared = other.getByTestId("annotation");
      await expect(shared.filter({ hasText: "Is this claim backed by the story?" })).toBeVisible();
      await expect(shared.filter({ hasText: "#honest debater misused evidence" })).toBeVisible();
      await expect(other.locator("body")).not.toContainText(owner);
      // Not theirs: no Delete.
      await expect(other.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
    } else {
      await expect(other.getByTestId("transcript-forbidden")).toBeVisible();
      const response = await other.request.get(url);
      expect(response.status()).toBe(403);
      expect(await response.text()).not.toContain("Is this claim backed by the story?");
    }
    await context.close();
  }

  // The author deletes their tag.
  await page.goto(url);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Delete tag “honest debater misused evidence”" }).click();
  await expect(page.getByText("#honest debater misused evidence")).toHaveCount(0);
});

test("the debate and the consultancy of the same question side by side, round by round", async ({ page }) => {
  // The comparison's stable link: any two transcripts the viewer may read.
  await page.goto(`/transcripts/compare?a=${matchOf.get(DEBATE)}&b=${matchOf.get(CONSULTANCY)}`);
  await signInThroughForm(page, owner);
  const compare = page.getByTestId("compare");
  const questions = compare.getByTestId("question");
  await expect(questions).toHaveCount(2);
  const [left, right] = await questions.allTextContents();
  expect(left).toBe(right);
  await expect(compare.locator(".review-header").first()).toContainText("Interactive debate");
  await expect(compare.locator(".review-header").nth(1)).toContainText("Consultancy");
  // One row per round: round 1 of each side at the same height, the debate's two debaters left, one consultant right.
  const round1 = compare.locator('[data-testid="compare-round"][data-round="1"]');
  await expect(round1).toHaveCount(2);
  const [a, b] = [await round1.nth(0).boundingBox(), await round1.nth(1).boundingBox()];
  expect(a && b && Math.abs(a.y - b.y)).toBeLessThan(1);
  expect(a && b && a.x < b.x).toBe(true);
  await expect(round1.nth(0).getByTestId("turn")).toHaveCount(2);
  await expect(round1.nth(1).getByTestId("turn")).toHaveCount(1);
});
