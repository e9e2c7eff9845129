import { expect, test } from "@playwright/test";
import { captureTraffic, expectNothingLeakedBeforeVerdict, playToVerdict, storedMatch } from "./support";

/**
 * A guest plays a whole debate by clicking through the UI. Every websocket frame and HTTP response the page
 * receives is captured; before the verdict none may contain the story or which option is correct.
 */
test("a guest judges a full debate and sees the story only after the verdict", async ({ page }) => {
  const traffic = captureTraffic(page);

  await page.goto("/");
  // The home page offers language-model debaters too (playwright.config.ts); the offline ones stay the default.
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();
  await expect(page.getByText("offline debater, no language model").first()).toBeVisible();

  await playToVerdict(page, traffic, { explanation: "Debater B's quotes were verified and on point." });

  // Check what the browser received before the verdict against the stored secrets.
  const match = await storedMatch(page);
  expect(match.turns.every((t) => t.model === "offline:extractive")).toBe(true);
  await expectNothingLeakedBeforeVerdict(page, traffic, match);
});
