import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";

/** Double-clicking Play (a new visitor, so a new guest too) starts one match, not two. */
test("a double click on Play makes one match", async ({ page }) => {
  // Specs run one at a time (playwright.config.ts): every match made from now on is this test's.
  const since = new Date();
  await page.goto("/");
  // The request key is set once the page is interactive.
  await expect(page.locator('input[name="requestKey"]')).toHaveValue(/.{16,}/);
  await page.getByRole("button", { name: "Play", exact: true }).dblclick();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();
  const matchId = page.url().split("/match/")[1] ?? "";
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    const match = await db.match.findUniqueOrThrow({ where: { id: matchId }, select: { judgeId: true } });
    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => c.name === "crux_session")).toHaveLength(1);
    expect(await db.match.count({ where: { judgeId: match.judgeId } })).toBe(1);
    // Not even a second guest's match.
    expect(await db.match.count({ where: { createdAt: { gte: since } } })).toBe(1);
  } finally {
    await db.$disconnect();
  }
});
