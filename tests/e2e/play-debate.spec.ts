import { expect, type Page, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";

/**
 * A guest plays a whole debate by clicking through the UI. Every websocket frame and HTTP response the page
 * receives is captured; before the verdict none may contain the story or which option is correct.
 */
test("a guest judges a full debate and sees the story only after the verdict", async ({ page }) => {
  const received: string[] = [];
  let verdictSubmitted = false;
  const beforeVerdict: string[] = [];
  const record = (text: string, before = !verdictSubmitted) => {
    received.push(text);
    if (before) beforeVerdict.push(text);
  };
  page.on("websocket", (ws) => ws.on("framereceived", (frame) => record(String(frame.payload))));
  page.on("response", async (response) => {
    // Static code bundles hold no data (and their minified code legitimately contains words like "correct").
    if (response.url().includes("/_next/static/")) return;
    const before = !verdictSubmitted;
    const body = await response.body().catch(() => Buffer.alloc(0));
    record(body.toString("utf8"), before);
  });

  await page.goto("/");
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();
  await expect(page.getByText("offline debater, no language model").first()).toBeVisible();

  for (const round of [1, 2]) {
    await judgeRound(page, round);
    await page.getByRole("slider").fill(round === 1 ? "60" : "65");
    await page.getByRole("button", { name: "Next round" }).click();
  }
  await judgeRound(page, 3);
  // The last round goes straight to the verdict form.
  await expect(page.getByRole("button", { name: "Next round" })).toHaveCount(0);
  await page.getByRole("slider").fill("70");
  await expect(page.getByTestId("p-option-1")).toHaveText("70%");
  await page.getByLabel("Why? (optional)").fill("Debater B's quotes were verified and on point.");
  verdictSubmitted = true;
  await page.getByRole("button", { name: "Submit verdict" }).click();

  await expect(page.getByRole("status").filter({ hasText: /You were right|Not this time/ })).toBeVisible();
  await expect(page.getByTestId("score")).toHaveText(/^-?\d+\.\d{3}$/);
  const passage = page.getByRole("article", { name: "The story" });
  await expect(passage).toBeVisible();
  expect(await passage.locator("mark").count()).toBeGreaterThan(0);

  // Check what the browser received before the verdict against the stored secrets.
  const matchId = page.url().split("/match/")[1] ?? "";
  const db = createDb(process.env.E2E_DATABASE_URL);
  const match = await db.match.findUniqueOrThrow({
    where: { id: matchId },
    include: { question: { include: { passage: true } }, verdict: true },
  });
  await db.$disconnect();
  const story = match.question.passage?.text ?? "";
  expect(story.length).toBeGreaterThan(1000);
  const early = beforeVerdict.join("\n");
  expect(early.length).toBeGreaterThan(1000);
  expect(early).not.toContain(story.slice(0, 300));
  expect(early).not.toContain(story.slice(-300));
  expect(early).not.toMatch(/\\?"(gold|correct)\\?":/);
  expect(early).not.toMatch(/\\?"reveal\\?":\{/);
  // And afterwards the reveal did arrive.
  expect(received.join("\n")).toMatch(/"gold":\d/);
  expect(match.verdict?.chosen).toBe(1);
  await expect(page.getByTestId("gold-answer")).toHaveText(
    (JSON.parse(JSON.stringify(match.question.options)) as string[])[match.question.gold] ?? "",
  );
});

async function judgeRound(page: Page, round: number) {
  await expect(page.getByRole("heading", { name: new RegExp(`^Round ${round} of 3`) })).toBeVisible({
    timeout: 60_000,
  });
  // Both debaters' turns of this round are on the page, with their quotes checked.
  await expect(page.getByTestId("turn")).toHaveCount(round * 2);
  await expect(page.locator('[data-quote-state="pending"]')).toHaveCount(0);
  expect(await page.locator('[data-quote-state="verified"]').count()).toBeGreaterThan(0);
}
