import { expect, test } from "@playwright/test";
import { PROTOCOL_LABELS } from "../../lib/debate/protocols";
import type { Protocol } from "../../lib/debate/vocabulary";
import { expectNoSeriousA11yViolations } from "../support/a11y";
import { captureTraffic, playToVerdict, storedMatch, submitVerdict } from "./support";

/**
 * The landing page explains the game and puts Play first; "Quick play" starts a match in a format drawn among
 * debate, consultancy and no help, on a story the player has not judged, and the match records that it was quick
 * play. The game is played to the reveal whichever format came up; a second quick play brings a new question.
 */
test("quick play from the landing page to the reveal, then a new question", async ({ page }) => {
  const traffic = captureTraffic(page);
  await page.goto("/");
  for (const heading of ["Scalable oversight", "AI debate", "Why your judgement matters"])
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  await expect(page.getByRole("group", { name: "Or choose the format" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Quick play" }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();
  const first = await storedMatch(page);
  expect(["debate", "consultancy", "naive"]).toContain(first.protocol);
  expect(first.config).toMatchObject({ quickPlay: true });

  if (first.protocol === "naive") {
    await submitVerdict(page, traffic, "Quick play, no help.");
  } else {
    await playToVerdict(page, traffic, {
      explanation: "Quick play.",
      speakers: first.protocol === "consultancy" ? 1 : 2,
    });
  }
  // The reveal says the format was drawn, and which it was.
  await expect(page.getByTestId("format")).toContainText(
    `Quick play drew this format at random: ${PROTOCOL_LABELS[first.protocol as Protocol]}`,
  );

  await page.getByRole("link", { name: "Play another" }).click();
  await page.getByRole("button", { name: "Quick play" }).click();
  await expect(page).toHaveURL((url) => url.pathname.startsWith("/match/") && !url.pathname.endsWith(first.id));
  await expect(page.getByTestId("question")).toBeVisible();
  const second = await storedMatch(page);
  expect(second.questionId).not.toBe(first.questionId);
});
