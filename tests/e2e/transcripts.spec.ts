import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";
import { importNyuSlice, phraseFromATurn } from "../support/nyu-slice";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * Browsing and searching transcripts: a researcher imports a slice of the NYU 2023 release (through the lib,
 * straight into the e2e database), filters the table (the filters land in the URL; back restores them), moves
 * with `j`, and searches with `/` for a phrase from one turn, whose hit links to that turn on the review page.
 * The review page itself is another spec's: here only the links' targets are checked.
 */
test("filter the transcripts, move with j, search a phrase from an imported NYU debate and link to its turn", async ({
  page,
}) => {
  const email = await seedResearcher();
  const dataset = `nyu-e2e-${Date.now().toString(36)}`;
  const db = createDb(process.env.E2E_DATABASE_URL);
  let studyId: string;
  let target: { turnId: string; matchId: string; phrase: string };
  try {
    const slice = await importNyuSlice(db, { dataset, ownerEmail: email, rooms: 6 });
    studyId = slice.studyId;
    target = await phraseFromATurn(db, slice.matchIds);
  } finally {
    await db.$disconnect();
  }

  await page.goto("/transcripts");
  await signInThroughForm(page, email);
  await expect(page.getByRole("heading", { name: "Transcripts" })).toBeVisible();

  // Filter: the dataset, then judge right; each choice applies at once and is kept in the URL.
  await page.getByLabel("Study or dataset").selectOption(studyId);
  await expect(page).toHaveURL(new RegExp(`study=${studyId}`));
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();
  await page.getByLabel("Outcome").selectOption("correct");
  await expect(page).toHaveURL(/outcome=correct/);
  await expect(page.getByRole("status")).toContainText("transcript");
  const right = await rows.count();
  expect(right).toBeGreaterThan(0);
  expect(right).toBeLessThanOrEqual(all);
  await expect(page.locator(".outcome.wrong")).toHaveCount(0);
  await expect(page.locator(".outcome.right")).toHaveCount(right);
  await expect(page.getByLabel("Condition").locator("option")).not.toHaveCount(1);

  // Each row opens its review page; j focuses the first row's link (Enter would open it).
  const firstLink = rows.first().getByRole("link").first();
  await expect(firstLink).toHaveAttribute("href", /^\/transcripts\/[a-z0-9]+$/);
  await page.locator("h1").click();
  await page.keyboard.press("j");
  await expect(firstLink).toBeFocused();
  await page.keyboard.press("j");
  if (right > 1) await expect(rows.nth(1).getByRole("link").first()).toBeFocused();

  // Back restores the previous filters, in the URL and in the form.
  await page.goBack();
  await expect(page).not.toHaveURL(/outcome=/);
  await expect(page.getByLabel("Outcome")).toHaveValue("");
  await expect(rows).toHaveCount(all);

  // "/" focuses the search; a phrase from one turn finds it, marked, linking to that turn.
  await page.locator("h1").click();
  await page.keyboard.press("/");
  const search = page.getByLabel("Search the transcripts");
  await expect(search).toBeFocused();
  await search.fill(`"${target.phrase}"`);
  await search.press("Enter");
  await expect(page).toHaveURL(/text=/);
  const hit = page.locator(`a[href="/transcripts/${target.matchId}#turn-${target.turnId}"]`);
  await expect(hit).toBeVisible();
  await expect(hit.locator("mark").first()).toBeVisible();
  const marked = (await hit.locator("mark").allTextContents())
    .join(" ")
    .replace(/[“”\s]+/g, " ")
    .trim();
  expect(marked.toLowerCase()).toBe(target.phrase.toLowerCase());
});
