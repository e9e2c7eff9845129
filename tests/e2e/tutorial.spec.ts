import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/a11y";
import { captureTraffic, judgeRound, storedMatch, submitVerdict } from "./support";

/**
 * The tutorial game, offered from the header's "How to play": a short debate where each element is explained the
 * first time it appears — the two sides, verified and unverified quotes, the probabilities, when to stop, the
 * score — and where "Skip the tutorial" takes the explanations away while the game goes on.
 */
test("a new player learns the game in the tutorial, then skips the rest", async ({ page }) => {
  const traffic = captureTraffic(page);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "How to play" }).click();
  await expect(page).toHaveURL(/#how-to-play$/);
  await page.getByRole("button", { name: "Tutorial" }).click();
  await expect(page).toHaveURL(/\/match\/[^?]+\?tutorial=1$/);
  const match = await storedMatch(page);
  expect(match.config).toMatchObject({ tutorial: true, protocol: "debate", rounds: 2 });

  // The sides first; then, once the debaters have spoken, the quotes, the slider and when to stop.
  await expect(page.getByTestId("tip-sides")).toBeVisible();
  await judgeRound(page, 1, 2);
  for (const tip of ["quotes", "probabilities", "stop"]) await expect(page.getByTestId(`tip-${tip}`)).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Tutorial: Verified and unverified quotes" })).toContainText(
    "✓ verified",
  );
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("slider").fill("60");
  await page.getByRole("button", { name: "Next round" }).click();

  // The last round: the slider and stopping were explained already; then the score, with the result.
  await judgeRound(page, 2, 2);
  await expect(page.getByTestId("tip-probabilities")).toHaveCount(0);
  await submitVerdict(page, traffic, "Learning.");
  await expect(page.getByTestId("tip-score")).toBeVisible();
  await expect(page.getByTestId("tip-score")).toContainText("50–50");

  // Skipping takes every explanation away.
  await page.getByTestId("tip-score").getByRole("button", { name: "Skip the tutorial" }).click();
  await expect(page.getByRole("complementary", { name: /^Tutorial:/ })).toHaveCount(0);

  // The tutorial taught the page; it is no test of the player, so their record has no games yet.
  await page.goto("/me");
  await expect(page.getByTestId("record-empty")).toBeVisible();
});
